// One SSH connection to one host, shared by every channel Hearth opens there (commands,
// terminals, forwarded streams). It verifies the host key, logs in through the auth chain,
// keeps the link alive, and reconnects after a drop, without ever running a command twice:
// a command in flight when the link drops fails, and only commands issued afterwards run on
// the new link.

import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
import { buildCommand } from '../../common/shell/quote';
import type { ExecOptions, ExecResult, Executor } from '../toolstack/executor';
import { AuthChain, type SessionSecrets } from './auth';
import type { SshTarget } from './config';
import { SshError, isFatalSshError } from './errors';
import { type KnownHosts, fingerprint, keyTypeOfBlob } from './known-hosts';
import type { SecretStore, SshPrompter } from './prompter';

export type SshConnectionState = 'disconnected' | 'connecting' | 'connected' | 'lost' | 'retrying';

export interface SshStateChange {
  state: SshConnectionState;
  previous: SshConnectionState;
  /** Why the connection is lost or disconnected, when it was not asked for. */
  error?: Error;
}

export type SshStateListener = (change: SshStateChange) => void;

/** A connection to a jump host, lent to the connection that goes through it. */
export interface JumpLease {
  connection: SshConnection;
  release(): void;
}

export interface SshConnectionOptions {
  target: SshTarget;
  prompter: SshPrompter;
  secrets: SecretStore;
  knownHosts: KnownHosts;
  homeDir?: string;
  /** ssh-agent socket; defaults to SSH_AUTH_SOCK. null: do not use an agent. */
  agentSocket?: string | null;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** TCP connect + handshake, not counting the time a prompt is waiting for the user. */
  connectTimeoutMs?: number;
  /** First delay before reconnecting; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** How long a new command waits for a reconnect before failing. */
  reconnectWaitMs?: number;
  /** Concurrent command channels; OpenSSH allows 10 sessions per connection by default. */
  maxConcurrentExecs?: number;
  /** How to reach a jump host; by default this connection opens its own. */
  openJump?: (target: SshTarget) => JumpLease;
}

export interface PtyOptions {
  cols: number;
  rows: number;
  term?: string;
}

export interface SshPty {
  /** Bytes both ways; stderr is merged by the pty. Ends when the remote program exits. */
  readonly stream: ClientChannel;
  resize(cols: number, rows: number): void;
  close(): void;
}

const CHANNEL_OPEN_RETRIES = 8;

/** Host key algorithms ssh2 can verify (a name it does not know would make it throw). */
const HOST_KEY_ALGORITHMS = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]);

interface InFlight {
  command: string;
  fail(error: Error): void;
}

export class SshConnection implements Executor {
  readonly target: SshTarget;
  private currentState: SshConnectionState = 'disconnected';
  private readonly listeners = new Set<SshStateListener>();
  private client: ssh2.Client | null = null;
  private connecting: Promise<ssh2.Client> | null = null;
  private closedByUser = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private lastError: Error | undefined;
  private readonly inFlight = new Set<InFlight>();
  private readonly channelWaiters: Array<() => void> = [];
  private openExecs = 0;
  private jump: JumpLease | null = null;
  private readonly acceptedOnce = new Set<string>();
  private readonly memory: SessionSecrets = { passphrases: new Map(), declinedKeys: new Set() };
  private readonly options: Required<Omit<SshConnectionOptions, 'openJump' | 'agentSocket'>> & SshConnectionOptions;

  constructor(options: SshConnectionOptions) {
    this.target = options.target;
    this.options = {
      homeDir: homedir(),
      keepaliveIntervalMs: 15_000,
      keepaliveCountMax: 3,
      connectTimeoutMs: 20_000,
      reconnectDelayMs: 500,
      maxReconnectDelayMs: 30_000,
      reconnectWaitMs: 20_000,
      maxConcurrentExecs: 8,
      ...options,
    };
  }

  get state(): SshConnectionState {
    return this.currentState;
  }

  /** The last error that ended or lost the connection. */
  get error(): Error | undefined {
    return this.lastError;
  }

  onStateChange(listener: SshStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: SshConnectionState, error?: Error): void {
    const previous = this.currentState;
    if (previous === state) return;
    this.currentState = state;
    if (error) this.lastError = error;
    for (const listener of [...this.listeners]) {
      try {
        listener({ state, previous, error });
      } catch {
        // A listener's failure is its own; the connection carries on.
      }
    }
  }

