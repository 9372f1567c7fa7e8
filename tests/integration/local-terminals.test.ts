// Local terminals (node-pty) end to end through main: Hearth in browser mode, driven from Node
// over its own authenticated WebSocket RPC (consoles.openLocal) and the same /stream/<id> route
// and acknowledgement scheme the renderer uses. A real pty, a real login shell, the real system
// ssh against the test sshd (tests/harness/sshd.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HIGH_WATERMARK_BYTES } from '../../common/stream/index';
import { openStream, startHearth, waitState, type RunningHearth } from '../harness/hearth';
import { startSshd, type Sshd } from '../harness/sshd';

type Running = RunningHearth;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function waitGone(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('local terminals: a real pty through the console stream path', { timeout: 120_000 }, () => {
  let app: Running;
  let home: string;

  before(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'hearth-local-'));
    app = await startHearth(home);
  });

  after(async () => {
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('a login shell runs a command and its answer comes back', async () => {
    const opened = await app.api.call('consoles.openLocal', { program: 'shell' }, { cols: 100, rows: 30 });
    assert.equal(opened.kind, 'local');
    assert.equal(opened.phase, 'connected');
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    // The echo of the typed line says hearth-$((6*7)); only the shell's answer says hearth-42.
    stream.type('echo hearth-$((6*7))\r');
    await stream.waitFor(() => stream.text().includes('hearth-42'), 'the answer');
    await app.api.call('consoles.close', opened.streamId);
  });

  test('a resize reaches the pty: stty size says so', async () => {
    const opened = await app.api.call('consoles.openLocal', { program: 'shell' }, { cols: 80, rows: 24 });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    stream.type('stty size; echo size-$((1+1))\r');
    await stream.waitFor(() => stream.text().includes('size-2'), 'the first stty');
    assert.match(stream.text(), /24 80\r?\n/);
    await app.api.call('consoles.resize', opened.streamId, { cols: 123, rows: 45 });
    stream.type('stty size; echo size-$((2+1))\r');
    await stream.waitFor(() => stream.text().includes('size-3'), 'the second stty');
    assert.match(stream.text(), /45 123\r?\n/);
    await app.api.call('consoles.close', opened.streamId);
  });

  test('closing the terminal ends its process', async () => {
    const opened = await app.api.call('consoles.openLocal', { program: 'shell' }, { cols: 80, rows: 24 });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    stream.type('echo "pid=[$$]"\r');
    await stream.waitFor(() => /pid=\[\d+\]/.test(stream.text()), 'the shell pid');
    const pid = Number(/pid=\[(\d+)\]/.exec(stream.text())![1]);
    assert.ok(alive(pid), `the shell ${pid} runs`);
    await app.api.call('consoles.close', opened.streamId);
    const state = await waitState(app, opened.streamId, (s) => s.phase === 'disconnected');
    assert.equal(state.reason, 'closed');
    assert.ok(await waitGone(pid), `the shell ${pid} is gone after close`);
  });

  test('the shell exiting by itself ends the terminal and says so', async () => {
    const opened = await app.api.call('consoles.openLocal', { program: 'shell' }, { cols: 80, rows: 24 });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    stream.type('exit 3\r');
    const state = await waitState(app, opened.streamId, (s) => s.phase === 'disconnected');
    assert.equal(state.reason, 'exited');
    assert.match(state.message, /exit code 3/);
    await app.api.call('consoles.close', opened.streamId);
  });

  test('flow control: a reader that never acknowledges holds the pty at the watermark; acknowledging resumes it', async () => {
    const opened = await app.api.call('consoles.openLocal', { program: 'shell' }, { cols: 80, rows: 24 });
    const stream = openStream(app, opened.streamId, { ack: false });
    await stream.opened;
    stream.type('yes hearth-flow\r');
    await stream.waitFor(() => stream.bytes() > HIGH_WATERMARK_BYTES, 'output past the watermark');
    // Let whatever was already on its way arrive, then watch: nothing more may come.
    let before = -1;
    for (let i = 0; i < 20 && before !== stream.bytes(); i++) {
      before = stream.bytes();
      await sleep(250);
    }
    const held = stream.bytes();
    await sleep(1000);
    // One read of the pty (at most 64 KiB) can land past the watermark before the pause.
    const bound = HIGH_WATERMARK_BYTES + 64 * 1024;
    console.log(`flow: held at ${held} bytes received (watermark ${HIGH_WATERMARK_BYTES}), main holds ${app.unacknowledged(opened.streamId)} unacknowledged`);
    assert.equal(stream.bytes(), held, 'no bytes arrive while nothing is acknowledged');
    assert.ok(held <= bound, `received ${held} bytes without acknowledging, bound ${bound}`);
    assert.ok(app.unacknowledged(opened.streamId) <= bound, 'main holds no more than the bound unacknowledged');

    stream.acknowledgeFromNowOn();
    await stream.waitFor(() => stream.bytes() > held + 10 * HIGH_WATERMARK_BYTES, 'output to resume once acknowledged');
    stream.type('\x03');
    stream.type('echo flow-$((40+2))\r');
    await stream.waitFor(() => stream.text().includes('flow-42'), 'the shell after Ctrl-C');
    await app.api.call('consoles.close', opened.streamId);
  });

  test('the system ssh for a host that is not saved is refused plainly', async () => {
    await assert.rejects(app.api.call('consoles.openLocal', { program: 'ssh', hostId: 'no-such-host' }, { cols: 80, rows: 24 }), /no longer in the list/);
  });

  test('the contract refuses a target it does not know', async () => {
    const raw = app.api as unknown as { call(method: string, ...args: unknown[]): Promise<unknown> };
    await assert.rejects(raw.call('consoles.openLocal', { program: 'bash', command: 'rm -rf /' }, { cols: 80, rows: 24 }), (e: Error & { code?: string }) => e.code === 'invalid-argument');
  });
});

