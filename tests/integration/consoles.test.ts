// Consoles against the real Xen 4.17 lab host (lab/up.sh): Hearth in browser mode, driven from
// Node over its own WebSocket RPC and stream routes, exactly as the renderer does. The PV
// guest's text console runs a command; a flood of 50 MiB through it keeps input echoing and
// main's memory bounded; the console follows the guest across destroy + create; the HVM guest's
// VNC server answers through the SSH tunnel; the demo host says it has no consoles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HIGH_WATERMARK_BYTES } from '../../common/stream/index';
import { openStream as openHearthStream, startHearth, waitState, type RunningHearth } from '../harness/hearth';
import { ensureGuest, labDown, labShell, labUp, type HostInfo } from '../lab/harness';

const LAB = process.env.HEARTH_LAB_CONSOLES_HOST ?? 'consoles';
const HOST_ID = `seed-0-${LAB}`;

const FLOOD_MIB = Number(process.env.HEARTH_FLOOD_MIB ?? 4);
const FLOOD_BYTES = FLOOD_MIB * 1024 * 1024;

type Running = RunningHearth;

/** A console stream answering busybox's cursor queries as xterm does, counting the flood's x's. */
function openStream(app: Running, streamId: string, options: { ack?: boolean } = {}) {
  let xs = 0;
  const stream = openHearthStream(app, streamId, {
    ...options,
    answerCursorQuery: true,
    onBytes: (data) => {
      for (const b of data) if (b === 0x78) xs++;
    },
  });
  /** How many 'x' bytes arrived (the flood's payload). */
  return Object.assign(stream, { xs: () => xs });
}

