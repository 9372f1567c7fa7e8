import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXlList, parseXlListVerbose, parseXlUptime, parseXlListLong, stateFromFlags } from '../../../common/xen/index';
import { lab } from './fixtures';

test('xl list with Domain-0 only', () => {
  const rows = parseXlList(lab('dom0-only/xl-list.txt'));
  assert.equal(rows.length, 1);
  assert.deepEqual({ ...rows[0], cpuSeconds: 0 }, {
    name: 'Domain-0', id: 0, memMiB: 768, vcpus: 2, flags: 'r-----', state: 'running', cpuSeconds: 0,
  });
  assert.ok(rows[0].cpuSeconds > 0);
});

test('xl list with the PV and HVM guests running', () => {
  const rows = parseXlList(lab('guests-running/xl-list.txt'));
  assert.deepEqual(rows.map((r) => [r.name, r.id, r.memMiB, r.vcpus, r.flags, r.state]), [
    ['Domain-0', 0, 768, 2, 'r-----', 'running'],
    ['pvtest', 1, 96, 1, 'r-----', 'running'],
    // on no CPU and not blocked: runnable, waiting for a CPU
    ['hvmtest', 2, 128, 1, '------', 'running'],
  ]);
  // memory agrees with the guests' config files (memory = 96 / 128)
  assert.match(lab('config/pvtest.cfg'), /^memory = 96$/m);
  assert.match(lab('config/hvmtest.cfg'), /^memory = 128$/m);
  assert.equal(rows[2].cpuSeconds, 6.5);
});

test('xl list: paused guest, one domain by name, after shutdown and destroy', () => {
  const paused = parseXlList(lab('guests-running/xl-list-paused.txt'));
  assert.equal(paused.find((r) => r.name === 'pvtest')?.flags, '--p---');
  assert.equal(paused.find((r) => r.name === 'pvtest')?.state, 'paused');
  const one = parseXlList(lab('guests-running/xl-list-pvtest.txt'));
  assert.deepEqual(one.map((r) => [r.name, r.id, r.state]), [['pvtest', 1, 'blocked']]);
  assert.deepEqual(parseXlList(lab('host/xl-list-dom0-by-name.txt')).map((r) => r.name), ['Domain-0']);
  assert.deepEqual(parseXlList(lab('guests-running/xl-list-after-stop.txt')).map((r) => r.name), ['Domain-0']);
  assert.deepEqual(parseXlList(lab('host/xl-list-unknown-domain.txt')), []);
});

test('state letters: precedence dying > crashed > shutdown > paused > running > blocked', () => {
  // letters as printed by xl_info.c list_domains: r b p s <shutdown reason from "-rscwS"> d
  assert.equal(stateFromFlags('-b----'), 'blocked');
  assert.equal(stateFromFlags('r-----'), 'running');
  assert.equal(stateFromFlags('--p---'), 'paused');
  assert.equal(stateFromFlags('-b-p--'), 'unknown'); // not a valid xl state string
  assert.equal(stateFromFlags('---s--'), 'shutdown'); // poweroff
  assert.equal(stateFromFlags('---sr-'), 'shutdown'); // reboot
  assert.equal(stateFromFlags('---sc-'), 'crashed');
  assert.equal(stateFromFlags('---scd'), 'dying');
  assert.equal(stateFromFlags('--ps--'), 'shutdown');
});

test('xl list -v: UUIDs agree with xl list -l; no reason code or label while running', () => {
  const rows = parseXlListVerbose(lab('guests-running/xl-list-v.txt'));
  const long = parseXlListLong(lab('guests-running/xl-list-l.txt'));
  assert.deepEqual(rows.map((r) => r.name), ['Domain-0', 'pvtest', 'hvmtest']);
  assert.equal(rows[0].uuid, '00000000-0000-0000-0000-000000000000');
  assert.equal(rows[1].uuid, long.find((d) => d.name === 'pvtest')?.uuid);
  assert.equal(rows[2].uuid, long.find((d) => d.name === 'hvmtest')?.uuid);
  for (const r of rows) {
    assert.equal(r.shutdownReasonCode, null);
    assert.equal(r.securityLabel, null);
  }
  assert.deepEqual(parseXlListVerbose(lab('dom0-only/xl-list-v.txt')).map((r) => [r.name, r.id, r.memMiB]), [['Domain-0', 0, 768]]);
});

test('xl uptime', () => {
  assert.deepEqual(parseXlUptime(lab('dom0-only/xl-uptime.txt')), [{ name: 'Domain-0', id: 0, uptimeSeconds: 40 }]);
  assert.deepEqual(parseXlUptime(lab('guests-running/xl-uptime.txt')), [
    { name: 'Domain-0', id: 0, uptimeSeconds: 152 },
    { name: 'pvtest', id: 1, uptimeSeconds: 104 },
    { name: 'hvmtest', id: 2, uptimeSeconds: 84 },
  ]);
});
