// The SSH layer against a real OpenSSH server (Debian's sshd on 127.0.0.1): every login
// method, the host-key flow, reconnects without replays, one connection for many channels,
// and arguments that reach the remote program byte for byte.

import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, type Socket, connect as connectTcp, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UnsafeArgumentError } from '../../common/shell/quote';
import {
  type HostKeyDecision,
  type HostKeyQuestion,
  InMemorySecretStore,
  KnownHosts,
  type SecretRequest,
  type SecretStore,
  SshConnection,
  type SshConnectionOptions,
  type SshConnectionState,
  SshError,
  SshPool,
  type SshPrompter,
  type SshTarget,
} from '../../main/ssh';
import { type Sshd, generateKey, startSshd } from '../harness/sshd';

class ScriptedPrompter implements SshPrompter {
  readonly hostKeyQuestions: HostKeyQuestion[] = [];
  readonly secretRequests: SecretRequest[] = [];
  constructor(
    private readonly hostKeyAnswer: HostKeyDecision = 'once',
    private readonly secretAnswers: Array<{ secret: string | null; remember?: boolean }> = [],
  ) {}
  async askHostKey(info: HostKeyQuestion): Promise<HostKeyDecision> {
    this.hostKeyQuestions.push(info);
    return this.hostKeyAnswer;
  }
  async askSecret(request: SecretRequest) {
    this.secretRequests.push(request);
    const next = this.secretAnswers.shift();
    return { secret: next ? next.secret : null, remember: next?.remember ?? false };
  }
}

let work: string;
let emptyHome: string;
const opened: SshConnection[] = [];
const servers: Sshd[] = [];

before(() => {
  work = mkdtempSync(join(tmpdir(), 'hearth-ssh-it-'));
  emptyHome = join(work, 'home');
  mkdirSync(emptyHome);
});

after(async () => {
  for (const connection of opened) connection.close();
  for (const server of servers) await server.dispose();
  rmSync(work, { recursive: true, force: true });
});

async function server(options: Parameters<typeof startSshd>[0] = {}): Promise<Sshd> {
  const started = await startSshd(options);
  servers.push(started);
  return started;
}

let storeCounter = 0;
function freshKnownHosts(): KnownHosts {
  return new KnownHosts({ readOnlyFiles: [], storeFile: join(work, `known_hosts-${++storeCounter}`) });
}

function targetOf(sshd: Sshd, overrides: Partial<SshTarget> = {}): SshTarget {
  return { host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFiles: [sshd.userKeyPath], proxyJump: [], alias: 'test', ...overrides };
}

function connect(sshd: Sshd, overrides: Partial<Omit<SshConnectionOptions, 'target'>> & { target?: Partial<SshTarget> } = {}): SshConnection {
  const { target, ...rest } = overrides;
  const connection = new SshConnection({
    prompter: new ScriptedPrompter('once'),
    secrets: new InMemorySecretStore(),
    knownHosts: freshKnownHosts(),
    homeDir: emptyHome,
    agentSocket: null,
    connectTimeoutMs: 10_000,
    ...rest,
    target: targetOf(sshd, target),
  });
  opened.push(connection);
  return connection;
}

