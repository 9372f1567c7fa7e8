// Browser mode's server, for real on loopback: only 127.0.0.1, only with the token, only from
// its own origin; the contract answers over the WebSocket once those hold.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createHearth } from '../../main/index';
import { InMemorySecretStore } from '../../main/ssh/index';
import { startBrowserServer } from '../../main/transport/ws';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-serve-'));
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Hearth</title>');
const hearth = createHearth({ mode: 'browser', secrets: new InMemorySecretStore(), canRememberSecrets: false, home: path.join(dir, 'home') });
const server = await startBrowserServer({ staticDir: dir, onClient: (c) => hearth.attach(c) });
after(async () => {
  await server.close();
  await hearth.close();
});

function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

const cookie = () => `hearth_token=${server.token}`;

test('the URL it prints is on loopback and carries a long random token', () => {
  const url = new URL(server.url);
  assert.equal(url.hostname, '127.0.0.1');
  assert.ok((url.searchParams.get('token') ?? '').length >= 32);
});

test('without the token nothing is served', async () => {
  assert.equal((await get('/')).status, 403);
  assert.equal((await get('/?token=wrong')).status, 403);
  assert.equal((await get('/', { Cookie: 'hearth_token=wrong' })).status, 403);
});

test('the token in the URL becomes an HttpOnly, SameSite=Strict cookie and leaves the address', async () => {
  const res = await get(`/?token=${encodeURIComponent(server.token)}`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, '/');
  const set = String(res.headers['set-cookie']);
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
});

test('with the cookie the page comes with a strict Content-Security-Policy', async () => {
  const res = await get('/', { Cookie: cookie() });
  assert.equal(res.status, 200);
  assert.match(res.body, /<title>Hearth/);
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-eval/);
});

test('a request naming another host (DNS rebinding) is refused', async () => {
  assert.equal((await get('/', { Cookie: cookie(), Host: `evil.example:${server.port}` })).status, 421);
});

test('files outside the renderer folder cannot be reached', async () => {
  const res = await get('/..%2f..%2fetc%2fpasswd', { Cookie: cookie() });
  assert.notEqual(res.status, 200);
});

function openSocket(headers: Record<string, string>) {
  return new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

test('the WebSocket needs both the cookie and this server as its origin', async () => {
  await assert.rejects(openSocket({ Origin: `http://127.0.0.1:${server.port}` }), /403/);
  await assert.rejects(openSocket({ Cookie: cookie(), Origin: 'http://evil.example' }), /403/);
});

test('over an authorised WebSocket the contract answers, and bad calls are refused by main', async () => {
  const ws = await openSocket({ Cookie: cookie(), Origin: `http://127.0.0.1:${server.port}` });
  const replies = new Map<number, unknown>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (frame.t !== 'event') replies.set(frame.id, frame);
  });
  ws.send(JSON.stringify({ t: 'call', id: 1, method: 'hosts.list', args: [] }));
  ws.send(JSON.stringify({ t: 'call', id: 2, method: 'hosts.add', args: [{ name: '' }] }));
  for (let i = 0; i < 100 && replies.size < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(replies.get(1), { t: 'result', id: 1, value: [] });
  const refused = replies.get(2) as { t: string; error: { code: string; message: string } };
  assert.equal(refused.t, 'error');
  assert.equal(refused.error.code, 'invalid-argument');
  assert.match(refused.error.message, /name/);
  ws.close();
});
