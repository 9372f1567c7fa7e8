// Main-process memory of the metrics history over a long run: 8 simulated hours of 1-second
// samples for 20 domains, derived from the REAL captured xentop stream (each row repeated under
// 20 names) and fed through the real deriver, raw ring and 1-min/1-h downsampling, saving a
// snapshot every simulated hour as the service does. Heap after 1 h vs after 8 h: flat means
// the rings are bounded. Figures only, nothing asserted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createSampleDeriver } from '../common/metrics/derive';
import { HostHistory } from '../common/metrics/history';
import { createXentopParser, type XentopFrame } from '../common/xen/xentop';
import { encodeHistory } from '../main/services/metrics-store';

const DOMAINS = 20;

function realFrames(): XentopFrame[] {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/xen-4.17/xentop-b-f-d1-busy-destroy.txt');
  const parser = createXentopParser();
  const frames = [...parser.push(readFileSync(file, 'utf8')), ...parser.flush()].filter((f) => f.rows.some((r) => r.name === 'pvtest'));
  // Dom0 plus DOMAINS copies of the guest's real rows.
  return frames.map((f) => ({
    rows: [f.rows[0], ...Array.from({ length: DOMAINS }, (_, i) => ({ ...f.rows[1], name: `guest-${String(i).padStart(2, '0')}` }))],
  }));
}

function collect(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

export default async function metricsMemory(): Promise<Record<string, unknown>> {
  const gc = collect();
  const frames = realFrames();
  const history = new HostHistory();
  const deriver = createSampleDeriver({ nrCpus: 2, totalMemKiB: 2047 * 1024, freeMemKiBAtStart: 1256 * 1024 }, 1);
  const ids = new Map(frames[0].rows.map((r, i) => [r.name, i]));
  const t0 = Date.UTC(2026, 10, 22, 0, 0, 0);
  const heapMiB: Record<string, number> = {};
  let savedBytes = 0;
  gc();
  // Typed arrays live outside the JS heap: count both.
  const used = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const baseline = used();
  const started = performance.now();
  for (let s = 0; s < 8 * 3600; s++) {
    const t = t0 + s * 1000;
    // Walk the real frames forwards and back so counters keep rising (no restart every pass).
    const frame = frames[s % frames.length];
    const derived = deriver.derive(frame, t, (name) => ids.get(name) ?? null);
    history.record(t, derived.host, derived.domains);
    if ((s + 1) % 3600 === 0) {
      history.prune(t);
      savedBytes = encodeHistory(history.snapshot()).length;
      gc();
      heapMiB[`after${(s + 1) / 3600}h`] = Math.round(((used() - baseline) / 1024 / 1024) * 100) / 100;
    }
  }
  const elapsedMs = performance.now() - started;
  return {
    domains: DOMAINS + 1,
    samples: 8 * 3600,
    heapAndBuffersGrowthMiB: heapMiB,
    rssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024),
    ratio8hTo1h: Math.round((heapMiB.after8h / heapMiB.after1h) * 1000) / 1000,
    savedHistoryKiB: Math.round(savedBytes / 1024),
    microsecondsPerSample: Math.round((elapsedMs * 1000) / (8 * 3600)),
    goal: 'flat: heap after 8 h about the heap after 1 h (rings are preallocated, raw ring caps at 3600 samples)',
  };
}
