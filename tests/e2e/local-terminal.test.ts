// End to end in browser mode (Chromium + Playwright): local terminals from the UI. "Local
// terminal" in the sidebar opens the login shell of this machine in xterm; a typed command's
// answer is read from xterm's buffer; leaving the page ends the shell. On a host's page, "Open
// with system ssh" runs this machine's ssh to the test sshd in the same view.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startApp, waitFor, type App } from '../harness/browser';
import { startSshd, type Sshd } from '../harness/sshd';

/** What xterm shows for the terminal under `key` (see TextConsole.tsx's test hook). */
function terminalText(page: Page, key: string): Promise<string> {
  return page.evaluate((k) => {
    const term = window.__hearthTerminals?.[k];
    if (!term) return '';
    const lines: string[] = [];
    const b = term.buffer.active;
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }, key);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

before(() => {
  assert.ok(existsSync(path.resolve('dist/renderer/index.html')), 'build the renderer first: node scripts/build.mjs --renderer');
});

describe('local terminal from the sidebar', { timeout: 120_000 }, () => {
  let app: App;

  before(async () => {
    app = await startApp();
  });

  after(async () => {
    await app?.close();
  });

  test('opens the shell of this machine; a typed command answers in the terminal', async () => {
    const { page } = app;
    await page.getByTestId('sidebar-local-terminal').click();
    await page.getByTestId('local-terminal-page').waitFor();
    await page.locator('[data-testid="local-terminal"][data-phase="connected"]').waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId('console-status').textContent()) ?? '', /A shell on this computer/);
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo hearth-$((6*7))\n', { delay: 10 });
    const text = await waitFor('the answer in the buffer', async () => {
      const t = await terminalText(page, 'local:shell');
      return /^hearth-42\s*$/m.test(t) ? t : null;
    });
    assert.ok(text.includes('echo hearth-$((6*7))'), 'the typed line is echoed too');
    await app.screenshot('local-terminal-shell');
  });

  test('leaving the page ends the shell', async () => {
    const { page } = app;
    await page.keyboard.type('echo "pid=[$$]"\n', { delay: 10 });
    const pid = Number(
      await waitFor('the shell pid', async () => /^pid=\[(\d+)\]\s*$/m.exec(await terminalText(page, 'local:shell'))?.[1]),
    );
    assert.ok(alive(pid), `the shell ${pid} runs`);
    // Somewhere else to go: the demo host's page.
    await app.api.call('hosts.addDemo');
    await page.locator('[data-testid^="host-item-"]').first().click();
    await page.getByTestId('host-page').waitFor();
    await waitFor(`the shell ${pid} to end`, async () => !alive(pid), 10_000, 100);
  });

  test('the demo host offers no system ssh (there is no machine behind it)', async () => {
    await app.page.getByTestId('host-page').waitFor();
    assert.equal(await app.page.getByTestId('host-open-system-ssh').count(), 0);
  });
});

describe('open with system ssh from a host page', { timeout: 120_000 }, () => {
  let app: App;
  let sshd: Sshd;
  let dir: string;

  before(async () => {
    sshd = await startSshd();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-local-ssh-'));
    const knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    app = await startApp({
      // Hearth's own connection trusts the key too, so no host key prompt stands in the way.
      seed: [{ name: 'sshd', address: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.userKeyPath, knownHostsFile: knownHosts }],
      // Hermetic: this test's known_hosts only, never the machine's ~/.ssh.
      localTerminals: {
        sshOptions: ['-F', 'none', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'IdentitiesOnly=yes'],
      },
    });
  });

  after(async () => {
    await app?.close();
    await sshd?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the host page's button opens the system ssh; a command runs on the host", async () => {
    const { page } = app;
    await page.getByTestId('host-item-sshd').click();
    await page.getByTestId('host-open-system-ssh').click();
    await page.locator('[data-testid="local-terminal-page"][data-target="ssh"]').waitFor();
    assert.match((await page.locator('h1').textContent()) ?? '', /System ssh to sshd/);
    await page.locator('[data-testid="local-terminal"][data-phase="connected"]').waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId('console-status').textContent()) ?? '', /ssh -t .* -- 127\.0\.0\.1/);
    await page.getByTestId('terminal').click();
    const key = 'local:ssh:seed-0-sshd';
    await waitFor('the remote prompt', async () => /\$ *$/m.test(await terminalText(page, key)));
    await page.keyboard.type('echo "ssh-$((6*7))-$(whoami)"\n', { delay: 10 });
    await waitFor('the remote answer', async () => new RegExp(`^ssh-42-${sshd.user}\\s*$`, 'm').test(await terminalText(page, key)));
    await app.screenshot('local-terminal-system-ssh');
    await page.keyboard.type('exit\n', { delay: 10 });
    await page.locator('[data-testid="local-terminal"][data-phase="disconnected"]').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('console-again').isVisible(), true, 'it offers to open again');
  });
});
