// Streaming parser for `xentop -b [-f] [-d S] [-i N]` (tools/xentop/xentop.c).
//
// In batch mode xentop prints no summary: each iteration is one header line
// ("      NAME  STATE   CPU(sec) CPU(%) ...") followed by one line per domain, fields separated
// by single spaces and right-aligned: NAME ("%10.10s", cut to 10 characters, or the full name
// padded to the longest one with -f), STATE (six letters in the order d s b c p r), CPU(sec),
// CPU(%) (0.0 on the first iteration: no previous sample), MEM(k), MEM(%), MAXMEM(k) ("no limit"
// when unbounded), MAXMEM(%) ("n/a" then), VCPUS, NETS, NETTX(k), NETRX(k), VBDS, VBD_OO, VBD_RD,
// VBD_WR, VBD_RSECT, VBD_WSECT ("-" when every block device reported an error), SSID.
// Rows are read from their right end, so names with spaces (-f) are kept whole.
// -v/-n/-x add "VCPUs(sec): ...", "Net0 RX: ..." and "VBD ..." lines under a row: they are skipped.
// -r (a header before every domain) is not supported: every row would become its own frame.
import type { DomainState } from '../model';

export interface XentopRow {
  name: string;
  /** The six STATE letters as printed (order d s b c p r). */
  flags: string;
  state: DomainState;
  cpuSeconds: number;
  cpuPercent: number;
  memKiB: number;
  memPercent: number;
  /** null: "no limit". */
  maxMemKiB: number | null;
  /** null: "n/a" (no limit). */
  maxMemPercent: number | null;
  vcpus: number;
  nets: number;
  netTxKiB: number;
  netRxKiB: number;
  vbds: number;
  /** null: "-" (no block device answered). */
  vbdOo: number | null;
  vbdRd: number | null;
  vbdWr: number | null;
  vbdRsect: number | null;
  vbdWsect: number | null;
  ssid: number;
}

export interface XentopFrame {
  rows: XentopRow[];
}

export interface XentopParser {
  /** Feed output as it arrives (any chunking); returns the frames completed by this chunk. */
  push(chunk: string): XentopFrame[];
  /** End of stream: returns the last frame if it has begun. */
  flush(): XentopFrame[];
}

const HEADER = /^\s*NAME\s+STATE\s+CPU\(sec\)\s+CPU\(%\)/;
const NUM = '(\\d+(?:\\.\\d+)?|-?nan|-?inf)';
const CNT = '(\\d+|-)';
const ROW = new RegExp(
  '^\\s*(.*?)\\s+([d-][s-][b-][c-][p-][r-])\\s+(\\d+)\\s+' +
    NUM + '\\s+(\\d+)\\s+' + NUM + '\\s+(no limit|\\d+)\\s+(n/a|' + NUM.slice(1, -1) + ')\\s+' +
    '(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+' +
    CNT + '\\s+' + CNT + '\\s+' + CNT + '\\s+' + CNT + '\\s+' + CNT + '\\s+(\\d+)\\s*$',
);

/** The domain state from xentop's STATE letters (order d s b c p r), same precedence as xl list. */
export function stateFromXentopFlags(flags: string): DomainState {
  if (!/^[d-][s-][b-][c-][p-][r-]$/.test(flags)) return 'unknown';
  const [d, s, b, c, p, r] = flags.split('');
  if (d === 'd') return 'dying';
  if (c === 'c') return 'crashed';
  if (s === 's') return 'shutdown';
  if (p === 'p') return 'paused';
  if (r === 'r') return 'running';
  if (b === 'b') return 'blocked';
  return 'running';
}

const float = (s: string): number => {
  const n = Number(s);
  return Number.isFinite(n) ? n : 0;
};
const count = (s: string): number | null => (s === '-' ? null : Number(s));

export function parseXentopRow(line: string): XentopRow | null {
  const m = ROW.exec(line);
  if (!m || m[1] === '') return null;
  return {
    name: m[1],
    flags: m[2],
    state: stateFromXentopFlags(m[2]),
    cpuSeconds: Number(m[3]),
    cpuPercent: float(m[4]),
    memKiB: Number(m[5]),
    memPercent: float(m[6]),
    maxMemKiB: m[7] === 'no limit' ? null : Number(m[7]),
    maxMemPercent: m[8] === 'n/a' ? null : float(m[8]),
    vcpus: Number(m[9]),
    nets: Number(m[10]),
    netTxKiB: Number(m[11]),
    netRxKiB: Number(m[12]),
    vbds: Number(m[13]),
    vbdOo: count(m[14]),
    vbdRd: count(m[15]),
    vbdWr: count(m[16]),
    vbdRsect: count(m[17]),
    vbdWsect: count(m[18]),
    ssid: Number(m[19]),
  };
}

export function createXentopParser(): XentopParser {
  let pending = '';
  let current: XentopFrame | null = null;

  const takeLine = (line: string, out: XentopFrame[]) => {
    if (HEADER.test(line)) {
      if (current) out.push(current);
      current = { rows: [] };
      return;
    }
    if (!current) return; // output before the first header (e.g. a warning) is not a frame
    const row = parseXentopRow(line);
    if (row) current.rows.push(row);
  };

  return {
    push(chunk: string): XentopFrame[] {
      const out: XentopFrame[] = [];
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        takeLine(pending.slice(0, nl).replace(/\r$/, ''), out);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
      return out;
    },
    flush(): XentopFrame[] {
      const out: XentopFrame[] = [];
      if (pending !== '') {
        takeLine(pending.replace(/\r$/, ''), out);
        pending = '';
      }
      if (current) out.push(current);
      current = null;
      return out;
    },
  };
}
