import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createXentopParser, type XentopFrame } from '../../../common/xen/index';
import { lab } from './fixtures';

function parseAll(text: string, chunk = Infinity): XentopFrame[] {
  const p = createXentopParser();
  const frames: XentopFrame[] = [];
  for (let i = 0; i < text.length; i += chunk === Infinity ? text.length : chunk) {
    frames.push(...p.push(text.slice(i, i + (chunk === Infinity ? text.length : chunk))));
  }
  return [...frames, ...p.flush()];
}

test('xentop -b -i 3 -d 1 with Domain-0 only: three frames, CPU(%) 0 in the first', () => {
  const frames = parseAll(lab('dom0-only/xentop-b-i3-d1.txt'));
  assert.equal(frames.length, 3);
  for (const f of frames) assert.deepEqual(f.rows.map((r) => r.name), ['Domain-0']);
  const [first, second] = frames;
  assert.equal(first.rows[0].cpuPercent, 0);
  assert.equal(second.rows[0].cpuPercent, 25.0);
  assert.deepEqual(first.rows[0], {
    name: 'Domain-0', flags: '-----r', state: 'running', cpuSeconds: 31, cpuPercent: 0,
    memKiB: 786432, memPercent: 37.5, maxMemKiB: 786432, maxMemPercent: 37.5, vcpus: 2, nets: 0,
    netTxKiB: 0, netRxKiB: 0, vbds: 0, vbdOo: 0, vbdRd: 0, vbdWr: 0, vbdRsect: 0, vbdWsect: 0, ssid: 0,
  });
});

test('xentop -b -f with the guests running: rows, states in d s b c p r order, memory', () => {
  const frames = parseAll(lab('guests-running/xentop-b-f-i3-d1.txt'));
  assert.equal(frames.length, 3);
  assert.deepEqual(frames[0].rows.map((r) => [r.name, r.flags, r.state]), [
    ['Domain-0', '-----r', 'running'],
    ['hvmtest', '------', 'running'],
    ['pvtest', '--b---', 'blocked'],
  ]);
  assert.deepEqual(frames[2].rows.map((r) => r.state), ['running', 'running', 'running']); // '-----r', '-----r', '------'
  const pv = frames[0].rows[2];
  assert.equal(pv.memKiB, 96 * 1024);
  assert.equal(pv.maxMemKiB, 99328);
  assert.equal(pv.nets, 1);
  const hvm = frames[0].rows[1];
  assert.equal(hvm.nets, 2); // the emulated e1000 and its PV twin
  assert.equal(frames[1].rows[1].cpuPercent, 35.6);
  assert.equal(frames[2].rows[0].cpuSeconds, 157);
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
