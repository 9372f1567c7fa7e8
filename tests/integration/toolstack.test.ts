// The toolstack driver against the REAL lab host: Xen 4.17 with xl, booted under QEMU by
// lab/up.sh (labUp('toolstack')). The driver reaches it through main/ssh's SshConnection, the
// same executor the product uses; the checks read the host back over the lab's own ssh
// (labSsh), independently of the driver.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../common/rpc/index';
import { parseXlInfo } from '../../common/xen/index';
import { InMemorySecretStore, KnownHosts, SshConnection } from '../../main/ssh';
import { createDriver, sha256Hex, type ToolstackDriver } from '../../main/toolstack/driver';
import { labConnection } from '../lab/connection';
import { labDown, labSsh, labUp, run, type HostInfo } from '../lab/harness';
import { isRoot, startSshd, type Sshd } from '../harness/sshd';
import { sudoPasswordMessage } from '../../main/toolstack/host-shell';
import { detectToolstack } from '../../main/toolstack/detect';

const LAB = 'toolstack';
const PV_CFG = '/etc/xen/pvtest.cfg';
const HVM_CFG = '/etc/xen/hvmtest.cfg';

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `expected a UserError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    return true;
  });
}

async function sh(script: string): Promise<string> {
  const r = await labSsh(LAB, ['sh', '-c', script]);
  assert.equal(r.code, 0, `${script}: ${r.stderr}`);
  return r.stdout;
}

async function domainNames(): Promise<string[]> {
  const r = await labSsh(LAB, ['xl', 'list']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(/\s+/)[0]);
}

describe('toolstack driver on the real Xen 4.17 lab host', { timeout: 20 * 60_000 }, () => {
  let host: HostInfo;
  let connection: SshConnection;
  let driver: ToolstackDriver;
  let work: string;

  before(async () => {
    host = await labUp(LAB);
    work = mkdtempSync(join(tmpdir(), 'hearth-toolstack-it-'));
    connection = labConnection(host, work);
    // A clean start: no test guest left over, no autostart folder, no stray files.
    await labSsh(LAB, ['sh', '-c', 'for d in pvtest pvtest-renamed hvmtest; do xl destroy "$d" 2>/dev/null; done; rm -rf /etc/xen/auto /etc/xen/hearth-edit.cfg* /tmp/pwned; true']);
    driver = await createDriver(connection, { user: host.user });
  });

  after(async () => {
    connection?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    await labDown(LAB);
  });

  test('detects xl on Xen 4.17, logged in as root', () => {
    assert.equal(driver.toolstack, 'xl');
    assert.equal(driver.program, '/usr/sbin/xl');
    assert.equal(driver.xenMajor, 4);
    assert.equal(driver.xenMinor, 17);
    assert.equal(driver.isRoot, true);
  });

  test('info matches what `xl info` prints on the host', async () => {
    const summary = await driver.info();
    const r = await labSsh(LAB, ['xl', 'info']);
    const info = parseXlInfo(r.stdout);
    assert.equal(summary.hostname, info.host);
    assert.equal(summary.hostname, LAB);
    assert.equal(summary.nrCpus, Number(info.nr_cpus));
    assert.equal(summary.totalMemoryMiB, Number(info.total_memory));
    assert.equal(summary.freeMemoryMiB, Number(info.free_memory));
    assert.equal(summary.xenVersion, info.xen_version);
    assert.equal(summary.hvmCapable, true);
    assert.ok(summary.dom0UptimeSeconds !== null && summary.dom0UptimeSeconds > 0);
  });

  test('list shows Domain-0', async () => {
    const rows = await driver.list();
    const dom0 = rows.find((row) => row.name === 'Domain-0');
    assert.ok(dom0, 'Domain-0 is listed');
    assert.equal(dom0.id, 0);
    assert.ok(dom0.memMiB > 0);
  });

  test('the config inventory holds pvtest.cfg and hvmtest.cfg, not xl.conf or the shipped examples', async () => {
    const configs = await driver.listConfigs();
    // Kind and size come from the config files themselves (type = "pv", memory = 96 ...).
    assert.deepEqual(configs.find((c) => c.path === PV_CFG), { path: PV_CFG, name: 'pvtest', autostart: false, type: 'pv', memoryMiB: 96, vcpus: 1 });
    assert.deepEqual(configs.find((c) => c.path === HVM_CFG), { path: HVM_CFG, name: 'hvmtest', autostart: false, type: 'hvm', memoryMiB: 128, vcpus: 1 });
    assert.equal(configs.some((c) => /xl\.conf|xlexample|oxenstored/.test(c.path)), false, JSON.stringify(configs));
  });

  test('create pvtest from its config: it runs', async () => {
    await driver.create(PV_CFG);
    const row = (await driver.list()).find((r) => r.name === 'pvtest');
    assert.ok(row, 'pvtest is listed after create');
    assert.ok(row.state === 'running' || row.state === 'blocked', `state is ${row.state}`);
    assert.ok((await domainNames()).includes('pvtest'));
    const [details] = await driver.details('pvtest');
    assert.equal(details.type, 'pv');
    assert.equal(details.memoryMiB, 96);
    assert.equal(details.nics[0]?.bridge, 'xenbr0');
  });

  test('starting it again is refused: the name is in use', async () => {
    await rejectsWith(driver.create(PV_CFG), 'name-in-use', /"pvtest" is already running/);
  });

  test('pause, then unpause', async () => {
    await driver.pause('pvtest');
    assert.equal((await driver.list()).find((r) => r.name === 'pvtest')?.state, 'paused');
    await driver.unpause('pvtest');
    assert.notEqual((await driver.list()).find((r) => r.name === 'pvtest')?.state, 'paused');
  });

  test('rename and rename back', async () => {
    await driver.rename('pvtest', 'pvtest-renamed');
    const names = await domainNames();
    assert.ok(names.includes('pvtest-renamed') && !names.includes('pvtest'), names.join(','));
    await rejectsWith(driver.rename('pvtest-renamed', 'Domain-0'), 'name-in-use', /"Domain-0" is already running/);
    await driver.rename('pvtest-renamed', 'pvtest');
    assert.ok((await domainNames()).includes('pvtest'));
  });

  test('shutdown --wait: the domain is gone when it returns', async () => {
    await driver.shutdown('pvtest', { wait: true });
    assert.equal((await domainNames()).includes('pvtest'), false);
    assert.equal((await driver.list()).some((r) => r.name === 'pvtest'), false);
  });

  test('start again, then destroy', async () => {
    await driver.create(PV_CFG);
    assert.ok((await domainNames()).includes('pvtest'));
    await driver.destroy('pvtest');
    assert.equal((await domainNames()).includes('pvtest'), false);
  });

  test('a domain that is not running is "not found"; a missing config is said so', async () => {
    await rejectsWith(driver.pause('pvtest'), 'domain-not-found', /"pvtest" was not found/);
    await rejectsWith(driver.create('/etc/xen/nosuch.cfg'), 'config-missing', /\/etc\/xen\/nosuch\.cfg does not exist/);
  });

  test('a hostile domain name reaches xl as one argument', async () => {
    await rejectsWith(driver.details('a; touch /tmp/pwned'), 'domain-not-found', /"a; touch \/tmp\/pwned" was not found/);
    await rejectsWith(driver.destroy('$(touch /tmp/pwned)'), 'domain-not-found', /was not found/);
    await rejectsWith(driver.pause('-h'), 'domain-not-found', /"-h" was not found/);
    const check = await labSsh(LAB, ['test', '-e', '/tmp/pwned']);
    assert.equal(check.code, 1, '/tmp/pwned must not exist');
  });

  test('autostart: a link in /etc/xen/auto, on and off', async () => {
    await driver.setAutostart(PV_CFG, true);
    const listing = await sh('ls -l /etc/xen/auto');
    assert.match(listing, /pvtest\.cfg -> \/etc\/xen\/pvtest\.cfg/);
    assert.equal((await driver.listConfigs()).find((c) => c.path === PV_CFG)?.autostart, true);

    await driver.setAutostart(PV_CFG, true); // already on: nothing changes
    assert.equal((await sh('ls /etc/xen/auto')).trim(), 'pvtest.cfg');

    await driver.setAutostart(PV_CFG, false);
    assert.doesNotMatch(await sh('ls -l /etc/xen/auto'), /pvtest/);
    assert.equal((await driver.listConfigs()).find((c) => c.path === PV_CFG)?.autostart, false);
  });

  test('autostart refuses to touch a real file in /etc/xen/auto', async () => {
    await sh('cp /etc/xen/hvmtest.cfg /etc/xen/auto/hvmtest.cfg');
    try {
      await rejectsWith(driver.setAutostart(HVM_CFG, false), 'conflict', /is a real file, not a link/);
      await rejectsWith(driver.setAutostart(HVM_CFG, true), 'conflict', /is a real file, not a link/);
      assert.match(await sh('ls -l /etc/xen/auto/hvmtest.cfg'), /^-rw/, 'the real file is still there');
    } finally {
      await sh('rm -f /etc/xen/auto/hvmtest.cfg');
    }
  });

  test('writeFileAtomic keeps a backup, replaces the file, and refuses a stale write', async () => {
    const path = '/etc/xen/hearth-edit.cfg';
    await sh(`cp ${PV_CFG} ${path} && chmod 640 ${path}`);
    const opened = await driver.readFile(path);
    assert.equal(opened, await sh(`cat ${path}`));
    const sha = sha256Hex(opened);
    assert.equal(sha, (await sh(`sha256sum ${path}`)).split(' ')[0], 'the hash Hearth computes is the file\'s sha256sum');

    const edited = opened.replace('memory = 96', 'memory = 112');
    assert.notEqual(edited, opened);
    const { backupPath } = await driver.writeFileAtomic(path, edited, sha);
    assert.match(backupPath, /^\/etc\/xen\/hearth-edit\.cfg\.hearth-bak-\d{8}-\d{6}$/);
    assert.equal(await sh(`cat ${path}`), edited);
    assert.equal(await sh(`cat '${backupPath}'`), opened);
    assert.match(await sh(`stat -c %a ${path}`), /^640/, 'the file keeps its mode');
    assert.equal((await sh('ls -a /etc/xen')).includes('.hearth-edit.cfg.hearth-'), false, 'no temp file is left');

    await rejectsWith(driver.writeFileAtomic(path, 'name = "clobbered"\n', sha), 'stale', /changed on the host since you opened it/);
    assert.equal(await sh(`cat ${path}`), edited, 'the stale write changed nothing');
    await sh('rm -f /etc/xen/hearth-edit.cfg /etc/xen/hearth-edit.cfg.hearth-bak-*');
  });
});

// sudo's refusal, from a real sudo: Debian's sshd on 127.0.0.1 logs in a non-root test user
// (tests/harness/sshd.ts) on this machine, whose sudo asks that user for a password. This machine
// has no Xen, so the detection result is given; the command and sudo's answer are real.
describe('a non-root login whose sudo wants a password (real sshd, real sudo)', async () => {
  const sudoPresent = (await run('sh', ['-c', 'command -v sudo'])).code === 0;
  const skip = !isRoot() ? 'needs root to create the non-root test user' : !sudoPresent ? 'sudo is not installed (apt-get install sudo)' : false;
  let sshd: Sshd;
  let connection: SshConnection;
  let work: string;

  before(async () => {
    if (skip) return;
    sshd = await startSshd();
    work = mkdtempSync(join(tmpdir(), 'hearth-sudo-it-'));
    connection = new SshConnection({
      target: { host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFiles: [sshd.userKeyPath], proxyJump: [], alias: 'sudo-test' },
      prompter: { askHostKey: async () => 'once', askSecret: async () => ({ secret: null, remember: false }) },
      secrets: new InMemorySecretStore(),
      knownHosts: new KnownHosts({ readOnlyFiles: [], storeFile: join(work, 'known_hosts') }),
      homeDir: work,
      agentSocket: null,
    });
  });

  after(async () => {
    connection?.close();
    await sshd?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('xl through `sudo -n` fails with the message that says what to change', { skip }, async () => {
    const driver = await createDriver(connection, {
      user: sshd.user,
      detection: { toolstack: 'xl', program: '/usr/sbin/xl', major: 4, minor: 17, isRoot: false, info: {} },
    });
    const expected = sudoPasswordMessage('/usr/sbin/xl');
    assert.equal(expected, 'sudo asked for a password; allow `xl` without a password for this user (sudoers NOPASSWD for /usr/sbin/xl) or connect as root.');
    await rejectsWith(driver.list(), 'sudo-password', /^sudo asked for a password; allow `xl` without a password/);
    await assert.rejects(driver.pause('pvtest'), (error: unknown) => error instanceof UserError && error.message === expected);
  });

  test('the detection probe runs in a real login shell: not root, and no toolstack here', { skip }, async () => {
    await rejectsWith(detectToolstack(connection), 'no-toolstack', /Neither xl nor xm is installed/);
  });
});
