// xl.cfg / xl.conf / xm domain config files: parse, keep every byte, edit one setting at a time.
//
// The xl grammar (tools/libxl/libxlu_cfg_l.l and libxlu_cfg_y.y):
//   file     := (assignment? (NEWLINE | ';'))* assignment?
//   assignment := IDENT ('=' | '+=') value        IDENT = [a-z][._0-9a-z]*
//   value    := atom | '[' atom (',' atom)* ','? ']'   (newlines and comments allowed inside [ ])
//   atom     := STRING ('...' or "..." on one line, backslash escapes) | NUMBER ([0-9][0-9a-fx]*)
//   comments: '#' to the end of the line. No nested lists, no expressions.
// Every atom is a string to xl; numbers are read with strtol(..., 0), so 0x1f is hex and a leading
// 0 means octal. `+=` appends to an earlier list (or string) of the same name.
// Names may hold dots: xl.conf on Xen 4.17 sets `vif.default.bridge="xenbr0"` (captured from the
// lab host, tests/fixtures/xen-4.17/host/xl-conf.txt), which older lexers ([a-z][_0-9a-z]*) lacked.
//
// xm configs (Xen 3.x) were Python programs run by xm. Whatever is plain data in the grammar
// above is read; anything else is reported with its line and never evaluated, and such a file is
// not editable (changing one line of a program can change what the rest of it computes).
import type { ConfigProblem } from '../model';

export type ConfigValue = string | number | boolean | ConfigValue[];

export type ConfigEntryKind = 'setting' | 'comment' | 'blank' | 'code' | 'invalid';

export interface ConfigEntry {
  kind: ConfigEntryKind;
  /** First line (1-based) of the entry. */
  line: number;
  /** Last line of the entry (a list may span lines). */
  endLine: number;
  /** Offsets of `raw` in the document text: the entries tile the text exactly. */
  start: number;
  end: number;
  raw: string;
  key: string | null;
  op: '=' | '+=' | null;
  value: ConfigValue | undefined;
}

export interface ConfigDocument {
  text: string;
  entries: ConfigEntry[];
  problems: ConfigProblem[];
  editable: boolean;
  /** The values xl would use: later settings win, `+=` appends. */
  values(): Record<string, ConfigValue>;
}

export class ConfigValueError extends Error {}

// ---------------------------------------------------------------------------------------------
// Tokens

type TokType = 'nl' | 'ws' | 'comment' | 'cont' | 'ident' | 'number' | 'string' | 'badstring' | 'op' | 'other';

interface Tok {
  type: TokType;
  text: string;
  start: number;
  end: number;
  /** For strings: the quote used, and whether it is a Python-only triple-quoted string. */
  quote?: string;
  triple?: boolean;
}

const PUNCT = new Set('[](){},;=:.+-*/%<>!&|^~@`$?'.split(''));

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const push = (type: TokType, start: number, end: number, extra?: Partial<Tok>) =>
    toks.push({ type, text: text.slice(start, end), start, end, ...extra });
  while (i < text.length) {
    const c = text[i];
    const start = i;
    if (c === '\n') {
      push('nl', i, ++i);
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      while (i < text.length && /[ \t\r\f\v]/.test(text[i])) i++;
      push('ws', start, i);
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      push('cont', start, i);
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      if (triple) {
        const close = text.indexOf(c.repeat(3), i + 3);
        i = close === -1 ? text.length : close + 3;
        push(close === -1 ? 'badstring' : 'string', start, i, { quote: c, triple: true });
      } else {
        i++;
        let closed = false;
        while (i < text.length && text[i] !== '\n') {
          if (text[i] === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
            i += 2;
            continue;
          }
          if (text[i] === c) {
            i++;
            closed = true;
            break;
          }
          i++;
        }
        push(closed ? 'string' : 'badstring', start, i, { quote: c });
      }
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i])) i++;
      push('ident', start, i);
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9A-Za-z_.]/.test(text[i])) i++;
      push('number', start, i);
    } else if (c === '+' && text[i + 1] === '=') {
      i += 2;
      push('op', start, i);
    } else if (PUNCT.has(c)) {
      push('op', i, ++i);
    } else {
      push('other', i, ++i);
    }
  }
  return toks;
}

