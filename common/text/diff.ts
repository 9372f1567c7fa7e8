// Unified line diff (the `diff -u` format) for showing what an edit changes before it is written.
// Myers' O(ND) algorithm on lines; hunks carry `context` unchanged lines on each side.

export interface DiffOptions {
  fromName?: string;
  toName?: string;
  context?: number;
}

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

// A last line without its newline is a different line from the same text with one (diff -u
// shows it as changed, followed by "\\ No newline at end of file"): it carries this mark.
const NO_EOL = '\u0000no-eol';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** Edit script from a to b (Myers 1986, with the trace kept for backtracking). */
function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  let v = new Array<number>(2 * max + 2).fill(0);
  const trace: number[][] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) x = v[offset + k + 1];
      else x = v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice());
        break outer;
      }
    }
  }
  // Backtrack from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    v = trace[d];
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[x - 1], a: x - 1, b: y - 1 });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: '+', line: b[y - 1], a: x, b: y - 1 });
    else ops.push({ kind: '-', line: a[x - 1], a: x - 1, b: y });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[x - 1], a: x - 1, b: y - 1 });
    x--;
    y--;
  }
  return ops.reverse();
}

function range(start: number, count: number): string {
  // diff -u: "start,count", start is 1-based; an empty range names the line before it.
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/** A unified diff of two texts, '' when they are equal. */
export function unifiedDiff(oldText: string, newText: string, opts: DiffOptions = {}): string {
  if (oldText === newText) return '';
  const context = opts.context ?? 3;
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = myers(a, b);
  const changes = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [`--- ${opts.fromName ?? 'a'}`, `+++ ${opts.toName ?? 'b'}`];
  let i = 0;
  while (i < changes.length) {
    const from = Math.max(0, changes[i] - context);
    let to = Math.min(ops.length, changes[i] + context + 1);
    let j = i + 1;
    while (j < changes.length && changes[j] - context <= to) {
      to = Math.min(ops.length, changes[j] + context + 1);
      j++;
    }
    const hunk = ops.slice(from, to);
    const first = hunk[0];
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const aStart = aCount === 0 ? first.a : hunk.find((o) => o.kind !== '+')!.a;
    const bStart = bCount === 0 ? first.b : hunk.find((o) => o.kind !== '-')!.b;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const o of hunk) {
      if (o.line.endsWith(NO_EOL)) out.push(`${o.kind}${o.line.slice(0, -NO_EOL.length)}`, '\\ No newline at end of file');
      else out.push(`${o.kind}${o.line}`);
    }
    i = j;
  }
  return out.join('\n') + '\n';
}
