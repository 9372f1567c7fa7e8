// Live metrics in the renderer: a reference-counted subscription per host (xentop runs on the
// host only while some window holds one; none is held while this window is hidden), the newest
// sample per host, a short CPU trail per domain for sparklines, and a feed for charts.
import { create } from 'zustand';
import type { MetricsSample, MetricsStatus } from '../../../common/model/metrics';
import { api, link } from '../../api/transport';

export const TRAIL = 60;

interface MetricsStore {
  latest: Record<string, MetricsSample | undefined>;
  status: Record<string, MetricsStatus | undefined>;
  /** CPU % of each domain over the last TRAIL samples, oldest first (null: unknown). */
  trails: Record<string, Record<string, (number | null)[]>>;
  intervalSeconds: number;
  hidden: boolean;
}

export const useMetrics = create<MetricsStore>(() => ({
  latest: {},
  status: {},
  trails: {},
  intervalSeconds: 1,
  hidden: typeof document !== 'undefined' && document.visibilityState === 'hidden',
}));

type Feed = (sample: MetricsSample) => void;
const feeds = new Map<string, Set<Feed>>();

/** Every new sample of a host, for charts that append points. */
export function onSample(hostId: string, feed: Feed): () => void {
  let set = feeds.get(hostId);
  if (!set) feeds.set(hostId, (set = new Set()));
  set.add(feed);
  return () => set.delete(feed);
}

function take(sample: MetricsSample): void {
  useMetrics.setState((s) => {
    const before = s.trails[sample.hostId] ?? {};
    const trails: Record<string, (number | null)[]> = {};
    for (const d of sample.domains) {
      const trail = (before[d.name] ?? []).slice(-(TRAIL - 1));
      trail.push(d.cpuPercent);
      trails[d.name] = trail;
    }
    return {
      latest: { ...s.latest, [sample.hostId]: sample },
      trails: { ...s.trails, [sample.hostId]: trails },
      intervalSeconds: sample.intervalSeconds,
    };
  });
  for (const feed of feeds.get(sample.hostId) ?? []) feed(sample);
}

api.on('metrics.sample', (sample) => {
  if (holds.has(sample.hostId)) take(sample);
});
api.on('metrics.status', (status) => {
  useMetrics.setState((s) => ({ status: { ...s.status, [status.hostId]: status } }));
});

const holds = new Map<string, number>();
const active = new Set<string>();

const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

async function start(hostId: string): Promise<void> {
  if (active.has(hostId)) return;
  active.add(hostId);
  try {
    const sub = await api.call('metrics.subscribe', hostId);
    if (!active.has(hostId)) return;
    useMetrics.setState((s) => ({ status: { ...s.status, [hostId]: sub.status }, intervalSeconds: sub.intervalSeconds }));
    if (sub.latest) take(sub.latest);
  } catch (error) {
    active.delete(hostId);
    const message = error instanceof Error ? error.message : String(error);
    useMetrics.setState((s) => ({ status: { ...s.status, [hostId]: { hostId, running: false, error: message } } }));
  }
}

function stop(hostId: string): void {
  if (!active.delete(hostId)) return;
  api.call('metrics.unsubscribe', hostId).catch(() => undefined);
}

/** Hold live metrics for a host while mounted; the returned function lets go. */
export function holdMetrics(hostId: string): () => void {
  const count = (holds.get(hostId) ?? 0) + 1;
  holds.set(hostId, count);
  if (count === 1 && visible()) void start(hostId);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (holds.get(hostId) ?? 1) - 1;
    if (left > 0) {
      holds.set(hostId, left);
      return;
    }
    holds.delete(hostId);
    stop(hostId);
  };
}

/** Ask again for every held host (say, the server restarted or its connection came back). */
export function retryMetrics(hostId?: string): void {
  if (!visible()) return;
  for (const id of holds.keys()) {
    if (hostId !== undefined && id !== hostId) continue;
    active.delete(id);
    void start(id);
  }
}

if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    const hidden = document.visibilityState === 'hidden';
    useMetrics.setState({ hidden });
    if (hidden) for (const id of [...active]) stop(id);
    else for (const id of holds.keys()) void start(id);
  });
}
link.onReopen(() => retryMetrics());
