// Live `xl top` for every host a window looks at: ONE long-running `xentop -b -f -d N` per host
// on one SSH channel, parsed as a stream, turned into samples (rates, totals), recorded in the
// host's history and sent to windows as `metrics.sample`. It runs only while some window is
// subscribed to the host; when the last one leaves, the channel is closed and the remote
// wrapper kills xentop (it watches its stdin, which ends with the channel).
import type { ClientChannel } from 'ssh2';
import { createSampleDeriver, type SampleDeriver } from '../../common/metrics/derive';
import { HostHistory } from '../../common/metrics/history';
import type { MetricsHistory, MetricsRange, MetricsSample, MetricsSettings, MetricsStatus, MetricsSubscription } from '../../common/model/metrics';
import type { HostSummary } from '../../common/model/index';
import { UserError, type EventHub, type Frame } from '../../common/rpc/index';
import { createXentopParser, type XentopFrame } from '../../common/xen/xentop';
import type { Executor } from '../toolstack/executor';
import type { XlListRow } from '../../common/xen/index';
import type { MetricsStore } from './metrics-store';

/** What the metrics service needs of a connected host's toolstack driver. */
export interface MetricsDriver {
  readonly isRoot: boolean;
  info(): Promise<HostSummary>;
  list(): Promise<XlListRow[]>;
}

export interface MetricsHosts {
  /** The host's driver, connecting first when needed. */
  driver(hostId: string): Promise<MetricsDriver>;
  /** The executor of the host's one connection (an SshConnection for real hosts). */
  executorOf(hostId: string): Promise<Executor>;
}

/** An executor that can also hold a long-running command open (SshConnection.spawn). */
export interface SpawningExecutor extends Executor {
  spawn(argv: readonly string[]): Promise<ClientChannel>;
}

export interface MetricsOptions {
  store: MetricsStore;
  now?: () => number;
  /** How often the downsampled history is written while sampling. */
  saveEveryMs?: number;
  /** Wait after the last output line before taking the frame as complete. */
  frameIdleMs?: number;
}

/**
 * Run by `sh -c` on the host. xentop runs in the background and the shell waits for it; a
 * watcher reads the channel's stdin (kept on fd 3: an asynchronous list would get /dev/null)
 * and kills xentop when it reaches EOF, which happens when Hearth closes the channel or the
 * connection drops. When xentop ends on its own, the shell ends the watcher and exits with
 * xentop's code.
 */
export const XENTOP_SCRIPT = [
  'exec 3<&0',
  'xentop -b -f -d "$1" </dev/null &',
  'pid=$!',
  '(read -r _line <&3; kill "$pid" 2>/dev/null) >/dev/null 2>&1 &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$pid"',
  'code=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$code"',
].join('\n');

export function xentopArgv(intervalSeconds: number, isRoot: boolean): string[] {
  const argv = ['sh', '-c', XENTOP_SCRIPT, 'hearth-xentop', String(intervalSeconds)];
  return isRoot ? argv : ['sudo', '-n', '--', ...argv];
}

interface Sampler {
  stop(): void;
}

interface HostRun {
  hostId: string;
  clients: Set<string>;
  history: HostHistory;
  loaded: Promise<void>;
  sampler: Sampler | null;
  starting: Promise<void> | null;
  latest: MetricsSample | null;
  status: MetricsStatus;
  ids: Map<string, number | null>;
  namesKey: string;
  idsAt: number;
  idsRefreshing: boolean;
  retryTimer: NodeJS.Timeout | null;
  retryDelayMs: number;
  saveTimer: NodeJS.Timeout | null;
  dirty: boolean;
  /** The save under way: saves run one after the other, and close() waits for them. */
  saving: Promise<void>;
  /** Bumped on every stop: a sampler from an older generation must not report. */
  generation: number;
}

const DEFAULT_INTERVAL = 1;

export class MetricsService {
  private readonly runs = new Map<string, HostRun>();
  private settingsValue: MetricsSettings = { intervalSeconds: DEFAULT_INTERVAL };
  private readonly settingsLoaded: Promise<void>;
  private readonly now: () => number;
  private readonly saveEveryMs: number;
  private readonly frameIdleMs: number;
  private readonly stopHostEvents: () => void;
  private closed = false;

