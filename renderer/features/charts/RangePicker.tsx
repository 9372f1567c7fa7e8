// The time range of a performance view, and the sampling interval setting.
import { useEffect, useState } from 'react';
import type { MetricsRange } from '../../../common/model/metrics';
import { api } from '../../api/transport';
import { useMetrics } from './metrics';
import { useChartT } from './strings';

const RANGES: MetricsRange[] = ['5m', '1h', '1d', '30d'];
const INTERVALS = [1, 2, 5, 10, 30];

export function RangePicker({ range, onChange }: { range: MetricsRange; onChange: (range: MetricsRange) => void }) {
  const t = useChartT();
  return (
    <div className="segmented" role="radiogroup" aria-label={t('perf.range')} data-testid="range-picker">
      {RANGES.map((r) => (
        <button key={r} type="button" role="radio" aria-checked={range === r} className={range === r ? 'on' : undefined} data-testid={`range-${r}`} onClick={() => onChange(r)}>
          {t(`perf.range.${r}`)}
        </button>
      ))}
    </div>
  );
}

export function IntervalSetting() {
  const t = useChartT();
  const current = useMetrics((s) => s.intervalSeconds);
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(current), [current]);
  const change = async (seconds: number) => {
    setValue(seconds);
    setError(null);
    try {
      const saved = await api.call('metrics.setSettings', { intervalSeconds: seconds });
      useMetrics.setState({ intervalSeconds: saved.intervalSeconds });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setValue(current);
    }
  };
  return (
    <label className="interval">
      {t('perf.interval')}{' '}
      <select data-testid="metrics-interval" value={value} onChange={(e) => void change(Number(e.target.value))}>
        {INTERVALS.map((n) => (
          <option key={n} value={n}>
            {t('perf.seconds', { n })}
          </option>
        ))}
      </select>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
