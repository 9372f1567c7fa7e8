// The quoting builder, checked with a real POSIX shell (dash, as /bin/sh on Debian): every
// argument must arrive as exactly one argument, byte for byte. The same check over the real
// sshd lives in tests/integration/ssh.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { UnsafeArgumentError, buildCommand, quoteArg } from '../../../common/shell/quote';

const HOSTILE = [
  'a; rm -rf /',
  '$(reboot)',
  '`reboot`',
  "it's",
  '"double"',
  "'; echo pwned; '",
  'line1\nline2',
  'tab\there',
  '*',
  '~',
  '',
  '-rf',
  '도메인',
  '\\',
  '$HOME',
  'a'.repeat(5000),
];

test('each hostile argument reaches the program as one argument, unchanged', () => {
  const line = buildCommand(['printf', '%s\\0', ...HOSTILE]);
  const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
  const args = out.split('\0').slice(0, -1);
  assert.deepEqual(args, HOSTILE);
});

test('plain words stay readable and everything else is single-quoted', () => {
  assert.equal(quoteArg('xl'), 'xl');
  assert.equal(quoteArg('/etc/xen/pv.cfg'), '/etc/xen/pv.cfg');
  assert.equal(quoteArg(''), "''");
  assert.equal(quoteArg("it's"), `'it'\\''s'`);
});

test('what no shell can carry is refused before anything is sent', () => {
  assert.throws(() => buildCommand(['xl', 'list', 'a\u0000b']), UnsafeArgumentError);
  assert.throws(() => buildCommand([]), UnsafeArgumentError);
});
