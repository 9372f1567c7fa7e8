// Consoles of domains and hosts, tunnelled through the host's one SSH connection: `xl console`
// on a PTY channel (text), a TCP stream forwarded to the device model's VNC server (graphical),
// and a login shell on Dom0. Each console is a stream outside the RPC (consoles-stream.ts) and
// a state the page shows. A console follows its domain by name: when the domain reboots, is
// destroyed and created again, or the host connection drops, Hearth says so and reattaches
// when it can.
import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { DomainType } from '../../common/model/index';
import { UserError, type EventHub } from '../../common/rpc/index';
import type { ConsoleKind, ConsolePhase, ConsoleReason, ConsoleStateView, LocalTerminalTarget, TerminalSize, TextConsoleType } from '../../common/stream/index';
import type { DomainDetails, XlListRow } from '../../common/xen/index';
import { SshConnection, type SshPty } from '../ssh/index';
import type { Executor } from '../toolstack/executor';
import { ConsoleStream, type StreamReceiver } from './consoles-stream';
import type { LocalPty, LocalTerminals } from './local-terminals';

/** What consoles need of a host's toolstack driver. */
export interface ConsoleDriver {
  readonly isRoot: boolean;
  /** Absolute path of xl (or xm). */
  readonly program: string;
  readonly toolstack: 'xl' | 'xm';
  list(): Promise<XlListRow[]>;
  details(name?: string): Promise<DomainDetails[]>;
  listConfigs(): Promise<Array<{ path: string; name: string }>>;
}

export interface ConsoleHosts {
  driver(hostId: string): Promise<ConsoleDriver>;
  executorOf(hostId: string): Promise<Executor>;
}

export interface ConsolesOptions {
  /** How often a console waiting for its domain looks again. */
  followIntervalMs?: number;
  /** Terminals on this machine (node-pty); without it, consoles.openLocal says they are off. */
  local?: LocalTerminals;
}

const CTRL_RIGHT_BRACKET = 0x1d;
const ATTACH_TIMEOUT_MS = 45_000;

interface Session {
  id: string;
  kind: ConsoleKind;
  hostId: string;
  domain: string | null;
  owner: string;
  stream: ConsoleStream;
  view: ConsoleStateView;
  size: TerminalSize;
  textType: TextConsoleType;
  pty: SshPty | null;
  /** A local terminal's program (kind 'local'). */
  local: LocalPty | null;
  /** The domain id the current source belongs to. */
  domid: number | null;
  attachedAt: number;
  detaching: boolean;
  /** The last output, to quote when `xl console` refuses. */
  tail: string;
  timer: NodeJS.Timeout | null;
  attaching: boolean;
  /** Counts attach attempts; an attempt that outlived its watchdog is stale and its result dropped. */
  attempt: number;
  watchdog: NodeJS.Timeout | null;
  /** Consecutive quick failures on the same domain id; stops a tight retry loop. */
  quickFailures: number;
}

export class ConsolesService {
  private readonly sessions = new Map<string, Session>();
  private readonly followIntervalMs: number;

  constructor(
    private readonly hosts: ConsoleHosts,
    private readonly hub: EventHub,
    private readonly options: ConsolesOptions = {},
  ) {
    this.followIntervalMs = options.followIntervalMs ?? 2000;
  }

  // ---- Opening ---------------------------------------------------------------------------

  async openText(owner: string, hostId: string, domain: string, type: TextConsoleType, size: TerminalSize): Promise<ConsoleStateView> {
    await this.sshOf(hostId);
    const session = this.newSession(owner, 'text', hostId, domain, size, type);
    await this.attachText(session);
    return session.view;
  }

  async openVnc(owner: string, hostId: string, domain: string): Promise<ConsoleStateView> {
    await this.sshOf(hostId);
    const session = this.newSession(owner, 'vnc', hostId, domain, { cols: 80, rows: 24 }, 'auto');
    await this.attachVnc(session);
    return session.view;
  }

  async openHostShell(owner: string, hostId: string, size: TerminalSize): Promise<ConsoleStateView> {
    const ssh = await this.sshOf(hostId);
    const session = this.newSession(owner, 'shell', hostId, null, size, 'auto');
    try {
      const pty = await ssh.openPty([], size);
      session.pty = pty;
      session.stream.setSource(pty.stream);
      this.setState(session, 'connected', null, 'Login shell on the host.');
    } catch (error) {
      this.setState(session, 'disconnected', 'host-lost', `Could not open a shell on the host: ${messageOf(error)}`);
      session.stream.close();
    }
    return session.view;
  }

