// Charts end to end on the built-in demo host (a simulation): proves the UI wiring — the live
// top table, host and domain charts, range picker, sparklines, pausing when hidden — not
// anything about a real Xen host (tests/e2e/charts-lab.test.ts does that on the lab).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MetricsStatus } from '../../common/model/metrics';
import { startApp, type App } from '../harness/browser';
import { setVisibility } from './charts-helpers';

let app: App;
const statuses: MetricsStatus[] = [];

before(async () => {
  assert.ok(existsSync(path.resolve('dist/renderer/index.html')), 'build the renderer first: node scripts/build.mjs --renderer');
  app = await startApp();
  app.api.on('metrics.status', (s) => statuses.push(s));
});

after(async () => {
  await app?.close();
});

test('the host page shows a live top table with CPU figures and host charts', async () => {
  const { page } = app;
  await page.getByTestId('empty-try-demo').click();
  await page.locator('[data-testid^="host-item-"][data-state="connected"]').waitFor({ timeout: 15_000 });
  await page.getByTestId('host-performance').waitFor({ timeout: 15_000 });
  const dom0Cpu = page.getByTestId('top-cpuPercent-Domain-0');
  await page.waitForFunction(() => {
    const cell = document.querySelector('[data-testid="top-cpuPercent-Domain-0"]');
    return cell && cell.getAttribute('data-value') !== '';
  }, undefined, { timeout: 20_000 });
  assert.match(await dom0Cpu.innerText(), /^\d+\.\d %$/);
  const rows = await page.locator('[data-testid^="top-row-"]').count();
  assert.ok(rows >= 2, `rows: ${rows}`);
  // Sorted by CPU % (descending) by default; clicking Name sorts by name.
  await page.getByTestId('top-sort-name').click();
  await page.getByTestId('top-sort-name').click();
  const names = await page.locator('[data-testid^="top-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(8)));
  assert.deepEqual(names, [...names].sort((a, b) => b.toLowerCase().localeCompare(a.toLowerCase())));
  // The host CPU chart fills with points, one per sample.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart-host-cpu"]')?.getAttribute('data-points')) >= 3, undefined, { timeout: 20_000 });
  assert.equal(await page.locator('[data-testid="chart-host-cpu"] canvas').count(), 1);
  // Hover shows the exact value with its unit in the legend.
  const over = page.locator('[data-testid="chart-host-cpu"] .u-over');
  const box = (await over.boundingBox())!;
  let legend = '';
  for (let i = 0; i < 20 && !/\d+\.\d %/.test(legend); i++) {
    await page.mouse.move(box.x + box.width - 2 - (i % 2), box.y + box.height / 2);
    legend = await page.locator('[data-testid="chart-host-cpu"] .u-legend').innerText();
    if (!/\d+\.\d %/.test(legend)) await page.waitForTimeout(250);
  }
  assert.match(legend, /\d+\.\d %/);
  // Sparklines in the sidebar while the host is sampled.
  await page.locator('[data-testid^="spark-"]').first().waitFor({ timeout: 10_000 });
  await app.screenshot('charts-demo-host');
});

test('the range picker reads the downsampled history (1 day) with min/max', async () => {
  const { page } = app;
  await page.getByTestId('range-1d').click();
  // The chart is rebuilt with a min-max band once the 1-minute buckets arrive.
  await page.waitForFunction(() => /max/.test(document.querySelector('[data-testid="chart-host-cpu"] .u-legend')?.textContent ?? ''), undefined, { timeout: 10_000 });
  assert.ok(Number(await page.getByTestId('chart-host-cpu').getAttribute('data-points')) >= 1);
  await page.getByTestId('range-5m').click();
});

test('a domain\'s Performance tab shows its charts and current CPU', async () => {
  const { page } = app;
  const row = page.locator('[data-testid^="top-row-"]').filter({ hasNotText: 'Domain-0' }).first();
  const name = (await row.getAttribute('data-testid'))!.slice('top-row-'.length);
  await page.getByTestId(`sidebar-domain-${name}`).click();
  await page.getByTestId('tab-performance').click();
  await page.getByTestId('domain-performance').waitFor();
  for (const id of ['chart-domain-cpu', 'chart-domain-mem', 'chart-domain-net', 'chart-domain-disk-req', 'chart-domain-disk-sect', 'chart-domain-vcpus']) {
    await page.getByTestId(id).waitFor();
  }
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="domain-cpu-now"]')?.textContent ?? ''), undefined, { timeout: 15_000 });
  await app.screenshot('charts-demo-domain');
});

test('a hidden window lets go of live metrics; showing it again resumes them', async () => {
  const { page } = app;
  const before = statuses.length;
  await setVisibility(page, 'hidden');
  await page.getByTestId('metrics-status').waitFor();
  const deadline = Date.now() + 10_000;
  while (!statuses.slice(before).some((s) => !s.running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(statuses.slice(before).some((s) => !s.running), 'the sampler stopped when the only window hid');
  await setVisibility(page, 'visible');
  const deadline2 = Date.now() + 10_000;
  while (!statuses.slice(before).some((s) => s.running) && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 100));
  assert.ok(statuses.slice(before).some((s) => s.running), 'sampling resumed');
});
