// The renderer's end of a console stream, over anything shaped like a browser WebSocket (the
// browser's own, Node's `ws`, or a MessagePort adapted to it). Bytes are handed to the consumer,
// which reports when it has really consumed them (xterm's write callback, noVNC's parser); the
// acknowledgements that go back to main follow those reports, so main pauses the source while
// the consumer lags behind.
import { ACK_EVERY_BYTES, FlowReceiver } from './flow';
import { parseToRenderer, type BeginMessage, type EndMessage } from './messages';

/** The part of the WebSocket interface a stream needs. */
export interface StreamSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | ArrayBuffer | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface StreamClientHandlers {
  /** Output bytes; call `client.consumed(data.length)` once they are written or parsed. */
  onBytes(data: Uint8Array, generation: number): void;
  onBegin?(message: BeginMessage): void;
  onEnd?(message: EndMessage): void;
  onOpen?(): void;
  /** The stream's channel closed (the console was closed, or the link to main dropped). */
  onClose?(): void;
}

const OPEN = 1;
const IDLE_FLUSH_MS = 50;

export class StreamClient {
  private readonly receiver = new FlowReceiver(ACK_EVERY_BYTES);
  private generationNow = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly socket: StreamSocketLike,
    private readonly handlers: StreamClientHandlers,
  ) {
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => handlers.onOpen?.();
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => this.ended();
    socket.onerror = () => undefined;
  }

  get generation(): number {
    return this.generationNow;
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === OPEN;
  }

  /** Bytes consumed since the stream began. */
  get consumedBytes(): number {
    return this.receiver.consumed;
  }

  /** Report bytes consumed; acknowledges every few kilobytes, and whatever is left when idle. */
  consumed(n: number): void {
    const ack = this.receiver.consumedBytes(n);
    if (ack !== null) this.sendAck(ack);
    else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        const rest = this.receiver.flush();
        if (rest !== null) this.sendAck(rest);
      }, IDLE_FLUSH_MS);
    }
  }

  /** Keystrokes (or a VNC client's bytes) for the source. */
  send(data: Uint8Array | string): void {
    if (!this.isOpen) return;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    // Always binary: a text message would be read as control.
    this.socket.send(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    try {
      this.socket.close(1000);
    } catch {
      // Already closed.
    }
  }

  private sendAck(bytes: number): void {
    if (this.isOpen) this.socket.send(JSON.stringify({ t: 'ack', bytes }));
  }

  private receive(data: unknown): void {
    if (typeof data === 'string') {
      const control = parseToRenderer(data);
      if (!control) return;
      if (control.t === 'begin') {
        this.generationNow = control.generation;
        this.handlers.onBegin?.(control);
      } else {
        this.handlers.onEnd?.(control);
      }
      return;
    }
    let bytes: Uint8Array | null = null;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes) this.handlers.onBytes(bytes, this.generationNow);
  }

  private ended(): void {
    const wasClosed = this.closed;
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (!wasClosed || this.handlers.onClose) this.handlers.onClose?.();
  }
}
