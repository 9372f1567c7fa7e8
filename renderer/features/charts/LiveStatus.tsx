// Says why live figures are not moving: hidden window, waiting for xentop, or its error.
import { useMetrics } from './metrics';
import { useChartT } from './strings';

export function LiveStatus({ hostId }: { hostId: string }) {
  const t = useChartT();
  const hidden = useMetrics((s) => s.hidden);
  const status = useMetrics((s) => s.status[hostId]);
  const hasSample = useMetrics((s) => Boolean(s.latest[hostId]));
  let text: string | null = null;
  let tone = 'info';
  if (hidden) text = t('perf.paused');
  else if (status?.error && !status.running) {
    text = t('perf.stopped', { error: status.error });
    tone = 'error';
  } else if (!hasSample) text = t('perf.waiting');
  if (!text) return null;
  return (
    <div className={`banner banner-${tone}`} role="status" data-testid="metrics-status">
      {text}
    </div>
  );
}
