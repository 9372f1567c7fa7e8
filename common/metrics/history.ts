// One host's history: the host's own series and each domain's (by name), at three
// resolutions: every sample for the last hour (in memory only), 1-minute min/avg/max for a day
// and 1-hour min/avg/max for 30 days (saved on the admin's machine by main).
import {
  DOMAIN_SERIES,
  HOST_SERIES,
  type DomainSample,
  type HostSample,
  type MetricsHistory,
  type MetricsRange,
  type SeriesData,
} from '../model/metrics';
import { BucketRing, SampleRing, type BucketSnapshot } from './ring';

export const RAW_CAPACITY = 3600;
export const MINUTE_CAPACITY = 24 * 60;
export const HOUR_CAPACITY = 30 * 24;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const RANGE_MS: Record<MetricsRange, number> = { '5m': 5 * 60_000, '1h': HOUR_MS, '1d': DAY_MS, '30d': 30 * DAY_MS };

class SeriesHistory {
  /** Released when nothing arrived for an hour (a domain that is gone); made again on need. */
  raw: SampleRing | null = null;
  readonly minutes: BucketRing;
  readonly hours: BucketRing;
  lastT = -Infinity;

  constructor(readonly keys: readonly string[]) {
    this.minutes = new BucketRing(60, MINUTE_CAPACITY, keys.length);
    this.hours = new BucketRing(3600, HOUR_CAPACITY, keys.length);
  }

  add(t: number, values: Float64Array): void {
    if (t <= this.lastT) return; // out of order (a clock step back): drop rather than corrupt buckets
    this.lastT = t;
    (this.raw ??= new SampleRing(RAW_CAPACITY, this.keys.length)).push(t, values);
    this.minutes.add(t, values);
    this.hours.add(t, values);
  }
}

export interface HistorySnapshot {
  version: 1;
  host: { minutes: BucketSnapshot; hours: BucketSnapshot; keys: string[] };
  domains: Record<string, { minutes: BucketSnapshot; hours: BucketSnapshot; keys: string[] }>;
}

const toNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export class HostHistory {
  private readonly host = new SeriesHistory(HOST_SERIES);
  private readonly domains = new Map<string, SeriesHistory>();
  private readonly hostValues = new Float64Array(HOST_SERIES.length);
  private readonly domainValues = new Float64Array(DOMAIN_SERIES.length);

  /** Record one sample (t in ms). */
  record(t: number, host: HostSample, domains: readonly DomainSample[]): void {
    HOST_SERIES.forEach((key, k) => (this.hostValues[k] = host[key] ?? NaN));
    this.host.add(t, this.hostValues);
    for (const d of domains) {
      let series = this.domains.get(d.name);
      if (!series) this.domains.set(d.name, (series = new SeriesHistory(DOMAIN_SERIES)));
      DOMAIN_SERIES.forEach((key, k) => (this.domainValues[k] = d[key] ?? NaN));
      series.add(t, this.domainValues);
    }
  }

  domainNames(): string[] {
    return [...this.domains.keys()];
  }

  /** The series of the host (domain null) or of one domain over `range`, ending at `now` (ms). */
  query(hostId: string, domain: string | null, range: MetricsRange, now: number, intervalSeconds: number): MetricsHistory {
    const history = domain === null ? this.host : this.domains.get(domain);
    const keys: readonly string[] = domain === null ? HOST_SERIES : DOMAIN_SERIES;
    const from = now - RANGE_MS[range];
    const t: number[] = [];
    const cols = keys.map(() => ({ avg: [] as (number | null)[], min: [] as (number | null)[], max: [] as (number | null)[] }));
    const downsampled = range === '1d' || range === '30d';
    let stepSeconds = downsampled ? (range === '1d' ? 60 : 3600) : intervalSeconds;
    let lastT = -Infinity;
    const pushGap = (nextT: number, step: number) => {
      // A hole (nobody was watching, or the link dropped): a null point keeps the line from
      // bridging it.
      if (t.length > 0 && nextT - lastT > step * 2500) {
        t.push((lastT + step * 1000) / 1000);
        for (const c of cols) {
          c.avg.push(null);
          c.min.push(null);
          c.max.push(null);
        }
      }
    };
    const pushBucket = (start: number, get: (kind: 'min' | 'avg' | 'max', k: number) => number, step: number) => {
      pushGap(start, step);
      t.push(start / 1000);
      cols.forEach((c, k) => {
        c.avg.push(toNull(get('avg', k)));
        c.min.push(toNull(get('min', k)));
        c.max.push(toNull(get('max', k)));
      });
      lastT = start;
    };
    if (history) {
      if (downsampled) {
        const ring = range === '1d' ? history.minutes : history.hours;
        ring.forEach(from, now, (start, get) => pushBucket(start, get, stepSeconds));
      } else {
        const raw = history.raw;
        const rawOldest = raw?.oldest() ?? Infinity;
        // After a restart the raw ring is young: minutes saved earlier fill the hour before it.
        if (range === '1h' && rawOldest > from) {
          history.minutes.forEach(from, Math.min(now, rawOldest - 60_000), (start, get) => pushBucket(start, get, 60));
        }
        if (raw) {
          raw.forEach(from, now, (sampleT, index) => {
            pushGap(sampleT, intervalSeconds);
            t.push(sampleT / 1000);
            cols.forEach((c, k) => {
              const v = toNull(raw.columns[k][index]);
              c.avg.push(v);
            });
            lastT = sampleT;
          });
        }
      }
    }
    if (t.length === 0) stepSeconds = downsampled ? stepSeconds : intervalSeconds;
    const series: Record<string, SeriesData> = {};
    keys.forEach((key, k) => {
      series[key] = downsampled ? { avg: cols[k].avg, min: cols[k].min, max: cols[k].max } : { avg: cols[k].avg };
    });
    return { hostId, domain, range, stepSeconds, t, series };
  }

  /** Free what is no longer needed: raw rings idle for an hour, series with nothing in 30 days. */
  prune(now: number): void {
    for (const [name, series] of this.domains) {
      if (series.raw && now - series.lastT > HOUR_MS) series.raw = null;
      series.minutes.dropBefore(now - DAY_MS);
      series.hours.dropBefore(now - 30 * DAY_MS);
      if (series.hours.newest() === null && series.minutes.newest() === null && series.raw === null) this.domains.delete(name);
    }
    this.host.minutes.dropBefore(now - DAY_MS);
    this.host.hours.dropBefore(now - 30 * DAY_MS);
  }

  /** The downsampled history to keep on disk; the buckets being filled are closed first. */
  snapshot(): HistorySnapshot {
    const one = (s: SeriesHistory) => {
      s.minutes.close();
      s.hours.close();
      return { minutes: s.minutes.snapshot(), hours: s.hours.snapshot(), keys: [...s.keys] };
    };
    const domains: HistorySnapshot['domains'] = {};
    for (const [name, series] of this.domains) domains[name] = one(series);
    return { version: 1, host: one(this.host), domains };
  }

  /** Load what `snapshot` saved (into a fresh history). Series saved under other keys map by name. */
  restore(snapshot: HistorySnapshot): void {
    const load = (target: SeriesHistory, saved: HistorySnapshot['host']) => {
      const fix = (b: BucketSnapshot): BucketSnapshot => {
        const n = b.starts.length;
        const pad = (cols: Float32Array[]) =>
          target.keys.map((key) => {
            const j = saved.keys.indexOf(key);
            return j >= 0 && cols[j] ? cols[j] : new Float32Array(n).fill(NaN);
          });
        return { ...b, min: pad(b.min), avg: pad(b.avg), max: pad(b.max) };
      };
      target.minutes.restore(fix(saved.minutes));
      target.hours.restore(fix(saved.hours));
      const newest = Math.max(target.minutes.newest() ?? -Infinity, target.hours.newest() ?? -Infinity);
      // New samples must come after what was saved, or the merge of a part-filled bucket breaks.
      target.lastT = Math.max(target.lastT, newest);
    };
    load(this.host, snapshot.host);
    for (const [name, saved] of Object.entries(snapshot.domains)) {
      let series = this.domains.get(name);
      if (!series) this.domains.set(name, (series = new SeriesHistory(DOMAIN_SERIES)));
      load(series, saved);
    }
  }
}
