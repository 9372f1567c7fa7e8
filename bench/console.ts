// Console benchmarks on the real lab host (lab/up.sh consoles), each against a baseline in the
// same run: Hearth's text console (xl console on a PTY channel, bytes over the stream WebSocket
// with acknowledgements) against `ssh -tt HOST xl console` for throughput and keystroke echo;
// Hearth's VNC tunnel against a direct TCP forward (`ssh -L`) to the same VNC server, as full
// framebuffer updates per second read by a minimal RFB client. Ratios > 1 mean Hearth is faster.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient, type Frame, type FrameChannel } from '../common/rpc/index';
import type { Api } from '../common/contract/index';
import { StreamClient, streamPath, type StreamSocketLike } from '../common/stream/index';
import { runBrowserMode } from '../main/browser';
import { seedHome } from '../tests/harness/browser';
import { labDown, labPty, labRunDir, labShell, labUp, type PtySession } from '../tests/lab/harness';

const LAB = process.env.HEARTH_LAB_CONSOLES_HOST ?? 'consoles';
const HOST_ID = `seed-0-${LAB}`;
const THROUGHPUT_BYTES = Number(process.env.HEARTH_BENCH_CONSOLE_BYTES ?? 4 * 1024 * 1024);
const ECHO_SAMPLES = 20;
const VNC_SECONDS = 10;

/** A byte sink that can be awaited for patterns (text) or exact byte counts (RFB). */
class Bytes {
  private chunks: Buffer[] = [];
  private length = 0;
  private text = '';
  private waiters = new Set<() => void>();
  total = 0;
  push(data: Uint8Array): void {
    const b = Buffer.from(data);
    this.chunks.push(b);
    this.length += b.length;
    this.total += b.length;
    this.text = (this.text + b.toString('latin1')).slice(-4096);
    for (const w of [...this.waiters]) w();
  }
  tail(): string {
    return this.text;
  }
  wait(pred: () => boolean, timeoutMs = 120_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pred()) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`bench timed out; last output ${JSON.stringify(this.text.slice(-200))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
  async read(n: number): Promise<Buffer> {
    await this.wait(() => this.length >= n, 60_000);
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(n)];
    this.length -= n;
    return all.subarray(0, n);
  }
}

async function startHearth(home: string) {
  const host = await labUp(LAB);
  seedHome(home, [{ name: LAB, address: host.address, port: host.port, user: host.user, identityFile: host.identityFile, knownHostsFile: host.knownHostsFile }]);
  const running = await runBrowserMode({ home });
  const url = new URL(running.url);
  const token = url.searchParams.get('token')!;
  const port = Number(url.port);
  const headers = { Cookie: `hearth_token=${token}`, Origin: `http://127.0.0.1:${port}` };
  const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers });
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  const channel: FrameChannel = {
    send: (frame: Frame) => socket.send(JSON.stringify(frame)),
    onFrame: (l) => (socket.on('message', (d) => l(JSON.parse(String(d)))), () => undefined),
    onClose: (l) => (socket.on('close', l), () => undefined),
  };
  const api: Api & { dispose(): void } = createClient(channel);
  for (let i = 0; i < 4; i++) if ((await api.call('hosts.connect', HOST_ID)).state === 'connected') break;
  const stream = async (streamId: string) => {
    const sink = new Bytes();
    const ws = new WebSocket(`ws://127.0.0.1:${port}${streamPath(streamId)}`, { headers });
    const client: StreamClient = new StreamClient(ws as unknown as StreamSocketLike, {
      onBytes: (d) => {
        sink.push(d);
        client.consumed(d.length);
      },
    });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    return { sink, send: (s: string | Uint8Array) => client.send(s), close: () => client.close() };
  };
  return {
    api,
    stream,
    async close() {
      api.dispose();
      socket.close();
      await running.close();
    },
  };
}

