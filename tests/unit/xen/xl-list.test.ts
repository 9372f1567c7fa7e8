import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXlList, parseXlListVerbose, parseXlUptime, parseXlListLong, stateFromFlags, parseConfig, parseXlInfo } from '../../../common/xen/index';
import { lab, rawColumn, vcpuSecondsByDomain, liveStateOfXlFlags } from './fixtures';

const XL_HEADER = /^Name\s+ID\s/;

test('xl list with Domain-0 only', () => {
  const rows = parseXlList(lab('dom0-only/xl-list.txt'));
  assert.equal(rows.length, 1);
  assert.deepEqual({ ...rows[0], cpuSeconds: 0 }, {
    name: 'Domain-0', id: 0, memMiB: 768, vcpus: 2, flags: 'r-----', state: 'running', cpuSeconds: 0,
  });
  assert.ok(rows[0].cpuSeconds > 0);
});

test('xl list with the PV and HVM guests running', () => {
  const text = lab('guests-running/xl-list.txt');
  const rows = parseXlList(text);
  const pv = parseConfig(lab('config/pvtest.cfg')).values();
  const hvm = parseConfig(lab('config/hvmtest.cfg')).values();
  const cmdline = parseXlInfo(lab('guests-running/xl-info.txt')).xen_commandline;
  const dom0MemMiB = Number(/dom0_mem=(\d+)M/.exec(cmdline)?.[1]);
  const dom0Vcpus = Number(/dom0_max_vcpus=(\d+)/.exec(cmdline)?.[1]);
  // names, IDs (created in this order; `xl domid hvmtest` says 2), memory and vCPUs from the
  // guests' config files and Xen's command line
  assert.equal(lab('guests-running/xl-domid-hvmtest.txt').trim(), '2');
  assert.deepEqual(rows.map((r) => [r.name, r.id, r.memMiB, r.vcpus]), [
    ['Domain-0', 0, dom0MemMiB, dom0Vcpus],
    [pv.name, 1, pv.memory, pv.vcpus],
    [hvm.name, 2, hvm.memory, hvm.vcpus],
  ]);
  assert.deepEqual([pv.name, pv.memory, hvm.name, hvm.memory], ['pvtest', 96, 'hvmtest', 128]);
  // the letters and the time are the columns as printed; the state is what the letters say
  assert.deepEqual(rows.map((r) => r.flags), rawColumn(text, 'State', XL_HEADER));
  assert.deepEqual(rows.map((r) => r.cpuSeconds), rawColumn(text, 'Time(s)', XL_HEADER).map(Number));
  for (const r of rows) assert.equal(r.state, liveStateOfXlFlags(r.flags), `${r.name} ${r.flags}`);
  // xl itself runs on Domain-0, so Domain-0 is on a CPU while it lists
  assert.equal(rows[0].flags[0], 'r');
  // CPU time only grows: xl list ran before xl list -v, which ran before xl vcpu-list
  const verbose = parseXlListVerbose(lab('guests-running/xl-list-v.txt'));
  const vcpu = vcpuSecondsByDomain(lab('guests-running/xl-vcpu-list.txt'));
  assert.deepEqual([...vcpu.keys()], rows.map((r) => `${r.name}/${r.id}`));
  for (const r of rows) {
    const later = verbose.find((v) => v.name === r.name && v.id === r.id);
    assert.ok(later && r.cpuSeconds <= later.cpuSeconds, `${r.name}: ${r.cpuSeconds} then ${later?.cpuSeconds}`);
    assert.ok(later.cpuSeconds <= (vcpu.get(`${r.name}/${r.id}`) ?? 0) + 0.1, `${r.name}: vcpu-list`);
  }
});

test('xl list: paused guest, one domain by name, after shutdown and destroy', () => {
  const paused = parseXlList(lab('guests-running/xl-list-paused.txt'));
  assert.equal(paused.find((r) => r.name === 'pvtest')?.flags, '--p---');
  assert.equal(paused.find((r) => r.name === 'pvtest')?.state, 'paused');
  const one = parseXlList(lab('guests-running/xl-list-pvtest.txt'));
  assert.deepEqual(one.map((r) => [r.name, r.id]), [['pvtest', 1]]);
  assert.deepEqual(one.map((r) => r.flags), rawColumn(lab('guests-running/xl-list-pvtest.txt'), 'State', XL_HEADER));
  assert.equal(one[0].state, liveStateOfXlFlags(one[0].flags));
  assert.deepEqual(parseXlList(lab('host/xl-list-dom0-by-name.txt')).map((r) => r.name), ['Domain-0']);
  assert.deepEqual(parseXlList(lab('guests-running/xl-list-after-stop.txt')).map((r) => r.name), ['Domain-0']);
  assert.deepEqual(parseXlList(lab('host/xl-list-unknown-domain.txt')), []);
});

test('state letters: precedence dying > crashed > shutdown > paused > running > blocked', () => {
  // letters as printed by xl_info.c list_domains: r b p s <shutdown reason from "-rscwS"> d
  assert.equal(stateFromFlags('-b----'), 'blocked');
  assert.equal(stateFromFlags('r-----'), 'running');
  assert.equal(stateFromFlags('--p---'), 'paused');
  assert.equal(stateFromFlags('------'), 'running'); // runnable, waiting for a CPU (the lab's HVM guest)
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

test('xl uptime: the domains of xl list, H:MM:SS in seconds, in creation order', () => {
  const uptimes = new Map<string, number>();
  for (const state of ['dom0-only', 'guests-running']) {
    const text = lab(`${state}/xl-uptime.txt`);
    const up = parseXlUptime(text);
    const list = parseXlList(lab(`${state}/xl-list.txt`));
    assert.deepEqual(up.map((u) => [u.name, u.id]), list.map((r) => [r.name, r.id]), state);
    // the printed H:MM:SS, read here on its own
    const printed = rawColumn(text, 'Uptime', /^Name\s+ID\s+Uptime/).map((hms) => {
      const [h, m, s] = hms.split(':').map(Number);
      return h * 3600 + m * 60 + s;
    });
    assert.deepEqual(up.map((u) => u.uptimeSeconds), printed, state);
    for (const u of up) {
      assert.ok(Number.isInteger(u.uptimeSeconds) && u.uptimeSeconds > 0, `${state} ${u.name}`);
      // xl list ran just before: a domain cannot have used more CPU than uptime x vCPUs
      const r = list.find((l) => l.id === u.id);
      assert.ok(r && r.cpuSeconds <= r.vcpus * u.uptimeSeconds, `${state} ${u.name}: ${r?.cpuSeconds}s CPU`);
      uptimes.set(`${state}/${u.name}`, u.uptimeSeconds);
    }
  }
  // Domain-0 booted first, then pvtest was created, then hvmtest; the dom0-only capture came first
  const get = (k: string): number => uptimes.get(k) ?? NaN;
  assert.ok(get('guests-running/Domain-0') > get('guests-running/pvtest'));
  assert.ok(get('guests-running/pvtest') > get('guests-running/hvmtest'));
  assert.ok(get('guests-running/Domain-0') > get('dom0-only/Domain-0'));
});
