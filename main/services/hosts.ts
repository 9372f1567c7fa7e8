// The hosts the user added and the live connection to each: state, toolstack, summary.
import type { ConnectionState, HostSummary, HostView } from '../../common/model/index';
import { UserError, type EventHub } from '../../common/rpc/index';
import type { Executor } from '../toolstack/executor';
import type { HostStore, StoredHost } from './host-store';
import type { HostKeyDecision, PromptBroker, SecretAnswer } from './prompts';

/** What the SSH layer (or the demo host) gives back for one host. */
export interface HostConnection {
  executor: Executor;
  onState(listener: (state: ConnectionState, error?: string) => void): () => void;
  close(): Promise<void>;
}

export interface HostQuestions {
  askHostKey(q: { host: string; port: number; keyType: string; fingerprint: string }): Promise<HostKeyDecision>;
  askSecret(q: { kind: 'password' | 'passphrase' | 'keyboard-interactive'; message: string }): Promise<SecretAnswer>;
}

export interface HostOpener {
  open(host: StoredHost, questions: HostQuestions): Promise<HostConnection>;
}

/** The part of a toolstack driver the host service needs. */
export interface HostDriver {
  info(): Promise<HostSummary>;
}

export type DriverFactory<D extends HostDriver> = (executor: Executor, host: StoredHost) => Promise<D>;

interface Runtime<D> {
  stored: StoredHost;
  state: ConnectionState;
  error?: string;
  summary?: HostSummary;
  connection?: HostConnection;
  driver?: D;
  connecting?: Promise<D>;
  stopState?: () => void;
}

export const DEMO_HOST_NAME = 'Demo host (simulation)';

export class HostsService<D extends HostDriver> {
  private readonly runtimes = new Map<string, Runtime<D>>();

  constructor(
    private readonly store: HostStore,
    private readonly opener: HostOpener,
    private readonly makeDriver: DriverFactory<D>,
    private readonly prompts: PromptBroker,
    private readonly hub: EventHub,
    private readonly canRememberSecrets: boolean,
  ) {}

  async list(): Promise<HostView[]> {
    const stored = await this.store.list();
    return stored.map((s) => this.view(this.runtime(s)));
  }

  async add(input: unknown): Promise<HostView> {
    const stored = await this.store.add(input);
    const view = this.view(this.runtime(stored));
    this.hub.emit('hosts.changed', view);
    return view;
  }

  async addDemo(): Promise<HostView> {
    const existing = (await this.store.list()).find((h) => h.demo);
    const stored = existing ?? (await this.store.add({ name: DEMO_HOST_NAME, address: 'demo.invalid' }, { demo: true }));
    this.runtime(stored);
    return this.connect(stored.id);
  }

  async update(id: string, input: unknown): Promise<HostView> {
    const stored = await this.store.update(id, input);
    await this.disconnect(id);
    const runtime = this.runtime(stored);
    runtime.stored = stored;
    const view = this.view(runtime);
    this.hub.emit('hosts.changed', view);
    return view;
  }

  async remove(id: string): Promise<void> {
    await this.disconnect(id);
    await this.store.remove(id);
    this.runtimes.delete(id);
    this.hub.emit('hosts.removed', { id });
  }

  async connect(id: string): Promise<HostView> {
    try {
      await this.driver(id);
    } catch {
      // The state and the reason are in the view; the caller shows them.
    }
    return this.view(await this.runtimeById(id));
  }

  async disconnect(id: string): Promise<HostView> {
    const runtime = await this.runtimeById(id);
    this.prompts.cancelFor(id);
    runtime.stopState?.();
    const connection = runtime.connection;
    runtime.connection = undefined;
    runtime.driver = undefined;
    runtime.connecting = undefined;
    runtime.stopState = undefined;
    runtime.state = 'disconnected';
    runtime.error = undefined;
    if (connection) await connection.close().catch(() => undefined);
    const view = this.view(runtime);
    this.hub.emit('hosts.changed', view);
    return view;
  }

  /** The toolstack of a host, connecting first when needed. */
  async driver(id: string): Promise<D> {
    const runtime = await this.runtimeById(id);
    if (runtime.driver && runtime.state !== 'disconnected') return runtime.driver;
    if (runtime.connecting) return runtime.connecting;
    runtime.connecting = this.open(runtime).finally(() => {
      runtime.connecting = undefined;
    });
    return runtime.connecting;
  }

  /** The executor of a host's one connection (an SshConnection for real hosts), connecting first when needed. */
  async executorOf(id: string): Promise<Executor> {
    await this.driver(id);
    const connection = (await this.runtimeById(id)).connection;
    if (!connection) throw new UserError('The host is not connected; connect it and try again.', 'not-connected');
    return connection.executor;
  }

  stored(id: string): Promise<StoredHost> {
    return this.runtimeById(id).then((r) => r.stored);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.runtimes.keys()].map((id) => this.disconnect(id).catch(() => undefined)));
  }

  private async open(runtime: Runtime<D>): Promise<D> {
    const id = runtime.stored.id;
    this.setState(runtime, 'connecting');
    let connection: HostConnection | undefined;
    try {
      connection = await this.opener.open(runtime.stored, {
        askHostKey: (q) => this.prompts.askHostKey({ ...q, hostId: id }),
        askSecret: (q) => this.prompts.askSecret({ ...q, hostId: id, canRemember: this.canRememberSecrets }),
      });
      const driver = await this.makeDriver(connection.executor, runtime.stored);
      const summary = await driver.info();
      runtime.connection = connection;
      runtime.driver = driver;
      runtime.summary = summary;
      runtime.stopState = connection.onState((state, error) => {
        if (runtime.connection !== connection) return;
        runtime.error = state === 'connected' ? undefined : error ?? runtime.error;
        this.setState(runtime, state);
      });
      this.setState(runtime, 'connected');
      return driver;
    } catch (error) {
      if (connection) await connection.close().catch(() => undefined);
      runtime.error = error instanceof Error ? error.message : String(error);
      this.setState(runtime, 'disconnected');
      throw error instanceof UserError ? error : new UserError(runtime.error, 'connect-failed');
    }
  }

  private setState(runtime: Runtime<D>, state: ConnectionState) {
    runtime.state = state;
    if (state === 'connecting') runtime.error = undefined;
    this.hub.emit('hosts.changed', this.view(runtime));
  }

  private runtime(stored: StoredHost): Runtime<D> {
    let runtime = this.runtimes.get(stored.id);
    if (!runtime) {
      runtime = { stored, state: 'disconnected' };
      this.runtimes.set(stored.id, runtime);
    }
    return runtime;
  }

  private async runtimeById(id: string): Promise<Runtime<D>> {
    const known = this.runtimes.get(id);
    if (known) return known;
    const stored = await this.store.get(id);
    if (!stored || stored.id !== id) throw new UserError('That host is no longer in the list.', 'not-found');
    return this.runtime(stored);
  }

  private view(runtime: Runtime<D>): HostView {
    const s = runtime.stored;
    return {
      id: s.id,
      name: s.name,
      address: s.address,
      port: s.port,
      user: s.user,
      sshAlias: s.sshAlias,
      identityFile: s.identityFile,
      demo: s.demo,
      state: runtime.state,
      error: runtime.error,
      summary: runtime.summary,
    };
  }
}
