// Units for the charts and the top table: KiB-based figures as people read them.
export function formatKiB(kib: number | null | undefined): string {
  if (kib === null || kib === undefined || Number.isNaN(kib)) return '—';
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(kib >= 10 * 1024 * 1024 ? 0 : 1)} GiB`;
  if (kib >= 1024) return `${(kib / 1024).toFixed(kib >= 100 * 1024 ? 0 : 1)} MiB`;
  return `${Math.round(kib)} KiB`;
}

export function formatRateKiB(kibps: number | null | undefined): string {
  if (kibps === null || kibps === undefined || Number.isNaN(kibps)) return '—';
  return `${formatKiB(kibps)}/s`;
}

export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '—';
  return `${p.toFixed(1)} %`;
}

export function formatPerSecond(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)}/s`;
}

/** 512-byte sectors per second as bytes per second. */
export function formatSectors(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return formatRateKiB(v / 2);
}

export function formatCount(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return String(Math.round(v));
}

export type Unit = 'percent' | 'kib' | 'kibps' | 'perSecond' | 'sectors' | 'count';

export const formatters: Record<Unit, (v: number | null | undefined) => string> = {
  percent: formatPercent,
  kib: formatKiB,
  kibps: formatRateKiB,
  perSecond: formatPerSecond,
  sectors: formatSectors,
  count: formatCount,
};
