// End to end in browser mode: the real main process (runBrowserMode) serving the built renderer
// to Debian's Chromium, driven by Playwright, on the built-in demo host. The demo host is a
// simulation: these tests prove the UI and the contract, not anything about a real Xen host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runBrowserMode } from '../../main/browser';

const CHROMIUM = '/usr/bin/chromium';
const home = mkdtempSync(path.join(tmpdir(), 'hearth-e2e-'));
let running: Awaited<ReturnType<typeof runBrowserMode>>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(path.resolve('dist/renderer/index.html')), 'build the renderer first: node scripts/build.mjs --renderer');
  running = await runBrowserMode({ home });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(running.url);
});

after(async () => {
  await browser?.close();
  await running?.close();
  rmSync(home, { recursive: true, force: true });
});

test('with no hosts the empty state offers to add one or try the demo', async () => {
  await page.getByTestId('empty-state').waitFor();
  assert.equal(await page.getByTestId('empty-add-host').isVisible(), true);
  assert.equal(await page.getByTestId('empty-try-demo').isVisible(), true);
});

test('the demo host connects, says "simulation", and lists its domains', async () => {
  await page.getByTestId('empty-try-demo').click();
  const hostItem = page.locator('[data-testid^="host-item-"][data-state="connected"]');
  await hostItem.waitFor({ timeout: 15_000 });
  assert.match(await hostItem.innerText(), /simulation/i);
  await page.getByTestId('demo-banner').waitFor();
  await page.getByTestId('host-overview').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid^="domain-row-"]').first().waitFor({ timeout: 15_000 });
  const rows = await page.locator('[data-testid^="domain-row-"]').count();
  assert.ok(rows >= 2, `expected the demo's domains, saw ${rows} rows`);
});

async function firstDomainIn(...states: string[]): Promise<string> {
  const selector = states.map((state) => `[data-testid^="domain-row-"][data-state="${state}"]`).join(', ');
  const row = page.locator(selector).filter({ hasNotText: 'Domain-0' }).first();
  await row.waitFor({ timeout: 15_000 });
  const testId = await row.getAttribute('data-testid');
  return testId!.slice('domain-row-'.length);
}

test('shut down and start a domain from its page, with progress in the task drawer', async () => {
  const name = await firstDomainIn('running', 'blocked');
  await page.getByTestId(`domain-row-${name}`).getByRole('button').click();
  await page.getByTestId('domain-page').waitFor();

  const clickedAt = Date.now();
  await page.getByTestId('action-shutdown').click();
  await page.getByTestId('action-result').waitFor({ timeout: 1000 });
  assert.ok(Date.now() - clickedAt < 1000, 'the action shows its state at once');
  await page.locator('[data-testid^="task-item-"]').first().waitFor();
  await page.locator(`[data-testid="domain-state"][data-state="stopped"]`).waitFor({ timeout: 30_000 });

  await page.getByTestId('action-start').click();
  await page.locator('[data-testid="domain-state"][data-state="running"], [data-testid="domain-state"][data-state="blocked"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid^="task-item-"][data-state="failed"]').count(), 0);
});

test('force off asks for the domain name and refuses anything else', async () => {
  const name = (await page.getByTestId('domain-page').getAttribute('data-domain'))!;
  await page.getByTestId('action-destroy').click();
  const dialog = page.getByTestId('dialog-force-off');
  await dialog.waitFor();
  await page.getByTestId('force-off-name').fill(name.slice(0, -1));
  assert.equal(await page.getByTestId('force-off-confirm').isDisabled(), true);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  await page.getByTestId('action-destroy').click();
  await page.getByTestId('force-off-name').fill(name);
  await page.getByTestId('force-off-confirm').click();
  await page.locator('[data-testid="domain-state"][data-state="stopped"]').waitFor({ timeout: 30_000 });
});

test('edit the config: the diff is shown before writing, then the backup path', async () => {
  await page.getByTestId('tab-config').click();
  const editor = page.getByTestId('config-editor');
  await editor.waitFor({ timeout: 15_000 });
  const text = await editor.inputValue();
  assert.match(text, /name\s*=/);
  assert.equal(await page.getByTestId('config-readonly').count(), 0, 'the demo host lets its config files be edited');
  await editor.fill(`${text.trimEnd()}\n# edited by the e2e test\n`);
  await page.getByTestId('config-save').click();
  const diff = page.getByTestId('config-diff');
  await diff.waitFor({ timeout: 15_000 });
  assert.match(await diff.innerText(), /\+# edited by the e2e test/);
  await page.getByTestId('config-diff-confirm').click();
  const saved = page.getByTestId('config-backup-path');
  await saved.waitFor({ timeout: 15_000 });
  assert.match(await saved.innerText(), /\//);
});

test('save a domain to a file, then restore it from the host page', async () => {
  await page.locator('[data-testid^="host-item-"]').first().click();
  const name = await firstDomainIn('running', 'blocked');
  await page.getByTestId(`domain-row-${name}`).getByRole('button').click();
  await page.getByTestId('domain-page').waitFor();
  await page.getByTestId('action-save').click();
  const file = (await page.getByTestId('save-path').inputValue()).trim();
  assert.match(file, /^\/.+\.save$/);
  await page.getByTestId('save-confirm').click();
  await page.locator('[data-testid="domain-state"][data-state="stopped"]').waitFor({ timeout: 30_000 });

  await page.locator('[data-testid^="host-item-"]').first().click();
  await page.getByTestId('host-restore').click();
  await page.getByTestId('restore-path').fill(file);
  await page.getByTestId('restore-confirm').click();
  await page.locator(`[data-testid="domain-row-${name}"]:not([data-state="stopped"])`).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid^="task-item-"][data-state="failed"]').count(), 0);
});

test('no script errors and no CSP violations on the way', () => {
  assert.deepEqual(pageErrors, []);
});
