// Hearth in browser mode, driven from Node the way the renderer drives it: the authenticated
// WebSocket RPC (nodeClient) and the /stream/<id> routes with the renderer's StreamClient and
// acknowledgements. Shared by the console, local-terminal and bench code that needs no page.
import WebSocket from 'ws';
import type { Api } from '../../common/contract/index';
import { StreamClient, streamPath, type ConsoleStateView, type StreamSocketLike } from '../../common/stream/index';
import { runBrowserMode } from '../../main/browser';
import type { LocalTerminalOptions } from '../../main/services/local-terminals';
import { nodeClient, seedHome, type LabHostSeed } from './browser';

export interface RunningHearth {
  api: Api & { dispose(): void };
  port: number;
  token: string;
  /** Every consoles.state event so far, oldest first. */
  states: ConsoleStateView[];
  /** Bytes main holds unacknowledged on a stream. */
  unacknowledged(streamId: string): number;
  close(): Promise<void>;
}

export async function startHearth(home: string, options: { seed?: LabHostSeed[]; localTerminals?: LocalTerminalOptions } = {}): Promise<RunningHearth> {
  if (options.seed) seedHome(home, options.seed);
  const running = await runBrowserMode({ home, localTerminals: options.localTerminals });
  const url = new URL(running.url);
  const token = url.searchParams.get('token')!;
  const port = Number(url.port);
  const api = await nodeClient(port, token);
  const states: ConsoleStateView[] = [];
  api.on('consoles.state', (s) => states.push(s));
  return {
    api,
    port,
    token,
    states,
    unacknowledged: (id) => running.hearth.services.consoles.unacknowledged(id),
    async close() {
      api.dispose();
      api.socket.close();
      await running.close();
    },
  };
}

export interface StreamOptions {
  /** Acknowledge on receipt like xterm (default), or hold acknowledgements back. */
  ack?: boolean;
  /** Answer a cursor-position query (ESC[6n) as xterm does: busybox asks at each prompt. */
  answerCursorQuery?: boolean;
  /** Sees every chunk as it arrives (e.g. to count a flood's bytes). */
  onBytes?(data: Uint8Array): void;
}

/** A console stream from Node, acknowledging like the renderer (or not, until told to). */
export function openStream(app: Pick<RunningHearth, 'port' | 'token'>, streamId: string, options: StreamOptions = {}) {
  const socket = new WebSocket(`ws://127.0.0.1:${app.port}${streamPath(streamId)}`, {
    headers: { Cookie: `hearth_token=${app.token}`, Origin: `http://127.0.0.1:${app.port}` },
  });
  const chunks: Buffer[] = [];
  let text = '';
  let bytes = 0;
  let acking = options.ack !== false;
  const generations: number[] = [];
  const decoder = new TextDecoder();
  let waiters: Array<() => void> = [];
  const client = new StreamClient(socket as unknown as StreamSocketLike, {
    onBytes(data) {
      bytes += data.length;
      options.onBytes?.(data);
      // Keep only a tail of text: a flood must not grow the test's own memory either.
      text = (text + decoder.decode(data, { stream: true })).slice(-200_000);
      if (chunks.length < 64) chunks.push(Buffer.from(data));
      if (options.answerCursorQuery && Buffer.from(data).includes('\x1b[6n')) client.send('\x1b[24;5R');
      if (acking) client.consumed(data.length);
      for (const w of waiters) w();
    },
    onBegin: (m) => {
      generations.push(m.generation);
      for (const w of waiters) w();
    },
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    client,
    opened,
    generations,
    firstBytes: () => Buffer.concat(chunks),
    text: () => text,
    bytes: () => bytes,
    type: (s: string) => client.send(s),
    /** Start acknowledging, including everything held back so far. */
    acknowledgeFromNowOn() {
      acking = true;
      client.consumed(bytes - client.consumedBytes);
    },
    waitFor(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`timed out waiting for ${what}; last output: ${JSON.stringify(text.slice(-400))}`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    close: () => client.close(),
  };
}

/** The newest state of a stream that matches, waiting for one. */
export async function waitState(app: Pick<RunningHearth, 'states'>, streamId: string, pred: (s: ConsoleStateView) => boolean, timeoutMs = 120_000): Promise<ConsoleStateView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = app.states.filter((s) => s.streamId === streamId).reverse().find(pred);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching state for ${streamId}; seen: ${JSON.stringify(app.states.filter((s) => s.streamId === streamId).map((s) => [s.phase, s.reason, s.message]))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
