// known_hosts parsing and lookup, on files written and hashed by the real ssh-keygen.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KnownHosts, fingerprint, keyTypeOfBlob, parseKnownHosts } from '../../../main/ssh/known-hosts';

let dir: string;
const keys: Record<string, { line: string; type: string; blob: Buffer; path: string }> = {};

function makeKey(name: string, type: string): void {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim();
  const [keyType, base64] = line.split(' ');
  keys[name] = { line: `${keyType} ${base64}`, type: keyType, blob: Buffer.from(base64, 'base64'), path: `${path}.pub` };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-kh-'));
  makeKey('a_ed', 'ed25519');
  makeKey('b_ed', 'ed25519');
  makeKey('a_rsa', 'rsa');
  makeKey('a_ecdsa', 'ecdsa');
  makeKey('ca', 'ed25519');
  makeKey('bad', 'ed25519');
});
after(() => rmSync(dir, { recursive: true, force: true }));

// ssh-keygen -H refuses a file with a malformed line, so the junk line goes only in the plain one.
function writePlainFile(withJunk = true): string {
  const file = join(dir, 'known_hosts');
  writeFileSync(
    file,
    [
      '# a comment line',
      '',
      `dom0.example.com,192.0.2.10 ${keys.a_ed.line} root@dom0`,
      `[dom0.example.com]:2222 ${keys.b_ed.line}`,
      `dom0.example.com ${keys.a_rsa.line}`,
      `*.lan,!printer.lan ${keys.a_ecdsa.line}`,
      `@cert-authority *.example.com ${keys.ca.line}`,
      `@revoked * ${keys.bad.line}`,
      ...(withJunk ? ['this line is not a key entry'] : []),
      '',
    ].join('\n'),
  );
  return file;
}

describe('fingerprint', () => {
  test('equals ssh-keygen -lf for ed25519, rsa and ecdsa keys', () => {
    for (const name of ['a_ed', 'a_rsa', 'a_ecdsa']) {
      const printed = execFileSync('ssh-keygen', ['-lf', keys[name].path], { encoding: 'utf8' }).split(' ')[1];
      assert.equal(fingerprint(keys[name].blob), printed);
    }
  });

  test('key type comes from the blob itself', () => {
    assert.equal(keyTypeOfBlob(keys.a_ed.blob), 'ssh-ed25519');
    assert.equal(keyTypeOfBlob(keys.a_rsa.blob), 'ssh-rsa');
    assert.equal(keyTypeOfBlob(keys.a_ecdsa.blob), 'ecdsa-sha2-nistp256');
  });
});

describe('parseKnownHosts', () => {
  test('reads plain, bracketed, marked entries and skips comments and junk', () => {
    const entries = parseKnownHosts(readFileSync(writePlainFile(), 'utf8'), 'kh');
    assert.equal(entries.length, 6);
    assert.deepEqual(entries[0].patterns, ['dom0.example.com', '192.0.2.10']);
    assert.equal(entries[0].line, 3);
    assert.deepEqual(entries[1].patterns, ['[dom0.example.com]:2222']);
    assert.equal(entries[4].marker, 'cert-authority');
    assert.equal(entries[5].marker, 'revoked');
  });
});

