// A small CPU sparkline for a domain in the sidebar and lists: the last minute of samples,
// drawn on a canvas (cheap enough for many rows), scaled 0-100 % of one CPU per vCPU.
import { useEffect, useRef } from 'react';
import { useMetrics } from './metrics';
import { useChartT } from './strings';
import { formatPercent } from './units';

const EMPTY: (number | null)[] = [];

export function Sparkline({ hostId, name, width = 48, height = 14 }: { hostId: string; name: string; width?: number; height?: number }) {
  const t = useChartT();
  const trail = useMetrics((s) => s.trails[hostId]?.[name]) ?? EMPTY;
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = [...trail].reverse().find((v) => v !== null) ?? null;

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    el.width = width * ratio;
    el.height = height * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const known = trail.filter((v): v is number => v !== null);
    if (known.length < 2) return;
    const top = Math.max(100, ...known);
    ctx.strokeStyle = getComputedStyle(el).getPropertyValue('--accent').trim() || '#2f6fdb';
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    let pen = false;
    trail.forEach((v, i) => {
      const x = (i / Math.max(1, trail.length - 1)) * (width - 1);
      if (v === null) {
        pen = false;
        return;
      }
      const y = height - 1 - (v / top) * (height - 2);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    });
    ctx.stroke();
  }, [trail, width, height]);

  if (trail.length === 0) return null;
  return (
    <canvas
      ref={canvas}
      className="sparkline"
      style={{ width, height }}
      role="img"
      aria-label={t('spark.label', { value: formatPercent(last) })}
      data-testid={`spark-${name}`}
      data-last={last ?? ''}
    />
  );
}
