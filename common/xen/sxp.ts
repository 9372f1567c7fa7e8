// S-expressions as xend writes them (`xm list --long`, xend-config.sxp, xl's legacy SXP output):
// lists in parentheses, bare atoms, quoted atoms in '...' or "..." with backslash escapes, and
// `#` comments to the end of a line (xend-config.sxp uses them). Every atom stays a string.

export type SxpNode = string | SxpNode[];

export class SxpError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\u0007' };

/** All top-level expressions in `text`, in order. Throws SxpError on unbalanced parentheses or an unterminated string. */
export function parseSxp(text: string): SxpNode[] {
  const top: SxpNode[] = [];
  const stack: { list: SxpNode[]; line: number }[] = [];
  let line = 1;
  let i = 0;
  const push = (node: SxpNode) => {
    if (stack.length) stack[stack.length - 1].list.push(node);
    else top.push(node);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(') {
      stack.push({ list: [], line });
      i++;
    } else if (c === ')') {
      const done = stack.pop();
      if (!done) throw new SxpError('a ")" closes nothing', line);
      push(done.list);
      i++;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new SxpError('a quoted string is not closed', startLine);
        const d = text[i];
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length) {
          const e = text[i + 1];
          s += ESCAPES[e] ?? e;
          if (e === '\n') line++;
          i += 2;
          continue;
        }
        if (d === '\n') line++;
        s += d;
        i++;
      }
      push(s);
    } else {
      const start = i;
      while (i < text.length && !/[\s()"']/.test(text[i])) i++;
      push(text.slice(start, i));
    }
  }
  if (stack.length) throw new SxpError('a "(" is never closed', stack[stack.length - 1].line);
  return top;
}

/** The first child list of `node` whose head is `name`, e.g. sxpChild(domain, 'image'). */
export function sxpChild(node: SxpNode, name: string): SxpNode[] | undefined {
  if (!Array.isArray(node)) return undefined;
  for (const child of node.slice(1)) {
    if (Array.isArray(child) && child[0] === name) return child;
  }
  return undefined;
}

/** Every child list of `node` whose head is `name`. */
export function sxpChildren(node: SxpNode, name: string): SxpNode[][] {
  if (!Array.isArray(node)) return [];
  return node.slice(1).filter((c): c is SxpNode[] => Array.isArray(c) && c[0] === name);
}

/** The atom value of `(name value)` inside `node`; '' for `(name )`; undefined when absent or not an atom. */
export function sxpValue(node: SxpNode, name: string): string | undefined {
  const child = sxpChild(node, name);
  if (!child) return undefined;
  if (child.length === 1) return '';
  const v = child[1];
  return typeof v === 'string' ? v : undefined;
}
