// A live `top` of the host's domains, like xentop: sortable by any column, a row per domain,
// updated with every sample.
import { useMemo, useState } from 'react';
import type { DomainSample } from '../../../common/model/metrics';
import { useSelection } from '../../state/selection';
import { SortHeader } from '../../ui/SortHeader';
import { useMetrics } from './metrics';
import { useChartT, type ChartKey } from './strings';
import { formatCount, formatKiB, formatPercent, formatPerSecond, formatRateKiB } from './units';

type Column = 'name' | 'state' | 'cpuSeconds' | 'cpuPercent' | 'memKiB' | 'maxMemKiB' | 'vcpus' | 'netRxKiBps' | 'netTxKiBps' | 'vbdRdPs' | 'vbdWrPs';

const columns: { key: Column; label: ChartKey; numeric: boolean; show: (d: DomainSample, t: ReturnType<typeof useChartT>) => string }[] = [
  { key: 'name', label: 'top.name', numeric: false, show: (d) => d.name },
  { key: 'state', label: 'top.state', numeric: false, show: (d) => d.state },
  { key: 'cpuSeconds', label: 'top.cpuSec', numeric: true, show: (d) => formatCount(d.cpuSeconds) },
  { key: 'cpuPercent', label: 'top.cpuPct', numeric: true, show: (d) => formatPercent(d.cpuPercent) },
  { key: 'memKiB', label: 'top.mem', numeric: true, show: (d) => formatKiB(d.memKiB) },
  { key: 'maxMemKiB', label: 'top.maxMem', numeric: true, show: (d, t) => (d.maxMemKiB === null ? t('top.noLimit') : formatKiB(d.maxMemKiB)) },
  { key: 'vcpus', label: 'top.vcpus', numeric: true, show: (d) => formatCount(d.vcpus) },
  { key: 'netRxKiBps', label: 'top.netRx', numeric: true, show: (d) => formatRateKiB(d.netRxKiBps) },
  { key: 'netTxKiBps', label: 'top.netTx', numeric: true, show: (d) => formatRateKiB(d.netTxKiBps) },
  { key: 'vbdRdPs', label: 'top.rd', numeric: true, show: (d) => formatPerSecond(d.vbdRdPs) },
  { key: 'vbdWrPs', label: 'top.wr', numeric: true, show: (d) => formatPerSecond(d.vbdWrPs) },
];

function value(d: DomainSample, column: Column): string | number {
  const v = d[column];
  if (typeof v === 'string') return v.toLowerCase();
  return v ?? -Infinity;
}

const EMPTY: DomainSample[] = [];

export function TopTable({ hostId }: { hostId: string }) {
  const t = useChartT();
  const domains = useMetrics((s) => s.latest[hostId]?.domains) ?? EMPTY;
  const select = useSelection((s) => s.select);
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'cpuPercent', descending: true });

  const rows = useMemo(
    () =>
      [...domains].sort((a, b) => {
        const x = value(a, sort.column);
        const y = value(b, sort.column);
        const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
        return sort.descending ? -order : order;
      }),
    [domains, sort],
  );

  const toggle = (column: Column) =>
    setSort((s) => (s.column === column ? { column, descending: !s.descending } : { column, descending: column !== 'name' && column !== 'state' }));

  return (
    <div className="table-wrap">
      <table className="domains top-table" data-testid="top-table" aria-label={t('top.title')}>
        <thead>
          <tr>
            {columns.map((c) => (
              <SortHeader
                key={c.key}
                label={t(c.label)}
                sortLabel={t('top.sortBy', { column: t(c.label) })}
                active={sort.column === c.key}
                descending={sort.descending}
                numeric={c.numeric}
                testId={`top-sort-${c.key}`}
                onToggle={() => toggle(c.key)}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.name} data-testid={`top-row-${d.name}`} onClick={() => d.id !== 0 && select({ kind: 'domain', hostId, name: d.name })}>
              {columns.map((c) => (
                <td
                  key={c.key}
                  className={c.numeric ? 'num' : undefined}
                  data-testid={`top-${c.key}-${d.name}`}
                  data-value={c.numeric ? String(d[c.key] ?? '') : undefined}
                >
                  {c.show(d, t)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
