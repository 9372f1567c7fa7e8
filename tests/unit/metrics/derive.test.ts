// Samples derived from real xentop streams captured on the lab host (tests/fixtures/xen-4.17/
// xentop-captures.md), fed through the real streaming parser in uneven chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampleDeriver, type DerivedSample } from '../../../common/metrics/derive';
import { fixture, framesOf } from './fixtures';

const LAB = { nrCpus: 2, totalMemKiB: 2047 * 1024, freeMemKiBAtStart: 1256 * 1024 };

function deriveAll(text: string, ids: Record<string, number>): DerivedSample[] {
  const deriver = createSampleDeriver(LAB, 1);
  return framesOf(text).map((frame, i) => deriver.derive(frame, 1_000_000 + i * 1000, (name) => ids[name] ?? null));
}

test('the create capture: one frame per iteration, Domain-0 first, pvtest appears mid-stream', () => {
  const text = fixture('xentop-b-f-d1-create.txt');
  const frames = framesOf(text);
  assert.equal(frames.length, (text.match(/^\s+NAME\s+STATE/gm) ?? []).length);
  assert.equal(frames.length, 60);
  assert.deepEqual(frames[0].rows.map((r) => r.name), ['Domain-0']);
  const firstWithGuest = frames.findIndex((f) => f.rows.some((r) => r.name === 'pvtest'));
  assert.ok(firstWithGuest > 0, 'pvtest is created after xentop started');
  assert.ok(frames.slice(firstWithGuest).every((f) => f.rows.some((r) => r.name === 'pvtest')));
});

test('CPU % is unknown (null) on xentop\'s first iteration and on a domain\'s first row, not 0', () => {
  const samples = deriveAll(fixture('xentop-b-f-d1-create.txt'), { pvtest: 1 });
  assert.equal(samples[0].domains[0].name, 'Domain-0');
  assert.equal(samples[0].domains[0].cpuPercent, null);
  assert.equal(samples[0].host.cpuPercent, null);
  assert.equal(typeof samples[1].domains[0].cpuPercent, 'number');
  const firstGuest = samples.findIndex((s) => s.domains.some((d) => d.name === 'pvtest'));
  assert.equal(samples[firstGuest].domains.find((d) => d.name === 'pvtest')!.cpuPercent, null);
  assert.equal(typeof samples[firstGuest + 1].domains.find((d) => d.name === 'pvtest')!.cpuPercent, 'number');
});

test('the busy guest reads as busy: its CPU % series rises well above idle once the loop runs', () => {
  const samples = deriveAll(fixture('xentop-b-f-d1-busy-destroy.txt'), { pvtest: 1 });
  const cpu = samples.map((s) => s.domains.find((d) => d.name === 'pvtest')?.cpuPercent).filter((v): v is number => typeof v === 'number');
  assert.ok(cpu.length >= 5);
  assert.ok(Math.max(...cpu) > 70, `pvtest's busiest sample: ${Math.max(...cpu)}`);
  // Host total: every domain's CPU over both physical CPUs, so at most 100.
  for (const s of samples) {
    if (s.host.cpuPercent === null) continue;
    const sum = s.domains.reduce((a, d) => a + (d.cpuPercent ?? 0), 0);
    assert.ok(Math.abs(s.host.cpuPercent - sum / 2) < 1e-9);
    assert.ok(s.host.cpuPercent <= 100);
  }
});

test('network rates come from NETRX/NETTX counter differences per second; the first row has none', () => {
  const text = fixture('xentop-b-f-d1-busy-destroy.txt');
  const frames = framesOf(text);
  const samples = deriveAll(text, { pvtest: 1 });
  const rows = frames.map((f) => f.rows.find((r) => r.name === 'pvtest'));
  const guest = samples.map((s) => s.domains.find((d) => d.name === 'pvtest'));
  assert.equal(guest[0]!.netRxKiBps, null);
  let checked = 0;
  for (let i = 1; i < rows.length; i++) {
    if (!rows[i] || !rows[i - 1]) continue;
    const tx = rows[i]!.netTxKiB - rows[i - 1]!.netTxKiB;
    const rx = rows[i]!.netRxKiB - rows[i - 1]!.netRxKiB;
    // A dying domain's counters read 0: a counter that goes backwards is no rate at all.
    assert.equal(guest[i]!.netTxKiBps, tx >= 0 ? tx : null);
    assert.equal(guest[i]!.netRxKiBps, rx >= 0 ? rx : null);
    if (tx >= 0) assert.equal(guest[i]!.vbdRdPs, 0);
    checked++;
  }
  assert.ok(checked >= 5);
  assert.ok(guest.some((g) => (g?.netTxKiBps ?? 0) > 0), 'the ping flood shows as transmit traffic');
});

test('a destroyed domain leaves the samples; memory and the host figures follow it', () => {
  const samples = deriveAll(fixture('xentop-b-f-d1-busy-destroy.txt'), { pvtest: 1 });
  const withGuest = samples.filter((s) => s.domains.some((d) => d.name === 'pvtest'));
  const after = samples.slice(samples.lastIndexOf(withGuest[withGuest.length - 1]) + 1);
  assert.ok(after.length > 0, 'frames after the destroy');
  assert.ok(after.every((s) => s.domains.length === 1 && s.domains[0].name === 'Domain-0'));
  const guest = withGuest[0].domains.find((d) => d.name === 'pvtest')!;
  assert.equal(guest.memKiB, 98304);
  assert.equal(guest.maxMemKiB, 99328);
  assert.equal(guest.vcpus, 1);
  assert.equal(guest.id, 1);
  // Free memory is calibrated on the first frame and grows back by the guest's memory once it is gone.
  const freeBefore = withGuest[withGuest.length - 1].host.freeMemKiB!;
  const freeAfter = after[after.length - 1].host.freeMemKiB!;
  assert.equal(freeAfter - freeBefore, 98304);
  assert.equal(after[0].host.dom0MemKiB, 786432);
  assert.equal(withGuest[0].domains[0].id, 0);
});

test('a domain whose ID changes (restarted under the same name) gets no rate across the restart', () => {
  const frames = framesOf(fixture('xentop-b-f-d1-busy-destroy.txt')).filter((f) => f.rows.some((r) => r.name === 'pvtest'));
  const deriver = createSampleDeriver(LAB, 1);
  let id = 1;
  const a = deriver.derive(frames[1], 1000, (n) => (n === 'pvtest' ? id : null));
  const b = deriver.derive(frames[2], 2000, (n) => (n === 'pvtest' ? id : null));
  assert.equal(a.domains[1].netTxKiBps, null);
  assert.equal(typeof b.domains[1].netTxKiBps, 'number');
  id = 7;
  const c = deriver.derive(frames[3], 3000, (n) => (n === 'pvtest' ? id : null));
  assert.equal(c.domains[1].id, 7);
  assert.equal(c.domains[1].netTxKiBps, null);
  assert.equal(c.domains[1].cpuPercent, null);
  const unknown = deriver.derive(frames[4], 4000, () => null);
  assert.deepEqual(unknown.unknownIds, ['pvtest']);
});