function hostFingerprint(sshd: Sshd): string {
  return execFileSync('ssh-keygen', ['-lf', `${sshd.hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1];
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected the promise to be rejected');
}

describe('ssh against a real sshd', () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await server();
  });

  test('key file login; an unknown host key is asked with the fingerprint ssh-keygen prints', async () => {
    const prompter = new ScriptedPrompter('remember');
    const knownHosts = freshKnownHosts();
    const connection = connect(sshd, { prompter, knownHosts });
    const result = await connection.exec(['id', '-un']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), sshd.user);
    assert.equal(prompter.hostKeyQuestions.length, 1);
    assert.deepEqual(prompter.hostKeyQuestions[0], {
      host: '127.0.0.1',
      port: sshd.port,
      keyType: 'ssh-ed25519',
      fingerprint: hostFingerprint(sshd),
    });
    connection.close();

    // 'remember' wrote Hearth's store: the next connection is not asked.
    const secondPrompter = new ScriptedPrompter('reject');
    const second = connect(sshd, { prompter: secondPrompter, knownHosts });
    assert.equal((await second.exec(['true'])).code, 0);
    assert.equal(secondPrompter.hostKeyQuestions.length, 0);
    second.close();
  });

  test("declining the host key ('reject') stops the connection", async () => {
    const connection = connect(sshd, { prompter: new ScriptedPrompter('reject') });
    const error = await rejection(connection.exec(['true']));
    assert.ok(error instanceof SshError);
    assert.equal((error as SshError).sshCode, 'host-key-rejected');
    assert.equal(connection.state, 'disconnected');
  });

  for (const answer of ['once', 'reject'] as const) test(`the link drops while the host key is being asked ('${answer}'): that connection fails, Hearth does not crash`, async () => {
    // ssh2 throws from its verify callback once its protocol is gone (TypeError:
    // protocol._destruct is not a function); called from a promise, that ended the process.
    const sockets = new Set<Socket>();
    const proxy = createServer((inbound) => {
      const upstream = connectTcp(sshd.port, '127.0.0.1');
      for (const s of [inbound, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
      inbound.pipe(upstream).pipe(inbound);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const prompter: SshPrompter = {
        askHostKey: async () => {
          for (const s of sockets) s.destroy();
          await new Promise((resolve) => setTimeout(resolve, 300));
          return answer;
        },
        askSecret: async () => ({ secret: null, remember: false }),
      };
      const connection = connect(sshd, { prompter, target: { port: (proxy.address() as AddressInfo).port } });
      const error = await rejection(connection.connect());
      assert.ok(error instanceof SshError, String(error));
      // Give a late throw from ssh2 the time to surface (it would fail this file's run).
      await new Promise((resolve) => setTimeout(resolve, 300));
      connection.close();
    } finally {
      proxy.close();
    }
  });

  test('exit code, stderr and stdin travel as they should', async () => {
    const connection = connect(sshd);
    const result = await connection.exec(['sh', '-c', 'cat; echo oops >&2; exit 3'], { stdin: 'from stdin\n' });
    assert.deepEqual(result, { stdout: 'from stdin\n', stderr: 'oops\n', code: 3 });
    const timedOut = await rejection(connection.exec(['sleep', '20'], { timeoutMs: 300 }));
    assert.equal((timedOut as SshError).sshCode, 'timeout');
    connection.close();
  });

  test('encrypted key: the passphrase is asked once, through the prompter', async () => {
    const keyPath = join(work, 'encrypted_key');
    sshd.authorize(generateKey(keyPath, { passphrase: 'correct horse' }));
    const prompter = new ScriptedPrompter('once', [{ secret: 'wrong one' }, { secret: 'correct horse', remember: true }]);
    const secrets = new InMemorySecretStore();
    const connection = connect(sshd, { prompter, secrets, target: { identityFiles: [keyPath] } });
    assert.equal((await connection.exec(['true'])).code, 0);
    assert.deepEqual(
      prompter.secretRequests.map((request) => request.kind),
      ['passphrase', 'passphrase'],
      'asked again only because the first answer was wrong',
    );
    assert.equal(await secrets.get(`ssh-passphrase:${keyPath}`), 'correct horse', 'remembered on request');
    connection.close();
    // A new connection finds it in the store and asks nothing.
    const again = new ScriptedPrompter('once');
    const second = connect(sshd, { prompter: again, secrets, target: { identityFiles: [keyPath] } });
    assert.equal((await second.exec(['true'])).code, 0);
    assert.equal(again.secretRequests.length, 0);
    second.close();
  });

  test('ssh-agent: a real agent holding the key', async () => {
    const socket = join(work, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50; i++) {
        try {
          execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
          break;
        } catch (error) {
          // Exit status 1 means "running, no keys yet": ready.
          if ((error as { status?: number }).status === 1) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      execFileSync('ssh-add', ['-q', sshd.userKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const before = sshd.acceptedLogins();
      const connection = connect(sshd, { agentSocket: socket, target: { identityFiles: [join(work, 'no-such-key')] } });
      assert.equal((await connection.exec(['echo', 'via agent'])).stdout, 'via agent\n');
      assert.equal(sshd.acceptedLogins(), before + 1);
      connection.close();
    } finally {
      agent.kill();
    }
  });

  test('no usable way to log in: a clear error naming what was tried', async () => {
    const otherKey = join(work, 'unauthorized_key');
    generateKey(otherKey);
    const connection = connect(sshd, { target: { identityFiles: [otherKey] } });
    const error = await rejection(connection.exec(['true']));
    assert.equal((error as SshError).sshCode, 'auth-failed');
    assert.match(error.message, /The host refused every way Hearth tried to log in as .* \(key .*unauthorized_key\)/);
    assert.match(error.message, /accepts: publickey/);
  });

  test('hostile arguments arrive as exactly one argument each, byte for byte', async () => {
    const connection = connect(sshd);
    const args = [
      'a; rm -rf /',
      '$(reboot)',
      '`id`',
      "it's",
      'say "hi"',
      'line one\nline two',
      'tab\there',
      '*',
      '~',
      '',
      '-n',
      '--help',
      '도메인',
      "'\"'\"'",
      '\\',
      '$HOME',
      '!x',
      'x'.repeat(50_000),
    ];
    const result = await connection.exec(['printf', '%s\\0', ...args]);
    assert.equal(result.code, 0, result.stderr);
    const received = result.stdout.split('\0');
    assert.equal(received.pop(), '', 'output ends with the last separator');
    assert.deepEqual(received, args);
    assert.equal(Buffer.from(received.join('\0')).equals(Buffer.from(args.join('\0'))), true);
    await assert.rejects(connection.exec(['printf', '%s', 'a\u0000b']), UnsafeArgumentError);
    connection.close();
  });

  test('one connection carries many concurrent commands', async () => {
    const before = sshd.acceptedLogins();
    const connection = connect(sshd);
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => connection.exec(['echo', `job ${index}`])));
    results.forEach((result, index) => assert.equal(result.stdout, `job ${index}\n`));
    assert.equal(sshd.acceptedLogins() - before, 1, 'a single login for all 30 commands');
    connection.close();
  });

  test('pty and forwarded stream on the same connection', async () => {
    const connection = connect(sshd);
    const pty = await connection.openPty(['sh', '-c', 'stty size; tty'], { cols: 101, rows: 33 });
    let output = '';
    pty.stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => pty.stream.on('close', resolve));
    assert.match(output, /33 101/);
    assert.match(output, /\/dev\/pts\//);

    const stream = await connection.forwardOut('127.0.0.1', sshd.port);
    const banner = await new Promise<string>((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    assert.match(banner, /^SSH-2\.0-OpenSSH/);
    stream.close();
    connection.close();
  });

  test('ProxyJump: a connection through a jump host', async () => {
    const before = sshd.acceptedLogins();
    const jump = targetOf(sshd);
    const connection = connect(sshd, { target: { proxyJump: [jump] } });
    assert.equal((await connection.exec(['echo', 'behind the jump'])).stdout, 'behind the jump\n');
    assert.equal(sshd.acceptedLogins() - before, 2, 'one login on the jump host, one through it');
    assert.match(sshd.log(), /direct-tcpip|Connection from 127\.0\.0\.1/);
    connection.close();
  });

  test('pool: one connection per user@host:port, closed after the last release', async () => {
    const pool = new SshPool({
      prompter: new ScriptedPrompter('once'),
      secrets: new InMemorySecretStore(),
      knownHosts: freshKnownHosts(),
      homeDir: emptyHome,
      agentSocket: null,
      graceMs: 100,
    });
    const first = pool.acquire(targetOf(sshd));
    const second = pool.acquire(targetOf(sshd));
    assert.equal(first.connection, second.connection);
    assert.equal(pool.users(targetOf(sshd)), 2);
    await first.connection.exec(['true']);
    first.release();
    first.release();
    assert.equal(pool.users(targetOf(sshd)), 1, 'a second release of the same lease changes nothing');
    second.release();
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(pool.has(targetOf(sshd)), false);
    assert.equal(first.connection.state, 'disconnected');
  });
});

describe('password and keyboard-interactive logins', () => {
  test('password: asked, retried after a wrong answer, remembered on request', async (t) => {
    const sshd = await server({ publicKey: false, password: true });
    if (sshd.passwordSkipReason) return t.skip(sshd.passwordSkipReason);
    const secrets: SecretStore = new InMemorySecretStore();
    const prompter = new ScriptedPrompter('once', [{ secret: 'not it' }, { secret: sshd.password!, remember: true }]);
    const connection = connect(sshd, { prompter, secrets });
    assert.equal((await connection.exec(['id', '-un'])).stdout.trim(), sshd.user);
    assert.deepEqual(prompter.secretRequests.map((request) => request.kind), ['password', 'password']);
    assert.match(prompter.secretRequests[1].message, /not accepted/);
    connection.close();

    const quiet = new ScriptedPrompter('once');
    const second = connect(sshd, { prompter: quiet, secrets });
    assert.equal((await second.exec(['true'])).code, 0);
    assert.equal(quiet.secretRequests.length, 0, 'the remembered password is tried before asking');
    second.close();

    const refused = connect(sshd, { prompter: new ScriptedPrompter('once', [{ secret: 'bad' }, { secret: 'worse' }, { secret: null }]) });
    const error = await rejection(refused.exec(['true']));
    assert.match(error.message, /refused every way Hearth tried to log in .*\(password\)/);
  });

  test('keyboard-interactive: each prompt relayed through the prompter', async (t) => {
    const sshd = await server({ publicKey: false, keyboardInteractive: true });
    if (sshd.passwordSkipReason) return t.skip(sshd.passwordSkipReason);
    const prompter = new ScriptedPrompter('once', [{ secret: sshd.password! }]);
    const connection = connect(sshd, { prompter });
    assert.equal((await connection.exec(['id', '-un'])).stdout.trim(), sshd.user);
    assert.equal(prompter.secretRequests.length, 1);
    assert.equal(prompter.secretRequests[0].kind, 'keyboard-interactive');
    assert.match(prompter.secretRequests[0].message, /password/i);
    assert.equal(prompter.secretRequests[0].echo, false);
    connection.close();
  });
});

describe('host key changes and reconnects', () => {
  test('a changed host key is refused loudly, without a prompt', async () => {
    const sshd = await server();
    const knownHosts = freshKnownHosts();
    const first = connect(sshd, { prompter: new ScriptedPrompter('remember'), knownHosts });
    await first.exec(['true']);
    first.close();
    await sshd.restart({ newHostKey: true });

    const prompter = new ScriptedPrompter('remember');
    const connection = connect(sshd, { prompter, knownHosts });
    const error = await rejection(connection.exec(['true']));
    assert.equal((error as SshError).sshCode, 'host-key-changed');
    assert.match(error.message, /has changed/);
    assert.match(error.message, /reinstalled/);
    assert.match(error.message, /intercepting/);
    assert.ok(error.message.includes(hostFingerprint(sshd)), 'names the new fingerprint');
    assert.match(error.message, /remove line 1 of .*known_hosts-/);
    assert.equal(prompter.hostKeyQuestions.length, 0);
  });

  test('after sshd restarts: lost, retrying, connected; the dropped command is not replayed', async () => {
    const sshd = await server();
    const connection = connect(sshd, { reconnectDelayMs: 200, maxReconnectDelayMs: 400, reconnectWaitMs: 15_000, keepaliveIntervalMs: 1_000 });
    const states: SshConnectionState[] = [];
    connection.onStateChange(({ state }) => states.push(state));
    await connection.exec(['sh', '-c', 'rm -f "$HOME/hearth-replay-marker"']);

    const inFlight = rejection(connection.exec(['sh', '-c', 'echo ran >> "$HOME/hearth-replay-marker"; sleep 30']));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sshd.stop();
    const dropped = await inFlight;
    assert.equal((dropped as SshError).sshCode, 'connection-lost');
    assert.match(dropped.message, /did not run it again/);

    const waiting = connection.exec(['echo', 'after the outage']);
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.ok(['lost', 'retrying'].includes(connection.state));
    await sshd.start();
    const waited = await waiting;
    assert.equal(waited.stdout, 'after the outage\n', 'the command issued during the outage ran after the reconnect');

    const marker = await connection.exec(['cat', 'hearth-replay-marker']);
    assert.equal(marker.stdout, 'ran\n', 'the dropped command ran exactly once');
    assert.equal(states[0], 'connecting');
    assert.equal(states[1], 'connected');
    const afterDrop = states.slice(2);
    assert.equal(afterDrop[0], 'lost');
    assert.ok(afterDrop.includes('retrying'));
    assert.equal(afterDrop.at(-1), 'connected');
    assert.equal(connection.state, 'connected');
    connection.close();
  });
});
