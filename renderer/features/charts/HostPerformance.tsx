// The host page's live section: host charts (all domains' CPU, free memory, Dom0), the
// xentop-like table, the time range and the sampling interval.
import { useEffect, useState } from 'react';
import type { MetricsRange } from '../../../common/model/metrics';
import { holdMetrics } from './metrics';
import { LiveStatus } from './LiveStatus';
import { IntervalSetting, RangePicker } from './RangePicker';
import { useChartT } from './strings';
import { TimeChart } from './TimeChart';
import { TopTable } from './TopTable';
import { usePerformance } from './usePerformance';
import './charts.css';

export function HostPerformance({ hostId }: { hostId: string }) {
  const t = useChartT();
  const [range, setRange] = useState<MetricsRange>('5m');
  useEffect(() => holdMetrics(hostId), [hostId]);
  const data = usePerformance(hostId, null, range);
  return (
    <section className="perf" aria-label={t('perf.title')} data-testid="host-performance">
      <div className="perf-head">
        <h2 className="section-title">{t('perf.title')}</h2>
        <RangePicker range={range} onChange={setRange} />
        <IntervalSetting />
      </div>
      <LiveStatus hostId={hostId} />
      {data.error && (
        <p className="error" role="alert">
          {t('perf.loadFailed', { error: data.error })}
        </p>
      )}
      <div className="chart-grid">
        <TimeChart title={t('chart.hostCpu')} testId="chart-host-cpu" unit="percent" minMax={100} history={data.history} version={data.version} series={[{ key: 'cpuPercent', label: t('series.cpu'), color: '--accent' }]} />
        <TimeChart title={t('chart.freeMem')} testId="chart-host-mem" unit="kib" history={data.history} version={data.version} series={[{ key: 'freeMemKiB', label: t('series.free'), color: '--ok' }]} />
        <TimeChart title={t('chart.dom0')} testId="chart-dom0-cpu" unit="percent" minMax={100} history={data.history} version={data.version} series={[{ key: 'dom0CpuPercent', label: 'Dom0', color: '--warn' }]} />
        <TimeChart title={t('chart.dom0Mem')} testId="chart-dom0-mem" unit="kib" history={data.history} version={data.version} series={[{ key: 'dom0MemKiB', label: 'Dom0', color: '--busy' }]} />
      </div>
      <h3 className="section-title">{t('top.title')}</h3>
      <TopTable hostId={hostId} />
    </section>
  );
}