for (const variant of ['plain', 'hashed by ssh-keygen -H'] as const) {
  describe(`KnownHosts.check on a ${variant} file`, () => {
    let file: string;
    before(() => {
      const plain = writePlainFile(variant === 'plain');
      file = join(dir, variant === 'plain' ? 'kh_plain' : 'kh_hashed');
      copyFileSync(plain, file);
      if (variant !== 'plain') {
        execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
        assert.match(readFileSync(file, 'utf8'), /^\|1\|/m, 'ssh-keygen wrote hashed entries');
      }
    });
    const knownHosts = () => new KnownHosts({ readOnlyFiles: [file], storeFile: join(dir, `store-${variant.length}`) });

    test('a listed key is known, by name and by address', () => {
      assert.deepEqual(knownHosts().check('dom0.example.com', 22, 'ssh-ed25519', keys.a_ed.blob), { status: 'known' });
      assert.deepEqual(knownHosts().check('192.0.2.10', 22, 'ssh-ed25519', keys.a_ed.blob), { status: 'known' });
      assert.deepEqual(knownHosts().check('dom0.example.com', 22, 'ssh-rsa', keys.a_rsa.blob), { status: 'known' });
    });

    test('another port is another host', () => {
      assert.deepEqual(knownHosts().check('dom0.example.com', 2222, 'ssh-ed25519', keys.b_ed.blob), { status: 'known' });
      const changed = knownHosts().check('dom0.example.com', 2222, 'ssh-ed25519', keys.a_ed.blob);
      assert.equal(changed.status, 'changed');
    });

    test('a different key of a recorded type is changed, with the file and line of the old one', () => {
      const result = knownHosts().check('dom0.example.com', 22, 'ssh-ed25519', keys.b_ed.blob);
      assert.equal(result.status, 'changed');
      if (result.status !== 'changed') return;
      assert.equal(result.file, file);
      assert.equal(result.knownKeyType, 'ssh-ed25519');
      assert.equal(result.knownFingerprint, fingerprint(keys.a_ed.blob));
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.ok(lines[result.line - 1].includes(keys.a_ed.line.split(' ')[1]), 'the reported line holds the old key');
    });

    test('a key of a type not recorded for the host is unknown (types coexist)', () => {
      assert.deepEqual(knownHosts().check('192.0.2.10', 22, 'ecdsa-sha2-nistp256', keys.a_ecdsa.blob), { status: 'unknown' });
      assert.deepEqual(knownHosts().check('elsewhere.example.org', 22, 'ssh-ed25519', keys.a_ed.blob), { status: 'unknown' });
    });

    test('@cert-authority lines never make a host key known', () => {
      assert.deepEqual(knownHosts().check('x.example.com', 22, 'ssh-ed25519', keys.ca.blob), { status: 'unknown' });
    });

    test('@revoked keys are refused', () => {
      assert.equal(knownHosts().check('anything', 22, 'ssh-ed25519', keys.bad.blob).status, 'revoked');
    });

    if (variant === 'plain') {
      test('wildcards and negation', () => {
        assert.deepEqual(knownHosts().check('nas.lan', 22, 'ecdsa-sha2-nistp256', keys.a_ecdsa.blob), { status: 'known' });
        assert.deepEqual(knownHosts().check('printer.lan', 22, 'ecdsa-sha2-nistp256', keys.a_ecdsa.blob), { status: 'unknown' });
      });
    }
  });
}

describe('KnownHosts.remember', () => {
  test('appends a hashed entry that Hearth and ssh-keygen -F both find', () => {
    const store = join(dir, 'hearth', 'known_hosts');
    const knownHosts = new KnownHosts({ readOnlyFiles: [join(dir, 'missing')], storeFile: store });
    assert.equal(knownHosts.check('10.0.0.5', 2200, 'ssh-ed25519', keys.a_ed.blob).status, 'unknown');
    knownHosts.remember('10.0.0.5', 2200, 'ssh-ed25519', keys.a_ed.blob);
    knownHosts.remember('10.0.0.6', 22, 'ssh-rsa', keys.a_rsa.blob);
    assert.deepEqual(knownHosts.check('10.0.0.5', 2200, 'ssh-ed25519', keys.a_ed.blob), { status: 'known' });
    assert.deepEqual(knownHosts.check('10.0.0.6', 22, 'ssh-rsa', keys.a_rsa.blob), { status: 'known' });
    const text = readFileSync(store, 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 2);
    assert.doesNotMatch(text, /10\.0\.0\.5/, 'the host name is stored hashed');
    const found = execFileSync('ssh-keygen', ['-F', '[10.0.0.5]:2200', '-f', store], { encoding: 'utf8' });
    assert.ok(found.includes(keys.a_ed.line.split(' ')[1]), 'ssh-keygen finds the remembered key');
  });
});