const isTrivia = (t: Tok) => t.type === 'ws' || t.type === 'comment' || t.type === 'nl' || t.type === 'cont';

// ---------------------------------------------------------------------------------------------
// Values

const XL_IDENT = /^[a-z][._0-9a-z]*$/;
const XL_NUMBER = /^[0-9][0-9a-fx]*$/;

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', "'": "'", '\\': '\\', a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** Decode a quoted atom as xl does (libxlu_cfg.c xlu__cfgl_dequote); returns an error message for escapes xl mishandles. */
function dequote(tok: Tok): { value: string } | { error: string } {
  const body = tok.text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else if (next === 'x' || /[0-7]/.test(next)) {
      return { error: `the string ${tok.text} has a numeric escape (\\${next}...), which xl does not decode correctly; write the character itself` };
    } else {
      return { error: `the string ${tok.text} has "\\${next}", which xl rejects ("invalid character after backslash")` };
    }
  }
  return { value: out };
}

function numberValue(text: string): number | string {
  if (/^0x[0-9a-f]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^0[0-7]+$/.test(text)) return parseInt(text, 8);
  if (/^[0-9]+$/.test(text)) return Number(text);
  return text; // xl keeps every atom as a string; one that is not a number stays one
}

// ---------------------------------------------------------------------------------------------
// Statements

interface Statement {
  toks: Tok[]; // significant tokens only
  all: Tok[]; // every token of the statement (trivia included)
}

interface Verdict {
  kind: 'setting' | 'code' | 'invalid';
  key: string | null;
  op: '=' | '+=' | null;
  value?: ConfigValue;
  message?: string;
}

const PY_BLOCKS = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with']);
const PY_KEYWORDS = new Set([
  'import', 'from', 'def', 'class', 'return', 'print', 'pass', 'global', 'del', 'assert', 'exec', 'lambda',
  'raise', 'yield', 'break', 'continue', 'and', 'or', 'not', 'in', 'is', ...PY_BLOCKS,
]);
const PY_OPS = new Set('(){}.+-*/%:<>!&|^~@'.split(''));

function describePython(toks: Tok[]): string | null {
  const first = toks[0];
  if (first.type === 'ident') {
    if (first.text === 'import' || first.text === 'from') return 'an import statement';
    if (first.text === 'def') return 'a function definition';
    if (first.text === 'class') return 'a class definition';
    if (PY_BLOCKS.has(first.text)) return `an "${first.text}" block`;
    if (first.text === 'print') return 'a print statement';
    if (PY_KEYWORDS.has(first.text)) return `a "${first.text}" statement`;
  }
  const valueToks = toks[1]?.type === 'op' && (toks[1].text === '=' || toks[1].text === '+=') ? toks.slice(2) : toks;
  for (let i = 0; i < valueToks.length; i++) {
    const t = valueToks[i];
    if (t.type === 'ident' && valueToks[i + 1]?.text === '(') return `a call of ${t.text}()`;
  }
  const source = valueToks.map((t) => t.text).join(' ');
  const shown = source.length > 40 ? `${source.slice(0, 37)}...` : source;
  for (const t of valueToks) {
    if (t.type === 'ident' && (t.text === 'True' || t.text === 'False' || t.text === 'None')) {
      return `the Python value ${t.text}; xl.cfg writes 1 or 0`;
    }
  }
  if (valueToks.some((t) => t.type === 'ident')) return `an expression that uses variables: ${shown}`;
  if (valueToks.some((t) => t.type === 'op' && PY_OPS.has(t.text))) return `an expression: ${shown}`;
  if (valueToks.some((t) => t.triple)) return 'a triple-quoted string';
  if (toks.some((t) => t.type === 'number' && /^[0-9]+\.[0-9]*$|^[0-9]+e[0-9]+$/i.test(t.text))) {
    return `a decimal number (${toks.find((t) => t.type === 'number' && t.text.includes('.'))?.text ?? ''}); xl.cfg numbers are whole`;
  }
  return null;
}