async function ensureGuest(name: string) {
  for (let i = 0; i < 6; i++) {
    const r = await labShell(LAB, `xl list ${name} >/dev/null 2>&1 || xl create /etc/xen/${name}.cfg; xl list ${name} | tail -n +2`, { timeoutMs: 240_000 });
    if (r.stdout.trim()) return;
  }
  throw new Error(`could not start ${name}`);
}

interface Terminalish {
  send(s: string): void;
  tail(): string;
  total(): number;
  wait(pred: () => boolean, timeoutMs?: number): Promise<void>;
}

async function prompt(t: Terminalish) {
  for (let i = 0; i < 30 && !/# $/.test(t.tail()); i++) {
    t.send('\r');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function throughput(t: Terminalish): Promise<number> {
  await prompt(t);
  const n = Math.floor(Math.random() * 1e6);
  const before = t.total();
  const started = process.hrtime.bigint();
  t.send(`head -c ${THROUGHPUT_BYTES} /dev/zero | tr '\\0' x; echo; echo END-$((${n}+1))\r`);
  await t.wait(() => t.tail().includes(`END-${n + 1}`), 20 * 60_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (t.total() - before) / seconds;
}

async function echoTimes(t: Terminalish): Promise<number> {
  await prompt(t);
  const times: number[] = [];
  for (let i = 0; i < ECHO_SAMPLES; i++) {
    const before = t.total();
    const started = process.hrtime.bigint();
    t.send(i % 2 === 0 ? 'k' : '\x7f');
    await t.wait(() => t.total() > before, 30_000);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    await new Promise((r) => setTimeout(r, 50));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function ptyTerminal(session: PtySession): Terminalish {
  return {
    send: (s) => session.send(s),
    tail: () => session.output().slice(-4096),
    total: () => Buffer.byteLength(session.output(), 'latin1'),
    wait: async (pred, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error('ssh baseline timed out');
        await new Promise((r) => setTimeout(r, 2));
      }
    },
  };
}

/** Full, non-incremental Raw framebuffer updates per second from an RFB server. */
async function rfbFramesPerSecond(bytes: Bytes, send: (b: Uint8Array) => void, seconds: number): Promise<{ fps: number; width: number; height: number }> {
  const version = (await bytes.read(12)).toString('latin1');
  if (!version.startsWith('RFB 003.')) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  send(Buffer.from('RFB 003.008\n'));
  const count = (await bytes.read(1))[0];
  const types = [...(await bytes.read(count))];
  if (!types.includes(1)) throw new Error(`VNC server wants authentication (${types}); the benchmark needs a guest without vncpasswd`);
  send(Uint8Array.of(1));
  if ((await bytes.read(4)).readUInt32BE(0) !== 0) throw new Error('VNC security handshake failed');
  send(Uint8Array.of(1));
  const init = await bytes.read(24);
  const width = init.readUInt16BE(0);
  const height = init.readUInt16BE(2);
  const bpp = init[4];
  await bytes.read(init.readUInt32BE(20));
  // SetEncodings: Raw only.
  send(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
  const request = () => {
    const b = Buffer.alloc(10);
    b[0] = 3;
    b[1] = 0; // full, not incremental
    b.writeUInt16BE(width, 6);
    b.writeUInt16BE(height, 8);
    send(b);
  };
  let frames = 0;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    request();
    for (;;) {
      const type = (await bytes.read(1))[0];
      if (type === 0) break;
      if (type === 2) continue; // bell
      if (type === 1) {
        const h = await bytes.read(5);
        await bytes.read(h.readUInt16BE(3) * 6);
        continue;
      }
      if (type === 3) {
        const h = await bytes.read(7);
        await bytes.read(h.readUInt32BE(3));
        continue;
      }
      throw new Error(`unexpected RFB message ${type}`);
    }
    const header = await bytes.read(3);
    const rects = header.readUInt16BE(1);
    for (let i = 0; i < rects; i++) {
      const r = await bytes.read(12);
      const w = r.readUInt16BE(4);
      const h = r.readUInt16BE(6);
      const encoding = r.readInt32BE(8);
      if (encoding === 0) await bytes.read(w * h * (bpp / 8));
      else if (encoding !== -223 && encoding !== -224) throw new Error(`unexpected encoding ${encoding}`);
    }
    frames++;
  }
  return { fps: frames / ((Date.now() - started) / 1000), width, height };
}

async function directForward(vncPort: number): Promise<{ port: number; stop(): void }> {
  const local = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn('ssh', ['-F', path.join(labRunDir(), LAB, 'ssh_config'), '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${local}:127.0.0.1:${vncPort}`, LAB], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(local, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port: local, stop: () => child.kill('SIGTERM') };
}

export default async function consoleBench(): Promise<Record<string, unknown>> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-'));
  const wasUp = await labShell(LAB, 'true', { timeoutMs: 10_000 }).then((r) => r.code === 0).catch(() => false);
  const hearth = await startHearth(home);
  try {
    await ensureGuest('pvtest');
    await ensureGuest('hvmtest');

    // Text console through Hearth.
    const opened = await hearth.api.call('consoles.openText', HOST_ID, 'pvtest', { type: 'pv', size: { cols: 120, rows: 40 } });
    const s = await hearth.stream(opened.streamId);
    const hearthTerm: Terminalish = { send: (x) => s.send(x), tail: () => s.sink.tail(), total: () => s.sink.total, wait: (p, t) => s.sink.wait(p, t) };
    const hearthEchoMs = await echoTimes(hearthTerm);
    const hearthBps = await throughput(hearthTerm);
    s.close();
    await hearth.api.call('consoles.close', opened.streamId);

    // The same through `ssh -tt HOST xl console`.
    const pty = labPty(LAB, ['xl', 'console', '-t', 'pv', 'pvtest']);
    const sshTerm = ptyTerminal(pty);
    const sshEchoMs = await echoTimes(sshTerm);
    const sshBps = await throughput(sshTerm);
    await pty.close();

    // VNC: Hearth's tunnel vs a direct TCP forward to the same server.
    const vnc = await hearth.api.call('consoles.openVnc', HOST_ID, 'hvmtest');
    const v = await hearth.stream(vnc.streamId);
    const tunnelled = await rfbFramesPerSecond(v.sink, (b) => v.send(b), VNC_SECONDS);
    v.close();
    await hearth.api.call('consoles.close', vnc.streamId);
    const portText = (await labShell(LAB, 'xenstore-read /local/domain/$(xl domid hvmtest)/console/vnc-port', { timeoutMs: 60_000 })).stdout.trim();
    const forward = await directForward(Number(portText));
    const sock = net.connect(forward.port, '127.0.0.1');
    const direct = new Bytes();
    sock.on('data', (d) => direct.push(d));
    const directResult = await rfbFramesPerSecond(direct, (b) => sock.write(b), VNC_SECONDS);
    sock.destroy();
    forward.stop();

    const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      text: {
        bytes: THROUGHPUT_BYTES,
        hearthMiBps: round(hearthBps / 2 ** 20),
        sshMiBps: round(sshBps / 2 ** 20),
        throughputRatio: round(hearthBps / sshBps),
        hearthEchoMsMedian: round(hearthEchoMs, 1),
        sshEchoMsMedian: round(sshEchoMs, 1),
        echoRatio: round(sshEchoMs / hearthEchoMs),
      },
      vnc: {
        screen: `${tunnelled.width}x${tunnelled.height}`,
        hearthTunnelFps: round(tunnelled.fps),
        directForwardFps: round(directResult.fps),
        fpsRatio: round(tunnelled.fps / directResult.fps),
      },
      notes: 'Ratios > 1: Hearth faster. echoRatio = ssh median / Hearth median. VNC fps = full Raw framebuffer updates per second.',
    };
  } finally {
    await hearth.close();
    rmSync(home, { recursive: true, force: true });
    if (!wasUp && process.env.HEARTH_KEEP_LAB !== '1') await labDown(LAB).catch(() => undefined);
  }
}
