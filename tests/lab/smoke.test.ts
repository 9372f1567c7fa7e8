// Smoke test of the lab: a real Xen 4.17 host under QEMU (lab/up.sh resumes its ready
// snapshot), a PV guest reached through its console, pause/unpause, shutdown, and an HVM guest
// whose VNC server answers. Each step asserts what the real host says.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import {
  ensureGuest,
  labCheck,
  labDown,
  labPty,
  labRead,
  labShell,
  labSsh,
  labUp,
  parseXlList,
  run,
  type HostInfo,
} from './harness';

const NAME = process.env.HEARTH_LAB_SMOKE_HOST ?? 'smoke';

/** Wait (reading only) until DOMAIN is no longer listed: after `xl shutdown -w` returns, the
 * domain lingers a moment in state --ps-- until xl's monitor process destroys it. */
async function waitGone(domain: string, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = (await xlList()).map((d) => d.name);
    if (!names.includes(domain) || Date.now() > deadline) return names;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function xlList(): Promise<ReturnType<typeof parseXlList>> {
  const r = await labRead(NAME, ['xl', 'list']);
  assert.equal(r.code, 0, `xl list failed: ${r.stderr}`);
  return parseXlList(r.stdout);
}

describe('lab: real Xen 4.17 host under QEMU', { timeout: 30 * 60_000 }, () => {
  let host: HostInfo;

  before(async () => {
    host = await labUp(NAME);
  });

  after(async () => {
    // Best effort: leave no guest behind, then stop the host.
    await labShell(NAME, 'xl destroy pvtest 2>/dev/null; xl destroy hvmtest 2>/dev/null; true', {
      timeoutMs: 60_000,
    }).catch(() => undefined);
    await labDown(NAME);
    assert.equal(existsSync(host.pidFile), false, 'lab/down.sh removes the run folder');
  });

  test('host.json describes a reachable host with a known host key', async () => {
    assert.equal(host.name, NAME);
    assert.equal(host.address, '127.0.0.1');
    assert.equal(host.user, 'root');
    assert.ok(Number.isInteger(host.port) && host.port > 1024, `port ${host.port}`);
    assert.match(host.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    const knownHosts = readFileSync(host.knownHostsFile, 'utf8');
    assert.match(knownHosts, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${host.port} ssh-ed25519 `, 'm'));
    // The fingerprint in host.json is the one of the key in known_hosts.
    const fp = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', host.knownHostsFile]);
    assert.equal(fp.code, 0, fp.stderr);
    assert.ok(fp.stdout.includes(host.hostKeyFingerprint), fp.stdout);
    const pid = Number(readFileSync(host.pidFile, 'utf8'));
    assert.ok(pid > 1);
    process.kill(pid, 0); // throws if QEMU is not running
  });

  test('xl info: Xen 4.17 with HVM support, and one reused SSH connection', async () => {
    const r = await labRead(NAME, ['xl', 'info']);
    assert.equal(r.code, 0, r.stderr);
    const info = Object.fromEntries(
      r.stdout
        .split('\n')
        .map((l) => l.match(/^(\S+)\s*:\s?(.*)$/))
        .filter((m): m is RegExpMatchArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    assert.equal(info.xen_major, '4');
    assert.equal(info.xen_minor, '17');
    assert.match(info.virt_caps, /\bhvm\b/);
    assert.equal(info.host, NAME, 'up.sh names Dom0 after the host');
    assert.ok(Number(info.free_memory) >= 256, `free_memory ${info.free_memory}`);
    // Dom0's clock was set after the snapshot resume (within a minute of ours).
    const date = await labCheck(NAME, ['date', '+%s']);
    assert.ok(Math.abs(Number(date) - Date.now() / 1000) < 60, `Dom0 clock ${date}`);
    // The ControlMaster is alive: later commands reuse its connection.
    const check = await run('ssh', ['-F', host.sshConfigFile, '-O', 'check', NAME]);
    assert.equal(check.code, 0, check.stderr);
    const started = Date.now();
    await labCheck(NAME, ['true']);
    assert.ok(Date.now() - started < 2000, `a multiplexed command took ${Date.now() - started} ms`);
    const list = await xlList();
    assert.deepEqual(
      list.map((d) => d.name),
      ['Domain-0'],
      'a fresh host runs only Domain-0',
    );
  });

  test('PV guest: create, console shell, pause/unpause, shutdown', async (t) => {
    await t.test('xl create /etc/xen/pvtest.cfg', async () => {
      await ensureGuest(NAME, 'pvtest');
      const pv = (await xlList()).find((d) => d.name === 'pvtest');
      assert.ok(pv, 'pvtest is listed');
      assert.ok(pv.id > 0);
      assert.equal(pv.vcpus, 1);
      assert.ok(pv.memMiB >= 64 && pv.memMiB <= 128, `memory ${pv.memMiB}`);
    });

    await t.test('xl console pvtest gives a busybox shell', async () => {
      const con = labPty(NAME, ['xl', 'console', 'pvtest']);
      try {
        // The guest may still be booting; its banner or a prompt shows it is up.
        con.send('\r');
        await con.expect(/hearth-pvtest ready|\/ # /, 90_000);
        const token = Math.floor(Math.random() * 90000) + 10000;
        const mark = con.output().length;
        // The shell computes the answer, so the echo of the typed line cannot match.
        con.send(`\recho hearth-$((${token}+1))\r`);
        await con.expect(new RegExp(`(^|\\n)hearth-${token + 1}\\r?\\n`), 30_000, mark);
        const mark2 = con.output().length;
        con.send('uname -n\r');
        await con.expect(/(^|\n)pvtest\r?\n/, 30_000, mark2);
      } finally {
        await con.close();
      }
    });

    await t.test('xl pause / unpause show in the state column', async () => {
      const p = await labSsh(NAME, ['xl', 'pause', 'pvtest']);
      assert.equal(p.code, 0, p.stderr);
      let pv = (await xlList()).find((d) => d.name === 'pvtest');
      assert.ok(pv);
      assert.equal(pv.state[2], 'p', `state after pause: ${pv.state}`);
      const u = await labSsh(NAME, ['xl', 'unpause', 'pvtest']);
      assert.equal(u.code, 0, u.stderr);
      pv = (await xlList()).find((d) => d.name === 'pvtest');
      assert.ok(pv);
      assert.equal(pv.state[2], '-', `state after unpause: ${pv.state}`);
    });

    await t.test('xl shutdown -w stops it', async () => {
      const r = await labSsh(NAME, ['xl', 'shutdown', '-w', 'pvtest'], { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout + r.stderr, /has been shut down/);
      const names = await waitGone('pvtest');
      assert.ok(!names.includes('pvtest'), `still listed: ${names.join(', ')}`);
    });
  });

  test('HVM guest: create, VNC answers RFB, destroy', async (t) => {
    let domid = 0;
    await t.test('xl create /etc/xen/hvmtest.cfg', async () => {
      const r = await labSsh(NAME, ['xl', 'create', '/etc/xen/hvmtest.cfg'], { timeoutMs: 300_000 });
      assert.equal(r.code, 0, `xl create failed: ${r.stderr}`);
      const id = await labRead(NAME, ['xl', 'domid', 'hvmtest']);
      assert.equal(id.code, 0, id.stderr);
      domid = Number(id.stdout.trim());
      assert.ok(domid > 0, `domid ${id.stdout}`);
    });

    await t.test('the VNC port in xenstore answers RFB', async () => {
      assert.ok(domid > 0, 'hvmtest was created');
      const port = await labRead(NAME, ['xenstore-read', `/local/domain/${domid}/console/vnc-port`]);
      assert.equal(port.code, 0, port.stderr);
      const vncPort = Number(port.stdout.trim());
      assert.ok(vncPort >= 5900 && vncPort < 6000, `vnc-port ${port.stdout}`);
      const listen = await labRead(NAME, ['xenstore-read', `/local/domain/${domid}/console/vnc-listen`]);
      assert.equal(listen.stdout.trim(), '127.0.0.1');
      const banner = await labRead(NAME, [
        'bash',
        '-c',
        `exec 3<>/dev/tcp/127.0.0.1/${vncPort} && timeout 10 head -c 12 <&3`,
      ]);
      assert.equal(banner.code, 0, banner.stderr);
      assert.match(banner.stdout, /^RFB 00\d\.00\d\n$/);
    });

    await t.test('xl destroy removes it', async () => {
      const r = await labSsh(NAME, ['xl', 'destroy', 'hvmtest'], { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stderr);
      const names = await waitGone('hvmtest');
      assert.deepEqual(names, ['Domain-0']);
    });
  });
});
