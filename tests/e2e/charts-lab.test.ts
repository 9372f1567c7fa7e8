// Live charts against the REAL lab host (labUp('metrics')), in Chromium through browser mode:
// the busy PV guest's CPU as shown in the top table rises, and xentop really ends on the host
// when the page lets go of live metrics (checked with pgrep over the lab's own ssh).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startApp, type App } from '../harness/browser';
import { labDown, labUp, type HostInfo } from '../lab/harness';
import { destroyGuest, startBusyGuest, xentopPids } from '../integration/metrics-guest';
import { setVisibility } from './charts-helpers';

const LAB = 'metrics';
let host: HostInfo;
let app: App;

/**
 * Poll until `probe` gives a value. A probe that fails (the emulated Dom0's sshd now and then
 * drops a new connection during key exchange) is tried again; if it never succeeds, the last
 * failure is part of the timeout's message.
 */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${lastError ? ` (last probe failed: ${String(lastError)})` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

before(async () => {
  assert.ok(existsSync(path.resolve('dist/renderer/index.html')), 'build the renderer first: node scripts/build.mjs --renderer');
  host = await labUp(LAB);
  await startBusyGuest(LAB);
  app = await startApp({
    seed: [{ name: 'lab', address: host.address, port: host.port, user: host.user, identityFile: host.identityFile, knownHostsFile: host.knownHostsFile }],
  });
});

after(async () => {
  await app?.close();
  if (!process.env.HEARTH_LAB_KEEP) {
    await destroyGuest(LAB).catch(() => undefined);
    await labDown(LAB);
  }
});

test('the busy guest\'s CPU rises in the live top table, from one xentop on the host', { timeout: 400_000 }, async () => {
  const { page } = app;
  // Opening the host's page connects it (its domains are watched); Connect is only needed if that failed.
  await page.getByTestId('host-item-lab').click();
  await page.waitForTimeout(1000);
  if (await page.getByTestId('host-connect').isVisible()) await page.getByTestId('host-connect').click().catch(() => undefined);
  await page.locator('[data-testid="host-item-lab"][data-state="connected"]').waitFor({ timeout: 180_000 });
  await page.getByTestId('host-performance').waitFor({ timeout: 30_000 });
  const cell = page.getByTestId('top-cpuPercent-pvtest');
  // The VALUE shown: the text in the CPU % cell, parsed back.
  let seen = '';
  const shown = await until('pvtest above 50 % CPU in the table', 90_000, async () => {
    if (!(await cell.count())) return undefined;
    seen = (await cell.innerText()).trim();
    const m = /^(\d+\.\d) %$/.exec(seen);
    return m && Number(m[1]) > 50 ? Number(m[1]) : undefined;
  });
  assert.ok(shown > 50 && shown < 200, `shown ${shown} % (last text ${seen})`);
  assert.equal((await page.getByTestId('top-memKiB-pvtest').innerText()).trim(), '96.0 MiB');
  // The host chart fills with points.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart-host-cpu"]')?.getAttribute('data-points')) >= 3, undefined, { timeout: 30_000 });
  // One xentop for the host (never two). The lab's emulated sshd drops a connection now and
  // then; Hearth then reconnects and starts xentop again, so wait through such a gap.
  const pids = await until('xentop running on the host', 60_000, async () => {
    const found = await xentopPids(LAB);
    assert.ok(found.length <= 1, `xentop processes: ${found.join(', ')}`);
    return found.length === 1 ? found : undefined;
  });
  assert.equal(pids.length, 1);
  await app.screenshot('charts-lab-host');
});

test('the domain\'s Performance tab shows its CPU figure and charts live', { timeout: 200_000 }, async () => {
  const { page } = app;
  // The domain page comes from the domains list (xl list + the config inventory).
  await page.getByTestId('sidebar-domain-pvtest').click({ timeout: 90_000 });
  await page.getByTestId('tab-performance').click();
  const now = await until('the domain\'s CPU figure', 30_000, async () => {
    const m = /(\d+\.\d) %/.exec(await page.getByTestId('domain-cpu-now').innerText());
    return m ? Number(m[1]) : undefined;
  });
  assert.ok(now > 50, `domain page shows ${now} %`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="chart-domain-cpu"]')?.getAttribute('data-points')) >= 3, undefined, { timeout: 30_000 });
  await app.screenshot('charts-lab-domain');
});

test('when the page lets go (hidden), xentop ends on the host; visible again, it comes back', { timeout: 300_000 }, async () => {
  const { page } = app;
  await setVisibility(page, 'hidden');
  await until('no xentop on the host', 60_000, async () => ((await xentopPids(LAB)).length === 0 ? true : undefined));
  await setVisibility(page, 'visible');
  await until('xentop again', 90_000, async () => ((await xentopPids(LAB)).length === 1 ? true : undefined));
  // Leaving the host's pages (nothing holds its metrics) ends it too.
  await page.getByTestId('host-item-lab').click();
  await page.getByTestId('sidebar-add-host').click();
  await page.keyboard.press('Escape');
  await page.close();
  await until('no xentop after the window closed', 30_000, async () => ((await xentopPids(LAB)).length === 0 ? true : undefined));
});
