// The WebSocket-shaped object noVNC's RFB takes instead of a URL (core/websock.js checks for
// send, close, binaryType, onerror, onmessage, onopen, protocol, readyState). One per RFB
// session: the bytes of one stream generation, i.e. one TCP connection to the VNC server.
import type { StreamClient } from '../../../common/stream/index';

const OPEN = 1;
const CLOSED = 3;

export class RfbChannel {
  binaryType = 'arraybuffer';
  protocol = '';
  readyState = OPEN;
  onopen: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;

  private handler: ((event: { data: ArrayBuffer }) => void) | null = null;
  /** Bytes that came before noVNC attached (it attaches a tick after the RFB is made). */
  private early: Uint8Array[] = [];

  constructor(private readonly client: StreamClient) {}

  get onmessage(): ((event: { data: ArrayBuffer }) => void) | null {
    return this.handler;
  }

  set onmessage(handler: ((event: { data: ArrayBuffer }) => void) | null) {
    this.handler = handler;
    if (handler && this.early.length) {
      // Let noVNC finish attaching (it looks at readyState right after) before the bytes arrive.
      setTimeout(() => {
        const waiting = this.early;
        this.early = [];
        for (const bytes of waiting) this.deliver(bytes);
      }, 0);
    }
  }

  send(data: ArrayBuffer | Uint8Array): void {
    if (this.readyState !== OPEN) return;
    // noVNC reuses its send buffer: the stream copies on send (WebSocket.send / postMessage do).
    this.client.send(data instanceof Uint8Array ? data : new Uint8Array(data));
  }

  close(): void {
    this.ended('closed by the viewer');
  }

  /** Bytes from the VNC server; noVNC parses them at once, so they count as consumed here. */
  deliver(bytes: Uint8Array): void {
    if (this.readyState !== OPEN) return;
    if (!this.handler || this.early.length) {
      this.early.push(bytes.slice());
      return;
    }
    const copy = bytes.slice();
    this.handler({ data: copy.buffer });
    this.client.consumed(bytes.length);
  }

  ended(reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ code: 1000, reason, wasClean: true });
  }
}