  /** A terminal on this machine, on the same stream path (and flow control) as a host shell. */
  async openLocal(owner: string, target: LocalTerminalTarget, size: TerminalSize): Promise<ConsoleStateView> {
    if (!this.options.local) throw new UserError('Local terminals are turned off in this Hearth.', 'unavailable');
    const local = await this.options.local.spawn(target, size);
    const session = this.newSession(owner, 'local', target.program === 'ssh' ? target.hostId : '', null, size, 'auto');
    session.local = local;
    session.stream.setSource(local);
    const where = target.program === 'ssh' ? 'The system ssh' : 'A shell on this computer';
    this.setState(session, 'connected', null, `${where}: ${local.commandLine}`);
    return session.view;
  }

  // ---- Controls --------------------------------------------------------------------------

  resize(streamId: string, size: TerminalSize): void {
    const session = this.get(streamId);
    session.size = size;
    try {
      session.pty?.resize(size.cols, size.rows);
      session.local?.resize(size.cols, size.rows);
    } catch {
      // The channel is closing; the next attach uses the new size.
    }
  }

  /** Leave `xl console` as Ctrl-] does. */
  detach(streamId: string): void {
    const session = this.get(streamId);
    if (session.kind !== 'text') throw new UserError('Only a text console can be detached; close the tab instead.', 'invalid-argument');
    session.detaching = true;
    this.stopTimer(session);
    if (!session.stream.writeToSource(Buffer.from([CTRL_RIGHT_BRACKET]))) {
      this.finishDetach(session);
      return;
    }
    // xl console leaves at once on Ctrl-]; if the channel lingers, end it ourselves.
    setTimeout(() => {
      if (this.sessions.get(session.id) === session && !session.stream.isClosed) this.finishDetach(session);
    }, 3000).unref();
  }

  close(streamId: string): void {
    const session = this.sessions.get(streamId);
    if (!session) return;
    this.dispose(session, 'closed', 'Console closed.');
  }

