// Dom0 CPU used by Hearth's monitoring vs a bare `xentop -b -d 1`, in the same run on the real
// lab host (labUp('metrics')). Each runs alone for N seconds over its own SSH connection (the
// product's SshConnection): the bare one as `xentop -b -d 1` on a channel, Hearth's as the
// metrics service subscribed to the host (its xentop -f wrapper, parsing on this machine). The
// cost counted is the CPU time (utime+stime from /proc/<pid>/stat, read over the lab's own ssh)
// of the whole sshd session tree that serves the channel: sshd, the wrapper shell, xentop.
// Goal: ratio ≤ 1.05. Figures only, nothing asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHub } from '../common/rpc/index';
import { MetricsService } from '../main/services/metrics';
import { MetricsStore } from '../main/services/metrics-store';
import { createDriver } from '../main/toolstack/driver';
import { labConnection } from '../tests/lab/connection';
import { labDown, labShell, labUp } from '../tests/lab/harness';

const LAB = 'metrics';
const SECONDS = Number(process.env.HEARTH_BENCH_SECONDS ?? 60);

/** Clock ticks used so far by the sshd session tree around the (only) xentop, and its pids. */
const TREE_TICKS = `
x=$(pgrep -x xentop | head -n1)
[ -n "$x" ] || { echo none; exit 0; }
stat_of() { sed 's/^.*) //' "/proc/$1/stat"; }
p=$x
while :; do
  pp=$(stat_of "$p" | cut -d' ' -f2)
  ppp=$(stat_of "$pp" | cut -d' ' -f2)
  [ "$ppp" -le 1 ] && break
  p=$pp
done
tree=$(ps -e -o pid=,ppid= | awk -v top="$p" '{ parent[$1] = $2 } END { for (q in parent) { r = q; while (r != "" && r != top && r > 1) r = parent[r]; if (r == top) print q } }')
total=0
for q in $tree; do
  [ -r "/proc/$q/stat" ] || continue
  set -- $(stat_of "$q")
  total=$((total + \${12} + \${13}))
done
echo "$total $x $(echo $tree | tr ' ' ,)"
`;

async function treeTicks(): Promise<{ ticks: number; xentop: number; pids: string }> {
  const r = await labShell(LAB, TREE_TICKS);
  const [ticks, xentop, pids] = r.stdout.trim().split(' ');
  if (ticks === 'none' || !xentop) throw new Error(`no xentop running on the lab host: ${r.stdout} ${r.stderr}`);
  return { ticks: Number(ticks), xentop: Number(xentop), pids };
}

async function measure(): Promise<{ ticks: number; pids: string }> {
  await new Promise((r) => setTimeout(r, 3000)); // past the start-up
  const a = await treeTicks();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const b = await treeTicks();
  if (a.xentop !== b.xentop) throw new Error('xentop restarted during the measurement');
  return { ticks: b.ticks - a.ticks, pids: b.pids };
}

export default async function metricsDom0(): Promise<Record<string, unknown>> {
  const host = await labUp(LAB);
  const work = mkdtempSync(join(tmpdir(), 'hearth-bench-dom0-'));
  try {
    await labShell(LAB, 'pkill -x xentop; true');
    // Bare: xentop -b -d 1 on its own channel, output read and thrown away.
    const bareConnection = labConnection(host, work);
    const channel = await bareConnection.spawn(['xentop', '-b', '-d', '1']);
    let bareBytes = 0;
    channel.on('data', (d: Buffer) => (bareBytes += d.length));
    const bare = await measure();
    channel.close();
    bareConnection.close();
    await labShell(LAB, 'sleep 2; pkill -x xentop; true');

    // Hearth: the metrics service subscribed to the host.
    const connection = labConnection(host, work);
    const driver = await createDriver(connection, { user: host.user });
    let samples = 0;
    const hub = new EventHub();
    hub.attach({
      send: (frame) => {
        if (frame.t === 'event' && frame.name === 'metrics.sample') samples++;
      },
      onFrame: () => () => undefined,
      onClose: () => () => undefined,
    });
    const service = new MetricsService({ driver: async () => driver, executorOf: async () => connection }, hub, {
      store: new MetricsStore(join(work, 'metrics')),
    });
    await service.subscribe('bench', 'lab');
    const hearth = await measure();
    service.unsubscribe('bench');
    await service.close();
    connection.close();
    const ratio = hearth.ticks / Math.max(1, bare.ticks);
    return {
      measuredSeconds: SECONDS,
      clockTicksPerSecond: 100,
      bareXentopTicks: bare.ticks,
      hearthTicks: hearth.ticks,
      ratio: Math.round(ratio * 1000) / 1000,
      bareDom0CpuPercent: Math.round((bare.ticks / SECONDS) * 100) / 100,
      hearthDom0CpuPercent: Math.round((hearth.ticks / SECONDS) * 100) / 100,
      hearthSamples: samples,
      bareBytes,
      goal: 'ratio <= 1.05',
      note: 'lab host under QEMU TCG on a shared 2-core machine: expect noise of a few ticks',
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!process.env.HEARTH_LAB_KEEP) await labDown(LAB);
  }
}
