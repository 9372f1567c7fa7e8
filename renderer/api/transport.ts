// The only renderer code that knows how frames travel: Electron's preload bridge when it is
// there, otherwise a WebSocket to the browser-mode server (the auth cookie travels with it).
// Both are adapted to common/rpc's FrameChannel and wrapped by a typed client.
import { createClient, type Frame, type FrameChannel } from '../../common/rpc/index';
import { streamPath, type StreamSocketLike } from '../../common/stream/index';

export type LinkState = 'connecting' | 'open' | 'reconnecting';

export interface LinkStatus {
  state: LinkState;
  /** How many reconnection attempts have failed in a row. */
  attempts: number;
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  nextAttemptAt: number | null;
}

interface Bridge {
  send(frame: unknown): void;
  onMessage(listener: (frame: unknown) => void): (() => void) | void;
}

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

type Listener<T> = (value: T) => void;

class Signal<T> {
  private readonly listeners = new Set<Listener<T>>();
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

/** A channel whose status the UI can show, and which says when it (re)opened. */
export interface LinkChannel extends FrameChannel {
  status(): LinkStatus;
  onStatus(listener: (status: LinkStatus) => void): () => void;
  /** Fires on every open after the first: subscriptions on the server side must be renewed. */
  onReopen(listener: () => void): () => void;
  reconnectNow(): void;
}

function bridgeChannel(bridge: Bridge): LinkChannel {
  const frames = new Signal<unknown>();
  bridge.onMessage((frame) => frames.emit(frame));
  const status: LinkStatus = { state: 'open', attempts: 0, nextAttemptAt: null };
  return {
    send: (frame: Frame) => bridge.send(frame),
    onFrame: (listener) => frames.on(listener),
    // The preload lives as long as the window: it never closes under us.
    onClose: () => () => undefined,
    status: () => status,
    onStatus: () => () => undefined,
    onReopen: () => () => undefined,
    reconnectNow: () => undefined,
  };
}

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

function webSocketChannel(url: string): LinkChannel {
  const frames = new Signal<unknown>();
  const closes = new Signal<void>();
  const statuses = new Signal<LinkStatus>();
  const reopens = new Signal<void>();
  let status: LinkStatus = { state: 'connecting', attempts: 0, nextAttemptAt: null };
  let socket: WebSocket | null = null;
  let everOpened = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Frames sent while the socket is not open wait here and leave as soon as it opens.
  let outbox: string[] = [];

  const setStatus = (next: LinkStatus) => {
    status = next;
    statuses.emit(status);
  };

  const open = () => {
    timer = null;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      const reopened = everOpened;
      everOpened = true;
      setStatus({ state: 'open', attempts: 0, nextAttemptAt: null });
      const waiting = outbox;
      outbox = [];
      for (const text of waiting) ws.send(text);
      if (reopened) reopens.emit();
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      frames.emit(frame);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      closes.emit();
      const attempts = status.state === 'open' ? 0 : status.attempts + 1;
      const delay = BACKOFF_MS[Math.min(attempts, BACKOFF_MS.length - 1)];
      setStatus({ state: 'reconnecting', attempts, nextAttemptAt: Date.now() + delay });
      timer = setTimeout(open, delay);
    };
  };

  open();

  return {
    send(frame: Frame) {
      const text = JSON.stringify(frame);
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
      else outbox.push(text);
    },
    onFrame: (listener) => frames.on(listener),
    onClose: (listener) => closes.on(() => listener()),
    status: () => status,
    onStatus: (listener) => statuses.on(listener),
    onReopen: (listener) => reopens.on(() => listener()),
    reconnectNow() {
      if (status.state !== 'reconnecting' || !timer) return;
      clearTimeout(timer);
      setStatus({ ...status, state: 'connecting', nextAttemptAt: null });
      open();
    },
  };
}

function pickChannel(): LinkChannel {
  if (typeof window !== 'undefined' && window.bridge) return bridgeChannel(window.bridge);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return webSocketChannel(`${scheme}://${location.host}/rpc`);
}

export const link: LinkChannel = pickChannel();

// ---- Console streams: bytes outside the RPC (common/stream). A WebSocket per stream in browser
// mode; in Electron the preload asks main for a MessagePort, which arrives by window message.

interface StreamBridge {
  openStream?(streamId: string): void;
}

/** A WebSocket-shaped channel for one console stream (see common/stream/client.ts). */
export function openStreamSocket(streamId: string): StreamSocketLike {
  const bridge = (typeof window !== 'undefined' ? window.bridge : undefined) as (Bridge & StreamBridge) | undefined;
  if (bridge?.openStream) return messagePortSocket(streamId, bridge.openStream.bind(bridge));
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocket(`${scheme}://${location.host}${streamPath(streamId)}`) as unknown as StreamSocketLike;
}

function messagePortSocket(streamId: string, request: (streamId: string) => void): StreamSocketLike {
  let port: MessagePort | null = null;
  const socket: StreamSocketLike = {
    binaryType: 'arraybuffer',
    readyState: 0,
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send(data) {
      port?.postMessage(data);
    },
    close() {
      if (socket.readyState === 3) return;
      (socket as { readyState: number }).readyState = 3;
      port?.close();
      socket.onclose?.({});
    },
  };
  const onWindowMessage = (event: MessageEvent) => {
    const data = event.data as { hearthStream?: unknown } | null;
    if (event.source !== window || !data || data.hearthStream !== streamId || !event.ports[0]) return;
    window.removeEventListener('message', onWindowMessage);
    port = event.ports[0];
    port.onmessage = (message) => socket.onmessage?.({ data: message.data });
    // Electron's MessagePort says when main closed its end.
    port.addEventListener('close', () => socket.close());
    port.start();
    (socket as { readyState: number }).readyState = 1;
    socket.onopen?.({});
  };
  window.addEventListener('message', onWindowMessage);
  request(streamId);
  return socket;
}
export const api = createClient(link);
export type { Api } from '../../common/contract/index';
export { RemoteError } from '../../common/rpc/index';

/** The message to show for a failed call: the server's own words for a UserError. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The server's invalid-argument message split per field: "0.address: msg; 0.name: msg". */
export function fieldErrors(error: unknown): Record<string, string> | null {
  if (!(error instanceof Error) || (error as { code?: string }).code !== 'invalid-argument') return null;
  const result: Record<string, string> = {};
  for (const part of error.message.split('; ')) {
    const match = /^(?:\d+\.)?([A-Za-z]+)(?:\.[^:]*)?: (.*)$/.exec(part);
    if (match) result[match[1]] = result[match[1]] ? `${result[match[1]]} ${match[2]}` : match[2];
    else result._ = result._ ? `${result._} ${part}` : part;
  }
  return result;
}
