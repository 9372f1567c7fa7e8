// Console benchmarks on a real lab host (labUp('bench')), each side by side with a baseline in the
// same run, in alternating rounds so that drift in the shared machine's load hits both alike.
//
// Text: Hearth's text console in browser mode (consoles service, `xl console` on a PTY channel of
// the product's SshConnection, bytes over the stream WebSocket with acknowledgements, read by the
// renderer's StreamClient) against `ssh -tt HOST xl console` (OpenSSH, its own connection, not the
// lab's ControlMaster, whose TCP socket may lack TCP_NODELAY). Throughput: the guest prints N
// bytes; rate = N / (last payload byte - first payload byte), and the count of payload bytes
// received must be exactly N. Echo: one key at a time at an idle prompt, time to the first byte
// of its echo.
//
// VNC: Hearth's tunnel (SSH forwardOut to hvmtest's VNC server, through the stream WebSocket)
// against a direct TCP forward to the same server (`ssh -L`, its own connection). The same
// minimal RFB client reads both: repeated non-incremental FramebufferUpdateRequests for the
// whole screen (Raw encoding), counting complete updates per second.
//
// Before measuring, known data goes through both kinds of SSH connection and is compared: a lab
// host that corrupts data gives no meaningful figures, and the benchmark says so instead of
// reporting them. (One did: Xen switching FPU state lazily under QEMU TCG, see lab/lib/common.sh.
// That corruption, not the RFB parsing, was behind the earlier "unexpected RFB message 80".)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { StreamClient, streamPath, type StreamSocketLike } from '../common/stream/index';
import { startHearth as startBrowserHearth } from '../tests/harness/hearth';
import { labConnection } from '../tests/lab/connection';
import { ensureGuest, labDown, labRunDir, labShell, labUp, run, type HostInfo } from '../tests/lab/harness';

const LAB = process.env.HEARTH_BENCH_LAB ?? 'bench';
const HOST_ID = `seed-0-${LAB}`;
const ROUNDS = Number(process.env.HEARTH_BENCH_ROUNDS ?? 3);
const TEXT_BYTES = Number(process.env.HEARTH_BENCH_CONSOLE_BYTES ?? 512 * 1024);
const ECHO_SAMPLES = Number(process.env.HEARTH_BENCH_ECHO_SAMPLES ?? 30);
const VNC_SECONDS = Number(process.env.HEARTH_BENCH_VNC_SECONDS ?? 10);
/** 'text' or 'vnc' runs one part only (while working on it). */
const ONLY = process.env.HEARTH_BENCH_ONLY ?? '';
/** `seq 1 N` through each kind of connection before measuring (about 3.4 MB). */
const INTEGRITY_COUNT = 500_000;
const PAYLOAD = 0x79; // 'y', printed by the guest as tr '\000' '\171' (the typed command holds no y)
const PROMPT = /# (\x1b\[6n)?$/;
const CURSOR_QUERY = '\x1b[6n';
const READ_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Bytes from a console or an RFB server: awaited as patterns (text) or exact counts (RFB). */
class ByteSink {
  total = 0;
  /** Payload bytes (PAYLOAD) counted since countPayload(), with the times of the first and last. */
  payload = 0;
  firstPayloadAt = 0;
  lastPayloadAt = 0;
  private counting = false;
  private queue: Buffer[] = [];
  private head = 0;
  private queued = 0;
  private text = '';
  private failure: Error | null = null;
  private readonly waiters = new Set<() => void>();

  /** `queue`: keep the bytes for read() (RFB); otherwise only a tail of text is kept. */
  constructor(private readonly keep: boolean) {}

  push(data: Uint8Array): void {
    const b = Buffer.from(data);
    this.total += b.length;
    if (this.keep) {
      this.queue.push(b);
      this.queued += b.length;
    } else {
      this.text = (this.text + b.toString('latin1')).slice(-4096);
      if (this.counting) {
        let n = 0;
        for (let i = 0; i < b.length; i++) if (b[i] === PAYLOAD) n++;
        if (n) {
          const now = performance.now();
          if (this.payload === 0) this.firstPayloadAt = now;
          this.lastPayloadAt = now;
          this.payload += n;
        }
      }
    }
    this.wake();
  }

