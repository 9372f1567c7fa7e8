// The history kept of the samples: the raw ring, the 1-minute and 1-hour min/avg/max buckets,
// and what survives a restart, fed with samples derived from the real captured xentop streams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSampleDeriver, type DerivedSample } from '../../../common/metrics/derive';
import { HostHistory, RAW_CAPACITY } from '../../../common/metrics/history';
import { BucketRing, SampleRing } from '../../../common/metrics/ring';
import { MetricsStore, decodeHistory, encodeHistory } from '../../../main/services/metrics-store';
import { fixture, framesOf } from './fixtures';

const LAB = { nrCpus: 2, totalMemKiB: 2047 * 1024, freeMemKiBAtStart: 1256 * 1024 };

/** The real busy stream, repeated (with a fresh deriver each pass, as after a restart of xentop). */
function realSamples(count: number): DerivedSample[] {
  const frames = framesOf(fixture('xentop-b-f-d1-busy-destroy.txt'));
  const out: DerivedSample[] = [];
  while (out.length < count) {
    const deriver = createSampleDeriver(LAB, 1);
    for (const f of frames) {
      if (out.length >= count) break;
      out.push(deriver.derive(f, out.length * 1000, (n) => (n === 'pvtest' ? 1 : null)));
    }
  }
  return out;
}

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0);

test('the raw ring keeps the newest samples in order and forgets the oldest', () => {
  const ring = new SampleRing(4, 2);
  for (let i = 0; i < 6; i++) ring.push(i * 1000, [i, -i]);
  assert.equal(ring.size, 4);
  const seen: number[] = [];
  ring.forEach(-Infinity, Infinity, (t, index) => seen.push(t, ring.columns[0][index]));
  assert.deepEqual(seen, [2000, 2, 3000, 3, 4000, 4, 5000, 5]);
  assert.equal(ring.oldest(), 2000);
  assert.equal(ring.newest(), 5000);
});

test('1-minute buckets hold the min, average and max of the real CPU series, unknowns left out', () => {
  const samples = realSamples(150);
  const ring = new BucketRing(60, 10, 1);
  const cpu = samples.map((s) => s.host.cpuPercent ?? NaN);
  cpu.forEach((v, i) => ring.add(T0 + i * 1000, [v]));
  const buckets: { start: number; min: number; avg: number; max: number }[] = [];
  ring.forEach(-Infinity, Infinity, (start, get) => buckets.push({ start, min: get('min', 0), avg: get('avg', 0), max: get('max', 0) }));
  assert.equal(buckets.length, 3); // two closed minutes and the one being filled
  for (let b = 0; b < 3; b++) {
    const slice = cpu.slice(b * 60, b * 60 + 60).filter((v) => !Number.isNaN(v));
    assert.equal(buckets[b].start, T0 + b * 60_000);
    assert.ok(Math.abs(buckets[b].min - Math.min(...slice)) < 1e-3);
    assert.ok(Math.abs(buckets[b].max - Math.max(...slice)) < 1e-3);
    const avg = slice.reduce((a, v) => a + v, 0) / slice.length;
    assert.ok(Math.abs(buckets[b].avg - avg) < 1e-3, `bucket ${b}: ${buckets[b].avg} vs ${avg}`);
  }
});

test('history by range: raw points for 5 min, 1-minute buckets for a day, a null where sampling stopped', () => {
  const history = new HostHistory();
  const samples = realSamples(600);
  samples.slice(0, 300).forEach((s, i) => history.record(T0 + i * 1000, s.host, s.domains));
  // Nobody watched for ten minutes, then sampling resumed.
  samples.slice(300).forEach((s, i) => history.record(T0 + 900_000 + i * 1000, s.host, s.domains));
  const now = T0 + 900_000 + 299_000;
  const five = history.query('h', null, '5m', now, 1);
  assert.equal(five.stepSeconds, 1);
  assert.equal(five.t.length, 300);
  assert.equal(five.series.cpuPercent.min, undefined);
  const hour = history.query('h', 'pvtest', '1h', now, 1);
  const gapAt = hour.t.findIndex((t, i) => i > 0 && t - hour.t[i - 1] > 2);
  assert.ok(gapAt > 0);
  assert.equal(hour.series.cpuPercent.avg[gapAt], null, 'a null point breaks the line over the gap');
  const day = history.query('h', null, '1d', now, 1);
  assert.equal(day.stepSeconds, 60);
  assert.ok(day.series.cpuPercent.min && day.series.cpuPercent.max);
  const nonNull = day.series.cpuPercent.avg.filter((v) => v !== null).length;
  assert.equal(nonNull, 10);
  for (let i = 0; i < day.t.length; i++) {
    const [lo, avg, hi] = [day.series.cpuPercent.min![i], day.series.cpuPercent.avg[i], day.series.cpuPercent.max![i]];
    if (avg === null) continue;
    assert.ok(lo! <= avg + 1e-6 && avg <= hi! + 1e-6);
  }
  const month = history.query('h', 'pvtest', '30d', now, 1);
  assert.equal(month.stepSeconds, 3600);
  assert.equal(month.t.length, 1);
});

test('the raw ring is bounded: an hour of samples at most, however long it runs', () => {
  const history = new HostHistory();
  const samples = realSamples(RAW_CAPACITY + 500);
  samples.forEach((s, i) => history.record(T0 + i * 1000, s.host, s.domains));
  const hour = history.query('h', null, '1h', T0 + (samples.length - 1) * 1000, 1);
  assert.ok(hour.t.length <= RAW_CAPACITY + 60);
  assert.equal(hour.t[hour.t.length - 1], (T0 + (samples.length - 1) * 1000) / 1000);
});

test('the saved history survives a restart: same buckets, and a part-filled minute merges', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'hearth-metrics-'));
  try {
    const store = new MetricsStore(path.join(home, 'metrics'));
    const before = new HostHistory();
    const samples = realSamples(200);
    samples.slice(0, 150).forEach((s, i) => before.record(T0 + i * 1000, s.host, s.domains));
    const dayBefore = before.query('h', 'pvtest', '1d', T0 + 150_000, 1);
    await store.save('host-1', before.snapshot());

    const after = new HostHistory();
    const loaded = await store.load('host-1');
    assert.ok(loaded);
    after.restore(loaded);
    const dayAfter = after.query('h', 'pvtest', '1d', T0 + 150_000, 1);
    assert.deepEqual(dayAfter.t, dayBefore.t);
    for (const key of Object.keys(dayBefore.series)) {
      dayBefore.series[key].avg.forEach((v, i) => {
        const w = dayAfter.series[key].avg[i];
        if (v === null) assert.equal(w, null);
        else assert.ok(Math.abs(v - w!) <= Math.abs(v) * 1e-6 + 1e-6, `${key}[${i}]`);
      });
    }
    // The 1-hour range after a restart shows the saved minutes where the raw ring has nothing.
    const hourAfter = after.query('h', null, '1h', T0 + 150_000, 1);
    assert.equal(hourAfter.t.length, 3);
    // Sampling resumes in the minute that was part-filled when Hearth stopped: one bucket, merged.
    samples.slice(150).forEach((s, i) => after.record(T0 + 150_000 + i * 1000, s.host, s.domains));
    const merged = after.query('h', null, '1d', T0 + 200_000, 1);
    assert.deepEqual(merged.t, [T0 / 1000, T0 / 1000 + 60, T0 / 1000 + 120, T0 / 1000 + 180]);
    const text = encodeHistory(after.snapshot());
    assert.match(text, /^hearth-metrics 1\n/);
    assert.equal(decodeHistory('something else\n'), null);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
