// The demo host, exercised through the real toolstack driver: detection, the xl queries, the
// lifecycle transitions, the config inventory, autostart links and atomic file writes. The
// demo's output goes through the same parsers as a real host's output.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../common/rpc/index';
import { createXentopParser } from '../../../common/xen/xentop';
import { createDemoDriver, DemoHost, DEMO_HOSTNAME } from '../../../main/demo/index';
import { sha256Hex, type ToolstackDriver } from '../../../main/toolstack/driver';

/** A clock the test moves: the simulation's waits advance it instead of sleeping. */
function fakeClock() {
  let t = Date.UTC(2026, 10, 22, 9, 30, 0);
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

describe('demo host through the toolstack driver', () => {
  let clock: ReturnType<typeof fakeClock>;
  let host: DemoHost;
  let driver: ToolstackDriver;

  beforeEach(async () => {
    clock = fakeClock();
    ({ host, driver } = await createDemoDriver({ now: clock.now, sleep: clock.sleep }));
  });

  it('is detected as xl on Xen 4.17, as root', () => {
    assert.equal(driver.toolstack, 'xl');
    assert.equal(driver.program, '/usr/sbin/xl');
    assert.equal(driver.xenMajor, 4);
    assert.equal(driver.xenMinor, 17);
    assert.equal(driver.isRoot, true);
  });

  it('labels itself a simulation in xl info and in its own messages', async () => {
    const info = await driver.info();
    assert.equal(info.hostname, DEMO_HOSTNAME);
    assert.equal(info.hostname, 'demo-simulation');
    assert.equal(info.toolstack, 'xl');
    assert.match(info.xenVersion, /^4\.17/);
    assert.equal(info.nrCpus, 4);
    assert.equal(info.totalMemoryMiB, 16290);
    assert.ok(info.freeMemoryMiB > 0 && info.freeMemoryMiB < info.totalMemoryMiB);
    assert.equal(info.hvmCapable, true);
    assert.ok(info.dom0UptimeSeconds !== null && info.dom0UptimeSeconds > 86400);
    const unknown = await host.exec(['uname', '-a']);
    assert.equal(unknown.code, 127);
    assert.match(unknown.stderr, /simulated Xen host, not a real machine/);
  });

  it('lists Domain-0 and the three running guests; the stopped XP guest is not listed', async () => {
    const rows = await driver.list();
    assert.deepEqual(
      rows.map((r) => r.name),
      ['Domain-0', 'firewall', 'www', 'files'],
    );
    const dom0 = rows[0];
    assert.equal(dom0.id, 0);
    assert.equal(dom0.memMiB, 2048);
    for (const row of rows.slice(1)) {
      assert.ok(row.state === 'running' || row.state === 'blocked', `${row.name} is ${row.state}`);
      assert.ok(row.cpuSeconds > 0);
    }
    assert.equal(rows.find((r) => r.name === 'www')?.memMiB, 1024);
  });

  it('gives details in the xl list -l format: PV, PV and PVH guests with disks and NICs', async () => {
    const details = await driver.details();
    const byName = new Map(details.map((d) => [d.name, d]));
    assert.equal(byName.get('firewall')?.type, 'pv');
    assert.equal(byName.get('www')?.type, 'pv');
    assert.equal(byName.get('files')?.type, 'pvh');
    assert.equal(byName.get('files')?.disks.length, 2);
    assert.equal(byName.get('firewall')?.nics.length, 2);
    assert.equal(byName.get('firewall')?.nics[0].bridge, 'xenbr1');
    assert.equal(byName.get('www')?.memoryMiB, 1024);
    const one = await driver.details('files');
    assert.equal(one.length, 1);
    assert.equal(one[0].vcpus, 2);
  });

  it('lists the config inventory with autostart links, leaving xl.conf out', async () => {
    const configs = await driver.listConfigs();
    assert.deepEqual(
      configs.map((c) => [c.name, c.path, c.autostart]),
      [
        ['files', '/etc/xen/files.cfg', false],
        ['firewall', '/etc/xen/firewall.cfg', true],
        ['winxp', '/etc/xen/winxp.cfg', false],
        ['www', '/etc/xen/www.cfg', true],
      ],
    );
  });

  it('starts the XP guest from its config after a moment, as HVM with VNC on loopback', async () => {
    const before = clock.now();
    await driver.create('/etc/xen/winxp.cfg');
    assert.ok(clock.now() - before >= 1000, 'create takes a moment');
    const row = (await driver.list()).find((r) => r.name === 'winxp');
    assert.ok(row);
    assert.ok(row.id !== null && row.id > 3);
    assert.equal(row.memMiB, 512);
    const [details] = await driver.details('winxp');
    assert.equal(details.type, 'hvm');
    assert.equal(details.vnc?.enabled, true);
    assert.equal(details.vnc?.listen, '127.0.0.1');
    const port = await host.exec(['xenstore-read', `/local/domain/${row.id}/console/vnc-port`]);
    assert.equal(port.code, 0);
    assert.match(port.stdout, /^59\d\d\n$/);
  });

  it('refuses to start a domain twice, or from a missing config', async () => {
    await rejectsWith(driver.create('/etc/xen/www.cfg'), 'name-in-use', /"www" is already running/);
    await rejectsWith(driver.create('/etc/xen/nosuch.cfg'), 'config-missing', /\/etc\/xen\/nosuch\.cfg does not exist/);
  });

  it('refuses a domain that does not fit in free memory', async () => {
    await driver.createFile('/etc/xen/huge.cfg', 'name = "huge"\ntype = "pvh"\nkernel = "/boot/k"\nmemory = 64000\n');
    await rejectsWith(driver.create('/etc/xen/huge.cfg'), 'not-enough-memory', /not have enough free memory/);
    await rejectsWith(driver.createFile('/etc/xen/huge.cfg', 'x'), 'exists', /already exists/);
  });

  it('shuts down through the shutdown state, then the domain is gone', async () => {
    await driver.shutdown('firewall');
    const during = (await driver.list()).find((r) => r.name === 'firewall');
    assert.equal(during?.state, 'shutdown');
    assert.equal(during?.flags[3], 's');
    clock.advance(5000);
    assert.equal((await driver.list()).some((r) => r.name === 'firewall'), false);
  });

  it('shutdown --wait returns once the domain is gone', async () => {
    await driver.shutdown('www', { wait: true });
    assert.equal((await driver.list()).some((r) => r.name === 'www'), false);
  });

  it('reboots into a new domain id', async () => {
    const before = (await driver.list()).find((r) => r.name === 'files');
    await driver.reboot('files');
    clock.advance(5000);
    const after = (await driver.list()).find((r) => r.name === 'files');
    assert.ok(before && after);
    assert.notEqual(after.id, before.id);
    assert.notEqual(after.state, 'shutdown');
  });

  it('pauses and unpauses', async () => {
    await driver.pause('www');
    assert.equal((await driver.list()).find((r) => r.name === 'www')?.state, 'paused');
    const cpuPaused = (await driver.list()).find((r) => r.name === 'www')!.cpuSeconds;
    clock.advance(60_000);
    assert.equal((await driver.list()).find((r) => r.name === 'www')!.cpuSeconds, cpuPaused, 'a paused domain uses no CPU');
    await driver.unpause('www');
    assert.notEqual((await driver.list()).find((r) => r.name === 'www')?.state, 'paused');
  });

  it('destroys at once', async () => {
    await driver.destroy('files');
    assert.equal((await driver.list()).some((r) => r.name === 'files'), false);
  });

  it('renames, and refuses a name that is taken', async () => {
    await driver.rename('www', 'web');
    const names = (await driver.list()).map((r) => r.name);
    assert.ok(names.includes('web') && !names.includes('www'));
    await rejectsWith(driver.rename('web', 'firewall'), 'name-in-use', /"firewall" is already running/);
  });

  it('saves a domain to a file and restores it', async () => {
    await driver.save('files', '/var/lib/xen/save/files.save');
    assert.equal((await driver.list()).some((r) => r.name === 'files'), false);
    await driver.restore('/var/lib/xen/save/files.save');
    const row = (await driver.list()).find((r) => r.name === 'files');
    assert.ok(row);
    assert.equal(row.memMiB, 2048);
  });

  it('says "not found" for a domain that does not exist, whatever its name holds', async () => {
    for (const name of ['nosuch', 'a; touch /tmp/pwned', '$(reboot)', '-h']) {
      await rejectsWith(driver.pause(name), 'domain-not-found', /was not found on this host/);
    }
  });

  it('switches autostart with links in /etc/xen/auto, and refuses to delete a real file there', async () => {
    await driver.setAutostart('/etc/xen/winxp.cfg', true);
    assert.equal((await driver.listConfigs()).find((c) => c.name === 'winxp')?.autostart, true);
    await driver.setAutostart('/etc/xen/winxp.cfg', true);
    await driver.setAutostart('/etc/xen/www.cfg', false);
    assert.equal((await driver.listConfigs()).find((c) => c.name === 'www')?.autostart, false);

    await driver.createFile('/etc/xen/auto/files.cfg', 'name = "files-copy"\ntype = "pvh"\nkernel = "/k"\n');
    await rejectsWith(driver.setAutostart('/etc/xen/files.cfg', false), 'conflict', /is a real file, not a link/);
    await rejectsWith(driver.setAutostart('/etc/xen/files.cfg', true), 'conflict', /is a real file, not a link/);
    const inventory = await driver.listConfigs();
    assert.deepEqual(
      inventory.find((c) => c.path === '/etc/xen/auto/files.cfg'),
      { path: '/etc/xen/auto/files.cfg', name: 'files-copy', autostart: true, type: 'pvh', memoryMiB: null, vcpus: null },
    );
  });

  it('writes a config atomically with a backup, and refuses a stale write', async () => {
    const path = '/etc/xen/www.cfg';
    const first = await driver.readFile(path);
    assert.match(first, /^name = "www"$/m);
    const edited = first.replace('memory = 1024', 'memory = 1536');
    const { backupPath } = await driver.writeFileAtomic(path, edited, sha256Hex(first));
    assert.match(backupPath, /^\/etc\/xen\/www\.cfg\.hearth-bak-\d{8}-\d{6}$/);
    assert.equal(await driver.readFile(backupPath), first);
    assert.equal(await driver.readFile(path), edited);
    await rejectsWith(driver.writeFileAtomic(path, 'memory = 1\n', sha256Hex(first)), 'stale', /changed on the host since you opened it/);
    assert.equal(await driver.readFile(path), edited, 'a stale write changes nothing');
    assert.equal(
      (await driver.listConfigs()).some((c) => c.path.includes('hearth-bak')),
      false,
      'backups are not domain configs in the inventory',
    );
  });

  it('streams xentop -b frames that the xentop parser reads', async () => {
    const result = await host.exec(['xentop', '-b', '-d', '1', '-i', '2']);
    assert.equal(result.code, 0);
    const parser = createXentopParser();
    const frames = [...parser.push(result.stdout), ...parser.flush()];
    assert.equal(frames.length, 2);
    const names = frames[1].rows.map((r) => r.name);
    assert.deepEqual(names, ['Domain-0', 'files', 'firewall', 'www'], 'sorted by name, as xentop does');
    assert.equal(frames[0].rows[1].cpuPercent, 0, 'CPU(%) is 0 on the first sample');
    assert.equal(frames[1].rows[0].maxMemKiB, 2048 * 1024, 'Dom0 is capped at dom0_mem=...,max:2048M');
  });
});
