// What travels on a console's stream channel (a WebSocket in browser mode, a MessagePort in
// Electron). Bytes are binary messages: console output towards the renderer, keystrokes (or
// VNC client bytes) towards main. Text messages are small JSON control messages, checked here.

/** Renderer -> main: the renderer has consumed `bytes` bytes since the stream began. */
export interface AckMessage {
  t: 'ack';
  bytes: number;
}

/**
 * Main -> renderer: a new source starts on this stream (first attach, or the domain came back
 * after a reboot). A VNC client must start a new RFB session here. `vncPassword` is the one
 * the device model published in xenstore, when there is one.
 */
export interface BeginMessage {
  t: 'begin';
  generation: number;
  vncPassword?: string | null;
}

/** Main -> renderer: the current source ended (the domain went away, xl console exited). */
export interface EndMessage {
  t: 'end';
  generation: number;
  reason: string;
}

export type ToMainControl = AckMessage;
export type ToRendererControl = BeginMessage | EndMessage;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parse(text: string): unknown {
  if (text.length > 4096) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseToMain(text: string): ToMainControl | null {
  const v = parse(text);
  if (isObject(v) && v.t === 'ack' && count(v.bytes)) return { t: 'ack', bytes: v.bytes };
  return null;
}

export function parseToRenderer(text: string): ToRendererControl | null {
  const v = parse(text);
  if (!isObject(v) || !count(v.generation)) return null;
  if (v.t === 'begin') {
    const pw = v.vncPassword;
    return { t: 'begin', generation: v.generation, ...(typeof pw === 'string' || pw === null ? { vncPassword: pw } : {}) };
  }
  if (v.t === 'end' && typeof v.reason === 'string') return { t: 'end', generation: v.generation, reason: v.reason };
  return null;
}

/** The path of a stream's WebSocket in browser mode. */
export const STREAM_PATH_PREFIX = '/stream/';

export function streamPath(streamId: string): string {
  return STREAM_PATH_PREFIX + encodeURIComponent(streamId);
}

/** The stream id in a /stream/<id> path, or null when the path is not one. */
export function streamIdFromPath(pathname: string): string | null {
  if (!pathname.startsWith(STREAM_PATH_PREFIX)) return null;
  const id = pathname.slice(STREAM_PATH_PREFIX.length);
  return /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : null;
}
