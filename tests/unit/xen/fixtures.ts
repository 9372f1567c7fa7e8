// Reads output captured from the real Xen 4.17 lab host (tests/fixtures/xen-4.17, see its README).
import { readFileSync } from 'node:fs';

export function lab(path: string): string {
  return readFileSync(new URL(`../../fixtures/xen-4.17/${path}`, import.meta.url), 'utf8');
}

// Small readers used only to cross-check the parsers against other real captures: they read the
// raw text by whitespace (the lab's domain names have no spaces), independently of common/xen.

/** The values of one column of a whitespace-aligned table (every header line starts a block). */
export function rawColumn(text: string, header: string, headerStart: RegExp): string[] {
  const values: string[] = [];
  let index = -1;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.trim().split(/\s+/);
    if (headerStart.test(line)) {
      index = cells.indexOf(header);
      if (index < 0) throw new Error(`no ${header} column in: ${line}`);
      continue;
    }
    values.push(cells[index]);
  }
  return values;
}

/** `xl vcpu-list`: CPU seconds per domain (summed over its vCPUs), keyed by "name/id". */
export function vcpuSecondsByDomain(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const m = /^(\S+)\s+(\d+)\s+\d+\s+(?:\d+|-)\s+[r-][b-][p-]\s+(\d+\.\d)\s/.exec(line);
    if (!m) continue;
    const key = `${m[1]}/${m[2]}`;
    sums.set(key, (sums.get(key) ?? 0) + Number(m[3]));
  }
  return sums;
}

/** The state a live domain's xl list letters ("r b p s <reason> d") say, decoded here on its own. */
export function liveStateOfXlFlags(flags: string): 'running' | 'blocked' {
  if (!/^[r-][b-]----$/.test(flags)) throw new Error(`not a live, unpaused domain: ${flags}`);
  // neither r nor b: runnable, waiting for a physical CPU — running from the user's point of view
  return flags[0] === 'r' || flags[1] !== 'b' ? 'running' : 'blocked';
}

/** Same for xentop's letters, printed in the order d s b c p r. */
export function liveStateOfXentopFlags(flags: string): 'running' | 'blocked' {
  if (!/^--[b-]--[r-]$/.test(flags)) throw new Error(`not a live, unpaused domain: ${flags}`);
  return flags[5] === 'r' || flags[2] !== 'b' ? 'running' : 'blocked';
}