  /** A window went away: close its consoles. */
  closeFor(owner: string): void {
    for (const session of [...this.sessions.values()]) if (session.owner === owner) this.dispose(session, 'closed', 'Console closed.');
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) this.dispose(session, 'closed', 'Console closed.');
  }

  /** The transport found the renderer's end of a stream; false when no such stream is open. */
  attachReceiver(streamId: string, receiver: StreamReceiver): { input(data: Buffer): void; ack(bytes: number): void; gone(): void } | null {
    const session = this.sessions.get(streamId);
    if (!session || session.stream.isClosed) return null;
    session.stream.attach(receiver);
    return {
      input: (data) => session.stream.input(data),
      ack: (bytes) => session.stream.acknowledge(bytes),
      gone: () => session.stream.detachReceiver(receiver),
    };
  }

  /** For tests and benchmarks: bytes a stream holds unacknowledged. */
  unacknowledged(streamId: string): number {
    return this.get(streamId).stream.unacknowledged;
  }

  // ---- Text consoles ---------------------------------------------------------------------

  private async attachText(session: Session): Promise<void> {
    if (session.attaching || this.gone(session)) return;
    const attempt = this.beginAttempt(session);
    try {
      const name = session.domain!;
      const [ssh, driver] = await Promise.all([this.sshOf(session.hostId), this.hosts.driver(session.hostId)]);
      const row = (await driver.list()).find((d) => d.name === name);
      if (this.stale(session, attempt)) return;
      if (!row) {
        this.setState(session, 'unavailable', 'not-running', `${name} is not running. Hearth will attach its console when it starts.`);
        this.follow(session);
        return;
      }
      const argv = [...privileged(driver), driver.program, 'console'];
      if (driver.toolstack === 'xl' && session.textType !== 'auto') argv.push('-t', session.textType);
      argv.push(name);
      this.setState(session, 'connecting', null, `Attaching to ${name}'s ${describeType(session.textType)}…`);
      const pty = await ssh.openPty(argv, session.size);
      if (this.stale(session, attempt)) {
        pty.close();
        return;
      }
      session.pty = pty;
      session.domid = row.id;
      session.attachedAt = Date.now();
      session.tail = '';
      pty.stream.on('data', (chunk: Buffer) => {
        session.tail = (session.tail + chunk.toString('utf8')).slice(-600);
      });
      session.stream.setSource(pty.stream);
      this.setState(session, 'connected', null, `Attached to ${name}'s ${describeType(session.textType)}. Ctrl-] detaches.`);
    } catch (error) {
      if (this.stale(session, attempt)) return;
      this.setState(session, 'connecting', 'host-lost', `Cannot reach the console right now: ${messageOf(error)} Hearth keeps trying.`);
      this.follow(session);
    } finally {
      this.endAttempt(session, attempt);
    }
  }

  /** `xl console` ended: the user detached, the domain went away (reboot, shutdown), or it has no such console. */
  private async textEnded(session: Session): Promise<void> {
    session.pty = null;
    if (session.detaching) {
      this.finishDetach(session);
      return;
    }
    const name = session.domain!;
    let row: XlListRow | undefined;
    try {
      row = (await (await this.hosts.driver(session.hostId)).list()).find((d) => d.name === name);
    } catch (error) {
      if (this.gone(session)) return;
      this.setState(session, 'connecting', 'host-lost', `Lost the host while attached: ${messageOf(error)} Hearth reattaches when it is back.`);
      this.follow(session);
      return;
    }
    if (this.gone(session)) return;
    if (row && row.id === session.domid && row.state.charAt(3) !== 's' && row.state.charAt(5) !== 'd') {
      // Same domain, still there, yet xl console left: it has no console of this kind, or refused.
      const quick = Date.now() - session.attachedAt < 5000;
      session.quickFailures = quick ? session.quickFailures + 1 : 0;
      const said = lastLine(session.tail);
      if (quick && session.quickFailures >= 2) {
        this.setState(
          session,
          'unavailable',
          'no-console',
          `${name} has no ${describeType(session.textType)} to attach to${said ? ` (xl said: ${said})` : ''}.` +
            (session.textType === 'serial' ? ' Add serial = "pty" to its config, or use the PV console.' : session.textType === 'pv' ? ' Try the emulated serial console.' : ''),
        );
        return;
      }
      this.follow(session, 1000);
      return;
    }
    session.quickFailures = 0;
    this.setState(
      session,
      'connecting',
      'not-running',
      row ? `${name} is restarting; Hearth reattaches as soon as its console is back.` : `${name} stopped. Hearth will reattach its console when it starts again.`,
    );
    this.follow(session);
  }

  private finishDetach(session: Session): void {
    this.dispose(session, 'detached', `Detached from ${session.domain}'s console.`);
  }

  // ---- Graphical consoles ----------------------------------------------------------------

  private async attachVnc(session: Session): Promise<void> {
    if (session.attaching || this.gone(session)) return;
    const attempt = this.beginAttempt(session);
    const name = session.domain!;
    try {
      const [ssh, driver] = await Promise.all([this.sshOf(session.hostId), this.hosts.driver(session.hostId)]);
      const row = (await driver.list()).find((d) => d.name === name);
      if (this.stale(session, attempt)) return;
      if (!row) {
        this.setState(session, 'unavailable', 'not-running', `${name} is not running. The graphical console appears when it starts.`);
        this.follow(session);
        return;
      }
      const details = (await driver.details(name)).find((d) => d.name === name);
      if (this.stale(session, attempt)) return;
      const vnc = details?.vnc ?? null;
      if (!vnc || !vnc.enabled) {
        if (details?.sdl) {
          const configPath = (await driver.listConfigs().catch(() => [])).find((c) => c.name === name)?.path ?? null;
          this.setState(
            session,
            'unavailable',
            'sdl',
            `${name} is set to draw its screen with SDL (sdl = 1), which opens a window on the Xen host's own display, ` +
              'not on this computer. Switch its config to VNC (vnc = 1, sdl = 0, vnclisten = "127.0.0.1") and restart the domain to see it here.',
            { configPath },
          );
          return;
        }
        this.setState(session, 'unavailable', 'vnc-disabled', vncDisabledMessage(name, details?.type ?? 'unknown'));
        this.follow(session, this.followIntervalMs * 5);
        return;
      }
      const base = `/local/domain/${row.id}/console`;
      const port = Number((await this.xenstoreRead(session.hostId, driver, `${base}/vnc-port`)) ?? NaN);
      if (this.stale(session, attempt)) return;
      if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        this.setState(session, 'connecting', 'waiting-for-device-model', `Waiting for ${name}'s device model to start its VNC server…`);
        this.follow(session, 1000);
        return;
      }
      const listenRaw = (await this.xenstoreRead(session.hostId, driver, `${base}/vnc-listen`)) ?? vnc.listen ?? '127.0.0.1';
      const listen = listenRaw === '0.0.0.0' || listenRaw === '' ? '127.0.0.1' : listenRaw === '::' ? '::1' : listenRaw;
      const password = vnc.passwordSet ? await this.xenstoreRead(session.hostId, driver, `${base}/vnc-pass`) : null;
      const endpoint = listen.includes(':') ? `[${listen}]:${port}` : `${listen}:${port}`;
      this.setState(session, 'connecting', null, `Opening ${name}'s screen (VNC at ${endpoint} on the host) through the SSH connection…`, { endpoint });
      let channel: ClientChannel;
      try {
        channel = await ssh.forwardOut(listen, port);
      } catch (error) {
        if (this.stale(session, attempt)) return;
        this.setState(
          session,
          'unavailable',
          'unreachable',
          `The host could not connect to ${name}'s VNC server at ${endpoint}: ${messageOf(error)} ` +
            'Set vnclisten = "127.0.0.1" in its config (Hearth reaches it through SSH), and check that sshd allows TCP forwarding (AllowTcpForwarding).',
          { endpoint },
        );
        this.follow(session, this.followIntervalMs * 5);
        return;
      }
      if (this.stale(session, attempt)) {
        channel.destroy();
        return;
      }
      session.domid = row.id;
      session.attachedAt = Date.now();
      session.stream.setSource(channel, { vncPassword: password });
      this.setState(session, 'connected', null, `${name}'s screen, through the SSH connection (VNC at ${endpoint} on the host).`, { endpoint });
    } catch (error) {
      if (this.stale(session, attempt)) return;
      this.setState(session, 'connecting', 'host-lost', `Cannot reach ${name}'s screen right now: ${messageOf(error)} Hearth keeps trying.`);
      this.follow(session);
    } finally {
      this.endAttempt(session, attempt);
    }
  }

  private async vncEnded(session: Session): Promise<void> {
    const name = session.domain!;
    if (this.gone(session)) return;
    const quick = Date.now() - session.attachedAt < 3000;
    session.quickFailures = quick ? session.quickFailures + 1 : 0;
    this.setState(session, 'connecting', 'not-running', `${name}'s screen went away (restarting or stopped); Hearth reconnects when it is back.`);
    this.follow(session, quick ? this.followIntervalMs * Math.min(session.quickFailures, 5) : 1000);
  }

  private async xenstoreRead(hostId: string, driver: ConsoleDriver, key: string): Promise<string | null> {
    const executor = await this.hosts.executorOf(hostId);
    const result = await executor.exec([...privileged(driver), 'xenstore-read', key], { timeoutMs: 20_000 });
    if (result.code !== 0) return null;
    const value = result.stdout.replace(/\n$/, '');
    return value === '' ? null : value;
  }

  // ---- Sessions --------------------------------------------------------------------------

  private newSession(owner: string, kind: ConsoleKind, hostId: string, domain: string | null, size: TerminalSize, textType: TextConsoleType): Session {
    const id = randomBytes(16).toString('base64url');
    const session: Session = {
      id,
      kind,
      hostId,
      domain,
      owner,
      size,
      textType,
      pty: null,
      local: null,
      domid: null,
      attachedAt: 0,
      detaching: false,
      tail: '',
      timer: null,
      attaching: false,
      attempt: 0,
      watchdog: null,
      quickFailures: 0,
      view: { streamId: id, kind, hostId, domain, phase: 'connecting', reason: null, message: '', configPath: null, endpoint: null },
      stream: new ConsoleStream(id, {
        onInput: (data) => {
          // Ctrl-] leaves the console, also while Hearth is reattaching (no xl console to
          // see it then): the user asked to stop following the domain.
          const at = kind === 'text' ? data.indexOf(CTRL_RIGHT_BRACKET) : -1;
          if (at < 0) return data;
          if (at > 0) session.stream.writeToSource(data.subarray(0, at));
          this.detach(id);
          return null;
        },
        onSourceEnd: () => {
          if (kind === 'text') void this.textEnded(session);
          else if (kind === 'vnc') void this.vncEnded(session);
          // A local terminal stays open after its program ended, until the page closes it: what
          // the program said last (ssh's reason for failing) still reaches a receiver that attaches late.
          else if (kind === 'local') this.setState(session, 'disconnected', 'exited', localEnded(session.local));
          else this.dispose(session, 'exited', 'The shell ended.');
        },
      }),
    };
    this.sessions.set(id, session);
    return session;
  }

  /**
   * Start an attach attempt, watched: a host that stops answering (a half-dead connection) must
   * not leave the console waiting forever, so after ATTACH_TIMEOUT_MS the attempt is given up
   * and another one follows.
   */
  private beginAttempt(session: Session): number {
    session.attaching = true;
    const attempt = ++session.attempt;
    if (session.watchdog) clearTimeout(session.watchdog);
    session.watchdog = setTimeout(() => {
      session.watchdog = null;
      if (this.gone(session) || session.attempt !== attempt || !session.attaching) return;
      session.attempt++;
      session.attaching = false;
      this.setState(session, 'connecting', 'host-lost', `The host did not answer within ${ATTACH_TIMEOUT_MS / 1000} s; Hearth keeps trying.`);
      this.follow(session);
    }, ATTACH_TIMEOUT_MS);
    session.watchdog.unref?.();
    return attempt;
  }

  private endAttempt(session: Session, attempt: number): void {
    if (session.attempt !== attempt) return;
    session.attaching = false;
    if (session.watchdog) clearTimeout(session.watchdog);
    session.watchdog = null;
  }

  private stale(session: Session, attempt: number): boolean {
    return this.gone(session) || session.attempt !== attempt;
  }

  private follow(session: Session, delayMs = this.followIntervalMs): void {
    this.stopTimer(session);
    session.timer = setTimeout(() => {
      session.timer = null;
      if (this.gone(session)) return;
      void (session.kind === 'vnc' ? this.attachVnc(session) : this.attachText(session));
    }, delayMs);
  }

  private stopTimer(session: Session): void {
    if (session.timer) clearTimeout(session.timer);
    session.timer = null;
  }

  private dispose(session: Session, reason: ConsoleReason, message: string): void {
    if (this.sessions.get(session.id) !== session) return;
    this.stopTimer(session);
    if (session.watchdog) clearTimeout(session.watchdog);
    this.sessions.delete(session.id);
    session.stream.close();
    session.pty = null;
    this.setState(session, 'disconnected', reason, message);
  }

  private gone(session: Session): boolean {
    return this.sessions.get(session.id) !== session;
  }

  private get(streamId: string): Session {
    const session = this.sessions.get(streamId);
    if (!session) throw new UserError('That console is closed; open it again.', 'not-found');
    return session;
  }

  private setState(
    session: Session,
    phase: ConsolePhase,
    reason: ConsoleReason | null,
    message: string,
    extra: Partial<Pick<ConsoleStateView, 'configPath' | 'endpoint'>> = {},
  ): void {
    session.view = { ...session.view, phase, reason, message, configPath: extra.configPath ?? null, endpoint: extra.endpoint ?? session.view.endpoint };
    this.hub.emit('consoles.state', session.view);
  }

  private async sshOf(hostId: string): Promise<SshConnection> {
    const executor = await this.hosts.executorOf(hostId);
    if (!(executor instanceof SshConnection)) {
      throw new UserError('The demo host is a simulation: it has no consoles. Add your Xen host to open a console.', 'demo');
    }
    return executor;
  }
}