describe('local terminals end with Hearth', { timeout: 60_000 }, () => {
  test('closing Hearth (app exit) ends every local terminal it started', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'hearth-local-exit-'));
    const app = await startHearth(home);
    try {
      const pids: number[] = [];
      for (let i = 0; i < 2; i++) {
        const opened = await app.api.call('consoles.openLocal', { program: 'shell' }, { cols: 80, rows: 24 });
        const stream = openStream(app, opened.streamId);
        await stream.opened;
        stream.type('echo "pid=[$$]"\r');
        await stream.waitFor(() => /pid=\[\d+\]/.test(stream.text()), 'the shell pid');
        pids.push(Number(/pid=\[(\d+)\]/.exec(stream.text())![1]));
      }
      assert.ok(pids.every(alive), 'both shells run');
      await app.close();
      for (const pid of pids) assert.ok(await waitGone(pid), `the shell ${pid} is gone once Hearth closed`);
    } finally {
      await app.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('local terminals: the system ssh to a saved host', { timeout: 120_000 }, () => {
  let sshd: Sshd;
  let app: Running;
  let home: string;

  before(async () => {
    sshd = await startSshd();
    home = mkdtempSync(path.join(os.tmpdir(), 'hearth-local-ssh-'));
    const knownHosts = path.join(home, 'ssh_known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    app = await startHearth(home, {
      seed: [{ name: 'sshd', address: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.userKeyPath }],
      // Hermetic: no ~/.ssh/config, only this known_hosts, no prompts. Each its own argv element.
      localTerminals: {
        sshOptions: [
          '-F', 'none',
          '-o', `UserKnownHostsFile=${knownHosts}`,
          '-o', 'GlobalKnownHostsFile=/dev/null',
          '-o', 'StrictHostKeyChecking=yes',
          '-o', 'BatchMode=yes',
          '-o', 'IdentitiesOnly=yes',
        ],
      },
    });
  });

  after(async () => {
    await app?.close();
    await sshd?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('opens ssh -t to the host, runs a command there, reads its answer', async () => {
    const hostId = 'seed-0-sshd';
    const loginsBefore = sshd.acceptedLogins();
    const opened = await app.api.call('consoles.openLocal', { program: 'ssh', hostId }, { cols: 100, rows: 30 });
    assert.equal(opened.kind, 'local');
    assert.equal(opened.hostId, hostId);
    assert.match(opened.message, new RegExp(`ssh -t .* -p ${sshd.port} -l ${sshd.user} -i \\S+ -- 127\\.0\\.0\\.1$`));
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    stream.type(`echo "ssh-$((6*7))-$(whoami)"\r`);
    await stream.waitFor(() => stream.text().includes(`ssh-42-${sshd.user}`), 'the remote answer');
    assert.ok(sshd.acceptedLogins() > loginsBefore, 'sshd logged the accepted login');
    stream.type('exit\r');
    const state = await waitState(app, opened.streamId, (s) => s.phase === 'disconnected');
    assert.equal(state.reason, 'exited');
  });

  test('a host key ssh does not know: ssh refuses, and the page says ssh could not connect', async () => {
    await sshd.restart({ newHostKey: true });
    const opened = await app.api.call('consoles.openLocal', { program: 'ssh', hostId: 'seed-0-sshd' }, { cols: 100, rows: 30 });
    const stream = openStream(app, opened.streamId);
    await stream.opened;
    const state = await waitState(app, opened.streamId, (s) => s.phase === 'disconnected');
    assert.equal(state.reason, 'exited');
    assert.match(state.message, /exit code 255/);
    await stream.waitFor(() => /HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(stream.text()), "ssh's own words");
    await app.api.call('consoles.close', opened.streamId);
  });
});
