// End-to-end harness: Hearth in browser mode (the same main-process code as the desktop app)
// with a throwaway HEARTH_HOME, driven in Debian's Chromium by playwright-core.
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { createClient, type Frame, type FrameChannel } from '../../common/rpc/index';
import type { Api } from '../../common/contract/index';
import { runBrowserMode } from '../../main/browser';
import type { LocalTerminalOptions } from '../../main/services/local-terminals';

export const CHROMIUM = process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium';
export const ARTEFACTS = path.resolve('test-results');

export interface App {
  url: string;
  home: string;
  browser: Browser;
  page: Page;
  /** A second client of the same server, from Node, for setting up and checking state. */
  api: Api;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface LabHostSeed {
  name: string;
  address: string;
  port: number;
  user: string;
  identityFile: string;
  /** OpenSSH known_hosts lines to trust without a prompt; omit to see the prompt. */
  knownHostsFile?: string;
}

/** Write a Hearth home that already knows these hosts (used where adding one is not the point). */
export function seedHome(home: string, hosts: LabHostSeed[]): void {
  mkdirSync(home, { recursive: true });
  const stored = hosts.map((h, i) => ({
    id: `seed-${i}-${h.name}`,
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    identityFile: h.identityFile,
    demo: false,
  }));
  writeFileSync(path.join(home, 'hosts.json'), JSON.stringify({ version: 1, hosts: stored }, null, 2));
  const known = hosts.filter((h) => h.knownHostsFile).map((h) => readFileSync(h.knownHostsFile!, 'utf8')).join('\n');
  if (known) writeFileSync(path.join(home, 'known_hosts'), known);
}

/** A client of a browser-mode server from Node: the same cookie and origin a browser would send. */
export function nodeClient(port: number, token: string): Promise<Api & { dispose(): void; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc`, {
      headers: { Cookie: `hearth_token=${token}`, Origin: `http://127.0.0.1:${port}` },
    });
    const channel: FrameChannel = {
      send: (frame: Frame) => socket.send(JSON.stringify(frame)),
      onFrame: (listener) => {
        const h = (data: WebSocket.RawData) => listener(JSON.parse(String(data)));
        socket.on('message', h);
        return () => socket.off('message', h);
      },
      onClose: (listener) => {
        socket.on('close', listener);
        return () => socket.off('close', listener);
      },
    };
    socket.once('open', () => resolve(Object.assign(createClient(channel), { socket })));
    socket.once('error', reject);
  });
}

export async function startApp(
  options: {
    home?: string;
    seed?: LabHostSeed[];
    viewport?: { width: number; height: number };
    /** For local terminals, e.g. the system ssh's options in a hermetic test. */
    localTerminals?: LocalTerminalOptions;
  } = {},
): Promise<App> {
  const home = options.home ?? mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
  if (options.seed) seedHome(home, options.seed);
  const running = await runBrowserMode({ home, localTerminals: options.localTerminals });
  const url = new URL(running.url);
  const token = url.searchParams.get('token')!;
  const api = await nodeClient(Number(url.port), token);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(running.url);
  mkdirSync(ARTEFACTS, { recursive: true });
  return {
    url: running.url,
    home,
    browser,
    page,
    api,
    async screenshot(name) {
      const file = path.join(ARTEFACTS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      api.dispose();
      api.socket.close();
      await browser.close().catch(() => undefined);
      await running.close();
      if (!options.home) rmSync(home, { recursive: true, force: true });
      if (consoleErrors.length) console.log(`Page errors seen: ${consoleErrors.join(' | ')}`);
    },
  };
}

/** Poll `probe` until it gives a value, or fail saying what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
