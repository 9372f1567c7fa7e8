// One console's byte stream on main's side. Its source (an SSH channel running `xl console`, a
// login shell, or a TCP stream forwarded to a VNC server) may change while the stream lives,
// e.g. when the domain reboots; its receiver (the renderer's WebSocket or MessagePort) attaches
// once the renderer opens it. Output waits here until a receiver is attached, and the source is
// paused whenever too much is unacknowledged, so a flooding guest cannot grow memory without
// bound: the SSH window then closes and the guest's console ring fills on the host instead.
import { FlowSender, type BeginMessage, type EndMessage } from '../../common/stream/index';

/** Where the stream's bytes come from; an ssh2 ClientChannel is one. */
export interface StreamSource {
  write(data: Buffer): unknown;
  pause(): unknown;
  resume(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  destroy?(): unknown;
  close?(): unknown;
}

/** The renderer's end, as the transport gives it (WebSocket, MessagePort). */
export interface StreamReceiver {
  sendBytes(data: Uint8Array): void;
  sendControl(message: BeginMessage | EndMessage): void;
  close(): void;
}

export interface StreamHandlers {
  /** Bytes from the renderer, before they go to the source (the console may look at them).
   *  Called between sources too (e.g. while reattaching), when what it returns is dropped. */
  onInput?(data: Buffer): Buffer | null;
  /** The current source ended by itself (not by replaceSource or close). */
  onSourceEnd?(generation: number): void;
}

export class ConsoleStream {
  private source: StreamSource | null = null;
  private receiver: StreamReceiver | null = null;
  private readonly flow = new FlowSender();
  /** Output (and control messages) waiting for a receiver. Bounded: the source pauses past the watermark. */
  private pending: Array<Uint8Array | BeginMessage | EndMessage> = [];
  private generationCounter = 0;
  private closed = false;
  private lastBegin: BeginMessage | null = null;

  constructor(
    readonly id: string,
    private readonly handlers: StreamHandlers = {},
  ) {}

  get generation(): number {
    return this.generationCounter;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes sent but not yet acknowledged (or still waiting for a receiver). */
  get unacknowledged(): number {
    return this.flow.unacknowledged;
  }

  get hasSource(): boolean {
    return this.source !== null;
  }

  /** Start a new source (first attach, or after a reboot); the previous one is dropped. */
  setSource(source: StreamSource, extra: Omit<BeginMessage, 't' | 'generation'> = {}): number {
    if (this.closed) {
      source.destroy?.() ?? source.close?.();
      return this.generationCounter;
    }
    this.dropSource('replaced');
    const generation = ++this.generationCounter;
    this.source = source;
    const begin: BeginMessage = { t: 'begin', generation, ...extra };
    this.lastBegin = begin;
    this.deliver(begin);
    source.on('data', (chunk: Buffer) => {
      if (this.source !== source) return;
      this.deliver(chunk);
      if (this.flow.sentBytes(chunk.length)) source.pause();
    });
    const ended = () => {
      if (this.source !== source) return;
      this.source = null;
      source.removeAllListeners('data');
      // The remote side ended (EOF): close our side too, or a forwarded TCP channel stays half open.
      try {
        if (source.destroy) source.destroy();
        else source.close?.();
      } catch {
        // Already gone.
      }
      this.deliver({ t: 'end', generation, reason: 'ended' });
      this.handlers.onSourceEnd?.(generation);
    };
    // A forwarded TCP channel whose server went away says 'end' (EOF) and waits for ours before 'close'.
    source.on('end', ended);
    source.on('close', ended);
    source.on('error', ended);
    if (this.flow.isPaused) source.pause();
    return generation;
  }

  /** End the current source on purpose (its onSourceEnd is not called). */
  dropSource(reason: string): void {
    const source = this.source;
    if (!source) return;
    this.source = null;
    source.removeAllListeners('data');
    source.removeAllListeners('close');
    source.removeAllListeners('end');
    source.on('error', () => undefined);
    try {
      if (source.destroy) source.destroy();
      else source.close?.();
    } catch {
      // Already gone.
    }
    this.deliver({ t: 'end', generation: this.generationCounter, reason });
  }

  /** Bytes typed in the renderer (or sent by its VNC client). */
  input(data: Buffer): void {
    if (this.closed) return;
    const passed = this.handlers.onInput ? this.handlers.onInput(data) : data;
    if (passed && passed.length) this.source?.write(passed);
  }

  /** Write bytes to the source directly (e.g. Ctrl-] for Detach). */
  writeToSource(data: Buffer): boolean {
    if (!this.source) return false;
    this.source.write(data);
    return true;
  }

  acknowledge(total: number): void {
    if (this.flow.acknowledged(total)) this.source?.resume();
  }

  /** The renderer's end is here: it gets what waited, and the books start afresh for it. */
  attach(receiver: StreamReceiver): void {
    if (this.closed) {
      receiver.close();
      return;
    }
    const previous = this.receiver;
    this.receiver = receiver;
    if (previous) previous.close();
    // Bytes sent to a previous receiver are lost with it; waiting bytes go to the new one.
    const waiting = this.pending;
    this.pending = [];
    let waitingBytes = 0;
    for (const item of waiting) if (item instanceof Uint8Array) waitingBytes += item.length;
    if (previous || waiting.length) {
      if (this.flow.newReceiver()) this.source?.resume();
      // A receiver that attaches mid-generation must still hear where the generation began.
      if (this.lastBegin && !waiting.some((w) => !(w instanceof Uint8Array) && w.t === 'begin')) receiver.sendControl(this.lastBegin);
      for (const item of waiting) this.sendTo(receiver, item);
      if (this.flow.sentBytes(waitingBytes)) this.source?.pause();
    }
  }

  /** The receiver went away (window reloaded): keep the source, wait for another. */
  detachReceiver(receiver: StreamReceiver): void {
    if (this.receiver !== receiver) return;
    this.receiver = null;
  }

  close(): void {
    if (this.closed) return;
    this.dropSource('closed');
    this.closed = true;
    this.pending = [];
    const receiver = this.receiver;
    this.receiver = null;
    receiver?.close();
  }

  private deliver(item: Uint8Array | BeginMessage | EndMessage): void {
    if (this.closed) return;
    if (this.receiver) this.sendTo(this.receiver, item);
    else {
      this.pending.push(item);
    }
  }

  private sendTo(receiver: StreamReceiver, item: Uint8Array | BeginMessage | EndMessage): void {
    try {
      if (item instanceof Uint8Array) receiver.sendBytes(item);
      else receiver.sendControl(item);
    } catch {
      this.detachReceiver(receiver);
    }
  }
}