function judge(st: Statement): Verdict {
  const toks = st.toks;
  const code = (what: string): Verdict => ({
    kind: 'code',
    key: null,
    op: null,
    message: `this is Python code (${what}); Hearth does not evaluate it and will not edit this file`,
  });
  const invalid = (why: string): Verdict => ({ kind: 'invalid', key: null, op: null, message: `xl cannot read this: ${why}` });

  if (st.all.some((t) => t.type === 'cont')) return code('a line continued with a backslash');
  const [k, op] = toks;
  const isAssign = op?.type === 'op' && (op.text === '=' || op.text === '+=');
  if (!isAssign || k.type !== 'ident') {
    const py = describePython(toks);
    if (py) return code(py);
    if (toks[0].type === 'ident' && toks.length === 1) return invalid(`"${toks[0].text}" is not followed by "= value"`);
    return invalid(`expected "name = value", found ${toks.map((t) => t.text).join(' ').slice(0, 40)}`);
  }
  const valueToks = toks.slice(2);
  const fail = (): Verdict => {
    const py = describePython(toks);
    if (py) return code(py);
    if (valueToks.length === 0) return invalid(`"${k.text}" has no value after "${op.text}"`);
    if (valueToks.some((t) => t.type === 'badstring')) return invalid('a string is not closed on its line');
    const nested = valueToks.filter((t) => t.text === '[').length > 1;
    if (nested) return code('a nested list, which xl.cfg does not allow');
    const badNum = valueToks.find((t) => t.type === 'number' && !XL_NUMBER.test(t.text));
    if (badNum) return invalid(`"${badNum.text}" is neither a number nor a quoted string`);
    return invalid(`the value of "${k.text}" is not a quoted string, a number or a list of them`);
  };
  if (!XL_IDENT.test(k.text)) {
    const py = describePython(toks);
    if (py) return code(py);
    return invalid(`"${k.text}": xl setting names are lower-case letters, digits, "_" and ".", starting with a letter`);
  }

  const atom = (t: Tok | undefined): { ok: true; value: ConfigValue } | { ok: false; error?: string } => {
    if (!t) return { ok: false };
    if (t.type === 'string' && !t.triple) {
      const d = dequote(t);
      return 'error' in d ? { ok: false, error: d.error } : { ok: true, value: d.value };
    }
    if (t.type === 'number' && XL_NUMBER.test(t.text)) return { ok: true, value: numberValue(t.text) };
    return { ok: false };
  };

  let value: ConfigValue;
  if (valueToks.length === 1) {
    const a = atom(valueToks[0]);
    if (!a.ok) return a.error ? invalid(a.error) : fail();
    value = a.value;
  } else if (valueToks[0]?.text === '[' && valueToks[valueToks.length - 1]?.text === ']') {
    const inner = valueToks.slice(1, -1);
    const list: ConfigValue[] = [];
    for (let i = 0; i < inner.length; i += 2) {
      const a = atom(inner[i]);
      if (!a.ok) return a.error ? invalid(a.error) : fail();
      list.push(a.value);
      const sep = inner[i + 1];
      if (sep !== undefined && sep.text !== ',') return fail();
    }
    value = list;
  } else {
    return fail();
  }
  return { kind: 'setting', key: k.text, op: op.text as '=' | '+=', value };
}

// ---------------------------------------------------------------------------------------------
// Document

