// ~/.ssh/config resolution: where `ssh alias` would go, and as whom.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseJumpSpec, resolveSshTarget, tokenizeLine } from '../../../main/ssh/config';

const home = '/home/ana';
const configText = `
# global defaults come first in many configs, but the first obtained value still wins
Host dom0
    HostName 192.168.1.20
    User root
    Port 2222
    IdentityFile ~/.ssh/xen_ed25519
    IdentityFile %d/.ssh/backup_key

Host *.lab !bad.lab
    User labuser
    HostName %h.internal

Host bastion
    HostName bastion.example.net
    User jump
    Port 2200

Host behind
    HostName 10.0.0.5
    ProxyJump bastion

Host chain
    HostName 10.0.0.9
    ProxyJump admin@first.example.net:2022,bastion

Host nojump
    ProxyJump none

Match host dom0 exec "false"
    User matched-should-not-apply

Host dom?
    User wildcard-user
    Port 9999

Host=eqform
    HostName="quoted host"

Host *
    User fallback
    IdentityFile ~/.ssh/id_common
`;

const options = { configText, homeDir: home, defaultUser: 'ana' };

describe('resolveSshTarget', () => {
  test('an alias: HostName, User, Port and every IdentityFile, first value winning', () => {
    const target = resolveSshTarget('dom0', options);
    assert.equal(target.host, '192.168.1.20');
    assert.equal(target.user, 'root');
    assert.equal(target.port, 2222);
    assert.deepEqual(target.identityFiles, ['/home/ana/.ssh/xen_ed25519', '/home/ana/.ssh/backup_key', '/home/ana/.ssh/id_common']);
    assert.deepEqual(target.proxyJump, []);
  });

  test('wildcards, negation and %h', () => {
    const target = resolveSshTarget('xen1.lab', options);
    assert.equal(target.host, 'xen1.lab.internal');
    assert.equal(target.user, 'labuser');
    const negated = resolveSshTarget('bad.lab', options);
    assert.equal(negated.host, 'bad.lab');
    assert.equal(negated.user, 'fallback');
    const question = resolveSshTarget('dom1', options);
    assert.equal(question.user, 'wildcard-user');
    assert.equal(question.port, 9999);
  });

  test('a Match block is skipped, never applied', () => {
    assert.notEqual(resolveSshTarget('dom0', options).user, 'matched-should-not-apply');
  });

  test('an unknown host keeps its name; user from user@host beats the config', () => {
    const target = resolveSshTarget('root@192.168.7.7:2201', { ...options, configText: '' });
    assert.deepEqual(target, { host: '192.168.7.7', port: 2201, user: 'root', identityFiles: [], proxyJump: [], alias: '192.168.7.7' });
    assert.equal(resolveSshTarget('plain.example', { ...options, configText: '' }).user, 'ana');
  });

  test('ProxyJump through another alias', () => {
    const target = resolveSshTarget('behind', options);
    assert.equal(target.host, '10.0.0.5');
    assert.equal(target.proxyJump.length, 1);
    assert.equal(target.proxyJump[0].host, 'bastion.example.net');
    assert.equal(target.proxyJump[0].user, 'jump');
    assert.equal(target.proxyJump[0].port, 2200);
  });

  test('ProxyJump chain with user@host:port, first hop first', () => {
    const target = resolveSshTarget('chain', options);
    assert.deepEqual(
      target.proxyJump.map((hop) => `${hop.user}@${hop.host}:${hop.port}`),
      ['admin@first.example.net:2022', 'jump@bastion.example.net:2200'],
    );
  });

  test('ProxyJump none means direct', () => {
    assert.deepEqual(resolveSshTarget('nojump', options).proxyJump, []);
  });

  test('a ProxyJump loop is reported, not followed forever', () => {
    const loop = 'Host a\n ProxyJump b\nHost b\n ProxyJump a\n';
    assert.throws(() => resolveSshTarget('a', { ...options, configText: loop }), /loops/);
  });

  test('Include reads another file through the given reader', () => {
    const files: Record<string, string> = { '/home/ana/.ssh/config.d/xen': 'Host inc\n  HostName 10.1.1.1\n  User incuser\n' };
    const target = resolveSshTarget('inc', {
      ...options,
      configText: 'Include config.d/xen\n',
      readFile: (path) => files[path],
    });
    assert.equal(target.host, '10.1.1.1');
    assert.equal(target.user, 'incuser');
    assert.equal(resolveSshTarget('inc', { ...options, configText: 'Include config.d/xen\n' }).host, 'inc', 'no reader: Include skipped');
  });

  test('Key=value form and quoted arguments', () => {
    assert.equal(resolveSshTarget('eqform', options).host, 'quoted host');
    assert.deepEqual(tokenizeLine('  IdentityFile "/a b/c" # trailing comment'), { keyword: 'identityfile', args: ['/a b/c'] });
  });
});

describe('parseJumpSpec', () => {
  test('forms OpenSSH accepts', () => {
    assert.deepEqual(parseJumpSpec('host'), { user: undefined, host: 'host', port: undefined });
    assert.deepEqual(parseJumpSpec('u@host:22'), { user: 'u', host: 'host', port: 22 });
    assert.deepEqual(parseJumpSpec('ssh://u@host:2022'), { user: 'u', host: 'host', port: 2022 });
    assert.deepEqual(parseJumpSpec('[fe80::1]:2222'), { user: undefined, host: 'fe80::1', port: 2222 });
  });
});
