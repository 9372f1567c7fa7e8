// The lab's PV test guest, running and busy, for the metrics suites: created from
// /etc/xen/pvtest.cfg when it is not running, then a busy loop started in its shell through
// `xl console` (a real PTY session over ssh -tt).
import { labPty, labSsh } from '../lab/harness';

export async function guestRunning(lab: string): Promise<boolean> {
  const r = await labSsh(lab, ['xl', 'list', 'pvtest']);
  return r.code === 0;
}

/** pvtest's CPU % as xentop itself prints it on the host (second iteration), read over the lab's ssh. */
export async function guestCpuByXentop(lab: string): Promise<number | null> {
  const r = await labSsh(lab, ['sh', '-c', 'xentop -b -f -d 1 -i 2 | grep pvtest | tail -n 1']);
  const fields = r.stdout.trim().split(/\s+/);
  return fields.length > 4 ? Number(fields[3]) : null;
}

/** Start pvtest (if needed) and a busy loop in it, until xentop on the host sees it above 50 %. */
export async function startBusyGuest(lab: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await startLoop(lab);
    const cpu = await guestCpuByXentop(lab);
    if (cpu !== null && cpu > 50) return;
  }
  throw new Error(`pvtest did not get busy (xentop on the host shows ${await guestCpuByXentop(lab)} %)`);
}

async function startLoop(lab: string): Promise<void> {
  if (!(await guestRunning(lab))) {
    const r = await labSsh(lab, ['xl', 'create', '/etc/xen/pvtest.cfg'], { timeoutMs: 180_000 });
    if (r.code !== 0) throw new Error(`xl create pvtest failed: ${r.stderr}`);
  }
  const session = labPty(lab, ['xl', 'console', 'pvtest']);
  try {
    // The shell prompt may take a few seconds after xl create.
    for (let attempt = 0; attempt < 20; attempt++) {
      session.send('\r');
      try {
        // busybox's prompt is "/ # ", followed by a cursor-position query (ESC [6n).
        await session.expect(/\/ # /, 3_000, Math.max(0, session.output().length - 200));
        break;
      } catch {
        // not yet
      }
    }
    const from = session.output().length;
    session.send('while :; do :; done &\r');
    await session.expect(/done &[\s\S]*\/ # /, 10_000, from);
  } finally {
    await session.close();
  }
}

export async function destroyGuest(lab: string): Promise<void> {
  await labSsh(lab, ['sh', '-c', 'xl destroy pvtest 2>/dev/null; true'], { timeoutMs: 120_000 });
}

/** PIDs of xentop processes on the host. */
export async function xentopPids(lab: string): Promise<number[]> {
  // Read-only, so one retry is allowed (LAB.md pitfall 10); a failed ssh must not read as "none".
  const script = 'pgrep -x xentop; echo "end $?"';
  let r = await labSsh(lab, ['sh', '-c', script]);
  if (!/end [01]\s*$/.test(r.stdout)) r = await labSsh(lab, ['sh', '-c', script]);
  if (!/end [01]\s*$/.test(r.stdout)) throw new Error(`could not run pgrep on ${lab} (exit ${r.code}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((line) => /^\d+$/.test(line.trim()))
    .map(Number);
}
