// Browser mode: the same renderer served over http on loopback, the contract over a WebSocket.
// Only 127.0.0.1 is listened on; every request needs the random token (given once in the URL,
// then kept in an HttpOnly, SameSite=Strict cookie); the Host and Origin headers must name this
// server, which shuts out other sites and DNS rebinding.
import http from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Frame, FrameChannel } from '../../common/rpc/index';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface BrowserServerOptions {
  /** Folder holding the built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  /** Called for each authenticated WebSocket client. Returns a cleanup function. */
  onClient: (channel: FrameChannel) => () => void;
  /** Extra upgrade routes (byte streams), already authenticated, keyed by path prefix. */
  streamRoutes?: Record<string, (socket: WebSocket, url: URL) => void>;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'hearth_token';

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

export function wsChannel(socket: WebSocket): FrameChannel {
  return {
    send(frame: Frame) {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    },
    onFrame(listener) {
      const handler = (data: unknown, isBinary: boolean) => {
        if (isBinary) return;
        let frame: unknown;
        try {
          frame = JSON.parse(String(data));
        } catch {
          return;
        }
        listener(frame);
      };
      socket.on('message', handler);
      return () => socket.off('message', handler);
    },
    onClose(listener) {
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
  };
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = path.resolve(options.staticDir);
  let port = 0;

  const hostAllowed = (req: http.IncomingMessage) => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };
  const originAllowed = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };
  const authorised = (req: http.IncomingMessage) => sameToken(cookieToken(req), token);

  const server = http.createServer(async (req, res) => {
    const common = {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    };
    if (!hostAllowed(req)) {
      res.writeHead(421, common).end('Hearth answers only on its own loopback address.\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const given = url.searchParams.get('token') ?? undefined;
    if (given !== undefined) {
      if (!sameToken(given, token)) {
        res.writeHead(403, common).end('Wrong token: use the address Hearth printed when it started.\n');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...common,
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }
    if (!authorised(req)) {
      res.writeHead(403, common).end('Open Hearth with the address it printed when it started (it carries a token).\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, common).end();
      return;
    }
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(staticDir, '.' + relative);
    if (!file.startsWith(staticDir + path.sep)) {
      res.writeHead(404, common).end();
      return;
    }
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, {
        ...common,
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, common).end('Not found. Was the renderer built (npm run build)?\n');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  const cleanups = new Set<() => void>();
  server.on('upgrade', (req, socket, head) => {
    if (!hostAllowed(req) || !originAllowed(req) || !authorised(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/rpc') {
      wss.handleUpgrade(req, socket, head, (ws) => {
        const cleanup = options.onClient(wsChannel(ws));
        cleanups.add(cleanup);
        ws.on('close', () => {
          cleanups.delete(cleanup);
          cleanup();
        });
      });
      return;
    }
    const route = Object.entries(options.streamRoutes ?? {}).find(([prefix]) => url.pathname.startsWith(prefix));
    if (route) {
      wss.handleUpgrade(req, socket, head, (ws) => route[1](ws, url));
      return;
    }
    socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const cleanup of cleanups) cleanup();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
