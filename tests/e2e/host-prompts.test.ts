// End to end: adding a real SSH host from the UI. A real OpenSSH server (tests/harness/sshd.ts)
// answers on loopback; the host key prompt must show its true SHA256 fingerprint, and rejecting
// it must leave the host disconnected with a reason. The add-host dialog validates inline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runBrowserMode } from '../../main/browser';
import { startSshd, type Sshd } from '../harness/sshd';

const home = mkdtempSync(path.join(tmpdir(), 'hearth-e2e-prompts-'));
let running: Awaited<ReturnType<typeof runBrowserMode>>;
let browser: Browser;
let page: Page;
let sshd: Sshd;

function fingerprintOf(knownHostsLine: string): string {
  const blob = knownHostsLine.trim().split(/\s+/).find((part, i, all) => i > 0 && /^ssh-|^ecdsa-/.test(all[i - 1]));
  assert.ok(blob, `no key in ${knownHostsLine}`);
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

before(async () => {
  sshd = await startSshd();
  running = await runBrowserMode({ home });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(running.url);
});

after(async () => {
  await browser?.close();
  await running?.close();
  await sshd?.dispose();
  rmSync(home, { recursive: true, force: true });
});

test('the add-host dialog says what is missing beside each field, and Esc closes it', async () => {
  await page.getByTestId('empty-add-host').click();
  const dialog = page.getByTestId('dialog-host');
  await dialog.waitFor();
  await page.getByTestId('host-name').fill('');
  await page.getByTestId('host-address').fill('');
  await page.getByTestId('host-submit').click();
  const errors = await dialog.locator('.field-error').allInnerTexts();
  assert.ok(errors.some((e) => /name/i.test(e)), `expected a name error, saw ${JSON.stringify(errors)}`);
  assert.ok(errors.some((e) => /address/i.test(e)), `expected an address error, saw ${JSON.stringify(errors)}`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});

test('an unknown host key is shown with its real fingerprint; rejecting it leaves the host disconnected', async () => {
  await page.getByTestId('empty-add-host').click();
  await page.getByTestId('host-name').fill('loopback sshd');
  await page.getByTestId('host-address').fill('127.0.0.1');
  await page.getByTestId('host-port').fill(String(sshd.port));
  await page.getByTestId('host-user').fill(sshd.user);
  await page.getByTestId('host-identity').fill(sshd.userKeyPath);
  await page.getByTestId('host-submit').click();

  const prompt = page.getByTestId('dialog-hostkey');
  await prompt.waitFor({ timeout: 15_000 });
  assert.equal(await page.getByTestId('hostkey-host').innerText(), `127.0.0.1:${sshd.port}`);
  assert.equal(await page.getByTestId('hostkey-fingerprint').innerText(), fingerprintOf(sshd.knownHostsLine));
  await page.getByTestId('hostkey-reject').click();
  await prompt.waitFor({ state: 'detached' });

  const item = page.getByTestId('host-item-loopback sshd');
  await page.locator('[data-testid="host-item-loopback sshd"][data-state="disconnected"], [data-testid="host-item-loopback sshd"][data-state="lost"]').waitFor({ timeout: 15_000 });
  assert.notEqual(await item.getAttribute('data-state'), 'connected');
  await page.getByTestId('host-error').waitFor({ timeout: 15_000 });
  assert.ok((await page.getByTestId('host-error').innerText()).length > 10, 'the reason is said in words');
});