  constructor(
    private readonly hosts: MetricsHosts,
    private readonly hub: EventHub,
    private readonly options: MetricsOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.saveEveryMs = options.saveEveryMs ?? 60_000;
    this.frameIdleMs = options.frameIdleMs ?? 120;
    this.settingsLoaded = options.store.loadSettings().then((s) => {
      if (s) this.settingsValue = s;
    });
    // Follow host connection changes through the same events windows get: stop sampling when a
    // host goes away, start again when it is back and someone still looks.
    this.stopHostEvents = hub.attach({
      send: (frame: Frame) => {
        if (frame.t !== 'event' || frame.name !== 'hosts.changed') return;
        const { id, state } = frame.payload as { id: string; state: string };
        this.onHostState(id, state);
      },
      onFrame: () => () => undefined,
      onClose: () => () => undefined,
    });
  }

  async settings(): Promise<MetricsSettings> {
    await this.settingsLoaded;
    return { ...this.settingsValue };
  }

  async setSettings(settings: MetricsSettings): Promise<MetricsSettings> {
    await this.settingsLoaded;
    const changed = settings.intervalSeconds !== this.settingsValue.intervalSeconds;
    this.settingsValue = { ...settings };
    await this.options.store.saveSettings(this.settingsValue);
    if (changed) {
      for (const run of this.runs.values()) {
        if (!run.sampler && !run.starting) continue;
        this.stopSampler(run);
        if (run.clients.size > 0) void this.ensureSampler(run);
      }
    }
    return { ...this.settingsValue };
  }

  async subscribe(clientId: string, hostId: string): Promise<MetricsSubscription> {
    await this.settingsLoaded;
    const run = this.runOf(hostId);
    run.clients.add(clientId);
    await run.loaded;
    await this.ensureSampler(run);
    return { status: run.status, intervalSeconds: this.settingsValue.intervalSeconds, latest: run.latest };
  }

  /** Leave one host, or every host (the window closed). */
  unsubscribe(clientId: string, hostId?: string): void {
    for (const run of this.runs.values()) {
      if (hostId !== undefined && run.hostId !== hostId) continue;
      if (!run.clients.delete(clientId) || run.clients.size > 0) continue;
      this.stopSampler(run);
      this.setStatus(run, { hostId: run.hostId, running: false });
      void this.save(run);
    }
  }

  /** Is xentop running for this host? (Tests and the benchmark.) */
  isSampling(hostId: string): boolean {
    return Boolean(this.runs.get(hostId)?.sampler);
  }

  async history(hostId: string, domain: string | null, range: MetricsRange): Promise<MetricsHistory> {
    await this.settingsLoaded;
    const run = this.runOf(hostId);
    await run.loaded;
    return run.history.query(hostId, domain, range, this.now(), this.settingsValue.intervalSeconds);
  }

