// The contract is enforced where main receives calls: arguments are checked before a handler
// runs, answers are checked before they leave, and user errors keep their message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub, RemoteError, UserError, createClient, serveChannel, type Frame, type FrameChannel } from '../../../common/rpc/index';
import type { Implementation } from '../../../common/contract/index';

/** Two ends of an in-process frame pipe, passing frames through JSON as a real transport does. */
function pipe(): [FrameChannel, FrameChannel, () => void] {
  type End = { listeners: Set<(f: unknown) => void>; closers: Set<() => void> };
  const a: End = { listeners: new Set(), closers: new Set() };
  const b: End = { listeners: new Set(), closers: new Set() };
  const end = (self: End, other: End): FrameChannel => ({
    send: (frame: Frame) => queueMicrotask(() => other.listeners.forEach((l) => l(JSON.parse(JSON.stringify(frame))))),
    onFrame: (l) => (self.listeners.add(l), () => self.listeners.delete(l)),
    onClose: (l) => (self.closers.add(l), () => self.closers.delete(l)),
  });
  const close = () => [...a.closers, ...b.closers].forEach((c) => c());
  return [end(a, b), end(b, a), close];
}

function implementation(calls: string[]): Implementation<{ who: string }> {
  const fail = async () => {
    throw new Error('not part of this test');
  };
  const impl = new Proxy({} as Implementation<{ who: string }>, {
    get: (_t, name: string) => {
      if (name === 'hosts.remove') return async (_ctx: unknown, id: string) => (calls.push(`remove ${id}`), null);
      if (name === 'domains.list') return async () => [{ bogus: true }];
      if (name === 'tasks.cancel') return async () => {
        throw new UserError('That task is no longer known.', 'not-found');
      };
      if (name === 'app.info') return async (ctx: { who: string }) => ({ version: '1', mode: 'browser', locale: ctx.who });
      return fail;
    },
  });
  return impl;
}

test('a valid call reaches the handler with its context and the answer comes back typed', async () => {
  const calls: string[] = [];
  const [server, client] = pipe();
  serveChannel(implementation(calls), server, { who: 'ko-KR' });
  const api = createClient(client);
  const info = await api.call('app.info');
  assert.deepEqual(info, { version: '1', mode: 'browser', locale: 'ko-KR' });
  assert.equal(await api.call('hosts.remove', 'abc'), null);
  assert.deepEqual(calls, ['remove abc']);
});

test('arguments that break the contract are refused before any handler runs', async () => {
  const calls: string[] = [];
  const [server, client] = pipe();
  serveChannel(implementation(calls), server, { who: 'x' });
  const api = createClient(client);
  // A hostile renderer can send anything: the types do not protect main, the schema does.
  const untyped = api as unknown as { call(m: string, ...a: unknown[]): Promise<unknown> };
  await assert.rejects(untyped.call('hosts.remove', 42), (e: unknown) => e instanceof RemoteError && e.code === 'invalid-argument');
  await assert.rejects(untyped.call('hosts.remove'), (e: unknown) => e instanceof RemoteError && e.code === 'invalid-argument');
  await assert.rejects(
    untyped.call('domains.act', 'h', 'bad\nname', 'destroy', {}),
    (e: unknown) => e instanceof RemoteError && e.code === 'invalid-argument' && /new lines/.test(e.message),
  );
  await assert.rejects(untyped.call('no.such', 1), (e: unknown) => e instanceof RemoteError && e.code === 'unknown-method');
  assert.deepEqual(calls, []);
});

test('an answer that breaks the contract never leaves main', async () => {
  const [server, client] = pipe();
  const seen: string[] = [];
  serveChannel(implementation([]), server, { who: 'x' }, { onInternalError: (m) => seen.push(m) });
  const api = createClient(client);
  await assert.rejects(api.call('domains.list', 'h'), (e: unknown) => e instanceof RemoteError && e.code === 'internal');
  assert.deepEqual(seen, ['domains.list']);
});

test('a user error keeps its message and code across the transport', async () => {
  const [server, client] = pipe();
  serveChannel(implementation([]), server, { who: 'x' });
  const api = createClient(client);
  await assert.rejects(api.call('tasks.cancel', 't1'), (e: unknown) => e instanceof RemoteError && e.code === 'not-found' && e.message === 'That task is no longer known.');
});

test('events are checked against the contract and reach every attached window', async () => {
  const hub = new EventHub();
  const [s1, c1] = pipe();
  const [s2, c2] = pipe();
  hub.attach(s1);
  hub.attach(s2);
  const got: string[] = [];
  createClient(c1).on('hosts.removed', (p) => got.push(`1:${p.id}`));
  createClient(c2).on('hosts.removed', (p) => got.push(`2:${p.id}`));
  hub.emit('hosts.removed', { id: 'h1' });
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(got.sort(), ['1:h1', '2:h1']);
  assert.throws(() => hub.emit('hosts.removed', { id: 7 } as unknown as { id: string }));
});

test('calls pending when the transport closes fail with a clear message', async () => {
  const [, client, close] = pipe();
  const api = createClient(client);
  const pending = api.call('hosts.list');
  close();
  await assert.rejects(pending, (e: unknown) => e instanceof RemoteError && e.code === 'disconnected');
});
