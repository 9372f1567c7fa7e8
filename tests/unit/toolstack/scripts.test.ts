// The driver's host-side shell scripts (inventory, atomic write, autostart links) run by a real
// /bin/sh on real files in a temp folder: the same script text the driver sends over SSH, with
// the folders passed as arguments. The sudo and xl-failure wording is checked against the exact
// text sudo and xl print.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../../common/rpc/index';
import { run } from '../../lab/harness';
import type { ExecOptions, ExecResult, Executor } from '../../../main/toolstack/executor';
import { AUTOSTART_SCRIPT, WRITE_SCRIPT, sha256Hex } from '../../../main/toolstack/files';
import { INVENTORY_SCRIPT, MAX_CONFIG_BYTES, buildInventory, parseInventoryOutput } from '../../../main/toolstack/inventory';
import { describeFailure } from '../../../main/toolstack/failures';
import { createDriver } from '../../../main/toolstack/driver';
import { HostShell, sudoPasswordMessage } from '../../../main/toolstack/host-shell';

/** Runs argv on this machine with no shell in between: argv[0] is the program. */
const local: Executor = {
  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const input = options.stdin === undefined ? undefined : typeof options.stdin === 'string' ? options.stdin : Buffer.from(options.stdin).toString('utf8');
    return run(argv[0], argv.slice(1), { input, timeoutMs: 30_000 });
  },
};

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hearth-scripts-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function fresh(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('inventory script', () => {
  test('lists configs, leaves out non-configs, samples, scripts and big files, and reads auto/', async () => {
    const xen = fresh('inv');
    writeFileSync(path.join(xen, 'web.cfg'), 'name = "web"\ntype = "pv"\nkernel = "/k"\n');
    writeFileSync(path.join(xen, 'legacy'), '# no extension\nname = "legacy"\nbuilder = "hvm"\n');
    writeFileSync(path.join(xen, 'noname.cfg'), 'memory = 128\n');
    writeFileSync(path.join(xen, 'with space.cfg'), "name = 'spaced'\ndisk = [ 'file:/x,xvda,w' ]\n");
    writeFileSync(path.join(xen, 'notes.txt'), 'just some notes\n');
    writeFileSync(path.join(xen, 'cpupool'), 'name = "pool"\nsched = "credit"\n');
    writeFileSync(path.join(xen, 'xl.conf'), 'name = "x"\ntype = "pv"\n');
    writeFileSync(path.join(xen, 'xlexample.hvm'), 'name = "example.hvm"\ntype = "hvm"\n');
    writeFileSync(path.join(xen, 'web.cfg.hearth-bak-20261122-101500'), 'name = "web"\ntype = "pv"\n');
    writeFileSync(path.join(xen, 'huge.cfg'), `name = "huge"\ntype = "pv"\n#${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    writeFileSync(path.join(xen, 'hook'), '#!/bin/sh\nname = "hook"\ntype = "pv"\n');
    chmodSync(path.join(xen, 'hook'), 0o755);
    mkdirSync(path.join(xen, 'scripts'));
    mkdirSync(path.join(xen, 'auto'));
    symlinkSync(path.join(xen, 'web.cfg'), path.join(xen, 'auto', 'web.cfg'));
    symlinkSync('../with space.cfg', path.join(xen, 'auto', 'spaced.cfg'));
    symlinkSync('/nonexistent/gone.cfg', path.join(xen, 'auto', 'gone.cfg'));
    writeFileSync(path.join(xen, 'auto', 'boot-only.cfg'), 'name = "bootonly"\ntype = "pvh"\nkernel = "/k"\n');

    const nonce = 'hearth-test-nonce';
    const r = await local.exec(['sh', '-c', INVENTORY_SCRIPT, 'hearth-inventory', xen, nonce, String(MAX_CONFIG_BYTES)]);
    assert.equal(r.code, 0, r.stderr);
    const inventory = buildInventory(parseInventoryOutput(r.stdout, nonce));
    assert.deepEqual(
      inventory.map((c) => [c.name, path.relative(xen, c.path), c.autostart]),
      [
        ['bootonly', 'auto/boot-only.cfg', true],
        ['legacy', 'legacy', false],
        ['noname', 'noname.cfg', false],
        ['spaced', 'with space.cfg', true],
        ['web', 'web.cfg', true],
      ],
    );
  });

  test('a file whose text holds what looks like framing lines is read whole', async () => {
    const xen = fresh('inv-tricky');
    writeFileSync(path.join(xen, 'a.cfg'), 'name = "a"\ntype = "pv"\n\tE\nF\tfake\n');
    const r = await local.exec(['sh', '-c', INVENTORY_SCRIPT, 'hearth-inventory', xen, 'n0nce', String(MAX_CONFIG_BYTES)]);
    const raw = parseInventoryOutput(r.stdout, 'n0nce');
    assert.equal(raw.files.length, 1);
    assert.equal(raw.files[0].text, 'name = "a"\ntype = "pv"\n\tE\nF\tfake');
  });
});

describe('atomic write script', () => {
  test('replaces the file, keeps a backup and the mode, leaves no temp file; refuses a stale hash', async () => {
    const d = fresh('write');
    const file = path.join(d, 'vm.cfg');
    writeFileSync(file, 'name = "vm"\nmemory = 256\n');
    chmodSync(file, 0o640);
    const original = readFileSync(file, 'utf8');
    const shell = new HostShell(local, true);

    const r = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', file, sha256Hex(original)], { stdin: 'name = "vm"\nmemory = 512\n' });
    assert.equal(r.code, 0, r.stderr);
    const backup = r.stdout.trim();
    assert.match(path.basename(backup), /^vm\.cfg\.hearth-bak-\d{8}-\d{6}$/);
    assert.equal(readFileSync(backup, 'utf8'), original);
    assert.equal(readFileSync(file, 'utf8'), 'name = "vm"\nmemory = 512\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(d).sort(), ['vm.cfg', path.basename(backup)].sort());

    // A second write in the same second gets its own backup name.
    const current = readFileSync(file, 'utf8');
    const again = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', file, sha256Hex(current)], { stdin: 'name = "vm"\n' });
    assert.equal(again.code, 0, again.stderr);
    assert.notEqual(again.stdout.trim(), backup);

    const stale = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', file, sha256Hex(original)], { stdin: 'clobber\n' });
    assert.equal(stale.code, 10);
    assert.equal(readFileSync(file, 'utf8'), 'name = "vm"\n');
  });

  test('a new file: written when absent, refused when present', async () => {
    const d = fresh('create');
    const file = path.join(d, 'new.cfg');
    const shell = new HostShell(local, true);
    const r = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', file, 'absent'], { stdin: 'name = "new"\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(file, 'utf8'), 'name = "new"\n');
    const twice = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', file, 'absent'], { stdin: 'x' });
    assert.equal(twice.code, 12);
  });
});

describe('autostart script', () => {
  test('on makes a link named after the file; off removes only links to that config', async () => {
    const xen = fresh('auto-xen');
    const auto = path.join(xen, 'auto');
    const cfg = path.join(xen, 'vm.cfg');
    writeFileSync(cfg, 'name = "vm"\n');
    writeFileSync(path.join(xen, 'other.cfg'), 'name = "other"\n');
    const sh = (...args: string[]) => local.exec(['sh', '-c', AUTOSTART_SCRIPT, 'hearth-autostart', ...args]);

    assert.equal((await sh('on', cfg, auto)).code, 0);
    assert.equal(lstatSync(path.join(auto, 'vm.cfg')).isSymbolicLink(), true);
    assert.equal((await sh('on', cfg, auto)).code, 0, 'on twice is fine');

    symlinkSync(path.join(xen, 'other.cfg'), path.join(auto, 'keep.cfg'));
    symlinkSync(cfg, path.join(auto, 'also-vm.cfg'));
    assert.equal((await sh('off', cfg, auto)).code, 0);
    assert.deepEqual(readdirSync(auto), ['keep.cfg']);

    writeFileSync(path.join(auto, 'vm.cfg'), 'name = "vm"\n');
    assert.equal((await sh('off', cfg, auto)).code, 22, 'a real file in auto/ is not deleted');
    assert.equal((await sh('on', cfg, auto)).code, 22, 'nor replaced');
    assert.equal(readFileSync(path.join(auto, 'vm.cfg'), 'utf8'), 'name = "vm"\n');

    const otherLink = path.join(auto, 'other.cfg');
    symlinkSync(path.join(xen, 'vm.cfg'), otherLink);
    const conflict = await sh('on', path.join(xen, 'other.cfg'), auto);
    assert.equal(conflict.code, 21);
    assert.equal(conflict.stdout.trim(), path.join(xen, 'vm.cfg'));

    assert.equal((await sh('on', path.join(xen, 'missing.cfg'), auto)).code, 20);
  });
});

describe('sudo and xl failures', () => {
  /** A host where the login user is not root and sudo wants a password, printing what sudo prints. */
  const passwordSudo: Executor = {
    async exec(argv) {
      if (argv[0] === 'sh' && argv[1] === '-c') return { stdout: 'uid=1000\nxl=/usr/sbin/xl\nxm=\n', stderr: '', code: 0 };
      if (argv[0] === 'sudo') return { stdout: '', stderr: 'sudo: a password is required\n', code: 1 };
      return { stdout: '', stderr: `unexpected ${argv.join(' ')}`, code: 127 };
    },
  };

  test('a password prompt from sudo becomes the exact message saying what to change', async () => {
    const expected =
      'sudo asked for a password; allow `xl` without a password for this user (sudoers NOPASSWD for /usr/sbin/xl) or connect as root.';
    assert.equal(sudoPasswordMessage('/usr/sbin/xl'), expected);
    await assert.rejects(createDriver(passwordSudo, { user: 'admin' }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.code, 'sudo-password');
      assert.equal(error.message, expected);
      return true;
    });
  });

  test('toolstack commands go through sudo -n for a non-root login, and not for root', async () => {
    const seen: string[][] = [];
    const recording: Executor = {
      async exec(argv) {
        seen.push([...argv]);
        if (argv[0] === 'sh') return { stdout: 'uid=1000\nxl=/usr/sbin/xl\nxm=\n', stderr: '', code: 0 };
        return { stdout: 'xen_major              : 4\nxen_minor              : 17\n', stderr: '', code: 0 };
      },
    };
    await createDriver(recording, { user: 'admin' });
    assert.deepEqual(seen[1], ['sudo', '-n', '--', '/usr/sbin/xl', 'info']);
  });

  test('xl messages, as the real lab host prints them, become clear errors', () => {
    const cases: [string, string, object][] = [
      ['a; touch /tmp/pwned is an invalid domain identifier (rc=-6)\n', 'domain-not-found', { action: 'list', domain: 'a; touch /tmp/pwned' }],
      ['Failed to read config file: /etc/xen/nosuch.cfg: No such file or directory\n', 'config-missing', { action: 'create', configPath: '/etc/xen/nosuch.cfg' }],
      [
        'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 3:Domain with name "pvtest" already exists.\n',
        'name-in-use',
        { action: 'create' },
      ],
      ['Parsing config from /etc/xen/big.cfg\nfailed to free memory for the domain\n', 'not-enough-memory', { action: 'create' }],
    ];
    for (const [stderr, code, ctx] of cases) {
      const error = describeFailure('xl', ctx as never, { stdout: '', stderr, code: 1 });
      assert.equal(error.code, code, stderr);
      assert.ok(error.message.includes(stderr.trim().split('\n').pop()!), 'xl\'s own words are kept');
    }
    const named = describeFailure('xl', { action: 'create' }, {
      stdout: '',
      stderr: 'libxl: error: libxl_domain.c:81:libxl__domain_rename: Domain 3:Domain with name "pvtest" already exists.\n',
      code: 1,
    });
    assert.match(named.message, /^A domain named "pvtest" is already running/);
  });
});