  /** The host was removed: stop, and delete its saved history. */
  async forget(hostId: string): Promise<void> {
    const run = this.runs.get(hostId);
    if (run) {
      run.clients.clear();
      this.stopSampler(run);
      if (run.saveTimer) clearInterval(run.saveTimer);
      this.runs.delete(hostId);
    }
    await this.options.store.remove(hostId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopHostEvents();
    const saves: Promise<void>[] = [];
    for (const run of this.runs.values()) {
      run.clients.clear();
      this.stopSampler(run);
      if (run.saveTimer) clearInterval(run.saveTimer);
      run.saveTimer = null;
      saves.push(this.save(run));
    }
    await Promise.all(saves);
  }

  // ---- per host ----

  private runOf(hostId: string): HostRun {
    let run = this.runs.get(hostId);
    if (!run) {
      const history = new HostHistory();
      run = {
        hostId,
        clients: new Set(),
        history,
        loaded: this.options.store.load(hostId).then((saved) => {
          if (saved) history.restore(saved);
        }),
        sampler: null,
        starting: null,
        latest: null,
        status: { hostId, running: false },
        ids: new Map(),
        namesKey: '',
        idsAt: 0,
        idsRefreshing: false,
        retryTimer: null,
        retryDelayMs: 2000,
        saveTimer: null,
        dirty: false,
        saving: Promise.resolve(),
        generation: 0,
      };
      this.runs.set(hostId, run);
    }
    return run;
  }

  private onHostState(hostId: string, state: string): void {
    const run = this.runs.get(hostId);
    if (!run) return;
    if (state === 'connected') {
      if (run.clients.size > 0 && !run.sampler && !run.starting) void this.ensureSampler(run).catch(() => undefined);
    } else if (state === 'disconnected') {
      // The user disconnected (or the host could not be reached): do not reconnect behind their back.
      this.stopSampler(run);
      if (run.clients.size > 0) this.setStatus(run, { hostId, running: false, error: 'The host is not connected; connect it to see live figures.' });
    }
  }

  private setStatus(run: HostRun, status: MetricsStatus): void {
    const same = run.status.running === status.running && run.status.error === status.error;
    run.status = status;
    if (!same) this.hub.emit('metrics.status', status);
  }

  private ensureSampler(run: HostRun): Promise<void> {
    if (run.sampler || this.closed) return Promise.resolve();
    if (run.starting) return run.starting;
    const generation = run.generation;
    run.starting = this.startSampler(run, generation)
      .catch((error: unknown) => {
        if (run.generation !== generation) return;
        const message = error instanceof Error ? error.message : String(error);
        this.setStatus(run, { hostId: run.hostId, running: false, error: message });
        this.scheduleRetry(run);
        if (error instanceof UserError) throw error;
      })
      .finally(() => {
        if (run.generation === generation) run.starting = null;
      });
    return run.starting;
  }

  private scheduleRetry(run: HostRun): void {
    if (run.retryTimer || run.clients.size === 0 || this.closed) return;
    const delay = run.retryDelayMs;
    run.retryDelayMs = Math.min(run.retryDelayMs * 2, 30_000);
    run.retryTimer = setTimeout(() => {
      run.retryTimer = null;
      if (run.clients.size > 0) void this.ensureSampler(run).catch(() => undefined);
    }, delay);
    run.retryTimer.unref?.();
  }

  private stopSampler(run: HostRun): void {
    run.generation++;
    run.starting = null;
    if (run.retryTimer) clearTimeout(run.retryTimer);
    run.retryTimer = null;
    run.sampler?.stop();
    run.sampler = null;
    if (run.saveTimer) clearInterval(run.saveTimer);
    run.saveTimer = null;
  }

  private async startSampler(run: HostRun, generation: number): Promise<void> {
    const hostId = run.hostId;
    const driver = await this.hosts.driver(hostId);
    const [summary, rows] = await Promise.all([driver.info(), driver.list()]);
    if (run.generation !== generation) return;
    run.ids = new Map(rows.map((r) => [r.name, r.id]));
    run.idsAt = this.now();
    const executor = await this.hosts.executorOf(hostId);
    const interval = this.settingsValue.intervalSeconds;
    const deriver = createSampleDeriver(
      { nrCpus: summary.nrCpus, totalMemKiB: summary.totalMemoryMiB * 1024, freeMemKiBAtStart: summary.freeMemoryMiB * 1024 },
      interval,
    );
    const onFrame = (frame: XentopFrame) => {
      if (run.generation !== generation) return;
      this.onFrame(run, deriver, frame, interval, driver);
    };
    const onEnd = (reason: string) => {
      if (run.generation !== generation) return;
      run.sampler = null;
      this.setStatus(run, { hostId, running: false, error: reason });
      this.scheduleRetry(run);
    };
    run.sampler = isSpawning(executor)
      ? await this.streamXentop(executor, driver.isRoot, interval, onFrame, onEnd)
      : this.pollXentop(executor, driver.isRoot, interval, onFrame, onEnd);
    if (run.generation !== generation) {
      run.sampler.stop();
      run.sampler = null;
      return;
    }
    run.retryDelayMs = 2000;
    run.saveTimer = setInterval(() => void this.save(run), this.saveEveryMs);
    run.saveTimer.unref?.();
    this.setStatus(run, { hostId, running: true });
  }

  private onFrame(run: HostRun, deriver: SampleDeriver, frame: XentopFrame, interval: number, driver: MetricsDriver): void {
    const t = this.now();
    const derived = deriver.derive(frame, t, (name) => run.ids.get(name) ?? null);
    const namesKey = frame.rows.map((r) => r.name).join('\n');
    // Names came or went (created, destroyed, renamed, restarted): learn the IDs again, at most
    // every 2 s, and once a minute in any case.
    if ((derived.unknownIds.length > 0 || namesKey !== run.namesKey) && t - run.idsAt > 2000) this.refreshIds(run, driver);
    else if (t - run.idsAt > 60_000) this.refreshIds(run, driver);
    run.namesKey = namesKey;
    run.history.record(t, derived.host, derived.domains);
    run.dirty = true;
    const sample: MetricsSample = { hostId: run.hostId, t, intervalSeconds: interval, host: derived.host, domains: derived.domains };
    run.latest = sample;
    this.hub.emit('metrics.sample', sample);
  }

  private refreshIds(run: HostRun, driver: MetricsDriver): void {
    if (run.idsRefreshing) return;
    run.idsRefreshing = true;
    run.idsAt = this.now();
    driver
      .list()
      .then((rows) => {
        run.ids = new Map(rows.map((r) => [r.name, r.id]));
      })
      .catch(() => undefined)
      .finally(() => {
        run.idsRefreshing = false;
        run.idsAt = this.now();
      });
  }

  private save(run: HostRun): Promise<void> {
    run.saving = run.saving.then(() => this.saveNow(run));
    return run.saving;
  }

  private async saveNow(run: HostRun): Promise<void> {
    if (!run.dirty) return;
    run.dirty = false;
    run.history.prune(this.now());
    try {
      await this.options.store.save(run.hostId, run.history.snapshot());
    } catch (error) {
      run.dirty = true;
      console.error(`Hearth: could not save the metrics history of ${run.hostId}:`, error);
    }
  }

  /** The one long-running xentop on its own SSH channel. */
  private async streamXentop(
    executor: SpawningExecutor,
    isRoot: boolean,
    interval: number,
    onFrame: (frame: XentopFrame) => void,
    onEnd: (reason: string) => void,
  ): Promise<Sampler> {
    const channel = await executor.spawn(xentopArgv(interval, isRoot));
    const parser = createXentopParser();
    let stopped = false;
    let idle: NodeJS.Timeout | null = null;
    let stderr = '';
    let lineEnded = true;
    channel.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      for (const frame of parser.push(chunk)) onFrame(frame);
      lineEnded = chunk.endsWith('\n');
      // xentop writes a whole iteration, then sleeps: a short quiet after a line end means the
      // frame is complete, so it is taken now rather than when the next header arrives.
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        idle = null;
        if (!lineEnded || stopped) return;
        for (const frame of parser.flush()) if (frame.rows.length > 0) onFrame(frame);
      }, this.frameIdleMs);
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    let code: number | null = null;
    channel.on('exit', (c: number | null) => {
      code = typeof c === 'number' ? c : null;
    });
    channel.on('close', () => {
      if (idle) clearTimeout(idle);
      if (stopped) return;
      stopped = true;
      onEnd(xentopEndReason(code, stderr));
    });
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        if (idle) clearTimeout(idle);
        try {
          channel.end(); // EOF on the wrapper's stdin: it kills xentop
        } catch {
          // already gone
        }
        channel.close();
      },
    };
  }

  /**
   * For an executor that cannot hold a command open (the built-in demo host only): one
   * `xentop -b -i 2` per interval, keeping its second iteration.
   */
  private pollXentop(
    executor: Executor,
    isRoot: boolean,
    interval: number,
    onFrame: (frame: XentopFrame) => void,
    onEnd: (reason: string) => void,
  ): Sampler {
    let stopped = false;
    let timer: NodeJS.Timeout | null = null;
    const tick = async () => {
      timer = null;
      if (stopped) return;
      const argv = ['xentop', '-b', '-f', '-d', String(interval), '-i', '2'];
      try {
        const result = await executor.exec(isRoot ? argv : ['sudo', '-n', '--', ...argv], { timeoutMs: (interval * 2 + 10) * 1000 });
        if (stopped) return;
        if (result.code !== 0) {
          stopped = true;
          onEnd(xentopEndReason(result.code, result.stderr));
          return;
        }
        const parser = createXentopParser();
        const frames = [...parser.push(result.stdout), ...parser.flush()];
        const last = frames[frames.length - 1];
        if (last) onFrame(last);
      } catch (error) {
        if (stopped) return;
        stopped = true;
        onEnd(error instanceof Error ? error.message : String(error));
        return;
      }
      if (!stopped) timer = setTimeout(tick, interval * 1000);
    };
    void tick();
    return {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
    };
  }
}

function isSpawning(executor: Executor): executor is SpawningExecutor {
  return typeof (executor as Partial<SpawningExecutor>).spawn === 'function';
}

export function xentopEndReason(code: number | null, stderr: string): string {
  const text = stderr.trim();
  if (/a password is required|a terminal is required|no tty present/i.test(text)) {
    return 'sudo asked for a password to run xentop; allow `xentop` without a password for this user (sudoers NOPASSWD) or connect as root.';
  }
  if (code === 127 || /xentop: (command )?not found|No such file/i.test(text)) {
    return 'xentop is not installed on the host (it comes with the Xen tools, e.g. Debian\'s xen-utils package); install it to see live figures.';
  }
  if (text) return `xentop stopped: ${text.split('\n').slice(-3).join(' ')}`;
  return `xentop stopped${code === null ? '' : ` (exit ${code})`}; Hearth will start it again.`;
}
