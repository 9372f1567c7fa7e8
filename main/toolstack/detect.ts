// Which toolstack the host has (xl or xm), where it lives, and which Xen version it drives.
// One probe command finds the programs and the login user's uid; then `xl info` (or `xm info`)
// gives xen_major/xen_minor for the capability table.
import { UserError } from '../../common/rpc/index';
import type { Toolstack } from '../../common/model/index';
import { parseXlInfo } from '../../common/xen/index';
import type { Executor } from './executor';
import { HostShell } from './host-shell';
import { describeFailure } from './failures';

/**
 * Finds xl and xm even for a non-root login, whose PATH often lacks /usr/sbin. Prints
 * `uid=N`, `xl=PATH`, `xm=PATH` (empty when absent). A constant: nothing of the user's is in it.
 */
export const PROBE_SCRIPT = [
  'PATH="$PATH:/usr/sbin:/sbin:/usr/local/sbin"',
  'printf "uid=%s\\n" "$(id -u)"',
  'printf "xl=%s\\n" "$(command -v xl)"',
  'printf "xm=%s\\n" "$(command -v xm)"',
].join('\n');

export interface Detection {
  toolstack: Toolstack;
  /** Absolute path of the toolstack program on the host, e.g. /usr/sbin/xl. */
  program: string;
  major: number;
  minor: number;
  isRoot: boolean;
  /** `xl info` / `xm info` as key/value pairs, kept so the first info() costs nothing more. */
  info: Record<string, string>;
}

interface ProbeResult {
  uid: number | null;
  xl: string;
  xm: string;
}

export function parseProbe(stdout: string): ProbeResult {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const uidText = values.get('uid') ?? '';
  return {
    uid: /^\d+$/.test(uidText) ? Number(uidText) : null,
    xl: values.get('xl') ?? '',
    xm: values.get('xm') ?? '',
  };
}

export async function detectToolstack(executor: Executor): Promise<Detection> {
  const probe = await executor.exec(['sh', '-c', PROBE_SCRIPT]);
  if (probe.code !== 0) {
    throw new UserError(
      `Could not look for the Xen toolstack on this host (the shell said: ${firstLine(probe.stderr) || `exit code ${probe.code}`}).`,
      'detect-failed',
    );
  }
  const found = parseProbe(probe.stdout);
  const isRoot = found.uid === 0;
  const shell = new HostShell(executor, isRoot);

  const candidates: { toolstack: Toolstack; program: string }[] = [];
  if (found.xl) candidates.push({ toolstack: 'xl', program: found.xl });
  if (found.xm) candidates.push({ toolstack: 'xm', program: found.xm });
  if (candidates.length === 0) {
    throw new UserError(
      'Neither xl nor xm is installed on this host, so it is not a Xen Dom0 Hearth can manage. ' +
        'Install the Xen tools (Debian: xen-utils) and boot the Xen hypervisor, or pick another host.',
      'no-toolstack',
    );
  }

  let lastFailure: UserError | undefined;
  for (const candidate of candidates) {
    const result = await shell.run([candidate.program, 'info'], { privileged: true, sudoSubject: candidate.program });
    if (result.code === 0) {
      const info = parseXlInfo(result.stdout);
      const major = Number(info.xen_major);
      const minor = Number(info.xen_minor);
      if (!Number.isFinite(major) || !Number.isFinite(minor) || info.xen_major === undefined) {
        lastFailure = new UserError(
          `${candidate.toolstack} info did not report a Xen version (no xen_major/xen_minor); is the host running the Xen hypervisor?`,
          'detect-failed',
        );
        continue;
      }
      return { toolstack: candidate.toolstack, program: candidate.program, major, minor, isRoot, info };
    }
    lastFailure = describeFailure(candidate.toolstack, { action: 'info' }, result);
  }
  throw lastFailure ?? new UserError('Could not detect the Xen toolstack on this host.', 'detect-failed');
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? '';
}
