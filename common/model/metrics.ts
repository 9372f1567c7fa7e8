// Live performance data (xentop) as it crosses the contract: one sample per interval per host,
// and history series for a time range. Values a sample cannot know (a rate on a domain's first
// row, CPU % on xentop's first iteration) are null, never a made-up 0.
import { z } from 'zod';
import { DomainState, HostId } from './index';

const num = z.number();
const maybe = z.number().nullable();

/** One domain in one sample. Rates are per second over the interval before `t`. */
export const DomainSample = z.object({
  name: z.string(),
  /** Domain ID from `xl list` (xentop prints none); null until Hearth has learnt it. */
  id: z.number().int().nullable(),
  state: DomainState,
  /** As xentop: 100 = one physical CPU busy; a domain with several vCPUs can exceed 100. */
  cpuPercent: maybe,
  cpuSeconds: num,
  memKiB: num,
  /** null: no limit. */
  maxMemKiB: maybe,
  vcpus: num,
  netRxKiBps: maybe,
  netTxKiBps: maybe,
  /** Block requests per second. */
  vbdRdPs: maybe,
  vbdWrPs: maybe,
  /** 512-byte sectors per second. */
  vbdRsectPs: maybe,
  vbdWsectPs: maybe,
});
export type DomainSample = z.infer<typeof DomainSample>;

export const HostSample = z.object({
  /** All domains' CPU (Dom0 included) as a share of all physical CPUs: 0..100. */
  cpuPercent: maybe,
  nrCpus: num,
  totalMemKiB: num,
  /** Estimated from xl info's free memory at start and the domains' memory since. */
  freeMemKiB: maybe,
  dom0CpuPercent: maybe,
  dom0MemKiB: maybe,
});
export type HostSample = z.infer<typeof HostSample>;

export const MetricsSample = z.object({
  hostId: HostId,
  /** Milliseconds since the epoch, when the sample arrived. */
  t: num,
  intervalSeconds: num,
  host: HostSample,
  domains: z.array(DomainSample),
});
export type MetricsSample = z.infer<typeof MetricsSample>;

export const MetricsRange = z.enum(['5m', '1h', '1d', '30d']);
export type MetricsRange = z.infer<typeof MetricsRange>;

/** Series a domain has in history. */
export const DOMAIN_SERIES = [
  'cpuPercent',
  'memKiB',
  'maxMemKiB',
  'vcpus',
  'netRxKiBps',
  'netTxKiBps',
  'vbdRdPs',
  'vbdWrPs',
  'vbdRsectPs',
  'vbdWsectPs',
] as const;
export type DomainSeriesKey = (typeof DOMAIN_SERIES)[number];

/** Series the host has in history. */
export const HOST_SERIES = ['cpuPercent', 'freeMemKiB', 'dom0CpuPercent', 'dom0MemKiB'] as const;
export type HostSeriesKey = (typeof HOST_SERIES)[number];

/** One series over the range; min/max only for downsampled ranges (1 d, 30 d). null: a gap. */
export const SeriesData = z.object({
  avg: z.array(maybe),
  min: z.array(maybe).optional(),
  max: z.array(maybe).optional(),
});
export type SeriesData = z.infer<typeof SeriesData>;

export const MetricsHistory = z.object({
  hostId: HostId,
  /** null: the host's own series. */
  domain: z.string().nullable(),
  range: MetricsRange,
  /** Seconds between points: the sampling interval, 60 or 3600. */
  stepSeconds: num,
  /** Seconds since the epoch (uPlot's x). */
  t: z.array(num),
  series: z.record(z.string(), SeriesData),
});
export type MetricsHistory = z.infer<typeof MetricsHistory>;

export const MetricsSettings = z.object({
  /** Seconds between xentop samples. */
  intervalSeconds: z.number().int().min(1).max(60),
});
export type MetricsSettings = z.infer<typeof MetricsSettings>;

export const MetricsStatus = z.object({
  hostId: HostId,
  running: z.boolean(),
  /** Why the sampler stopped or is retrying, in words for the user. */
  error: z.string().optional(),
});
export type MetricsStatus = z.infer<typeof MetricsStatus>;

/** What `metrics.subscribe` answers: the settings, the state, and the newest sample if any. */
export const MetricsSubscription = z.object({
  status: MetricsStatus,
  intervalSeconds: num,
  latest: MetricsSample.nullable(),
});
export type MetricsSubscription = z.infer<typeof MetricsSubscription>;
