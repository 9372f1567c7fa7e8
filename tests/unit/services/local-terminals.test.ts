// The system ssh's command line is built by Hearth from the saved host, one argv element per
// value, and refuses values ssh would read as options. A node-pty that does not load turns into
// a message that says what to do, not a crash.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../common/rpc/index';
import { LocalTerminals, systemSshArgv } from '../../../main/services/local-terminals';

describe('systemSshArgv', () => {
  test('an address: port, user, identity, then -- and the host last', () => {
    assert.deepEqual(systemSshArgv({ address: 'xen.example', port: 2222, user: 'admin', identityFile: '/home/a/.ssh/id_ed25519' }), [
      '-t',
      '-p',
      '2222',
      '-l',
      'admin',
      '-i',
      '/home/a/.ssh/id_ed25519',
      '--',
      'xen.example',
    ]);
  });

  test('an address without a user logs in as root, like Hearth itself', () => {
    assert.deepEqual(systemSshArgv({ address: '192.0.2.7' }), ['-t', '-l', 'root', '--', '192.0.2.7']);
  });

  test('an alias leaves user, port and jumps to ~/.ssh/config unless saved', () => {
    assert.deepEqual(systemSshArgv({ sshAlias: 'dom0', address: 'ignored' }), ['-t', '--', 'dom0']);
    assert.deepEqual(systemSshArgv({ sshAlias: 'dom0', user: 'me' }), ['-t', '-l', 'me', '--', 'dom0']);
  });

  test('a jump host and extra options, each its own element, before the host', () => {
    assert.deepEqual(systemSshArgv({ address: 'inner', user: 'root', jump: 'me@bastion:2200' }, ['-o', 'BatchMode=yes']), [
      '-t',
      '-o',
      'BatchMode=yes',
      '-l',
      'root',
      '-J',
      'me@bastion:2200',
      '--',
      'inner',
    ]);
  });

  test('spaces and shell characters stay inside one element', () => {
    const argv = systemSshArgv({ address: 'h', user: 'root', identityFile: '/keys/my key; rm -rf ~' });
    assert.equal(argv[argv.indexOf('-i') + 1], '/keys/my key; rm -rf ~');
  });

  test('values ssh would read as options, or with control characters, are refused', () => {
    assert.throws(() => systemSshArgv({ address: '-oProxyCommand=touch /tmp/x' }), UserError);
    assert.throws(() => systemSshArgv({ address: 'h', user: '-oProxyCommand=x' }), /starts with "-"/);
    assert.throws(() => systemSshArgv({ address: 'h', identityFile: '-F/tmp/evil' }), /starts with "-"/);
    assert.throws(() => systemSshArgv({ address: 'h', jump: '-oProxyCommand=x' }), /starts with "-"/);
    assert.throws(() => systemSshArgv({ address: 'h\nLocalCommand x' }), /control characters/);
    assert.throws(() => systemSshArgv({}), /neither an address nor an ssh alias/);
  });
});

describe('LocalTerminals', () => {
  test('a node-pty that does not load says so and what to do', async () => {
    const local = new LocalTerminals(async () => {
      throw new Error('no hosts here');
    }, { ptyModule: 'hearth-no-such-native-module' });
    await assert.rejects(local.spawn({ program: 'shell' }, { cols: 80, rows: 24 }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'unavailable');
      assert.match(error.message, /Local terminals are not available: node-pty .* did not load/);
      assert.match(error.message, /npm rebuild node-pty/);
      return true;
    });
  });

  test('the demo host has nothing for ssh to reach', async () => {
    const local = new LocalTerminals(async (id) => ({ id, name: 'Demo', demo: true }));
    await assert.rejects(local.spawn({ program: 'ssh', hostId: 'demo' }, { cols: 80, rows: 24 }), /demo host is a simulation/);
  });
});
