// `xl list` / `xm list` table, `xl list -v`, and `xl uptime`.
//
// xl (tools/xl/xl_info.c, list_domains) prints each domain as
//   "%-40s %5d %5lu %5d     %c%c%c%c%c%c  %8.1f"
// name, id, memory in MiB, online vCPUs, six state letters, CPU time in seconds. The name is
// padded, not quoted, and may hold spaces, so a row is read from its right end: the numbers and
// the state letters have fixed shapes. `-v` appends " UUID", then the shutdown reason code
// ("%8x", or "-" while the domain is not shut down), then the security label ("%16s", "-" if none).
// xm prints the same columns; a managed domain that is not running has an empty ID column.
import type { DomainState } from '../model';

export interface XlListRow {
  name: string;
  /** null: an xm-managed domain that is defined but not running (xm prints no ID for it). */
  id: number | null;
  memMiB: number;
  vcpus: number;
  flags: string;
  state: DomainState;
  cpuSeconds: number;
}

export interface XlListVerboseRow extends XlListRow {
  uuid: string;
  /** The raw shutdown reason code (libxl_shutdown_reason) while shut down, else null. */
  shutdownReasonCode: number | null;
  securityLabel: string | null;
}

export interface XlUptimeRow {
  name: string;
  id: number;
  uptimeSeconds: number;
}

// Six state letters in xl list order r b p s <reason> d. The fifth column is the shutdown reason
// letter from "-rscwS" (poweroff shows '-', reboot 'r', suspend 's', crash 'c', watchdog 'w',
// soft_reset 'S'; '?' for an unknown reason); xm printed 'c' there for a crashed domain.
const FLAGS = '[r-][b-][p-][s-][-rscwS?][d-]';
const ROW = new RegExp(`^(.*?)\\s+(\\d+)?\\s+(\\d+)\\s+(\\d+)\\s+(${FLAGS})\\s+(\\d+(?:\\.\\d+)?)(?:\\s+(.*?))?\\s*$`);

/**
 * The state a domain is in, from xl/xm list's six letters (r b p s c d).
 * Precedence: dying, crashed, shutdown, paused, running, blocked.
 * "------" (neither running nor blocked) is a runnable domain waiting for a physical CPU: from
 * the user's point of view it is running (libxl_dominfo: `running` means "on a CPU right now").
 */
export function stateFromFlags(flags: string): DomainState {
  if (!new RegExp(`^${FLAGS}$`).test(flags)) return 'unknown';
  const [r, b, p, s, reason, d] = flags.split('');
  if (d === 'd') return 'dying';
  if (s === 's') return reason === 'c' ? 'crashed' : 'shutdown';
  if (reason === 'c') return 'crashed';
  if (p === 'p') return 'paused';
  if (r === 'r') return 'running';
  if (b === 'b') return 'blocked';
  return 'running';
}

function parseRow(line: string): { row: XlListRow; rest: string | undefined } | null {
  const m = ROW.exec(line);
  if (!m) return null;
  const name = m[1].trim();
  if (name === '') return null;
  const flags = m[5];
  const id = m[2] === undefined ? null : Number(m[2]);
  return {
    row: {
      name,
      id,
      memMiB: Number(m[3]),
      vcpus: Number(m[4]),
      flags,
      state: id === null ? 'stopped' : stateFromFlags(flags),
      cpuSeconds: Number(m[6]),
    },
    rest: m[7],
  };
}

function isHeader(line: string): boolean {
  return /^Name\s+ID\s+Mem/.test(line);
}

/** Rows of `xl list` or `xm list`; the header line and blank lines are skipped. */
export function parseXlList(text: string): XlListRow[] {
  const rows: XlListRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || isHeader(line)) continue;
    const parsed = parseRow(line);
    if (parsed) rows.push(parsed.row);
  }
  return rows;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows of `xl list -v`: the plain columns plus UUID, shutdown reason code and security label. */
export function parseXlListVerbose(text: string): XlListVerboseRow[] {
  const rows: XlListVerboseRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || isHeader(line)) continue;
    const parsed = parseRow(line);
    if (!parsed || parsed.rest === undefined) continue;
    const [uuid, reason, ...label] = parsed.rest.trim().split(/\s+/);
    if (!uuid || !UUID.test(uuid)) continue;
    const securityLabel = label.join(' ');
    rows.push({
      ...parsed.row,
      uuid: uuid.toLowerCase(),
      shutdownReasonCode: reason === undefined || reason === '-' ? null : parseInt(reason, 16),
      securityLabel: securityLabel === '' || securityLabel === '-' ? null : securityLabel,
    });
  }
  return rows;
}

// xl uptime (xl_info.c print_uptime): "%-33s %4d %s" with the uptime as "H:MM:SS",
// "1 day, H:MM:SS" or "N days, H:MM:SS" (hours padded to two columns). `xl uptime -s` prints
// " HH:MM:SS up [N day(s),] H:MM, NAME (ID)" instead (minutes, no seconds).
const UPTIME_LONG = /^(.*?)\s+(\d+)\s+(?:(\d+) days?,\s+)?(\d+):(\d\d):(\d\d)\s*$/;
const UPTIME_SHORT = /^\s*\d\d:\d\d:\d\d up (?:(\d+) days?,\s+)?(\d+):(\d\d), (.*) \((\d+)\)\s*$/;

export function parseXlUptime(text: string): XlUptimeRow[] {
  const rows: XlUptimeRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || /^Name\s+ID\s+Uptime/.test(line)) continue;
    let m = UPTIME_SHORT.exec(line);
    if (m) {
      rows.push({
        name: m[4],
        id: Number(m[5]),
        uptimeSeconds: Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60,
      });
      continue;
    }
    m = UPTIME_LONG.exec(line);
    if (m && m[1].trim() !== '') {
      rows.push({
        name: m[1].trim(),
        id: Number(m[2]),
        uptimeSeconds: Number(m[3] ?? 0) * 86400 + Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]),
      });
    }
  }
  return rows;
}