interface LogicalLine {
  toks: Tok[];
  start: number;
  end: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function logicalLines(toks: Tok[], textLength: number): LogicalLine[] {
  const out: LogicalLine[] = [];
  let cur: Tok[] = [];
  let depth = 0;
  for (const t of toks) {
    cur.push(t);
    if (t.type === 'op') {
      if (t.text === '[' || t.text === '(' || t.text === '{') depth++;
      else if ((t.text === ']' || t.text === ')' || t.text === '}') && depth > 0) depth--;
    }
    if (t.type === 'nl' && depth === 0) {
      out.push({ toks: cur, start: cur[0].start, end: t.end });
      cur = [];
    }
  }
  if (cur.length) out.push({ toks: cur, start: cur[0].start, end: textLength });
  return out;
}

/** Split a logical line at ';' outside brackets. Each part keeps its tokens; the ';' stays with the part before it. */
function splitStatements(ll: LogicalLine): Tok[][] {
  const parts: Tok[][] = [];
  let cur: Tok[] = [];
  let depth = 0;
  for (const t of ll.toks) {
    cur.push(t);
    if (t.type === 'op') {
      if (t.text === '[' || t.text === '(' || t.text === '{') depth++;
      else if ((t.text === ']' || t.text === ')' || t.text === '}') && depth > 0) depth--;
      else if (t.text === ';' && depth === 0) {
        parts.push(cur);
        cur = [];
      }
    }
  }
  parts.push(cur);
  return parts;
}

const significant = (toks: Tok[]) => toks.filter((t) => !isTrivia(t) && !(t.type === 'op' && t.text === ';'));

export function parseConfig(text: string): ConfigDocument {
  const toks = tokenize(text);
  const starts = lineStarts(text);
  const entries: ConfigEntry[] = [];
  const problems: ConfigProblem[] = [];
  const lines = logicalLines(toks, text.length);

  const column = (t: Tok) => t.start - starts[lineOf(starts, t.start) - 1];
  const firstSig = (ll: LogicalLine) => significant(ll.toks)[0];
  const endsBlockHeader = (ll: LogicalLine) => {
    const sig = significant(ll.toks);
    return sig.length > 0 && sig[sig.length - 1].text === ':';
  };
  const addEntry = (e: Omit<ConfigEntry, 'raw' | 'line' | 'endLine'>) => {
    const lastChar = e.end > e.start && text[e.end - 1] === '\n' ? e.end - 1 : e.end;
    entries.push({ ...e, raw: text.slice(e.start, e.end), line: lineOf(starts, e.start), endLine: lineOf(starts, Math.max(e.start, lastChar)) });
  };

  for (let li = 0; li < lines.length; li++) {
    const ll = lines[li];
    const head = firstSig(ll);
    if (!head) {
      const kind = ll.toks.some((t) => t.type === 'comment') ? 'comment' : 'blank';
      addEntry({ kind, start: ll.start, end: ll.end, key: null, op: null, value: undefined });
      continue;
    }

    // A Python compound statement: the header line ending in ':' and every following line indented
    // deeper (or an elif/else/except/finally at the same depth) form one block.
    if (endsBlockHeader(ll)) {
      const col = column(head);
      let last = li;
      for (let j = li + 1; j < lines.length; j++) {
        const h = firstSig(lines[j]);
        if (!h) continue; // blank or comment lines inside a block: included only if the block goes on
        const c = column(h);
        if (c > col || (c === col && h.type === 'ident' && ['elif', 'else', 'except', 'finally'].includes(h.text))) last = j;
        else break;
      }
      const what = head.type === 'ident' && PY_BLOCKS.has(head.text)
        ? `an "${head.text}" block`
        : head.text === 'def' ? 'a function definition' : head.text === 'class' ? 'a class definition' : 'a block of statements';
      const endLine = lineOf(starts, Math.max(ll.start, lines[last].end - 1));
      const firstLine = lineOf(starts, head.start);
      const span = endLine > firstLine ? `, lines ${firstLine}-${endLine}` : '';
      problems.push({
        line: firstLine,
        message: `this is Python code (${what}${span}); Hearth does not evaluate it and will not edit this file`,
      });
      addEntry({ kind: 'code', start: ll.start, end: lines[last].end, key: null, op: null, value: undefined });
      li = last;
      continue;
    }

    const parts = splitStatements(ll).filter((p, idx, arr) => idx === 0 || significant(p).length > 0 || idx < arr.length - 1);
    const stmts = parts.map((p) => ({ all: p, toks: significant(p) }));
    // Statements sharing a line: each entry runs from its first token to the next one's first
    // token; the first starts at the line start, the last runs to the line end.
    const withToks = stmts.filter((s) => s.toks.length > 0);
    for (let si = 0; si < withToks.length; si++) {
      const st = withToks[si];
      const start = si === 0 ? ll.start : st.toks[0].start;
      const end = si === withToks.length - 1 ? ll.end : withToks[si + 1].toks[0].start;
      const verdict = judge(st);
      const line = lineOf(starts, st.toks[0].start);
      if (verdict.message) problems.push({ line, message: verdict.message });
      addEntry({ kind: verdict.kind, start, end, key: verdict.key, op: verdict.op, value: verdict.value });
    }
  }

  const doc: ConfigDocument = {
    text,
    entries,
    problems,
    editable: problems.length === 0,
    values() {
      const out: Record<string, ConfigValue> = {};
      for (const e of entries) {
        if (e.kind !== 'setting' || e.key === null || e.value === undefined) continue;
        const prev = out[e.key];
        if (e.op === '+=' && prev !== undefined) {
          if (Array.isArray(prev) && Array.isArray(e.value)) out[e.key] = [...prev, ...e.value];
          else if (typeof prev === 'string' && typeof e.value === 'string') out[e.key] = prev + e.value;
          else out[e.key] = e.value;
        } else {
          out[e.key] = e.value;
        }
      }
      return out;
    },
  };
  return doc;
}

/** The document's text rebuilt from its entries: equal to the parsed text, byte for byte. */
export function printConfig(doc: ConfigDocument): string {
  return doc.entries.map((e) => e.raw).join('');
}

// ---------------------------------------------------------------------------------------------
// Printing and editing

export interface PrintOptions {
  /** Quote for strings: '"' (default) or "'". A string holding only the other quote uses it instead. */
  quote?: '"' | "'";
  /** Lists as `[ 'a', 'b' ]` rather than `['a', 'b']`. */
  spaced?: boolean;
}

const PRINT_ESCAPES: Record<string, string> = {
  '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v',
};

function printAtom(value: string | number | boolean, opts: PrintOptions): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new ConfigValueError(`${value} cannot be written as an xl.cfg number (whole and not negative only); write it as a string.`);
    }
    return String(value);
  }
  let q = opts.quote ?? '"';
  if (value.includes(q) && !value.includes(q === '"' ? "'" : '"')) q = q === '"' ? "'" : '"';
  let out = q;
  for (const ch of value) {
    if (ch === q) out += `\\${q}`;
    else if (ch in PRINT_ESCAPES) out += PRINT_ESCAPES[ch];
    else if (/[\u0000-\u001f\u007f]/.test(ch)) {
      throw new ConfigValueError(`The value holds the control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}, which xl.cfg cannot hold.`);
    } else out += ch;
  }
  return out + q;
}