  private get where(): string {
    const { user, host, port } = this.target;
    return `${user}@${host}${port === 22 ? '' : `:${port}`}`;
  }

  /** Connect now (also done on demand by exec). Prompts may be asked through the prompter. */
  async connect(): Promise<void> {
    await this.readyClient();
  }

  /** Close the connection for good: no reconnect, channels end, later calls fail. */
  close(): void {
    this.closedByUser = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    this.failInFlight(new SshError(`The connection to ${this.where} was closed by Hearth.`, 'closed'));
    client?.end();
    this.jump?.release();
    this.jump = null;
    for (const wake of this.channelWaiters.splice(0)) wake();
    this.setState('disconnected');
  }

  // ---- Executor --------------------------------------------------------------------------

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    // Quote first: an argument no shell can carry (a NUL byte) is refused before anything is sent.
    const command = buildCommand(argv);
    if (options.signal?.aborted) throw new SshError(`"${command}" was cancelled before it started.`, 'aborted');
    await this.acquireExecSlot();
    try {
      const client = await this.readyClient();
      return await this.runOnClient(client, command, options);
    } finally {
      this.releaseExecSlot();
    }
  }

  private async acquireExecSlot(): Promise<void> {
    while (this.openExecs >= this.options.maxConcurrentExecs) {
      await new Promise<void>((resolve) => this.channelWaiters.push(resolve));
      if (this.closedByUser) throw new SshError(`The connection to ${this.where} was closed by Hearth.`, 'closed');
    }
    this.openExecs++;
  }

  private releaseExecSlot(): void {
    this.openExecs--;
    this.channelWaiters.shift()?.();
  }

  private runOnClient(client: ssh2.Client, command: string, options: ExecOptions): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | null = null;
      let timer: NodeJS.Timeout | null = null;
      const entry: InFlight = { command, fail: (error) => finish(() => reject(error)) };
      const onAbort = () => {
        stopChannel();
        finish(() => reject(new SshError(`"${command}" was cancelled; the remote command may have partly run.`, 'aborted')));
      };
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(entry);
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const stopChannel = () => {
        try {
          channel?.signal('KILL');
        } catch {
          // The channel may already be gone.
        }
        channel?.close();
      };
      this.inFlight.add(entry);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          stopChannel();
          finish(() =>
            reject(new SshError(`"${command}" did not finish within ${Math.round(options.timeoutMs! / 1000)} s on ${this.where}; Hearth stopped it.`, 'timeout')),
          );
        }, options.timeoutMs);
      }

      let openAttempts = 0;
      const open = () => client.exec(command, (error, stream) => {
        // sshd frees a session slot a moment after the channel closes, so a burst of commands can
        // briefly meet MaxSessions. A refused channel never ran anything: opening again is safe.
        if (error && this.client === client && !settled && /open failed/i.test(error.message) && openAttempts < CHANNEL_OPEN_RETRIES) {
          openAttempts++;
          setTimeout(open, 25 * openAttempts);
          return;
        }
        if (error) {
          finish(() =>
            reject(
              this.client === client
                ? new SshError(`${this.where} refused to start "${command}": ${error.message}.`, 'not-connected')
                : this.lostError(command),
            ),
          );
          return;
        }
        channel = stream;
        if (settled) {
          stopChannel();
          return;
        }
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let code: number | null = null;
        let exited = false;
        stream.on('data', (chunk: Buffer) => stdout.push(chunk));
        stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        stream.on('exit', (exitCode: number | null) => {
          exited = true;
          code = typeof exitCode === 'number' ? exitCode : null;
        });
        stream.on('close', () => {
          if (!exited && this.client !== client) {
            finish(() => reject(this.lostError(command)));
            return;
          }
          finish(() => resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code }));
        });
        if (options.stdin !== undefined) stream.end(options.stdin);
        else stream.end();
      });
      open();
    });
  }

  private lostError(command: string): SshError {
    return new SshError(
      `The connection to ${this.where} dropped while "${command}" was running. Hearth did not run it again, ` +
        'because it may already have taken effect: check the result, then retry if needed.',
      'connection-lost',
    );
  }

  private failInFlight(error: Error | ((command: string) => Error)): void {
    for (const entry of [...this.inFlight]) entry.fail(typeof error === 'function' ? error(entry.command) : error);
  }

  // ---- Terminals and streams -------------------------------------------------------------

  /** Run argv on a pseudo-terminal (an empty argv opens the login shell). */
  async openPty(argv: readonly string[], options: PtyOptions): Promise<SshPty> {
    const command = argv.length > 0 ? buildCommand(argv) : null;
    const client = await this.readyClient();
    const pty = { cols: options.cols, rows: options.rows, width: 0, height: 0, term: options.term ?? 'xterm-256color' };
    const stream = await new Promise<ClientChannel>((resolve, reject) => {
      const done = (error: Error | undefined, channel: ClientChannel) =>
        error ? reject(new SshError(`${this.where} refused to open a terminal: ${error.message}.`, 'not-connected')) : resolve(channel);
      if (command === null) client.shell(pty, done);
      else client.exec(command, { pty }, done);
    });
    return {
      stream,
      resize: (cols, rows) => stream.setWindow(rows, cols, 0, 0),
      close: () => stream.close(),
    };
  }

  /** A TCP stream to host:port as seen from the remote side (VNC consoles, jump hops). */
  async forwardOut(host: string, port: number): Promise<ClientChannel> {
    const client = await this.readyClient();
    return new Promise<ClientChannel>((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => {
        if (error) reject(new SshError(`${this.where} could not open a connection to ${host}:${port}: ${error.message}.`, 'unreachable'));
        else resolve(stream);
      });
    });
  }

  /**
   * Start a long-running command (e.g. `xentop -b`) and hand back its channel, whose stdout is
   * read as a stream. The caller ends it with `channel.end()` / `close()`; sshd does not kill a
   * command without a terminal when its channel closes, so the command must end itself when
   * its stdin reaches EOF (or on SIGPIPE at its next write).
   */
  async spawn(argv: readonly string[]): Promise<ClientChannel> {
    const command = buildCommand(argv);
    const client = await this.readyClient();
    return new Promise<ClientChannel>((resolve, reject) => {
      let openAttempts = 0;
      const open = () =>
        client.exec(command, (error, stream) => {
          if (error && this.client === client && /open failed/i.test(error.message) && openAttempts < CHANNEL_OPEN_RETRIES) {
            openAttempts++;
            setTimeout(open, 25 * openAttempts);
            return;
          }
          if (error) reject(new SshError(`${this.where} refused to start "${command}": ${error.message}.`, 'not-connected'));
          else resolve(stream);
        });
      open();
    });
  }

  // ---- Connecting ------------------------------------------------------------------------

  /** The live client, connecting or waiting for a reconnect as needed (bounded). */
  private async readyClient(): Promise<ssh2.Client> {
    if (this.closedByUser) throw new SshError(`The connection to ${this.where} was closed by Hearth.`, 'closed');
    if (this.currentState === 'connected' && this.client) return this.client;
    if (this.currentState === 'disconnected' && !this.connecting) return this.startConnecting('connecting');
    if (this.connecting && this.currentState === 'connecting') return this.connecting;
    return this.waitForReconnect();
  }

  private waitForReconnect(): Promise<ssh2.Client> {
    return new Promise<ssh2.Client>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new SshError(
            `Hearth lost the connection to ${this.where} and could not get it back within ${Math.round(this.options.reconnectWaitMs / 1000)} s; ` +
              `nothing was sent. ${this.lastError ? `Last error: ${this.lastError.message} ` : ''}Check that the host is up and reachable.`,
            'not-connected',
          ),
        );
      }, this.options.reconnectWaitMs);
      const unsubscribe = this.onStateChange(({ state, error }) => {
        if (state === 'connected' && this.client) {
          clearTimeout(timer);
          unsubscribe();
          resolve(this.client);
        } else if (state === 'disconnected') {
          clearTimeout(timer);
          unsubscribe();
          reject(error ?? this.lastError ?? new SshError(`The connection to ${this.where} was closed.`, 'closed'));
        }
      });
    });
  }

  private startConnecting(state: 'connecting' | 'retrying'): Promise<ssh2.Client> {
    this.setState(state);
    const attempt = this.attemptConnect().then(
      (client) => {
        this.connecting = null;
        if (this.closedByUser) {
          client.end();
          throw new SshError(`The connection to ${this.where} was closed by Hearth.`, 'closed');
        }
        this.client = client;
        this.reconnectAttempt = 0;
        this.lastError = undefined;
        this.watchForDrop(client);
        this.setState('connected');
        return client;
      },
      (error: Error) => {
        this.connecting = null;
        if (this.closedByUser) throw error;
        if (state === 'retrying' && !isFatalSshError(error)) {
          this.lastError = error;
          this.scheduleReconnect();
        } else {
          this.setState('disconnected', error);
        }
        throw error;
      },
    );
    this.connecting = attempt;
    // Reconnects run with nobody awaiting them; their failure is reported through the state.
    attempt.catch(() => undefined);
    return attempt;
  }

  private watchForDrop(client: ssh2.Client): void {
    let dropped = false;
    let reason: Error | undefined;
    client.on('error', (error: Error) => {
      reason = error;
    });
    const onDrop = () => {
      if (dropped || this.client !== client) return;
      dropped = true;
      this.client = null;
      const error = new SshError(
        `The connection to ${this.where} dropped${reason ? ` (${reason.message})` : ''}; Hearth is reconnecting.`,
        'connection-lost',
      );
      this.failInFlight((command) => this.lostError(command));
      if (this.closedByUser) return;
      this.setState('lost', error);
      this.scheduleReconnect();
    };
    client.on('end', onDrop);
    client.on('close', onDrop);
  }

  private scheduleReconnect(): void {
    if (this.closedByUser || this.reconnectTimer) return;
    const delay = Math.min(this.options.reconnectDelayMs * 2 ** this.reconnectAttempt, this.options.maxReconnectDelayMs);
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closedByUser) return;
      void this.startConnecting('retrying').catch(() => undefined);
    }, delay);
  }

  private async openSocket(): Promise<Duplex | undefined> {
    const hops = this.target.proxyJump;
    if (hops.length === 0) return undefined;
    if (!this.jump) {
      // The last hop is reached through the hops before it; the first hop through its own ProxyJump.
      const last = hops[hops.length - 1];
      const jumpTarget: SshTarget = { ...last, proxyJump: hops.length > 1 ? hops.slice(0, -1) : last.proxyJump };
      this.jump = this.options.openJump ? this.options.openJump(jumpTarget) : ownJump(jumpTarget, this.options);
    }
    return this.jump.connection.forwardOut(this.target.host, this.target.port);
  }

  private async attemptConnect(): Promise<ssh2.Client> {
    const sock = await this.openSocket();
    const client = new ssh2.Client();
    const chain = new AuthChain({
      target: this.target,
      homeDir: this.options.homeDir,
      agentSocket: this.options.agentSocket === null ? undefined : (this.options.agentSocket ?? process.env.SSH_AUTH_SOCK),
      prompter: this.options.prompter,
      secrets: this.options.secrets,
      memory: this.memory,
      whilePrompting: (question) => this.whilePrompting(question),
    });
    let hostKeyFailure: Error | null = null;
    let promptsOpen = 0;
    let timedOut = false;

    return new Promise<ssh2.Client>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | null = null;
      const armTimer = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          if (promptsOpen > 0) return armTimer();
          timedOut = true;
          client.end();
          sock?.destroy();
          fail(new SshError(`${this.where} did not answer within ${Math.round(this.options.connectTimeoutMs / 1000)} s. Check the address and that sshd runs there.`, 'unreachable'));
        }, this.options.connectTimeoutMs);
      };
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        client.end();
        reject(error);
      };
      this.promptHooks = {
        begin: () => promptsOpen++,
        end: () => {
          promptsOpen--;
          armTimer();
        },
      };

      client.on('ready', () => {
        if (settled) return client.end();
        settled = true;
        if (timer) clearTimeout(timer);
        // Consoles send one keystroke per packet: without this, Nagle's algorithm holds each
        // echo back until the previous one is acknowledged (OpenSSH sets it for interactive use).
        client.setNoDelay(true);
        this.promptHooks = null;
        chain.succeeded().then(
          () => resolve(client),
          () => resolve(client),
        );
      });
      client.on('error', (error: Error & { level?: string }) => {
        if (settled) return;
        // ssh2 reports agent and key-signing trouble as errors, then moves on to the next method.
        if (error.level === 'agent' || (error.level === 'client-authentication' && !/All configured/.test(error.message))) return;
        if (hostKeyFailure) return fail(hostKeyFailure);
        if (error.level === 'client-authentication') return fail(chain.failure());
        if (timedOut) return;
        fail(new SshError(`Hearth could not reach ${this.where}: ${error.message}. Check the address and that sshd runs there.`, 'unreachable'));
      });
      client.on('close', () => {
        if (settled) return;
        fail(hostKeyFailure ?? new SshError(`${this.where} closed the connection before Hearth could log in.`, 'unreachable'));
      });

      const config: ConnectConfig = {
        host: this.target.host,
        port: this.target.port,
        username: this.target.user,
        sock,
        keepaliveInterval: this.options.keepaliveIntervalMs,
        keepaliveCountMax: this.options.keepaliveCountMax,
        // Our own timer covers the handshake; it pauses while the user answers a prompt.
        readyTimeout: 24 * 60 * 60 * 1000,
        authHandler: chain.handler,
        // Like OpenSSH, ask first for the key types already recorded for this host, so a host
        // known by its RSA key is not met as "unknown" because it also offers ed25519.
        algorithms: this.hostKeyAlgorithmOrder(),
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          // The answer may come after the link dropped (a prompt is open meanwhile): ssh2 then
          // throws from verify(false) (its protocol is gone), which would end the process.
          const answer = (valid: boolean) => {
            if (!settled) verify(valid);
          };
          this.verifyHostKey(key).then(
            () => answer(true),
            (error: Error) => {
              hostKeyFailure = error;
              answer(false);
            },
          );
        },
      };
      armTimer();
      client.connect(config);
    });
  }

  private hostKeyAlgorithmOrder(): ConnectConfig['algorithms'] {
    const known = this.options.knownHosts.knownKeyTypes(this.target.host, this.target.port);
    const preferred = known
      .flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]))
      .filter((algorithm) => HOST_KEY_ALGORITHMS.has(algorithm));
    if (preferred.length === 0) return undefined;
    // ssh2 applies these in order: take them out of the default list, then put them first.
    return { serverHostKey: { remove: preferred, prepend: preferred } } as unknown as ConnectConfig['algorithms'];
  }

  private promptHooks: { begin(): void; end(): void } | null = null;

  private async whilePrompting<T>(question: Promise<T>): Promise<T> {
    const hooks = this.promptHooks;
    hooks?.begin();
    try {
      return await question;
    } finally {
      hooks?.end();
    }
  }

  private async verifyHostKey(keyBlob: Buffer): Promise<void> {
    const { host, port } = this.target;
    const keyType = keyTypeOfBlob(keyBlob);
    const print = fingerprint(keyBlob);
    const check = this.options.knownHosts.check(host, port, keyType, keyBlob);
    if (check.status === 'known') return;
    if (check.status === 'revoked') {
      throw new SshError(
        `${host}:${port} presented a host key that is marked @revoked in ${check.file} (line ${check.line}). ` +
          'Hearth refuses to connect: ask the host administrator for the new key.',
        'host-key-revoked',
      );
    }
    if (check.status === 'changed') {
      throw new SshError(
        `WARNING: the host key of ${host}:${port} has changed (${keyType}, now ${print}; recorded ${check.knownFingerprint}). ` +
          'Either the host was reinstalled or its SSH keys regenerated, or someone is intercepting the connection. ' +
          `Hearth refused to connect. If you know the change is expected, remove line ${check.line} of ${check.file} and connect again.`,
        'host-key-changed',
      );
    }
    const onceKey = `${keyType} ${keyBlob.toString('base64')}`;
    if (this.acceptedOnce.has(onceKey)) return;
    const decision = await this.whilePrompting(this.options.prompter.askHostKey({ host, port, keyType, fingerprint: print }));
    if (decision === 'reject') {
      throw new SshError(`You declined the host key of ${host}:${port} (${keyType} ${print}), so Hearth did not connect.`, 'host-key-rejected');
    }
    if (decision === 'remember') this.options.knownHosts.remember(host, port, keyType, keyBlob);
    else this.acceptedOnce.add(onceKey);
  }
}

/** Without a pool, a connection opens and owns the connection to its jump host. */
function ownJump(target: SshTarget, options: SshConnectionOptions): JumpLease {
  const connection = new SshConnection({ ...options, target });
  return { connection, release: () => connection.close() };
}
