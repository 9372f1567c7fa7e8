import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createXentopParser, stateFromXentopFlags, parseXlList, parseXlInfo, parseConfig, type XentopFrame } from '../../../common/xen/index';
import { lab, rawColumn, vcpuSecondsByDomain, liveStateOfXentopFlags } from './fixtures';

const XENTOP_HEADER = /^\s*NAME\s+STATE\s/;

// What any capture of `xentop -b -i 3 -d 1` must show, checked against the other captures of the
// same state (taken in the order of commands.tsv: xl list, xl info, xentop, xl vcpu-list):
// CPU(%) is 0 in the first frame (no previous sample) and a finite number within 0..100 x vCPUs
// after; CPU(sec) never goes below xl list's earlier time nor above xl vcpu-list's later sum;
// MEM(k) is xl list's MiB; MEM(%) is MEM(k) of xl info's total_memory.
function checkAgainstOtherCaptures(state: string, text: string, frames: XentopFrame[]): void {
  const list = parseXlList(lab(`${state}/xl-list.txt`));
  const info = parseXlInfo(lab(`${state}/xl-info.txt`));
  const vcpu = vcpuSecondsByDomain(lab(`${state}/xl-vcpu-list.txt`));
  const totalKiB = Number(info.total_memory) * 1024;
  assert.ok(totalKiB > 0);
  assert.equal(frames.length, 3);
  // the numbers are the columns as printed (read here by whitespace)
  const all = frames.flatMap((f) => f.rows);
  assert.deepEqual(all.map((r) => r.cpuPercent), rawColumn(text, 'CPU(%)', XENTOP_HEADER).map(Number));
  assert.deepEqual(all.map((r) => r.cpuSeconds), rawColumn(text, 'CPU(sec)', XENTOP_HEADER).map(Number));
  assert.deepEqual(all.map((r) => r.flags), rawColumn(text, 'STATE', XENTOP_HEADER));
  frames.forEach((f, i) => {
    // xentop sorts by name; the same domains as xl list
    assert.deepEqual(f.rows.map((r) => r.name), list.map((r) => r.name).sort(), `frame ${i}`);
    for (const r of f.rows) {
      const l = list.find((x) => x.name === r.name);
      assert.ok(l, r.name);
      const where = `frame ${i} ${r.name}`;
      if (i === 0) assert.equal(r.cpuPercent, 0, where);
      else assert.ok(Number.isFinite(r.cpuPercent) && r.cpuPercent >= 0 && r.cpuPercent <= 100 * r.vcpus, `${where}: ${r.cpuPercent}`);
      assert.equal(r.vcpus, l.vcpus, where);
      assert.equal(Math.floor(r.memKiB / 1024), l.memMiB, where);
      assert.ok(Math.abs(r.memPercent - (100 * r.memKiB) / totalKiB) <= 0.06, `${where}: MEM(%) ${r.memPercent}`);
      assert.ok(r.cpuSeconds >= Math.floor(l.cpuSeconds - 0.05), `${where}: ${r.cpuSeconds}s after xl list's ${l.cpuSeconds}s`);
      const later = vcpu.get(`${r.name}/${l.id}`);
      assert.ok(later !== undefined && r.cpuSeconds <= later + 0.1, `${where}: ${r.cpuSeconds}s before vcpu-list's ${later}s`);
      if (i > 0) assert.ok(r.cpuSeconds >= (frames[i - 1].rows.find((p) => p.name === r.name)?.cpuSeconds ?? Infinity), where);
      assert.equal(r.state, liveStateOfXentopFlags(r.flags), `${where} ${r.flags}`);
    }
    // xentop runs on Domain-0: it is on a CPU in every frame
    assert.equal(f.rows.find((r) => r.name === 'Domain-0')?.flags, '-----r', `frame ${i}`);
  });
  // ... and so it used some CPU between the frames
  assert.ok(frames.slice(1).some((f) => (f.rows.find((r) => r.name === 'Domain-0')?.cpuPercent ?? 0) > 0));
}