/** Make sure a guest runs: `xl create` can fail spuriously under emulation (LAB.md pitfall 10). */
describe('consoles on a real Xen 4.17 host', { timeout: 30 * 60_000 }, () => {
  let host: HostInfo;
  let app: Running;
  let home: string;
  const keepLab = process.env.HEARTH_KEEP_LAB === '1';

  before(async () => {
    host = await labUp(LAB);
    await ensureGuest(LAB, 'pvtest');
    home = mkdtempSync(path.join(os.tmpdir(), 'hearth-consoles-'));
    app = await startHearth(home, { seed: [{ name: LAB, address: host.address, port: host.port, user: host.user, identityFile: host.identityFile, knownHostsFile: host.knownHostsFile }] });
    // The emulated host occasionally fails a handshake (LAB.md pitfall 10): try a few times.
    for (let i = 0; i < 4; i++) {
      const view = await app.api.call('hosts.connect', HOST_ID);
      if (view.state === 'connected') break;
      console.log(`connect attempt ${i + 1}: ${view.error}`);
    }
  });

  after(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
    if (!keepLab) await labDown(LAB).catch(() => undefined);
  });

  test('pvtest text console: a command typed runs in the guest and its answer comes back', async () => {
    const opened = await app.api.call('consoles.openText', HOST_ID, 'pvtest', { type: 'auto', size: { cols: 100, rows: 30 } });
    assert.equal(opened.kind, 'text');
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    await waitState(app, opened.streamId, (s) => s.phase === 'connected');
    const n = Math.floor(Math.random() * 1e6);
    // Wake the prompt, then run a command whose answer differs from what is echoed.
    await stream.waitFor(() => stream.generations.length > 0, 'the stream to begin');
    for (let i = 0; i < 10 && !/# (\x1b\[6n)?$/.test(stream.text()); i++) {
      stream.type('\r');
      await new Promise((r) => setTimeout(r, 1000));
    }
    stream.type(`echo hearth-$((${n}+1))\r`);
    await stream.waitFor(() => stream.text().includes(`hearth-${n + 1}`), 'the echo answer', 30_000);
    await app.api.call('consoles.close', opened.streamId);
    await waitState(app, opened.streamId, (s) => s.phase === 'disconnected');
  });

  // The issue asks for 50 MiB. Under software emulation a Xen guest console moves 0.03 to
  // 0.17 MiB/s, through plain `ssh -tt` as through Hearth (bench/console.ts measures both): 50 MiB
  // took 5.5 minutes on a quiet machine and would take over 20 on a busy one. So `npm test`
  // floods FLOOD_MIB here (default 4: 40 times the 100 KB watermark) and HEARTH_FLOOD_MIB=50 runs
  // it in full; the 50 MiB flood into xterm in the browser goes through a host shell on Dom0
  // instead (tests/e2e/consoles.test.ts).
  test(`a flood of ${FLOOD_MIB} MiB arrives whole with main bounded; keys echo during a flood; a reader that never acknowledges holds the source at the watermark`, async () => {
    const opened = await app.api.call('consoles.openText', HOST_ID, 'pvtest', { type: 'pv', size: { cols: 100, rows: 30 } });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    await waitState(app, opened.streamId, (s) => s.phase === 'connected');
    stream.type('\r');
    await stream.waitFor(() => /# (\x1b\[6n)?$/.test(stream.text()), 'the prompt', 30_000);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
    const n = Math.floor(Math.random() * 1e6);
    const xsBefore = stream.xs();
    stream.type(`head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x; echo; echo flood-done-$((${n}+1))\r`);
    // Progress every 15 s: a stall (nothing moves, bytes held unacknowledged) reads differently from slowness.
    const progress = setInterval(() => console.log(`  flood progress: ${stream.xs() - xsBefore} x received, ${app.unacknowledged(opened.streamId)} bytes unacknowledged in main`), 15_000);
    await stream.waitFor(() => stream.text().includes(`flood-done-${n + 1}`), 'the end of the flood', Math.max(5, FLOOD_MIB) * 60_000).finally(() => clearInterval(progress));
    clearInterval(sampler);
    const growthMiB = (rssPeak - rssBefore) / 2 ** 20;
    // The echoed command line holds one x of its own.
    const arrived = stream.xs() - xsBefore - 1;
    console.log(`flood: ${arrived} of ${FLOOD_BYTES} x; main RSS ${Math.round(rssBefore / 2 ** 20)} MiB -> peak +${growthMiB.toFixed(1)} MiB`);
    assert.equal(arrived, FLOOD_BYTES, 'every byte of the flood arrived, in order before its end marker');
    assert.ok(growthMiB < 150, `RSS grew by ${growthMiB.toFixed(1)} MiB during a ${FLOOD_MIB} MiB flood`);

    // Keys typed while a flood runs are echoed by the guest's tty in between the output.
    // (Typing into a flooding tty makes the guest drop some output itself, with plain
    // `ssh -tt` too: this part checks the echo only.)
    const m = n + 2;
    stream.type(`head -c 1048576 /dev/zero | tr '\\0' y; echo; echo echo-flood-done-$((${m}+1))\r`);
    await stream.waitFor(() => /yyyyyyyyyyyyyyyy/.test(stream.text().slice(-2000)), 'the second flood to start', 60_000);
    stream.type('QZ');
    await stream.waitFor(() => /Q[y\r\n]*Z/.test(stream.text()), 'the typed keys to echo during the flood', 120_000);
    assert.ok(!stream.text().includes(`echo-flood-done-${m + 1}`), 'the keys echoed while the flood was still running');
    await stream.waitFor(() => stream.text().includes(`echo-flood-done-${m + 1}`), 'the end of the second flood', 5 * 60_000);
    stream.close();
    await app.api.call('consoles.close', opened.streamId);

    // Now a reader that never acknowledges: main must pause the SSH channel at the watermark.
    const stuck = await app.api.call('consoles.openText', HOST_ID, 'pvtest', { type: 'pv', size: { cols: 100, rows: 30 } });
    const silent = openStream(app, stuck.streamId, { ack: false });
    await silent.opened;
    await waitState(app, stuck.streamId, (s) => s.phase === 'connected');
    silent.type('\r');
    await new Promise((r) => setTimeout(r, 1500));
    silent.type('head -c 10485760 /dev/zero | tr "\\0" y\r');
    await silent.waitFor(() => silent.bytes() > HIGH_WATERMARK_BYTES, 'output past the watermark', 60_000);
    await new Promise((r) => setTimeout(r, 5000));
    const held = app.unacknowledged(stuck.streamId);
    console.log(`no acknowledgements: ${silent.bytes()} bytes delivered, held at ${held}`);
    // At most the watermark plus what was in flight in one SSH window (ssh2 reads up to 64 KiB at a time, a few packets).
    assert.ok(silent.bytes() < HIGH_WATERMARK_BYTES + 4 * 65536, `delivered ${silent.bytes()} bytes without any acknowledgement`);
    assert.equal(held, silent.bytes(), 'main counts every delivered byte as unacknowledged');
    silent.type('\x03');
    silent.close();
    await app.api.call('consoles.close', stuck.streamId);
  });

  // Under emulation `xl create` sometimes fails half-way and ensureGuest creates the guest
  // again, so the console may reattach more than once: what counts is that it ends attached to
  // the incarnation that stays, and that Ctrl-] then leaves (also when typed mid-reattach).
  test('the text console follows pvtest across destroy and create, and Ctrl-] detaches', async () => {
    const opened = await app.api.call('consoles.openText', HOST_ID, 'pvtest', { type: 'auto', size: { cols: 100, rows: 30 } });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    await waitState(app, opened.streamId, (s) => s.phase === 'connected');
    const before = app.states.length;
    await labShell(LAB, 'xl destroy pvtest', { timeoutMs: 120_000 });
    await waitState(app, opened.streamId, (s) => app.states.indexOf(s) >= before && s.phase !== 'connected' && s.reason === 'not-running', 60_000);
    await ensureGuest(LAB, 'pvtest');
    // The newest state of the stream, not any earlier one, must be "connected".
    const deadline = Date.now() + 120_000;
    for (;;) {
      const mine = app.states.filter((s) => s.streamId === opened.streamId);
      const latest = mine[mine.length - 1]!;
      if (app.states.indexOf(latest) >= before && latest.phase === 'connected') break;
      if (Date.now() > deadline) throw new Error(`the console did not reattach to the new pvtest; it says ${latest.phase}: ${latest.message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(stream.generations.length >= 2, `a new generation began (${stream.generations})`);
    const n = Math.floor(Math.random() * 1e6);
    for (let i = 0; i < 30 && !/# (\x1b\[6n)?$/.test(stream.text()); i++) {
      stream.type('\r');
      await new Promise((r) => setTimeout(r, 1000));
    }
    stream.type(`echo back-$((${n}+1))\r`);
    await stream.waitFor(() => stream.text().includes(`back-${n + 1}`), 'the answer after the restart', 30_000);
    // Ctrl-] typed in the terminal leaves xl console, and Hearth says it detached (no reattach).
    stream.type('\x1d');
    const detached = await waitState(app, opened.streamId, (s) => s.phase === 'disconnected', 20_000);
    assert.equal(detached.reason, 'detached');
  });

  // GRUB on hvmtest writes a line a second to the serial port while it boots (lab/guest/hvmtest):
  // the console is opened while the guest is off, and Hearth attaches when it starts.
  test('hvmtest: the emulated serial console, opened while the guest is off, attaches when it starts and shows its output', async () => {
    await labShell(LAB, 'xl destroy hvmtest 2>/dev/null; true', { timeoutMs: 120_000 });
    const opened = await app.api.call('consoles.openText', HOST_ID, 'hvmtest', { type: 'serial', size: { cols: 100, rows: 30 } });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    const waiting = await waitState(app, opened.streamId, (s) => s.phase !== 'connected', 60_000);
    assert.match(waiting.message, /hvmtest/);
    await ensureGuest(LAB, 'hvmtest');
    const connected = await waitState(app, opened.streamId, (s) => s.phase === 'connected', 180_000);
    assert.match(connected.message, /serial/);
    await stream.waitFor(() => /hvmtest serial line \d+/.test(stream.text()), 'GRUB\'s lines on the serial port', 120_000);
    await app.api.call('consoles.close', opened.streamId);
  });

  test('hvmtest: the VNC server answers RFB through the SSH connection; a PV guest says it has no screen', async () => {
    await ensureGuest(LAB, 'hvmtest');
    const opened = await app.api.call('consoles.openVnc', HOST_ID, 'hvmtest');
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    const connected = await waitState(app, opened.streamId, (s) => s.phase === 'connected', 120_000);
    assert.match(connected.endpoint ?? '', /^127\.0\.0\.1:59\d\d$/);
    await stream.waitFor(() => stream.bytes() >= 12, 'the RFB greeting', 30_000);
    assert.match(stream.firstBytes().subarray(0, 12).toString('latin1'), /^RFB 003\.00\d\n$/);
    await app.api.call('consoles.close', opened.streamId);

    const pv = await app.api.call('consoles.openVnc', HOST_ID, 'pvtest');
    const pvState = pv.phase === 'unavailable' ? pv : await waitState(app, pv.streamId, (s) => s.phase === 'unavailable', 60_000);
    assert.equal(pvState.reason, 'vnc-disabled');
    assert.match(pvState.message, /no graphical console/);
    await app.api.call('consoles.close', pv.streamId);
  });

  test('the demo host has no consoles, and says so', async () => {
    const demo = await app.api.call('hosts.addDemo');
    await assert.rejects(app.api.call('consoles.openText', demo.id, 'web', { type: 'auto', size: { cols: 80, rows: 24 } }), /demo host is a simulation/);
  });

  test('a host shell on Dom0 over the same connection', async () => {
    const opened = await app.api.call('consoles.openHostShell', HOST_ID, { cols: 100, rows: 30 });
    assert.equal(opened.phase, 'connected');
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    await stream.waitFor(() => /# $/.test(stream.text()), 'the shell prompt', 60_000);
    stream.type('cat /sys/hypervisor/type; echo shell-$((40+2))\r');
    await stream.waitFor(() => /shell-42/.test(stream.text()) && /[\r\n]xen\r\n/.test(stream.text()), 'the shell answer', 60_000);
    // Resizing reaches the PTY on the host (a Xen guest console has no size of its own).
    await app.api.call('consoles.resize', opened.streamId, { cols: 133, rows: 41 });
    stream.type('stty size\r');
    await stream.waitFor(() => /41 133/.test(stream.text()), 'the new terminal size', 30_000);
    stream.type('exit\r');
    const ended = await waitState(app, opened.streamId, (s) => s.phase === 'disconnected', 20_000);
    assert.equal(ended.reason, 'exited');
  });
});
