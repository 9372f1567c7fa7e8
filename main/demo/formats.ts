// How the simulated Dom0 prints: the same layouts as xl 4.17 and xentop (tools/xl/xl_info.c,
// tools/xentop/xentop.c), checked against the output captured from the real lab host in
// tests/fixtures/xen-4.17/, so that the parsers read the simulation exactly as a real host.

export interface DemoDomainView {
  name: string;
  id: number;
  type: 'pv' | 'pvh' | 'hvm';
  uuid: string;
  memMiB: number;
  maxMemMiB: number;
  vcpus: number;
  /** Six letters in xl list order r b p s <shutdown reason> d. */
  flags: string;
  cpuSeconds: number;
  uptimeSeconds: number;
  config: Record<string, unknown>;
}

const pad = (s: string | number, width: number) => String(s).padStart(width);
const padEnd = (s: string, width: number) => s.padEnd(width);

/** `xl list`: "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f" under a header with tabs. */
export function formatXlList(domains: DemoDomainView[]): string {
  const lines = ['Name                                        ID   Mem VCPUs\tState\tTime(s)'];
  for (const d of domains) {
    lines.push(`${padEnd(d.name, 40)} ${pad(d.id, 5)} ${pad(d.memMiB, 5)} ${pad(d.vcpus, 5)}     ${d.flags}  ${pad(d.cpuSeconds.toFixed(1), 8)}`);
  }
  return lines.join('\n') + '\n';
}

/** `xl uptime`: "%-33s %4d %s" with H:MM:SS, "1 day, H:MM:SS" or "N days, H:MM:SS". */
export function formatXlUptime(domains: DemoDomainView[]): string {
  const lines = [`${padEnd('Name', 33)} ${pad('ID', 4)} Uptime`];
  for (const d of domains) lines.push(`${padEnd(d.name, 33)} ${pad(d.id, 4)} ${uptimeText(d.uptimeSeconds)}`);
  return lines.join('\n') + '\n';
}

