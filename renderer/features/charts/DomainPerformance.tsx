// A domain's Performance tab: CPU, memory used and max, network, disk requests and sectors,
// vCPUs, over the chosen range, live for the short ranges.
import { useEffect, useState } from 'react';
import type { MetricsRange } from '../../../common/model/metrics';
import { holdMetrics, useMetrics } from './metrics';
import { LiveStatus } from './LiveStatus';
import { RangePicker } from './RangePicker';
import { useChartT } from './strings';
import { TimeChart } from './TimeChart';
import { formatPercent } from './units';
import { usePerformance } from './usePerformance';
import './charts.css';

export function DomainPerformance({ hostId, name }: { hostId: string; name: string }) {
  const t = useChartT();
  const [range, setRange] = useState<MetricsRange>('5m');
  useEffect(() => holdMetrics(hostId), [hostId]);
  const data = usePerformance(hostId, name, range);
  const now = useMetrics((s) => s.latest[hostId]?.domains.find((d) => d.name === name)?.cpuPercent);
  const common = { history: data.history, version: data.version };
  return (
    <section className="perf" aria-label={t('perf.title')} data-testid="domain-performance">
      <div className="perf-head">
        <RangePicker range={range} onChange={setRange} />
        <span className="muted">
          {t('chart.cpu')}: <strong data-testid="domain-cpu-now">{formatPercent(now)}</strong>
        </span>
      </div>
      <LiveStatus hostId={hostId} />
      {data.error && (
        <p className="error" role="alert">
          {t('perf.loadFailed', { error: data.error })}
        </p>
      )}
      <div className="chart-grid">
        <TimeChart {...common} title={t('chart.cpu')} testId="chart-domain-cpu" unit="percent" minMax={100} series={[{ key: 'cpuPercent', label: t('series.cpu'), color: '--accent' }]} />
        <TimeChart
          {...common}
          title={t('chart.memory')}
          testId="chart-domain-mem"
          unit="kib"
          series={[
            { key: 'memKiB', label: t('series.used'), color: '--ok' },
            { key: 'maxMemKiB', label: t('series.max'), color: '--muted' },
          ]}
        />
        <TimeChart
          {...common}
          title={t('chart.network')}
          testId="chart-domain-net"
          unit="kibps"
          series={[
            { key: 'netRxKiBps', label: t('series.rx'), color: '--accent' },
            { key: 'netTxKiBps', label: t('series.tx'), color: '--warn' },
          ]}
        />
        <TimeChart
          {...common}
          title={t('chart.diskReq')}
          testId="chart-domain-disk-req"
          unit="perSecond"
          series={[
            { key: 'vbdRdPs', label: t('series.read'), color: '--ok' },
            { key: 'vbdWrPs', label: t('series.write'), color: '--bad' },
          ]}
        />
        <TimeChart
          {...common}
          title={t('chart.diskSect')}
          testId="chart-domain-disk-sect"
          unit="sectors"
          series={[
            { key: 'vbdRsectPs', label: t('series.read'), color: '--ok' },
            { key: 'vbdWsectPs', label: t('series.write'), color: '--bad' },
          ]}
        />
        <TimeChart {...common} title={t('chart.vcpus')} testId="chart-domain-vcpus" unit="count" series={[{ key: 'vcpus', label: t('series.vcpus'), color: '--busy' }]} />
      </div>
    </section>
  );
}