function parseAll(text: string, chunk = Infinity): XentopFrame[] {
  const p = createXentopParser();
  const frames: XentopFrame[] = [];
  for (let i = 0; i < text.length; i += chunk === Infinity ? text.length : chunk) {
    frames.push(...p.push(text.slice(i, i + (chunk === Infinity ? text.length : chunk))));
  }
  return [...frames, ...p.flush()];
}

test('xentop -b -i 3 -d 1 with Domain-0 only: three frames, CPU(%) 0 in the first', () => {
  const text = lab('dom0-only/xentop-b-i3-d1.txt');
  const frames = parseAll(text);
  checkAgainstOtherCaptures('dom0-only', text, frames);
  for (const f of frames) assert.deepEqual(f.rows.map((r) => r.name), ['Domain-0']);
  const [first] = frames;
  // dom0_mem=768M,max:768M dom0_max_vcpus=2 on the lab's Xen command line; -m 2G for the machine
  assert.deepEqual({ ...first.rows[0], cpuSeconds: 0 }, {
    name: 'Domain-0', flags: '-----r', state: 'running', cpuSeconds: 0, cpuPercent: 0,
    memKiB: 786432, memPercent: 37.5, maxMemKiB: 786432, maxMemPercent: 37.5, vcpus: 2, nets: 0,
    netTxKiB: 0, netRxKiB: 0, vbds: 0, vbdOo: 0, vbdRd: 0, vbdWr: 0, vbdRsect: 0, vbdWsect: 0, ssid: 0,
  });
  assert.ok(first.rows[0].cpuSeconds > 0);
});

test('xentop -b -f with the guests running: rows, states in d s b c p r order, memory', () => {
  const text = lab('guests-running/xentop-b-f-i3-d1.txt');
  const frames = parseAll(text);
  checkAgainstOtherCaptures('guests-running', text, frames);
  for (const f of frames) assert.deepEqual(f.rows.map((r) => r.name), ['Domain-0', 'hvmtest', 'pvtest']);
  const pvCfg = parseConfig(lab('config/pvtest.cfg')).values();
  const hvmCfg = parseConfig(lab('config/hvmtest.cfg')).values();
  const pv = frames[0].rows[2];
  const hvm = frames[0].rows[1];
  assert.equal(pv.memKiB, Number(pvCfg.memory) * 1024); // 96 MiB
  // libxl sets maxmem to the target plus LIBXL_MAXMEM_CONSTANT (1 MiB)
  assert.equal(pv.maxMemKiB, Number(pvCfg.memory) * 1024 + 1024); // 99328
  assert.equal(hvm.maxMemKiB, Number(hvmCfg.memory) * 1024 + 1024);
  assert.equal(pv.nets, 1); // its one vif
  assert.equal(hvm.nets, 2); // the emulated e1000 and its PV twin
  // xentop's letters are d s b c p r: the third is blocked, the last running
  assert.equal(stateFromXentopFlags('--b---'), 'blocked');
  assert.equal(stateFromXentopFlags('-----r'), 'running');
  assert.equal(stateFromXentopFlags('------'), 'running');
});

test('xentop: a paused guest; same frames whatever the chunking of the stream', () => {
  const paused = parseAll(lab('guests-running/xentop-b-i1-paused.txt'));
  assert.equal(paused.length, 1);
  assert.equal(paused[0].rows.find((r) => r.name === 'pvtest')?.state, 'paused');
  const text = lab('guests-running/xentop-b-i3-d1.txt');
  const whole = parseAll(text);
  assert.deepEqual(parseAll(text, 1), whole);
  assert.deepEqual(parseAll(text, 37), whole);
});

test('xentop: a frame is complete when the next header arrives', () => {
  const text = lab('guests-running/xentop-b-i3-d1.txt');
  const p = createXentopParser();
  const headerAt = text.indexOf('NAME', 20);
  const secondHeader = text.lastIndexOf('\n', headerAt) + 1;
  assert.deepEqual(p.push(text.slice(0, secondHeader)), []); // first frame's rows, no next header yet
  const done = p.push(text.slice(secondHeader));
  assert.equal(done.length, 2);
  assert.equal(done[0].rows.length, 3);
  assert.equal(p.flush().length, 1);
});
