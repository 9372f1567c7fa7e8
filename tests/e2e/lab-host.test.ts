// End to end against the REAL Xen 4.17 lab host (QEMU), in browser mode driven through
// Debian's Chromium: add the host through the UI, accept its key (fingerprint checked against
// the lab's recorded key), see Domain-0, start the PV guest from its config, watch its state
// change, shut it down. Changes made with `xl` behind Hearth's back show up within seconds.
// Screenshots land in test-results/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type App } from '../harness/browser';
import { labDown, labShell, labUp, type HostInfo } from '../lab/harness';

const LAB = 'e2e';
let lab: HostInfo;
let app: App;

before(async () => {
  lab = await labUp(LAB);
  // A clean slate: no guest left running by an earlier run.
  await labShell(LAB, 'xl destroy pvtest 2>/dev/null; xl destroy hvmtest 2>/dev/null; true');
  app = await startApp();
});

after(async () => {
  await app?.close();
  await labShell(LAB, 'xl destroy pvtest 2>/dev/null; true').catch(() => undefined);
  await labDown(LAB);
});

test('add the lab host through the dialog and accept its key after checking the fingerprint', async () => {
  const { page } = app;
  await page.getByTestId('empty-add-host').click();
  await page.getByTestId('dialog-host').waitFor();
  await page.getByTestId('host-name').fill('Lab Xen');
  await page.getByTestId('host-address').fill(lab.address);
  await page.getByTestId('host-port').fill(String(lab.port));
  await page.getByTestId('host-user').fill(lab.user);
  await page.getByTestId('host-identity').fill(lab.identityFile);
  await page.getByTestId('host-submit').click();

  const prompt = page.getByTestId('dialog-hostkey');
  await prompt.waitFor({ timeout: 60_000 });
  assert.equal((await page.getByTestId('hostkey-fingerprint').innerText()).trim(), lab.hostKeyFingerprint);
  await app.screenshot('lab-host-key-prompt');
  await page.getByTestId('hostkey-remember').click();

  await page.locator('[data-testid="host-item-Lab Xen"][data-state="connected"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('host-overview').waitFor();
  assert.match(await page.getByTestId('host-xen-version').innerText(), /4\.17/);
});

test('Domain-0 and the config inventory (stopped pvtest) are listed', async () => {
  const { page } = app;
  // The first listing also reads the config inventory: allow for a loaded, emulated host.
  try {
    await page.getByTestId('domain-row-Domain-0').waitFor({ timeout: 60_000 });
  } catch (error) {
    await app.screenshot('lab-host-domains-missing');
    throw error;
  }
  const pv = page.getByTestId('domain-row-pvtest');
  await pv.waitFor({ timeout: 30_000 });
  assert.equal(await pv.getAttribute('data-state'), 'stopped');
  await app.screenshot('lab-host-domains');
});

test('start pvtest from its config, watch it run, shut it down', async () => {
  const { page } = app;
  await page.getByTestId('domain-row-pvtest').click();
  await page.getByTestId('domain-page').waitFor();
  await page.getByTestId('action-start').click();
  const domainPage = page.locator('[data-testid="domain-page"][data-domain="pvtest"]');
  // xl create takes 16-31 s under emulation.
  await page.locator('[data-testid="domain-page"][data-domain="pvtest"]:is([data-state="running"], [data-state="blocked"])').waitFor({ timeout: 120_000 });
  const listed = await labShell(LAB, 'xl list pvtest');
  assert.equal(listed.code, 0, 'xl on the host lists pvtest after Start');
  await app.screenshot('lab-pvtest-running');

  await page.getByTestId('action-shutdown').click();
  await page.locator('[data-testid="domain-page"][data-domain="pvtest"][data-state="stopped"]').waitFor({ timeout: 120_000 });
  const gone = await labShell(LAB, 'xl list pvtest');
  assert.notEqual(gone.code, 0, 'pvtest is no longer running on the host');
  assert.equal(await domainPage.getAttribute('data-state'), 'stopped');
});

test('a domain started with xl behind Hearth\'s back shows up live, and so does its end', async () => {
  const { page } = app;
  await page.locator('[data-testid^="host-item-Lab Xen"]').click();
  await page.getByTestId('domains-table').waitFor();
  await labShell(LAB, 'xl create /etc/xen/pvtest.cfg', { timeoutMs: 120_000 });
  const t0 = Date.now();
  await page.locator('[data-testid="domain-row-pvtest"]:not([data-state="stopped"])').waitFor({ timeout: 15_000 });
  const seenAfterMs = Date.now() - t0;
  await labShell(LAB, 'xl destroy pvtest', { timeoutMs: 120_000 });
  // Under emulation a destroyed domain can linger a while as "dying": wait until xl itself no
  // longer lists it, then the UI has one polling interval (plus slack for a loaded machine).
  for (let i = 0; i < 60 && (await labShell(LAB, 'xl list pvtest')).code === 0; i++) await new Promise((r) => setTimeout(r, 1000));
  const t1 = Date.now();
  await page.locator('[data-testid="domain-row-pvtest"][data-state="stopped"]').waitFor({ timeout: 15_000 });
  console.log(`pvtest showed as stopped ${Date.now() - t1} ms after xl stopped listing it`);
  console.log(`pvtest appeared in the UI ${seenAfterMs} ms after xl create returned`);
});
