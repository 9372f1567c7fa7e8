// unifiedDiff against GNU diff -u (the real tool, on this machine) on edits of a real config file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from '../../../common/text/diff';

const original = readFileSync(new URL('../../fixtures/xm/xmexample.hvm', import.meta.url), 'utf8');

function gnuDiff(a: string, b: string, context = 3): string {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-diff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    try {
      return execFileSync('diff', [`-U${context}`, '--label', 'a', '--label', 'b', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    } catch (err) {
      const e = err as { status?: number; stdout?: string };
      if (e.status === 1 && typeof e.stdout === 'string') return e.stdout;
      throw err;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = original.split('\n');
const edits: [string, string][] = [
  ['one value changed', original.replace('memory = 128', 'memory = 512')],
  ['a line added at the end', `${original}vcpus = 2\n`],
  ['lines removed in two places', lines.filter((_, i) => i !== 10 && i !== 11 && i !== 150).join('\n')],
  ['first line removed', lines.slice(1).join('\n')],
  ['final newline removed', original.slice(0, -1)],
  ['everything replaced', 'name = "x"\n'],
];

test('identical texts give an empty diff', () => {
  assert.equal(unifiedDiff(original, original, { fromName: 'a', toName: 'b' }), '');
});

for (const [what, edited] of edits) {
  test(`same output as diff -u: ${what}`, () => {
    assert.equal(unifiedDiff(original, edited, { fromName: 'a', toName: 'b' }), gnuDiff(original, edited));
  });
}

test('context option: diff -U1', () => {
  const edited = original.replace("serial='pty'", "serial='none'");
  assert.equal(unifiedDiff(original, edited, { fromName: 'a', toName: 'b', context: 1 }), gnuDiff(original, edited, 1));
});

test('from an empty file', () => {
  assert.equal(unifiedDiff('', 'memory = 512\n', { fromName: 'a', toName: 'b' }), gnuDiff('', 'memory = 512\n'));
});
