// A host's domains, running and stopped, as a sortable table (top-like).
import { useMemo, useState } from 'react';
import type { DomainView } from '../../../common/model/index';
import { useT, type MessageKey } from '../../i18n/index';
import { useDomains } from '../../state/domains';
import { useSelection } from '../../state/selection';
import { StateDot } from '../../ui/StateDot';
import { SortHeader } from '../../ui/SortHeader';
import { domainTone, formatCpuTime, formatMiB } from '../format';

type Column = 'name' | 'id' | 'state' | 'memory' | 'vcpus' | 'cpuTime' | 'type' | 'autostart';

const columns: { key: Column; label: MessageKey; numeric?: boolean }[] = [
  { key: 'name', label: 'col.name' },
  { key: 'id', label: 'col.id', numeric: true },
  { key: 'state', label: 'col.state' },
  { key: 'memory', label: 'col.memory', numeric: true },
  { key: 'vcpus', label: 'col.vcpus', numeric: true },
  { key: 'cpuTime', label: 'col.cpuTime', numeric: true },
  { key: 'type', label: 'col.type' },
  { key: 'autostart', label: 'col.autostart' },
];

const stateRank: Record<DomainView['state'], number> = {
  running: 0,
  blocked: 1,
  paused: 2,
  shutdown: 3,
  dying: 4,
  crashed: 5,
  unknown: 6,
  stopped: 7,
};

function sortValue(d: DomainView, column: Column): string | number {
  switch (column) {
    case 'name':
      return d.name.toLowerCase();
    case 'id':
      return d.id ?? Number.POSITIVE_INFINITY;
    case 'state':
      return stateRank[d.state];
    case 'memory':
      return d.memoryMiB ?? -1;
    case 'vcpus':
      return d.vcpus ?? -1;
    case 'cpuTime':
      return d.cpuSeconds ?? -1;
    case 'type':
      return d.type;
    case 'autostart':
      return d.autostart ? 0 : 1;
  }
}

const EMPTY: DomainView[] = [];

export function DomainsTable({ hostId }: { hostId: string }) {
  const t = useT();
  const domains = useDomains((s) => s.byHost[hostId]) ?? EMPTY;
  const error = useDomains((s) => s.errors[hostId]);
  const select = useSelection((s) => s.select);
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({ column: 'id', descending: false });

  const rows = useMemo(() => {
    const sorted = [...domains].sort((a, b) => {
      const x = sortValue(a, sort.column);
      const y = sortValue(b, sort.column);
      const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
      return sort.descending ? -order : order;
    });
    return sorted;
  }, [domains, sort]);

  const toggle = (column: Column) =>
    setSort((s) =>
      s.column === column
        ? { column, descending: !s.descending }
        : { column, descending: column === 'memory' || column === 'cpuTime' || column === 'vcpus' },
    );

  if (error && domains.length === 0) {
    return (
      <p className="error" role="alert" data-testid="domains-error">
        {error}
      </p>
    );
  }
  if (domains.length === 0) return <p className="muted">{t('host.noDomains')}</p>;

  return (
    <div className="table-wrap">
      <table className="domains" data-testid="domains-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <SortHeader
                key={c.key}
                label={t(c.label)}
                sortLabel={t('col.sortBy', { column: t(c.label) })}
                active={sort.column === c.key}
                descending={sort.descending}
                numeric={c.numeric}
                testId={`sort-${c.key}`}
                onToggle={() => toggle(c.key)}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr
              key={d.name}
              data-testid={`domain-row-${d.name}`}
              data-state={d.state}
              onClick={() => select({ kind: 'domain', hostId, name: d.name })}
            >
              <td>
                <button type="button" className="link" onClick={() => select({ kind: 'domain', hostId, name: d.name })}>
                  {d.name}
                </button>
              </td>
              <td className="num">{d.id ?? '—'}</td>
              <td>
                <StateDot tone={domainTone(d.state)} label={t(`domainState.${d.state}`)} /> {t(`domainState.${d.state}`)}
              </td>
              <td className="num">{formatMiB(t, d.memoryMiB)}</td>
              <td className="num">{d.vcpus ?? '—'}</td>
              <td className="num">{formatCpuTime(d.cpuSeconds)}</td>
              <td>{t(`domainType.${d.type}`)}</td>
              <td>{d.autostart ? t('common.yes') : t('common.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
