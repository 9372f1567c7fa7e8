// A small transport-agnostic RPC: frames over any message channel (Electron IPC, a WebSocket).
// Main validates every call's arguments and every result against the contract (zod); the
// renderer gets a typed proxy. Byte streams (consoles, VNC) do not travel here.
import { z } from 'zod';
import {
  events as eventSchemas,
  methods as methodSchemas,
  type Api,
  type EventName,
  type EventPayload,
  type Implementation,
  type MethodName,
} from '../contract/index';

export type Frame =
  | { t: 'call'; id: number; method: string; args: unknown[] }
  | { t: 'result'; id: number; value: unknown }
  | { t: 'error'; id: number; error: RpcErrorBody }
  | { t: 'event'; name: string; payload: unknown };

export interface RpcErrorBody {
  code: string;
  message: string;
}

/** An error meant for the user: its message says what went wrong and what to change. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: string = 'failed',
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Anything that carries frames both ways. */
export interface FrameChannel {
  send(frame: Frame): void;
  onFrame(listener: (frame: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
}

const FrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int(), method: z.string(), args: z.array(z.unknown()) }),
  z.object({ t: z.literal('result'), id: z.number().int(), value: z.unknown() }),
  z.object({
    t: z.literal('error'),
    id: z.number().int(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}

function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methodSchemas, name);
}

export interface ServeOptions {
  onInternalError?: (method: string, error: unknown) => void;
}

/**
 * Answer calls arriving on `channel` with `impl`, validating arguments before the call and the
 * result after it. Returns a function that stops serving.
 */
export function serveChannel<Ctx>(
  impl: Implementation<Ctx>,
  channel: FrameChannel,
  ctx: Ctx,
  options: ServeOptions = {},
): () => void {
  return channel.onFrame(async (raw) => {
    const parsed = FrameSchema.safeParse(raw);
    if (!parsed.success || parsed.data.t !== 'call') return;
    const { id, method, args } = parsed.data;
    const reply = (frame: Frame) => {
      try {
        channel.send(frame);
      } catch {
        // The window went away while we worked; nobody is left to tell.
      }
    };
    if (!isMethodName(method)) {
      reply({ t: 'error', id, error: { code: 'unknown-method', message: `Unknown method ${method}.` } });
      return;
    }
    const schema = methodSchemas[method];
    const input = schema.input.safeParse(args);
    if (!input.success) {
      reply({ t: 'error', id, error: { code: 'invalid-argument', message: describeZodError(input.error) } });
      return;
    }
    try {
      const handler = impl[method] as (ctx: Ctx, ...a: unknown[]) => Promise<unknown>;
      const value = await handler(ctx, ...(input.data as unknown[]));
      const output = schema.output.safeParse(value);
      if (!output.success) {
        options.onInternalError?.(method, output.error);
        reply({
          t: 'error',
          id,
          error: { code: 'internal', message: `Hearth produced an invalid answer for ${method}: ${describeZodError(output.error)}` },
        });
        return;
      }
      reply({ t: 'result', id, value: output.data });
    } catch (error) {
      if (error instanceof UserError) {
        reply({ t: 'error', id, error: { code: error.code, message: error.message } });
      } else {
        options.onInternalError?.(method, error);
        const message = error instanceof Error ? error.message : String(error);
        reply({ t: 'error', id, error: { code: 'internal', message } });
      }
    }
  });
}

/** Fan-out of contract events to every connected channel, each payload checked first. */
export class EventHub {
  private readonly channels = new Set<FrameChannel>();

  attach(channel: FrameChannel): () => void {
    this.channels.add(channel);
    return () => this.channels.delete(channel);
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = eventSchemas[name].parse(payload);
    for (const channel of this.channels) {
      try {
        channel.send({ t: 'event', name, payload: checked });
      } catch {
        this.channels.delete(channel);
      }
    }
  }
}

export class RemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The renderer side: a typed Api over any frame channel. */
export function createClient(channel: FrameChannel): Api & { dispose(): void } {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const stopFrames = channel.onFrame((raw) => {
    const parsed = FrameSchema.safeParse(raw);
    if (!parsed.success) return;
    const frame = parsed.data;
    if (frame.t === 'event') {
      for (const listener of listeners.get(frame.name) ?? []) listener(frame.payload);
      return;
    }
    if (frame.t === 'call') return;
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    if (frame.t === 'result') waiter.resolve(frame.value);
    else waiter.reject(new RemoteError(frame.error.code, frame.error.message));
  });
  const stopClose = channel.onClose(() => {
    for (const waiter of pending.values()) {
      waiter.reject(new RemoteError('disconnected', 'The connection to Hearth was lost.'));
    }
    pending.clear();
  });

  return {
    call(method, ...args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        try {
          channel.send({ t: 'call', id, method, args });
        } catch (error) {
          pending.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    dispose() {
      stopFrames();
      stopClose();
    },
  };
}
