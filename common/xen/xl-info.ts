// `xl info` / `xm info` output: one `key : value` line per fact.
// Format (tools/xl/xl_info.c, maybe_printf): the key is padded with spaces to 23 columns, then
// ": " and the value, e.g. `xen_commandline        : dom0_mem=1024M,max:1024M`. Values may hold
// colons (hw_caps, xen_commandline), so only the first " :" after the key splits the line.
// `xl info -n` adds tables (cpu_topology, numa_info) whose rows are not `key : value` lines: they
// are kept as continuation lines of the key above them, joined with "\n".
import type { HostSummary } from '../model';

// A key: lower-case words with underscores (or a space, as in `device topology`), at least one
// space before the colon (every xl/xm key is shorter than its 23-column field).
const KEY_LINE = /^([a-z_][a-z0-9_ ]*?) +:(?: (.*)|(\S.*)|)$/;

export function parseXlInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+$/, '');
    if (line === '') continue;
    const m = KEY_LINE.exec(line);
    if (m) {
      const key = m[1].trim();
      out[key] = (m[2] ?? m[3] ?? '').trim();
      last = key;
    } else if (last !== null) {
      out[last] = out[last] === '' ? line : `${out[last]}\n${line}`;
    }
  }
  return out;
}

function requireKey(info: Record<string, string>, key: string, tool: string): string {
  const v = info[key];
  if (v === undefined || v === '') {
    throw new Error(`The output of "${tool} info" has no "${key}" line, so Hearth cannot read this host's facts. Run "${tool} info" on the host to see what it prints.`);
  }
  return v;
}

function requireNumber(info: Record<string, string>, key: string, tool: string): number {
  const v = requireKey(info, key, tool);
  const n = Number(v);
  if (!Number.isFinite(n)) {
    throw new Error(`"${tool} info" printed "${key} : ${v}", which is not a number.`);
  }
  return n;
}

/** The Xen version as `xl info` shows it in xen_version (e.g. "4.17.3-pre"), or built from its parts. */
export function xenVersionOf(info: Record<string, string>, toolstack: 'xl' | 'xm' = 'xl'): string {
  if (info.xen_version) return info.xen_version;
  const major = requireKey(info, 'xen_major', toolstack);
  const minor = requireKey(info, 'xen_minor', toolstack);
  return `${major}.${minor}${info.xen_extra ?? ''}`;
}

export function summarizeXlInfo(
  info: Record<string, string>,
  toolstack: 'xl' | 'xm',
  dom0UptimeSeconds: number | null,
): HostSummary {
  // virt_caps lists " hvm hvm_directio directio" (xl_info.c output_physinfo); xm on Xen 3.x had
  // no virt_caps, but xen_caps names the HVM guest ABIs ("hvm-3.0-x86_32 ...").
  const virtCaps = info.virt_caps;
  const hvmCapable =
    virtCaps !== undefined && virtCaps !== ''
      ? virtCaps.split(/\s+/).includes('hvm')
      : /(^|\s)hvm-/.test(info.xen_caps ?? '');
  return {
    xenVersion: xenVersionOf(info, toolstack),
    toolstack,
    hostname: requireKey(info, 'host', toolstack),
    nrCpus: requireNumber(info, 'nr_cpus', toolstack),
    totalMemoryMiB: requireNumber(info, 'total_memory', toolstack),
    freeMemoryMiB: requireNumber(info, 'free_memory', toolstack),
    hvmCapable,
    scheduler: info.xen_scheduler ?? 'unknown',
    dom0UptimeSeconds,
  };
}