  /** The source went away: every wait fails with this error from now on. */
  fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  get failed(): Error | null {
    return this.failure;
  }

  countPayload(): void {
    this.counting = true;
    this.payload = 0;
  }

  tail(): string {
    return this.text;
  }

  wait(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) {
          done();
          resolve();
        } else if (this.failure) {
          done();
          reject(this.failure);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last output ${JSON.stringify(this.text.slice(-200))}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  async read(n: number, what: string): Promise<Buffer> {
    if (this.queued < n) await this.wait(() => this.queued >= n, READ_TIMEOUT_MS, what);
    const out = Buffer.allocUnsafe(n);
    this.take(n, out);
    return out;
  }

  /** Wait for n bytes and drop them (pixel data). */
  async skip(n: number, what: string): Promise<void> {
    if (this.queued < n) await this.wait(() => this.queued >= n, READ_TIMEOUT_MS, what);
    this.take(n, null);
  }

  private take(n: number, out: Buffer | null): void {
    let done = 0;
    while (done < n) {
      const first = this.queue[0];
      const k = Math.min(first.length - this.head, n - done);
      if (out) first.copy(out, done, this.head, this.head + k);
      done += k;
      this.head += k;
      if (this.head === first.length) {
        this.queue.shift();
        this.head = 0;
      }
    }
    this.queued -= n;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

// ---- Hearth in browser mode -------------------------------------------------------------

interface Stream {
  sink: ByteSink;
  send(data: string | Uint8Array): void;
  close(): void;
}

async function startHearth(host: HostInfo, home: string) {
  const hearth = await startBrowserHearth(home, { seed: [{ name: LAB, address: host.address, port: host.port, user: host.user, identityFile: host.identityFile, knownHostsFile: host.knownHostsFile }] });
  const { api, port, token } = hearth;
  let state = '';
  for (let i = 0; i < 4 && state !== 'connected'; i++) state = (await api.call('hosts.connect', HOST_ID)).state;
  if (state !== 'connected') throw new Error(`Hearth could not connect to the lab host (${state})`);

  /** The renderer's end of a console stream, as the page has it (StreamClient, acknowledging on receipt). */
  const stream = async (streamId: string, onBytes?: (data: Uint8Array) => void): Promise<Stream> => {
    const sink = new ByteSink(!onBytes);
    let closing = false;
    const ws = new WebSocket(`ws://127.0.0.1:${port}${streamPath(streamId)}`, {
      headers: { Cookie: `hearth_token=${token}`, Origin: `http://127.0.0.1:${port}` },
    });
    const client: StreamClient = new StreamClient(ws as unknown as StreamSocketLike, {
      onBytes: (data) => {
        sink.push(data);
        onBytes?.(data);
        client.consumed(data.length);
      },
      // One source per measurement: a second one means the guest restarted under it.
      onBegin: (m) => {
        if (m.generation > 1) sink.fail(new Error(`the console was reattached (generation ${m.generation}): the guest restarted during the measurement`));
      },
      onEnd: (m) => sink.fail(new Error(`the console's source ended (${m.reason}) during the measurement`)),
      onClose: () => {
        if (!closing) sink.fail(new Error('the stream to Hearth closed during the measurement'));
      },
    });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    return {
      sink,
      send: (data) => client.send(data),
      close: () => {
        closing = true;
        client.close();
      },
    };
  };

  return { api, stream, close: () => hearth.close() };
}

type Hearth = Awaited<ReturnType<typeof startHearth>>;

// ---- Text consoles ----------------------------------------------------------------------

interface Terminal {
  sink: ByteSink;
  send(text: string): void;
  close(): Promise<void>;
}

async function hearthText(hearth: Hearth): Promise<Terminal> {
  const opened = await hearth.api.call('consoles.openText', HOST_ID, 'pvtest', { type: 'pv', size: { cols: 120, rows: 40 } });
  // busybox asks where the cursor is at each prompt; answer as xterm does in the renderer.
  const s: Stream = await hearth.stream(opened.streamId, (data) => {
    if (Buffer.from(data).includes(CURSOR_QUERY)) s.send('\x1b[24;5R');
  });
  return {
    sink: s.sink,
    send: (text) => s.send(text),
    async close() {
      s.close();
      await hearth.api.call('consoles.close', opened.streamId);
    },
  };
}

/** OpenSSH's own connection (not the lab's ControlMaster): what `ssh -t HOST` is for a user. */
function ownSshArgs(): string[] {
  return ['-F', path.join(labRunDir(), LAB, 'ssh_config'), '-o', 'ControlMaster=no', '-o', 'ControlPath=none'];
}

function sshText(): Terminal {
  const sink = new ByteSink(false);
  const child = spawn('ssh', [...ownSshArgs(), '-e', 'none', '-tt', LAB, '--', 'xl console -t pv pvtest'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let closing = false;
  child.stdout.on('data', (d: Buffer) => {
    sink.push(d);
    if (d.includes(CURSOR_QUERY)) child.stdin.write('\x1b[24;5R');
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => undefined);
  child.on('close', (code) => {
    if (!closing) sink.fail(new Error(`ssh -tt ... xl console exited (${code}) during the measurement: ${stderr.trim().slice(-300)}`));
  });
  return {
    sink,
    send: (text) => child.stdin.write(text),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.stdin.write('\x1d');
        child.stdin.end();
        setTimeout(() => child.kill('SIGTERM'), 5000).unref();
      }),
  };
}

/** Wait until nothing has arrived for `ms`. */
async function quiet(t: Terminal, ms: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const before = t.sink.total;
    await sleep(ms);
    if (t.sink.total === before) return;
  }
}

async function atPrompt(t: Terminal): Promise<void> {
  for (let i = 0; i < 40 && !PROMPT.test(t.sink.tail()); i++) {
    if (t.sink.failed) throw t.sink.failed;
    t.send('\r');
    await t.sink.wait(() => PROMPT.test(t.sink.tail()), 1500, "pvtest's shell prompt").catch(() => undefined);
  }
  if (!PROMPT.test(t.sink.tail())) throw t.sink.failed ?? new Error(`no shell prompt on pvtest's console; last output ${JSON.stringify(t.sink.tail().slice(-200))}`);
  await quiet(t, 300);
}

/** Time from a key to the first byte of its echo, one key at a time ('k', then Backspace, ...). */
async function echoTimes(t: Terminal, samples: number): Promise<number[]> {
  await atPrompt(t);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const before = t.sink.total;
    const started = performance.now();
    t.send(i % 2 === 0 ? 'k' : '\x7f');
    await t.sink.wait(() => t.sink.total > before, 30_000, 'the echo of a key');
    times.push(performance.now() - started);
    await quiet(t, 60);
  }
  return times;
}

async function throughput(t: Terminal, bytes: number, name: string): Promise<{ seconds: number; commandToEndSeconds: number }> {
  await atPrompt(t);
  const n = Math.floor(Math.random() * 1e6);
  const end = `END-${n + 1}`;
  t.sink.countPayload();
  const sent = performance.now();
  t.send(`head -c ${bytes} /dev/zero | tr '\\000' '\\171'; echo; echo END-$((${n}+1))\r`);
  await t.sink.wait(() => t.sink.tail().includes(end), 30 * 60_000, `the end of ${bytes} bytes of output`);
  const ended = performance.now();
  if (t.sink.payload !== bytes) throw new Error(`${name}: the console delivered ${t.sink.payload} payload bytes, not ${bytes}: lost or corrupted output`);
  return { seconds: (t.sink.lastPayloadAt - t.sink.firstPayloadAt) / 1000, commandToEndSeconds: (ended - sent) / 1000 };
}

/** xl console ends a moment after its channel closes; two attached at once would share the output. */
async function noXlConsole(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const r = await labShell(LAB, `ps -eo args= | awk '$2 == "console"' | wc -l`, { timeoutMs: 30_000 });
    if (r.code === 0 && r.stdout.trim() === '0') return;
    await sleep(500);
  }
  throw new Error('an earlier xl console is still attached to pvtest');
}

interface TextRound {
  echoMs: number[];
  payloadSeconds: number;
  commandToEndSeconds: number;
}

async function textRound(name: string, open: () => Promise<Terminal>): Promise<TextRound> {
  await noXlConsole();
  const t = await open();
  try {
    const echoMs = await echoTimes(t, ECHO_SAMPLES);
    const r = await throughput(t, TEXT_BYTES, name);
    return { echoMs, payloadSeconds: r.seconds, commandToEndSeconds: r.commandToEndSeconds };
  } finally {
    await t.close();
  }
}

// ---- VNC --------------------------------------------------------------------------------

interface RfbResult {
  frames: number;
  seconds: number;
  pixelBytes: number;
  width: number;
  height: number;
}

const ENCODING_RAW = 0;
const ENCODING_DESKTOP_SIZE = -223;
const ENCODING_LAST_RECT = -224;

/**
 * A minimal RFB 3.3-3.8 client without authentication: full-screen non-incremental Raw updates,
 * one request at a time, for `seconds`. Every message is checked against the protocol (known
 * message types, rectangles inside the screen, only the encodings asked for), so a stream that
 * is out of step is reported as such at once rather than read on as garbage.
 */
async function rfbFullFrames(bytes: ByteSink, send: (b: Uint8Array) => void, seconds: number): Promise<RfbResult> {
  const version = (await bytes.read(12, 'the RFB version')).toString('latin1');
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(version);
  if (!m) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  const offered = Number(m[1]) > 3 ? 8 : Number(m[2]);
  const minor = offered >= 8 ? 8 : offered === 7 ? 7 : 3;
  send(Buffer.from(`RFB 003.00${minor}\n`));
  const reason = async () => (await bytes.read((await bytes.read(4, 'a reason length')).readUInt32BE(0), 'a reason')).toString('utf8');
  if (minor === 3) {
    const type = (await bytes.read(4, 'the security type')).readUInt32BE(0);
    if (type === 0) throw new Error(`the VNC server refused: ${await reason()}`);
    if (type !== 1) throw new Error(`the VNC server wants authentication (type ${type}); the benchmark needs a guest without vncpasswd`);
  } else {
    const count = (await bytes.read(1, 'the number of security types'))[0];
    if (count === 0) throw new Error(`the VNC server refused: ${await reason()}`);
    const types = [...(await bytes.read(count, 'the security types'))];
    if (!types.includes(1)) throw new Error(`the VNC server wants authentication (${types.join(',')}); the benchmark needs a guest without vncpasswd`);
    send(Uint8Array.of(1));
    if (minor === 8 && (await bytes.read(4, 'the security result')).readUInt32BE(0) !== 0) throw new Error(`VNC security handshake failed: ${await reason()}`);
  }
  send(Uint8Array.of(1)); // ClientInit: shared, as noVNC
  const init = await bytes.read(24, 'ServerInit');
  let width = init.readUInt16BE(0);
  let height = init.readUInt16BE(2);
  const bytesPerPixel = init[4] / 8;
  await bytes.read(init.readUInt32BE(20), 'the desktop name');
  // SetEncodings: Raw, and DesktopSize so that a mode switch in the guest is announced.
  const encodings = [ENCODING_RAW, ENCODING_DESKTOP_SIZE];
  const setEncodings = Buffer.alloc(4 + 4 * encodings.length);
  setEncodings[0] = 2;
  setEncodings.writeUInt16BE(encodings.length, 2);
  encodings.forEach((e, i) => setEncodings.writeInt32BE(e, 4 + 4 * i));
  send(setEncodings);

  const outOfStep = (what: string) => new Error(`RFB stream out of step: ${what} (screen ${width}x${height}, after ${frames} frames)`);
  let frames = 0;
  let pixelBytes = 0;
  const started = performance.now();
  let finished = started;
  while (finished - started < seconds * 1000) {
    const request = Buffer.alloc(10);
    request[0] = 3; // FramebufferUpdateRequest, incremental = 0: the whole screen
    request.writeUInt16BE(width, 6);
    request.writeUInt16BE(height, 8);
    send(request);
    let pixels = false;
    for (;;) {
      const type = (await bytes.read(1, 'a server message'))[0];
      if (type === 0) break;
      if (type === 1) {
        const h = await bytes.read(5, 'SetColourMapEntries');
        await bytes.skip(h.readUInt16BE(3) * 6, 'colour map entries');
      } else if (type === 2) {
        // Bell
      } else if (type === 3) {
        const h = await bytes.read(7, 'ServerCutText');
        await bytes.skip(h.readUInt32BE(3), 'cut text');
      } else {
        throw outOfStep(`message type ${type}`);
      }
    }
    const header = await bytes.read(3, 'a FramebufferUpdate header');
    const rects = header.readUInt16BE(1);
    for (let i = 0; i < rects; i++) {
      const r = await bytes.read(12, 'a rectangle header');
      const [x, y, w, h] = [r.readUInt16BE(0), r.readUInt16BE(2), r.readUInt16BE(4), r.readUInt16BE(6)];
      const encoding = r.readInt32BE(8);
      if (encoding === ENCODING_DESKTOP_SIZE) {
        width = w;
        height = h;
      } else if (encoding === ENCODING_LAST_RECT) {
        break;
      } else if (encoding === ENCODING_RAW) {
        if (x + w > width || y + h > height) throw outOfStep(`rectangle ${w}x${h}+${x}+${y} outside the screen`);
        await bytes.skip(w * h * bytesPerPixel, 'pixel data');
        pixelBytes += w * h * bytesPerPixel;
        pixels = true;
      } else {
        throw outOfStep(`encoding ${encoding}, which was not asked for`);
      }
    }
    finished = performance.now();
    if (pixels) frames++;
  }
  return { frames, seconds: (finished - started) / 1000, pixelBytes, width, height };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `ssh -N -L` on its own connection; stopped with its process. */
async function directForward(vncPort: number): Promise<{ port: number; stop(): void }> {
  const local = await freePort();
  const child = spawn('ssh', [...ownSshArgs(), '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${local}:127.0.0.1:${vncPort}`, LAB], { stdio: 'ignore' });
  const stop = () => child.kill('SIGTERM');
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`ssh -L exited (${child.exitCode})`);
    const listening = await new Promise<boolean>((resolve) => {
      const s = net.connect(local, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (listening) return { port: local, stop };
    await sleep(200);
  }
  stop();
  throw new Error('ssh -L did not start listening');
}

async function hearthVnc(hearth: Hearth, seconds: number): Promise<RfbResult> {
  const opened = await hearth.api.call('consoles.openVnc', HOST_ID, 'hvmtest');
  const s = await hearth.stream(opened.streamId);
  try {
    return await rfbFullFrames(s.sink, (b) => s.send(b), seconds);
  } finally {
    s.close();
    await hearth.api.call('consoles.close', opened.streamId);
  }
}

async function directVnc(port: number, seconds: number): Promise<RfbResult> {
  const sink = new ByteSink(true);
  const sock = net.connect(port, '127.0.0.1');
  let closing = false;
  sock.on('data', (d) => sink.push(d));
  sock.on('error', (e) => sink.fail(e));
  sock.on('close', () => closing || sink.fail(new Error('the direct forward closed during the measurement')));
  try {
    return await rfbFullFrames(sink, (b) => sock.write(b), seconds);
  } finally {
    closing = true;
    sock.destroy();
  }
}

// ---- Lab checks ---------------------------------------------------------------------------

/** Known data through Hearth's SshConnection and through OpenSSH, compared with what it should be. */
async function integrity(host: HostInfo, work: string): Promise<{ bytes: number; hearthSshConnection: string; openssh: string }> {
  let expected = '';
  for (let i = 1; i <= INTEGRITY_COUNT; i++) expected += `${i}\n`;
  const connection = labConnection(host, work);
  let hearth: string;
  try {
    const r = await connection.exec(['seq', '1', String(INTEGRITY_COUNT)], { timeoutMs: 300_000 });
    hearth = r.code !== 0 ? `failed (exit ${r.code}): ${r.stderr.trim().slice(-200)}` : r.stdout === expected ? 'intact' : 'corrupted';
  } catch (error) {
    hearth = `failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    connection.close();
  }
  const o = await run('ssh', [...ownSshArgs(), LAB, `seq 1 ${INTEGRITY_COUNT}`], { timeoutMs: 300_000 });
  const openssh = o.code !== 0 ? `failed (exit ${o.code}): ${o.stderr.trim().slice(-200)}` : o.stdout === expected ? 'intact' : 'corrupted';
  return { bytes: expected.length, hearthSshConnection: hearth, openssh };
}

/** The -cpu the host's QEMU runs with (it may have been started before this run, by anyone's settings). */
function qemuCpuOf(host: HostInfo): string {
  try {
    const args = readFileSync(`/proc/${readFileSync(host.pidFile, 'utf8').trim()}/cmdline`, 'utf8').split('\0');
    const at = args.indexOf('-cpu');
    return at >= 0 && at + 1 < args.length ? args[at + 1] : 'unknown';
  } catch {
    return 'unknown';
  }
}

export default async function consoleBench(): Promise<Record<string, unknown>> {
  const wasUp = await labShell(LAB, 'true', { timeoutMs: 60_000 }).then((r) => r.code === 0).catch(() => false);
  const host = await labUp(LAB);
  const home = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
  let hearth: Hearth | null = null;
  try {
    await ensureGuest(LAB, 'pvtest');
    await ensureGuest(LAB, 'hvmtest');
    const xen = (await labShell(LAB, "xl dmesg | grep -m1 'Support for PV VMs'", { timeoutMs: 60_000 })).stdout;
    // With the guests running: the corruption seen before showed only when other vCPUs ran.
    const check = await integrity(host, home);
    const lab = { host: LAB, qemuCpu: qemuCpuOf(host), xenEagerFpu: /EAGER_FPU/.test(xen), integrity: check };
    if (check.hearthSshConnection !== 'intact' || check.openssh !== 'intact') {
      return {
        lab,
        error:
          'the lab host did not pass data through SSH intact, so no figure would mean anything. ' +
          (lab.xenEagerFpu ? '' : 'Its Xen switches FPU state lazily: start it with spec-ctrl=eager-fpu (lab/lib/common.sh, LAB_XEN_CMDLINE).'),
      };
    }
    hearth = await startHearth(host, home);
    const h = hearth;

    // Text, rounds alternating which side goes first.
    const text = { hearth: [] as TextRound[], ssh: [] as TextRound[] };
    if (ONLY !== 'vnc') {
      // hvmtest sits at GRUB's prompt, which polls the keyboard and keeps a vCPU busy: paused,
      // it leaves the emulated CPUs to Dom0 and pvtest.
      await labShell(LAB, 'xl pause hvmtest', { timeoutMs: 60_000 });
      try {
        for (let r = 0; r < ROUNDS; r++) {
          const sides: Array<() => Promise<void>> = [
            async () => void text.hearth.push(await textRound('Hearth', () => hearthText(h))),
            async () => void text.ssh.push(await textRound('ssh -tt', async () => sshText())),
          ];
          if (r % 2 === 1) sides.reverse();
          for (const side of sides) await side();
        }
      } finally {
        await labShell(LAB, 'xl unpause hvmtest', { timeoutMs: 60_000 });
      }
    }

    // VNC, the same way.
    const vnc = { hearth: [] as RfbResult[], direct: [] as RfbResult[] };
    if (ONLY !== 'text') {
      const portText = (await labShell(LAB, 'xenstore-read /local/domain/$(xl domid hvmtest)/console/vnc-port', { timeoutMs: 60_000 })).stdout.trim();
      const forward = await directForward(Number(portText));
      try {
        for (let r = 0; r < ROUNDS; r++) {
          const sides: Array<() => Promise<void>> = [
            async () => void vnc.hearth.push(await hearthVnc(h, VNC_SECONDS)),
            async () => void vnc.direct.push(await directVnc(forward.port, VNC_SECONDS)),
          ];
          if (r % 2 === 1) sides.reverse();
          for (const side of sides) await side();
        }
      } finally {
        forward.stop();
      }
    }

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];
    const kibps = (bytes: number, seconds: number) => round(bytes / seconds / 1024, 1);
    const textFigures = (rounds: TextRound[]) => {
      const echo = rounds.flatMap((r) => r.echoMs);
      const seconds = rounds.reduce((a, r) => a + r.payloadSeconds, 0);
      return {
        KiBps: kibps(TEXT_BYTES * rounds.length, seconds),
        payloadSeconds: round(seconds, 1),
        commandToEndSeconds: round(rounds.reduce((a, r) => a + r.commandToEndSeconds, 0), 1),
        echoMsMedian: round(median(echo), 1),
        echoMsP90: round(p90(echo), 1),
        perRound: rounds.map((r) => ({ KiBps: kibps(TEXT_BYTES, r.payloadSeconds), echoMsMedian: round(median(r.echoMs), 1) })),
      };
    };
    const vncFigures = (rs: RfbResult[]) => {
      const frames = rs.reduce((a, x) => a + x.frames, 0);
      const seconds = rs.reduce((a, x) => a + x.seconds, 0);
      return {
        fps: round(frames / seconds),
        frames,
        seconds: round(seconds, 1),
        MiBps: round(rs.reduce((a, x) => a + x.pixelBytes, 0) / seconds / 2 ** 20),
        perRoundFps: rs.map((x) => round(x.frames / x.seconds)),
      };
    };
    const th = ONLY === 'vnc' ? null : textFigures(text.hearth);
    const ts = ONLY === 'vnc' ? null : textFigures(text.ssh);
    const vh = ONLY === 'text' ? null : vncFigures(vnc.hearth);
    const vd = ONLY === 'text' ? null : vncFigures(vnc.direct);
    return {
      lab,
      text: {
        method:
          `pvtest's PV console (xl console -t pv): Hearth in browser mode vs ssh -tt on its own connection, ${ROUNDS} alternating rounds. ` +
          `Throughput: the guest prints ${TEXT_BYTES} bytes per round (head -c | tr), all counted; rate = bytes / (last payload byte - first). ` +
          `Echo: ${ECHO_SAMPLES} keys per round at an idle prompt ('k', Backspace, ...), time to the first byte of the echo. ` +
          'hvmtest is paused meanwhile (GRUB polls the keyboard and keeps a vCPU busy).',
        payloadBytesPerRound: TEXT_BYTES,
        echoSamplesPerSide: ECHO_SAMPLES * ROUNDS,
        rounds: ROUNDS,
        hearth: th,
        ssh: ts,
        throughputRatio: th && ts ? round(th.KiBps / ts.KiBps) : null,
        echoRatio: th && ts ? round(ts.echoMsMedian / th.echoMsMedian) : null,
      },
      vnc: {
        method:
          `hvmtest's VNC server (QEMU device model on Dom0), the same minimal RFB client on both sides: repeated non-incremental ` +
          `FramebufferUpdateRequests for the whole screen, Raw encoding, one at a time; fps = complete updates / seconds. ` +
          `Hearth: SSH forwardOut through the stream WebSocket; direct: ssh -L on its own connection. ${ROUNDS} alternating rounds of ${VNC_SECONDS} s per side.`,
        screen: vnc.hearth[0] ? `${vnc.hearth[0].width}x${vnc.hearth[0].height}` : null,
        bytesPerFrame: vnc.hearth[0] ? Math.round(vnc.hearth[0].pixelBytes / Math.max(1, vnc.hearth[0].frames)) : null,
        hearthTunnel: vh,
        directForward: vd,
        fpsRatio: vh && vd ? round(vh.fps / vd.fps) : null,
      },
      notes:
        'Ratios > 1: Hearth faster (echoRatio = ssh median / Hearth median). Each client uses its default cipher: ssh2 (Hearth) ' +
        'aes128-gcm@openssh.com, OpenSSH chacha20-poly1305@openssh.com. The lab host is Xen under QEMU TCG on a shared 2-core ' +
        'machine, other engineers\' lab hosts included: absolute figures are those of the emulation and vary from run to run; ' +
        'compare within a run, and look at perRound for the spread.',
    };
  } finally {
    await hearth?.close();
    rmSync(home, { recursive: true, force: true });
    if (!wasUp && process.env.HEARTH_KEEP_LAB !== '1') await labDown(LAB).catch(() => undefined);
  }
}