function uptimeText(total: number): string {
  let rest = Math.max(0, Math.floor(total));
  const day = Math.floor(rest / 86400);
  rest -= day * 86400;
  const hour = Math.floor(rest / 3600);
  rest -= hour * 3600;
  const min = Math.floor(rest / 60);
  const sec = rest - min * 60;
  const clock = `${pad(hour, 2)}:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  if (day > 1) return `${day} days, ${clock}`;
  if (day === 1) return `1 day, ${clock}`;
  return clock;
}

/** `xl info`: keys padded to 23 columns, then ": value". */
export function formatXlInfo(values: [string, string | number][]): string {
  return values.map(([k, v]) => `${padEnd(k, 23)}: ${v}`.replace(/ +$/, '')).join('\n') + '\n';
}

/**
 * `xl list -l`: a JSON array of {domid, config} as libxl's yajl generator beautifies it:
 * four-space indentation, `"key": value`, an empty map as "{", a blank line and "}", and a
 * blank line after the closing bracket (yajl's own new line, then puts()).
 */
export function formatXlListLong(entries: { domid: number; config: Record<string, unknown> }[]): string {
  return `${yajl(entries, '')}\n\n`;
}

function yajl(value: unknown, indent: string): string {
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return `[\n\n${indent}]`;
    return `[\n${value.map((v) => inner + yajl(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return `{\n\n${indent}}`;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${yajl(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

const SCHED_PARAMS = { sched: 'credit2', weight: 256, cap: 0 };

/** Domain-0 as `xl list -l` shows it: libxl knows little of its configuration. */
export function libxlDom0Config(memMiB: number): Record<string, unknown> {
  return {
    c_info: { type: 'pv', name: 'Domain-0' },
    b_info: {
      max_memkb: memMiB * 1024,
      target_memkb: memMiB * 1024 - 1,
      sched_params: SCHED_PARAMS,
      'type.pv': {},
      arch_arm: {},
      arch_x86: {},
    },
  };
}

/**
 * The libxl domain configuration of a simulated domain, in the shape the real lab host's
 * `xl list -l` prints (field names and order from tests/fixtures/xen-4.17).
 */
export function libxlConfig(d: {
  name: string;
  type: 'pv' | 'pvh' | 'hvm';
  uuid: string;
  memMiB: number;
  maxMemMiB: number;
  vcpus: number;
  disks: { target: string; vdev: string; format: string; cdrom: boolean; readwrite: boolean }[];
  nics: { bridge: string; mac: string; model?: string }[];
  kernel?: string;
  ramdisk?: string;
  cmdline?: string;
  bootloader?: string;
  boot?: string;
  stdvga?: boolean;
  usbTablet?: boolean;
  serial?: string;
  vnc?: { listen: string };
}): Record<string, unknown> {
  const hvm = d.type === 'hvm';
  const typeInfo: Record<string, unknown> = hvm
    ? {
        vga: d.stdvga ? { kind: 'std' } : {},
        vnc: d.vnc ? { enable: 'True', listen: d.vnc.listen } : {},
        sdl: {},
        spice: {},
        ...(d.usbTablet ? { usb: 'True', usbdevice_list: ['tablet'] } : {}),
        serial: d.serial,
        boot: d.boot ?? 'c',
        rdm: {},
      }
    : {};
  return {
    c_info: { type: d.type, name: d.name, domid: 4294967295, uuid: d.uuid, run_hotplug_scripts: 'True' },
    b_info: {
      max_vcpus: d.vcpus,
      avail_vcpus: Array.from({ length: d.vcpus }, (_, i) => i),
      max_memkb: d.maxMemMiB * 1024,
      target_memkb: d.memMiB * 1024,
      video_memkb: hvm ? 8192 : 0,
      sched_params: SCHED_PARAMS,
      claim_mode: 'True',
      kernel: d.kernel,
      cmdline: d.cmdline,
      ramdisk: d.ramdisk,
      bootloader: d.bootloader,
      [`type.${d.type}`]: typeInfo,
      arch_arm: {},
      arch_x86: { msr_relaxed: 'False' },
    },
    disks: d.disks.length
      ? d.disks.map((disk) => ({
          pdev_path: disk.target,
          vdev: disk.vdev,
          format: disk.format,
          ...(disk.cdrom ? { removable: 1, is_cdrom: 1 } : {}),
          ...(disk.readwrite ? { readwrite: 1 } : {}),
          colo_restore_enable: 'False',
        }))
      : undefined,
    nics: d.nics.map((nic, devid) => ({
      devid,
      model: nic.model,
      mac: nic.mac,
      bridge: nic.bridge,
      nictype: hvm ? 'vif_ioemu' : 'vif',
    })),
    on_reboot: 'restart',
    on_soft_reset: 'soft_reset',
  };
}

export interface XentopSample {
  name: string;
  /** Six letters in xentop order d s b c p r. */
  flags: string;
  cpuSeconds: number;
  cpuPercent: number;
  memKiB: number;
  memPercent: number;
  maxMemKiB: number | null;
  vcpus: number;
  nets: number;
  netTxKiB: number;
  netRxKiB: number;
  vbds: number;
  vbdRd: number;
  vbdWr: number;
  vbdRsect: number;
  vbdWsect: number;
  totalMemKiB: number;
}

/** One `xentop -b` iteration: the header, then a row per domain (NAME cut to 10 characters). */
export function formatXentopFrame(samples: XentopSample[]): string {
  const header =
    '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID';
  const lines = [header];
  for (const s of samples) {
    const maxMem = s.maxMemKiB === null ? 'no limit' : String(s.maxMemKiB);
    const maxPct = s.maxMemKiB === null ? 'n/a' : ((s.maxMemKiB / s.totalMemKiB) * 100).toFixed(1);
    lines.push(
      [
        pad(s.name.slice(0, 10), 10),
        pad(s.flags, 6),
        pad(Math.floor(s.cpuSeconds), 10),
        pad(s.cpuPercent.toFixed(1), 6),
        pad(s.memKiB, 10),
        pad(s.memPercent.toFixed(1), 6),
        pad(maxMem, 10),
        pad(maxPct, 9),
        pad(s.vcpus, 5),
        pad(s.nets, 4),
        pad(s.netTxKiB, 8),
        pad(s.netRxKiB, 8),
        pad(s.vbds, 4),
        pad(0, 8),
        pad(s.vbdRd, 8),
        pad(s.vbdWr, 8),
        pad(s.vbdRsect, 10),
        pad(s.vbdWsect, 10),
        pad(0, 4),
      ].join(' '),
    );
  }
  return lines.join('\n') + '\n';
}