function localEnded(local: LocalPty | null): string {
  const exit = local?.exit;
  const what = local?.program === 'ssh' ? 'ssh' : 'The shell';
  if (!exit || (exit.exitCode === 0 && !exit.signal)) return `${what} ended.`;
  if (exit.signal) return `${what} ended (signal ${exit.signal}).`;
  // ssh says why it failed on the terminal itself; 255 is its own error, anything else the remote shell's status.
  return local?.program === 'ssh' && exit.exitCode === 255
    ? 'ssh could not connect or lost the connection (exit code 255); its own message is in the terminal above.'
    : `${what} ended with exit code ${exit.exitCode}.`;
}

function privileged(driver: ConsoleDriver): string[] {
  return driver.isRoot ? [] : ['sudo', '-n', '--'];
}

function describeType(type: TextConsoleType): string {
  return type === 'pv' ? 'PV console' : type === 'serial' ? 'emulated serial console' : 'console';
}

function vncDisabledMessage(name: string, type: DomainType): string {
  if (type === 'pv' || type === 'pvh') {
    return `${name} has no graphical console: it is a ${type.toUpperCase()} guest without a VNC framebuffer. Use the text console, or add vfb = ["vnc=1"] to its config.`;
  }
  return `${name}'s config turns VNC off (vnc = 0). Set vnc = 1 and vnclisten = "127.0.0.1", then restart the domain to see its screen here.`;
}

function lastLine(text: string): string {
  // Strip terminal escapes, keep the last non-empty line.
  const clean = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\x00-\x08\x0b-\x1f]/g, '');
  const lines = clean.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.length ? lines[lines.length - 1].slice(0, 200) : '';
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
