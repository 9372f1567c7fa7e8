// History for one host (domain null) or one domain over a range, kept live: loaded once, then
// each new sample appends a point (5 min and 1 h ranges) or the downsampled history is read
// again every minute (1 day, 30 days). Arrays are mutated in place; `version` says when.
import { useEffect, useRef, useState } from 'react';
import { DOMAIN_SERIES, HOST_SERIES, type MetricsHistory, type MetricsRange, type MetricsSample } from '../../../common/model/metrics';
import { api } from '../../api/transport';
import { onSample } from './metrics';

const RANGE_SECONDS: Record<MetricsRange, number> = { '5m': 300, '1h': 3600, '1d': 86400, '30d': 30 * 86400 };

export interface PerformanceData {
  history: MetricsHistory | null;
  version: number;
  error: string | null;
}

function liveValues(sample: MetricsSample, domain: string | null): Record<string, number | null> {
  if (domain === null) return Object.fromEntries(HOST_SERIES.map((k) => [k, sample.host[k]]));
  const d = sample.domains.find((x) => x.name === domain);
  return Object.fromEntries(DOMAIN_SERIES.map((k) => [k, d ? d[k] : null]));
}

export function appendSample(history: MetricsHistory, sample: MetricsSample, domain: string | null): void {
  const values = liveValues(sample, domain);
  const t = sample.t / 1000;
  const last = history.t[history.t.length - 1];
  if (last !== undefined && t <= last) return;
  history.t.push(t);
  for (const [key, series] of Object.entries(history.series)) series.avg.push(values[key] ?? null);
  // Keep the window: drop what slid out of the range.
  const from = t - RANGE_SECONDS[history.range];
  let drop = 0;
  while (drop < history.t.length && history.t[drop] < from) drop++;
  if (drop > 0) {
    history.t.splice(0, drop);
    for (const series of Object.values(history.series)) series.avg.splice(0, drop);
  }
}

export function usePerformance(hostId: string, domain: string | null, range: MetricsRange): PerformanceData {
  const [state, setState] = useState<PerformanceData>({ history: null, version: 0, error: null });
  const current = useRef<MetricsHistory | null>(null);

  useEffect(() => {
    let cancelled = false;
    current.current = null;
    setState({ history: null, version: 0, error: null });
    const load = () =>
      api
        .call('metrics.history', hostId, domain, range)
        .then((history) => {
          if (cancelled) return;
          current.current = history;
          setState((s) => ({ history, version: s.version + 1, error: null }));
        })
        .catch((error: unknown) => {
          if (!cancelled) setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
        });
    void load();
    const downsampled = range === '1d' || range === '30d';
    const timer = downsampled ? setInterval(load, 60_000) : null;
    const stopFeed = downsampled
      ? () => undefined
      : onSample(hostId, (sample) => {
          const history = current.current;
          if (!history || cancelled) return;
          appendSample(history, sample, domain);
          setState((s) => ({ ...s, version: s.version + 1 }));
        });
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
      stopFeed();
    };
  }, [hostId, domain, range]);

  return state;
}
