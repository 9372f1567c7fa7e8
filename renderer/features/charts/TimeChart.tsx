// One uPlot chart over a shared history: a line per series (the average for downsampled ranges,
// with a min-max band behind it), hover values with units in the legend, colours from the
// app's CSS variables so light and dark themes both read well.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsHistory } from '../../../common/model/metrics';
import { formatters, type Unit } from './units';

export interface ChartSeries {
  key: string;
  label: string;
  /** A CSS variable of the app's theme, e.g. --accent. */
  color: string;
}

export interface TimeChartProps {
  title: string;
  testId: string;
  unit: Unit;
  series: ChartSeries[];
  history: MetricsHistory | null;
  version: number;
  height?: number;
  /** Fix the y axis from 0 to at least this (e.g. 100 for percent). */
  minMax?: number;
}

function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback;
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

function alpha(color: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/** uPlot's data for a history: x, then per series avg (and max, min when downsampled). */
export function alignedData(history: MetricsHistory, series: ChartSeries[]): uPlot.AlignedData {
  const downsampled = history.range === '1d' || history.range === '30d';
  const cols: (number | null)[][] = [];
  for (const s of series) {
    const data = history.series[s.key];
    const empty = () => history.t.map(() => null);
    cols.push(data?.avg ?? empty());
    if (downsampled) {
      cols.push(data?.max ?? empty());
      cols.push(data?.min ?? empty());
    }
  }
  return [history.t, ...cols] as uPlot.AlignedData;
}

const WINDOW_SECONDS: Record<MetricsHistory['range'], number> = { '5m': 300, '1h': 3600, '1d': 86400, '30d': 30 * 86400 };

export function chartOptions(
  props: Pick<TimeChartProps, 'unit' | 'series' | 'minMax'>,
  range: MetricsHistory['range'],
  width: number,
  height: number,
): uPlot.Options {
  const downsampled = range === '1d' || range === '30d';
  const windowSeconds = WINDOW_SECONDS[range];
  const format = formatters[props.unit];
  const text = cssVar('--muted', '#5d6670');
  const grid = cssVar('--border', '#d5d9df');
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  for (const s of props.series) {
    const color = cssVar(s.color, '#2f6fdb');
    const avgIdx = series.length;
    series.push({ label: s.label, stroke: color, width: 1.5, spanGaps: false, points: { show: false }, value: (_u, v) => format(v) });
    if (downsampled) {
      series.push({ label: `${s.label} max`, stroke: alpha(color, 0.35), width: 1, points: { show: false }, value: (_u, v) => format(v) });
      series.push({ label: `${s.label} min`, stroke: alpha(color, 0.35), width: 1, points: { show: false }, value: (_u, v) => format(v) });
      bands.push({ series: [avgIdx + 1, avgIdx + 2], fill: alpha(color, 0.15) });
    }
  }
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height,
    series,
    bands,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    scales: {
      // The whole range, ending at the newest point: a young series grows in from the right.
      x: { time: true, range: (_u, _min, max) => [(max ?? Date.now() / 1000) - windowSeconds, max ?? Date.now() / 1000] },
      y: {
        range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(props.minMax ?? 0, max ?? 0, 1) * (props.minMax && (max ?? 0) <= props.minMax ? 1 : 1.1)],
      },
    },
    axes: [
      { ...axis },
      { ...axis, size: 70, values: (_u, splits) => splits.map((v) => format(v)) },
    ],
  };
}

export function TimeChart(props: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const range = props.history?.range ?? '5m';
  const seriesKey = props.series.map((s) => `${s.key}:${s.label}:${s.color}`).join('|');
  const height = props.height ?? 160;

  // Build the chart when its shape changes (series, range kind) or the system theme flips.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const build = () => {
      plot.current?.destroy();
      const width = Math.max(200, el.clientWidth);
      const data = props.history ? alignedData(props.history, props.series) : alignedData({ hostId: '', domain: null, range: '5m', stepSeconds: 1, t: [], series: {} }, props.series);
      plot.current = new uPlot(chartOptions(props, range, width, height), data, el);
    };
    build();
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    media?.addEventListener('change', build);
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (plot.current && Math.abs(plot.current.width - width) > 2) plot.current.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      media?.removeEventListener('change', build);
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [seriesKey, range, height, props.unit, props.minMax]);

  useEffect(() => {
    if (plot.current && props.history) plot.current.setData(alignedData(props.history, props.series));
  }, [props.history, props.version]);

  const points = props.history?.t.length ?? 0;
  return (
    <figure className="chart" data-testid={props.testId} data-points={points}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} className="chart-plot" />
    </figure>
  );
}
