// Plain-text tables for the terminal: columns as wide as their widest cell.

export function formatTable(header: string[], rows: string[][], options: { rightAligned?: number[] } = {}): string {
  const right = new Set(options.rightAligned ?? []);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]) : i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .replace(/\s+$/, '');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
