// Renderer redraw time in Chromium: 50 domain charts (the app's own uPlot options and data
// layout from renderer/features/charts/TimeChart.tsx), 4 series × 3600 points each, every chart
// given a new point and redrawn, many rounds, timed in the page with performance.now().
// Goal: ≤ 4 ms per chart redraw. Figures only, nothing asserted.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHARTS = 50;
const SERIES = 4;
const POINTS = 3600;
const ROUNDS = 20;

const ENTRY = `
import { alignedData, chartOptions } from './renderer/features/charts/TimeChart';
import uPlot from 'uplot';
const keys = ['cpuPercent', 'netRxKiBps', 'netTxKiBps', 'memKiB'].slice(0, ${SERIES});
function history(start) {
  const t = [], series = {};
  for (const k of keys) series[k] = { avg: [] };
  for (let i = 0; i < ${POINTS}; i++) {
    t.push(start + i);
    keys.forEach((k, j) => series[k].avg.push(50 + 40 * Math.sin((i + j * 300) / 200) + Math.random() * 5));
  }
  return { hostId: 'h', domain: 'd', range: '1h', stepSeconds: 1, t, series };
}
window.runBench = async () => {
  const grid = document.getElementById('grid');
  const series = keys.map((key, i) => ({ key, label: key, color: ['--accent', '--ok', '--warn', '--bad'][i] }));
  const plots = [];
  const histories = [];
  const now = Math.floor(Date.now() / 1000) - ${POINTS};
  for (let c = 0; c < ${CHARTS}; c++) {
    const el = document.createElement('div');
    grid.appendChild(el);
    const h = history(now);
    histories.push(h);
    plots.push(new uPlot(chartOptions({ unit: 'percent', series, minMax: 100 }, '1h', 400, 160), alignedData(h, series), el));
  }
  await new Promise((r) => requestAnimationFrame(() => r(null)));
  const times = [];
  for (let round = 0; round < ${ROUNDS}; round++) {
    const t0 = performance.now();
    for (let c = 0; c < ${CHARTS}; c++) {
      const h = histories[c];
      // One new sample per chart, the oldest dropped: what a live chart does every second.
      h.t.push(h.t[h.t.length - 1] + 1);
      h.t.shift();
      for (const k of keys) { h.series[k].avg.push(Math.random() * 100); h.series[k].avg.shift(); }
      plots[c].setData(alignedData(h, series));
    }
    await null; // uPlot commits in a microtask: the draws happen before this resumes
    times.push((performance.now() - t0) / ${CHARTS});
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
};
`;

export default async function metricsRedraw(): Promise<Record<string, unknown>> {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    loader: { '.css': 'empty' },
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const browser = await chromium.launch({ executablePath: process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent(`<!doctype html><html><head><style>:root{--accent:#2f6fdb;--ok:#1f9d55;--warn:#e07b00;--bad:#d0342c;--muted:#5d6670;--border:#d5d9df}</style></head><body><div id="grid"></div></body></html>`);
    await page.addStyleTag({ path: path.join(ROOT, 'node_modules/uplot/dist/uPlot.min.css') });
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const ms = (await page.evaluate('window.runBench()')) as { median: number; min: number; max: number };
    const round = (v: number) => Math.round(v * 1000) / 1000;
    return {
      charts: CHARTS,
      seriesPerChart: SERIES,
      pointsPerSeries: POINTS,
      rounds: ROUNDS,
      msPerChartRedraw: { median: round(ms.median), min: round(ms.min), max: round(ms.max) },
      goal: '<= 4 ms per redraw',
    };
  } finally {
    await browser.close();
  }
}
