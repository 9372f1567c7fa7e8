// The metrics service's own behaviour without a Xen host: the real captured xentop stream is
// written, frame by frame, into a stand-in for the SSH channel. It proves the stream handling
// (frames taken when output pauses), the subscribe/unsubscribe life cycle (the channel is ended
// when the last window leaves) and that history survives a restart of the service. What happens
// on a real host is proven by tests/integration/metrics-lab.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import type { MetricsSample } from '../../../common/model/metrics';
import { EventHub, type Frame } from '../../../common/rpc/index';
import { MetricsService, XENTOP_SCRIPT, type MetricsDriver } from '../../../main/services/metrics';
import { MetricsStore } from '../../../main/services/metrics-store';
import { fixture } from './fixtures';

const T0 = Date.UTC(2026, 10, 22, 3, 0, 0);

function frameTexts(name: string): string[] {
  return fixture(name)
    .split(/(?=^\s+NAME\s+STATE)/m)
    .filter((t) => t.trim() !== '');
}

class StreamHost {
  spawned: string[][] = [];
  ended = 0;
  channel: (PassThrough & { stderr: PassThrough; close(): void }) | null = null;
  clock = T0;

  executor = {
    exec: async () => ({ stdout: '', stderr: '', code: 0 }),
    spawn: async (argv: readonly string[]) => {
      this.spawned.push([...argv]);
      const channel = Object.assign(new PassThrough(), { stderr: new PassThrough() }) as PassThrough & { stderr: PassThrough; close(): void };
      channel.on('finish', () => this.ended++); // our end(): EOF on the wrapper's stdin
      channel.close = () => setImmediate(() => channel.emit('close'));
      this.channel = channel;
      return channel as unknown as ClientChannel;
    },
  };

  driver: MetricsDriver = {
    isRoot: true,
    info: async () => ({
      xenVersion: '4.17',
      toolstack: 'xl',
      hostname: 'lab',
      nrCpus: 2,
      totalMemoryMiB: 2047,
      freeMemoryMiB: 1256,
      hvmCapable: true,
      scheduler: 'credit',
      dom0UptimeSeconds: 100,
    }),
    list: async () => [
      { name: 'Domain-0', id: 0, memMiB: 768, vcpus: 2, state: 'running', cpuSeconds: 1 },
      { name: 'pvtest', id: 1, memMiB: 96, vcpus: 1, state: 'running', cpuSeconds: 1 },
    ] as never,
  };

  /** Write the capture's frames one at a time, a second apart on the service's clock. */
  async play(frames: string[]): Promise<void> {
    for (const text of frames) {
      this.clock += 1000;
      this.channel!.write(text);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

function service(host: StreamHost, home: string, hub: EventHub) {
  return new MetricsService({ driver: async () => host.driver, executorOf: async () => host.executor }, hub, {
    store: new MetricsStore(path.join(home, 'metrics')),
    now: () => host.clock,
    frameIdleMs: 10,
  });
}

test('one wrapped xentop per host, frames taken as they complete, ended when the last window leaves; history survives a restart', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'hearth-metrics-svc-'));
  try {
    const host = new StreamHost();
    const hub = new EventHub();
    const samples: MetricsSample[] = [];
    hub.attach({
      send: (frame: Frame) => {
        if (frame.t === 'event' && frame.name === 'metrics.sample') samples.push(frame.payload as MetricsSample);
      },
      onFrame: () => () => undefined,
      onClose: () => () => undefined,
    });
    const first = service(host, home, hub);
    await first.subscribe('w1', 'h1');
    await first.subscribe('w2', 'h1');
    assert.equal(host.spawned.length, 1, 'one xentop for two windows');
    assert.deepEqual(host.spawned[0], ['sh', '-c', XENTOP_SCRIPT, 'hearth-xentop', '1']);

    const frames = frameTexts('xentop-b-f-d1-busy-destroy.txt');
    await host.play(frames);
    await new Promise((r) => setTimeout(r, 30));
    // Every frame arrives as it completes (not one behind, when the next header comes).
    assert.equal(samples.length, frames.length);
    assert.ok(samples.some((s) => (s.domains.find((d) => d.name === 'pvtest')?.cpuPercent ?? 0) > 70));
    assert.equal(samples[1].domains.find((d) => d.name === 'pvtest')?.id, 1);

    first.unsubscribe('w1', 'h1');
    assert.equal(host.ended, 0);
    first.unsubscribe('w2');
    await new Promise((r) => setImmediate(r));
    assert.equal(host.ended, 1, 'the channel got EOF: the wrapper kills xentop');
    assert.equal(first.isSampling('h1'), false);

    const dayBefore = await first.history('h1', 'pvtest', '1d');
    await first.close();
    assert.deepEqual(readdirSync(path.join(home, 'metrics')), ['h1.hist']);

    const second = service(host, home, new EventHub());
    const dayAfter = await second.history('h1', 'pvtest', '1d');
    assert.deepEqual(dayAfter.t, dayBefore.t);
    assert.deepEqual(dayAfter.series.cpuPercent.max, dayBefore.series.cpuPercent.max);
    // The hour view falls back to the saved minutes after a restart.
    assert.ok((await second.history('h1', null, '1h')).t.length >= 1);
    await second.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('changing the interval restarts xentop with the new -d and keeps the setting', async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'hearth-metrics-svc-'));
  try {
    const host = new StreamHost();
    const svc = service(host, home, new EventHub());
    await svc.subscribe('w', 'h1');
    await svc.setSettings({ intervalSeconds: 5 });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(host.spawned.length, 2);
    assert.equal(host.spawned[1][4], '5');
    assert.equal(host.ended, 1);
    await svc.close();
    const again = service(host, home, new EventHub());
    assert.deepEqual(await again.settings(), { intervalSeconds: 5 });
    await again.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
