// The domain list joins `xl list` with the configs in /etc/xen, on output captured from the
// lab's real Xen 4.17 host (tests/fixtures/xen-4.17, see its README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseXlList } from '../../../common/xen/index';
import { buildInventory, mergeDomains } from '../../../main/toolstack/inventory';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/xen-4.17/${p}`, import.meta.url), 'utf8');
const rows = parseXlList(fixture('guests-running/xl-list.txt'));
const configs = buildInventory({
  files: ['hvmtest', 'pvtest'].map((n) => ({ path: `/etc/xen/${n}.cfg`, realPath: `/etc/xen/${n}.cfg`, text: fixture(`config/${n}.cfg`) })),
  auto: [],
});

test('a running domain whose own type is not known yet takes its config\'s type, not "unknown"', () => {
  assert.ok(rows.some((r) => r.name === 'hvmtest') && rows.some((r) => r.name === 'pvtest'), 'the capture has both guests running');
  const unknownYet = mergeDomains(rows, configs, () => 'unknown');
  assert.equal(unknownYet.find((d) => d.name === 'hvmtest')?.type, 'hvm');
  assert.equal(unknownYet.find((d) => d.name === 'pvtest')?.type, 'pv');
  assert.equal(unknownYet.find((d) => d.id === 0)?.type, 'pv');
});

test('what the running domain says about its type wins over its config', () => {
  const said = mergeDomains(rows, configs, (r) => (r.name === 'pvtest' ? 'pvh' : undefined));
  assert.equal(said.find((d) => d.name === 'pvtest')?.type, 'pvh');
  assert.equal(said.find((d) => d.name === 'hvmtest')?.type, 'hvm');
});

test('a domain with neither a type of its own nor a config stays "unknown"', () => {
  const alone = mergeDomains(rows, [], () => undefined);
  assert.equal(alone.find((d) => d.name === 'hvmtest')?.type, 'unknown');
});