/** A value as xl.cfg text: "string", 123, 1/0 for booleans, ["a", "b"]. Nested lists are refused (xl.cfg has none). */
export function printValue(value: ConfigValue, opts: PrintOptions = {}): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => {
      if (Array.isArray(v)) throw new ConfigValueError('xl.cfg lists cannot hold lists.');
      return printAtom(v, opts);
    });
    if (items.length === 0) return '[]';
    return opts.spaced ? `[ ${items.join(', ')} ]` : `[${items.join(', ')}]`;
  }
  return printAtom(value, opts);
}

function assertEditable(doc: ConfigDocument): void {
  if (!doc.editable) {
    const first = doc.problems[0];
    throw new ConfigValueError(
      `Hearth will not edit this file: ${first ? `line ${first.line}: ${first.message}` : 'it has problems'}. Edit it by hand, or replace it with a plain xl.cfg file.`,
    );
  }
}

function assertKey(key: string): void {
  if (!XL_IDENT.test(key)) {
    throw new ConfigValueError(`"${key}" is not a valid setting name: use lower-case letters, digits, "_" and ".", starting with a letter.`);
  }
}

/** The value text span and op span of a setting entry, found again from its tokens. */
function settingSpans(doc: ConfigDocument, e: ConfigEntry) {
  const toks = tokenize(e.raw).filter((t) => !isTrivia(t));
  const op = toks[1];
  const sig = toks.filter((t) => !(t.type === 'op' && t.text === ';'));
  const first = sig[2];
  const last = sig[sig.length - 1];
  return {
    opStart: e.start + op.start,
    opEnd: e.start + op.end,
    valueStart: e.start + first.start,
    valueEnd: e.start + last.end,
    style: {
      quote: (toks.slice(2).find((t) => t.type === 'string')?.quote ?? '"') as '"' | "'",
      spaced: /^\[[ \t]/.test(doc.text.slice(e.start + first.start, e.start + first.start + 2)),
    },
  };
}

/** Text without one setting entry; a statement sharing its line with others loses only itself and its ';'. */
function removeEntry(doc: ConfigDocument, index: number): string {
  const e = doc.entries[index];
  const text = doc.text;
  const atLineStart = e.start === 0 || text[e.start - 1] === '\n';
  const atLineEnd = e.end === text.length || text[e.end - 1] === '\n';
  if (atLineStart && atLineEnd) return text.slice(0, e.start) + text.slice(e.end);
  const own = tokenize(e.raw).filter((t) => !isTrivia(t));
  if (!atLineEnd) {
    // first or middle statement of a line: drop from its first token to the next statement
    const from = atLineStart ? e.start + own[0].start : e.start;
    return text.slice(0, from) + text.slice(e.end);
  }
  // last statement of a line: drop from the end of the previous statement (before its ';')
  const prev = doc.entries[index - 1];
  const prevToks = tokenize(prev.raw).filter((t) => !isTrivia(t));
  const semi = [...prevToks].reverse().find((t) => t.text === ';');
  const from = semi ? prev.start + semi.start : e.start;
  const lastOwn = own[own.length - 1];
  return text.slice(0, from) + text.slice(e.start + lastOwn.end);
}

/**
 * New text with `key` set to `value`. Only the setting's own value (and its `+=`, made `=`)
 * changes; later `+=` lines for the key are removed, since they would change the value again.
 * A key not in the file is appended at the end.
 */
export function setValue(doc: ConfigDocument, key: string, value: ConfigValue): string {
  assertEditable(doc);
  assertKey(key);
  const indexes = doc.entries.map((e, i) => (e.kind === 'setting' && e.key === key ? i : -1)).filter((i) => i >= 0);
  if (indexes.length === 0) {
    const sep = doc.text === '' || doc.text.endsWith('\n') ? '' : '\n';
    return `${doc.text}${sep}${key} = ${printValue(value)}\n`;
  }
  const assignments = indexes.filter((i) => doc.entries[i].op === '=');
  const target = assignments.length ? assignments[assignments.length - 1] : indexes[0];
  const e = doc.entries[target];
  const spans = settingSpans(doc, e);
  const printed = printValue(value, spans.style);
  let text = doc.text.slice(0, spans.valueStart) + printed + doc.text.slice(spans.valueEnd);
  if (e.op === '+=') text = text.slice(0, spans.opStart) + '=' + text.slice(spans.opEnd);
  // Drop later settings of the key, last first so earlier indexes stay valid.
  for (const i of indexes.filter((i) => i > target).reverse()) {
    text = removeEntry(parseConfig(text), i);
  }
  return text;
}

/** New text without any setting of `key`; the text is returned unchanged when the key is absent. */
export function removeKey(doc: ConfigDocument, key: string): string {
  assertEditable(doc);
  let current = doc;
  for (;;) {
    const idx = current.entries.map((e) => e.kind === 'setting' && e.key === key).lastIndexOf(true);
    if (idx < 0) return current.text;
    current = parseConfig(removeEntry(current, idx));
  }
}
