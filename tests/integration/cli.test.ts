// The real `hearth` command (bin/hearth.mjs, as `npx hearth` runs it) against the REAL lab host
// (Xen 4.17 under QEMU, labUp('toolstack-cli')): hosts add/list/remove in a throwaway
// HEARTH_HOME, the unknown-host-key refusal and its way out, info and list as JSON checked
// against what the host itself prints, start/destroy, and config check on local files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseXlInfo } from '../../common/xen/index';
import { labDown, labSsh, labUp, REPO_DIR, run, type HostInfo } from '../lab/harness';

const LAB = 'toolstack-cli';
const BIN = path.join(REPO_DIR, 'bin', 'hearth.mjs');

/** Run the CLI with stdin closed (not a terminal: nobody to answer questions). */
function hearth(...args: string[]) {
  return run(process.execPath, [BIN, ...args], { timeoutMs: 240_000 });
}

describe('hearth CLI against the real Xen 4.17 lab host', { timeout: 15 * 60_000 }, () => {
  let host: HostInfo;
  let work: string;
  const saved = { HEARTH_HOME: process.env.HEARTH_HOME, HOME: process.env.HOME };

  before(async () => {
    host = await labUp(LAB);
    work = mkdtempSync(path.join(tmpdir(), 'hearth-cli-it-'));
    // The CLI (a child process) inherits these: its own host list, and no ~/.ssh of the machine.
    process.env.HEARTH_HOME = path.join(work, 'hearth');
    process.env.HOME = path.join(work, 'home');
    await labSsh(LAB, ['sh', '-c', 'xl destroy pvtest 2>/dev/null; true']);
  });

  after(async () => {
    process.env.HEARTH_HOME = saved.HEARTH_HOME;
    process.env.HOME = saved.HOME;
    if (work) rmSync(work, { recursive: true, force: true });
    await labDown(LAB);
  });

  test('hosts add, then hosts list --json shows it', async () => {
    const added = await hearth('hosts', 'add', 'lab', '--address', host.address, '--port', String(host.port), '--user', host.user, '--identity', host.identityFile);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added host lab/);

    const listed = await hearth('hosts', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const hosts = JSON.parse(listed.stdout);
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0].name, 'lab');
    assert.equal(hosts[0].address, host.address);
    assert.equal(hosts[0].port, host.port);
    assert.equal(hosts[0].user, host.user);
    assert.equal(hosts[0].identityFile, host.identityFile);

    const again = await hearth('hosts', 'add', 'lab', '--address', '10.0.0.1');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already in the list/);
  });

  test('an unknown host key is refused without a terminal, with its fingerprint and how to accept it', async () => {
    const r = await hearth('info', '--host', 'lab');
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(host.hostKeyFingerprint), r.stderr);
    assert.match(r.stderr, /--accept-host-key SHA256:/);

    const wrong = await hearth('info', '--host', 'lab', '--accept-host-key', 'SHA256:not-this-one');
    assert.equal(wrong.code, 1);
  });

  test('info --json (accepting the key by its fingerprint) matches `xl info` on the host', async () => {
    const r = await hearth('info', '--host', 'lab', '--json', '--accept-host-key', host.hostKeyFingerprint);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    const info = parseXlInfo((await labSsh(LAB, ['xl', 'info'])).stdout);
    assert.equal(summary.hostname, info.host);
    assert.equal(summary.toolstack, 'xl');
    assert.equal(summary.xenVersion, info.xen_version);
    assert.equal(summary.nrCpus, Number(info.nr_cpus));
    assert.equal(summary.totalMemoryMiB, Number(info.total_memory));
    assert.equal(summary.demo, false);

    // The key is remembered in HEARTH_HOME/known_hosts: no flag needed any more.
    const second = await hearth('info', '--host', 'lab');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /Xen:\s+4\.17/);
  });

  test('list --json shows Domain-0 running and the lab guests stopped, with their configs', async () => {
    const r = await hearth('list', '--host', 'lab', '--json');
    assert.equal(r.code, 0, r.stderr);
    const domains = JSON.parse(r.stdout) as { name: string; id: number | null; state: string; configPath: string | null }[];
    const dom0 = domains.find((d) => d.name === 'Domain-0');
    assert.ok(dom0);
    assert.equal(dom0.id, 0);
    assert.equal(dom0.state, 'running');
    assert.deepEqual(
      domains.filter((d) => d.name === 'pvtest' || d.name === 'hvmtest').map((d) => [d.name, d.state, d.configPath]),
      [
        ['hvmtest', 'stopped', '/etc/xen/hvmtest.cfg'],
        ['pvtest', 'stopped', '/etc/xen/pvtest.cfg'],
      ],
    );
  });

  test('start takes the config from the inventory; destroy wants --yes', async () => {
    const started = await hearth('start', '--host', 'lab', 'pvtest');
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /Started pvtest from \/etc\/xen\/pvtest\.cfg/);
    assert.match((await labSsh(LAB, ['xl', 'list', 'pvtest'])).stdout, /^pvtest\s+\d+/m);

    const unconfirmed = await hearth('destroy', '--host', 'lab', 'pvtest');
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /--yes/);
    assert.equal((await labSsh(LAB, ['xl', 'list', 'pvtest'])).code, 0, 'still running after the refused destroy');

    const destroyed = await hearth('destroy', '--host', 'lab', 'pvtest', '--yes');
    assert.equal(destroyed.code, 0, destroyed.stderr);
    const gone = await labSsh(LAB, ['xl', 'list', 'pvtest']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /invalid domain identifier/);
  });

  test('config check: the lab\'s own pvtest.cfg is understood; a broken file gets FILE:LINE messages', async () => {
    const good = path.join(REPO_DIR, 'lab', 'image', 'etc', 'xen', 'pvtest.cfg');
    const ok = await hearth('config', 'check', good);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /understood/);

    const bad = path.join(work, 'bad.cfg');
    writeFileSync(bad, 'name = "broken"\nmemory =\nvcpus = 2\nname = "VM%d" % vmid\n');
    const r = await hearth('config', 'check', bad);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 2, r.stdout);
    for (const line of lines) assert.match(line, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: \\S`));
    assert.ok(lines.some((l) => l.startsWith(`${bad}:2: `)), 'the empty value on line 2 is reported');
    assert.ok(lines.some((l) => l.startsWith(`${bad}:4: `)), 'the Python expression on line 4 is reported');

    const missing = await hearth('config', 'check', path.join(work, 'nosuch.cfg'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file/);
  });

  test('hosts remove', async () => {
    const r = await hearth('hosts', 'remove', 'lab');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse((await hearth('hosts', 'list', '--json')).stdout), []);
  });
});
