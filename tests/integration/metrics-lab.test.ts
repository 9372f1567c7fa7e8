// Live metrics against the REAL lab host (labUp('metrics')): the metrics service runs one
// xentop over the product's own SshConnection; the checks read the host back over the lab's
// own ssh (pgrep), independently of Hearth.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { MetricsSample } from '../../common/model/metrics';
import { EventHub, type Frame } from '../../common/rpc/index';
import { MetricsService } from '../../main/services/metrics';
import { MetricsStore } from '../../main/services/metrics-store';
import type { SshConnection } from '../../main/ssh';
import { createDriver, type ToolstackDriver } from '../../main/toolstack/driver';
import { labConnection } from '../lab/connection';
import { labDown, labUp, type HostInfo } from '../lab/harness';
import { destroyGuest, startBusyGuest, xentopPids } from './metrics-guest';

const LAB = 'metrics';

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('metrics on the real Xen 4.17 lab host', { timeout: 15 * 60_000 }, () => {
  let host: HostInfo;
  let connection: SshConnection;
  let driver: ToolstackDriver;
  let work: string;
  const samples: MetricsSample[] = [];
  const hub = new EventHub();
  hub.attach({
    send: (frame: Frame) => {
      if (frame.t === 'event' && frame.name === 'metrics.sample') samples.push(frame.payload as MetricsSample);
    },
    onFrame: () => () => undefined,
    onClose: () => () => undefined,
  });
  const makeService = () =>
    new MetricsService(
      { driver: async () => driver, executorOf: async () => connection },
      hub,
      { store: new MetricsStore(join(work, 'metrics')) },
    );

  before(async () => {
    host = await labUp(LAB);
    work = mkdtempSync(join(tmpdir(), 'hearth-metrics-it-'));
    connection = labConnection(host, work);
    driver = await createDriver(connection, { user: host.user });
    await startBusyGuest(LAB);
  });

  after(async () => {
    connection?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (!process.env.HEARTH_LAB_KEEP) {
      await destroyGuest(LAB).catch(() => undefined);
      await labDown(LAB);
    }
  });

  test('one xentop while subscribed: the busy guest\'s CPU rises; unsubscribing ends xentop on the host', async () => {
    assert.deepEqual(await xentopPids(LAB), [], 'no xentop before anyone subscribes');
    const service = makeService();
    const sub = await service.subscribe('window-1', 'lab');
    assert.equal(sub.intervalSeconds, 1);
    assert.equal(sub.status.running, true);
    await service.subscribe('window-2', 'lab');
    const busy = await until('pvtest above 50 % CPU', 60_000, () =>
      samples.find((s) => (s.domains.find((d) => d.name === 'pvtest')?.cpuPercent ?? 0) > 50),
    );
    const guest = busy.domains.find((d) => d.name === 'pvtest')!;
    const ids = (await driver.list()).find((r) => r.name === 'pvtest')!.id;
    await until('pvtest ID learnt', 10_000, () => (samples[samples.length - 1].domains.find((d) => d.name === 'pvtest')?.id === ids ? true : undefined));
    assert.equal(guest.memKiB, 96 * 1024);
    assert.equal(busy.host.nrCpus, 2);
    assert.ok(busy.host.cpuPercent! >= guest.cpuPercent! / 2 - 1e-9);
    assert.ok(busy.host.freeMemKiB! > 0 && busy.host.freeMemKiB! < busy.host.totalMemKiB);
    assert.equal(busy.domains[0].name, 'Domain-0');
    // Samples arrive about once a second, from ONE xentop process for both windows.
    const n = samples.length;
    await new Promise((r) => setTimeout(r, 4_000));
    assert.ok(samples.length - n >= 2 && samples.length - n <= 6, `${samples.length - n} samples in 4 s`);
    assert.equal((await xentopPids(LAB)).length, 1);

    service.unsubscribe('window-1', 'lab');
    assert.equal(service.isSampling('lab'), true, 'another window still looks');
    service.unsubscribe('window-2', 'lab');
    assert.equal(service.isSampling('lab'), false);
    await until('xentop gone from the host', 15_000, async () => ((await xentopPids(LAB)).length === 0 ? true : undefined));

    // What was sampled is in the history, and survives a restart of the service.
    const before5m = await service.history('lab', 'pvtest', '5m');
    assert.ok(before5m.t.length >= 5);
    assert.ok(before5m.series.cpuPercent.avg.some((v) => (v ?? 0) > 50));
    const dayBefore = await service.history('lab', 'pvtest', '1d');
    await service.close();
    const restarted = makeService();
    const dayAfter = await restarted.history('lab', 'pvtest', '1d');
    assert.deepEqual(dayAfter.t, dayBefore.t);
    assert.ok(dayAfter.series.cpuPercent.max!.some((v) => (v ?? 0) > 50));
    await restarted.close();
  });

  test('a dropped channel (xentop killed on the host) is restarted while someone looks', async () => {
    const service = makeService();
    await service.subscribe('w', 'lab');
    await until('a first sample', 30_000, () => (samples.length > 0 ? true : undefined));
    const [pid] = await xentopPids(LAB);
    assert.ok(pid);
    await import('../lab/harness').then((h) => h.labSsh(LAB, ['kill', String(pid)]));
    const again = await until('a new xentop', 30_000, async () => {
      const pids = await xentopPids(LAB);
      return pids.length === 1 && pids[0] !== pid ? pids[0] : undefined;
    });
    assert.notEqual(again, pid);
    service.unsubscribe('w');
    await until('xentop gone from the host', 15_000, async () => ((await xentopPids(LAB)).length === 0 ? true : undefined));
    await service.close();
  });
});
