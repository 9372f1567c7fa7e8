// X11 keysyms for the keys Hearth sends on the user's behalf (combinations, typed text).
// Values from X11/keysymdef.h.
export const XK = {
  BackSpace: 0xff08,
  Tab: 0xff09,
  Return: 0xff0d,
  Escape: 0xff1b,
  Delete: 0xffff,
  Print: 0xff61,
  F1: 0xffbe,
  Shift_L: 0xffe1,
  Control_L: 0xffe3,
  Alt_L: 0xffe9,
  Super_L: 0xffeb,
} as const;

export const fKey = (n: number) => XK.F1 + n - 1;

export interface KeyCombo {
  label: string;
  keys: number[];
}

export const COMBOS: KeyCombo[] = [
  { label: 'Ctrl+Alt+Backspace', keys: [XK.Control_L, XK.Alt_L, XK.BackSpace] },
  { label: 'Ctrl+Alt+F1', keys: [XK.Control_L, XK.Alt_L, fKey(1)] },
  { label: 'Ctrl+Alt+F2', keys: [XK.Control_L, XK.Alt_L, fKey(2)] },
  { label: 'Ctrl+Alt+F7', keys: [XK.Control_L, XK.Alt_L, fKey(7)] },
  { label: 'Alt+Tab', keys: [XK.Alt_L, XK.Tab] },
  { label: 'Alt+F4', keys: [XK.Alt_L, fKey(4)] },
  { label: 'Windows', keys: [XK.Super_L] },
  { label: 'Print Screen', keys: [XK.Print] },
  { label: 'Escape', keys: [XK.Escape] },
];

/** Characters typed with Shift on a US keyboard: the VNC server maps keysyms to scancodes. */
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

export interface TypedKey {
  keysym: number;
  shift: boolean;
}

/** The keystrokes that type `text`: Latin-1 keysyms are their code points, others 0x01000000 + code point. */
export function keystrokesFor(text: string): TypedKey[] {
  const keys: TypedKey[] = [];
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0)!;
    if (char === '\n') keys.push({ keysym: XK.Return, shift: false });
    else if (char === '\t') keys.push({ keysym: XK.Tab, shift: false });
    else if (code < 0x20 || code === 0x7f) continue;
    else if (code <= 0xff) keys.push({ keysym: code, shift: SHIFTED.has(char) });
    else keys.push({ keysym: 0x01000000 + code, shift: false });
  }
  return keys;
}
