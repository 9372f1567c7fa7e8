// Local terminals: a pseudo-terminal on the admin's own machine (node-pty), running the user's
// login shell or the system `ssh` to a saved host, for what ssh2 cannot do (hardware security
// keys, GSSAPI, the user's own ssh_config tricks). The pty is a StreamSource, so it travels the
// same stream path as a host shell (consoles-stream.ts): same acknowledgements, same watermark;
// pausing the pty stops reading its master side, the kernel's buffer fills and the program
// blocks on write, exactly as a paused SSH channel holds back the remote side.
//
// This is deliberately a local process, not a host command: nothing here goes to a Xen host, so
// common/shell/quote.ts does not apply. The command is an argv array (never a shell string)
// built by Hearth from the saved host entry; the renderer only says "shell" or "ssh to host X".
//
// node-pty is a native module. It is loaded on first use, so a missing or mismatched build
// (a packaged Electron app must rebuild it for Electron's ABI with electron-rebuild) turns into
// a plain message on the terminal page, not a main process that fails to start.
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { UserError } from '../../common/rpc/index';
import type { LocalTerminalTarget, TerminalSize } from '../../common/stream/index';
import type { StoredHost } from './host-store';
import type { StreamSource } from './consoles-stream';

/** The part of node-pty Hearth uses. */
interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: Buffer | string) => void): { dispose(): void };
  onExit(listener: (event: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(data: Buffer | string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
}

interface PtyModule {
  spawn(
    file: string,
    args: string[],
    options: { name: string; cols: number; rows: number; cwd: string; env: Record<string, string>; encoding: null },
  ): PtyProcess;
}

export interface LocalTerminalOptions {
  /** The shell to run; $SHELL, else /bin/sh. */
  shell?: string;
  /** The ssh program; `ssh` from PATH by default. */
  sshProgram?: string;
  /**
   * Extra ssh arguments placed before the host, each its own argv element (e.g. `-o`,
   * `UserKnownHostsFile=…`). Set by whoever builds Hearth (tests, a future setting), never by
   * the renderer: an ssh option such as ProxyCommand runs a local command.
   */
  sshOptions?: string[];
  /** Environment for the programs; this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** Working directory; the user's home by default. */
  cwd?: string;
  /** The module to load (tests name a missing one to see the failure path). */
  ptyModule?: string;
  /** After SIGHUP, how long a program may take to go before SIGKILL. */
  killGraceMs?: number;
}

/** What the system ssh needs from a saved host. */
export interface SshEntry {
  address?: string;
  port?: number;
  user?: string;
  sshAlias?: string;
  identityFile?: string;
  /** ProxyJump hops (`[user@]host[:port]`, comma-separated). Saved hosts have none yet: an alias's ProxyJump comes from ~/.ssh/config. */
  jump?: string;
}

// A value that becomes one argv element: no control characters, and no leading '-' so it cannot
// be read as an option (ssh re-reads options after the host, so `--` alone is not enough).
function argument(value: string, what: string): string {
  if (!value || /[\u0000-\u001f\u007f]/.test(value)) throw new UserError(`The host's ${what} contains control characters; fix it in Edit.`, 'invalid-argument');
  if (value.startsWith('-')) throw new UserError(`The host's ${what} "${value}" starts with "-", which ssh would read as an option; fix it in Edit.`, 'invalid-argument');
  return value;
}

/**
 * `ssh -t [options] [-p PORT] [-l USER] [-i IDENTITY] [-J JUMP] -- HOST` for a saved host. Like
 * Hearth's own connection, a host typed as an address logs in as root unless a user is saved;
 * an alias leaves the user to ~/.ssh/config.
 */
export function systemSshArgv(entry: SshEntry, sshOptions: readonly string[] = []): string[] {
  const host = entry.sshAlias || entry.address;
  if (!host) throw new UserError('This host has neither an address nor an ssh alias; add one in Edit.', 'invalid-argument');
  const argv = ['-t', ...sshOptions];
  if (entry.port !== undefined) {
    if (!Number.isInteger(entry.port) || entry.port < 1 || entry.port > 65535) throw new UserError(`The host's port ${entry.port} is not a TCP port.`, 'invalid-argument');
    argv.push('-p', String(entry.port));
  }
  const user = entry.user || (entry.sshAlias ? undefined : 'root');
  if (user) argv.push('-l', argument(user, 'user name'));
  if (entry.identityFile) argv.push('-i', argument(entry.identityFile, 'identity file'));
  if (entry.jump) argv.push('-J', argument(entry.jump, 'jump host'));
  argv.push('--', argument(host, entry.sshAlias ? 'ssh alias' : 'address'));
  return argv;
}

/** A running local program on a pty, shaped as a stream source. */
export class LocalPty extends EventEmitter implements StreamSource {
  private exited: { exitCode: number; signal?: number } | null = null;
  private killTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pty: PtyProcess,
    readonly program: LocalTerminalTarget['program'],
    /** What runs, for the page: `/bin/bash -l`, `ssh -t … -- host`. */
    readonly commandLine: string,
    private readonly killGraceMs: number,
  ) {
    super();
    live.add(this);
    pty.onData((data) => this.emit('data', typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
    // node-pty reports the exit once the pty's output has been read to the end.
    pty.onExit((event) => {
      this.exited = event;
      live.delete(this);
      if (this.killTimer) clearTimeout(this.killTimer);
      this.emit('close');
    });
  }

  get pid(): number {
    return this.pty.pid;
  }

  /** How it ended, once it has. */
  get exit(): { exitCode: number; signal?: number } | null {
    return this.exited;
  }

  write(data: Buffer): void {
    if (!this.exited) this.pty.write(data);
  }

  pause(): void {
    if (!this.exited) this.pty.pause();
  }

  resume(): void {
    if (!this.exited) this.pty.resume();
  }

  resize(cols: number, rows: number): void {
    if (!this.exited) this.pty.resize(cols, rows);
  }

  /** Hang up, as closing a terminal window does; a program that ignores SIGHUP is killed after a grace period. */
  destroy(): void {
    if (this.exited || this.killTimer) return;
    // A paused pty is never read again: let it drain so the program can see the hangup and go.
    this.pty.resume();
    this.pty.kill('SIGHUP');
    this.killTimer = setTimeout(() => {
      if (!this.exited) this.pty.kill('SIGKILL');
    }, this.killGraceMs);
    this.killTimer.unref();
  }

  /** For process exit: no time left for a grace period. */
  hangUpNow(): void {
    if (this.exited) return;
    this.pty.kill('SIGHUP');
  }
}

// Every running pty of every LocalTerminals, so one exit hook hangs them all up even when
// main goes away without closing its services (a crash, process.exit).
const live = new Set<LocalPty>();
let exitHook = false;
function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const pty of live) pty.hangUpNow();
  });
}

export class LocalTerminals {
  private loaded: Promise<PtyModule> | null = null;

  constructor(
    /** The saved host entry, for the system ssh. */
    private readonly hostEntry: (hostId: string) => Promise<StoredHost>,
    private readonly options: LocalTerminalOptions = {},
  ) {}

  /** Start the program on a new pty; throws a UserError that says what to do when it cannot. */
  async spawn(target: LocalTerminalTarget, size: TerminalSize): Promise<LocalPty> {
    const pty = await this.load();
    const env = this.environment();
    let file: string;
    let args: string[];
    if (target.program === 'shell') {
      file = this.options.shell || env.SHELL || '/bin/sh';
      args = ['-l'];
    } else {
      const entry = await this.hostEntry(target.hostId);
      if (entry.demo) throw new UserError('The demo host is a simulation: there is no machine for ssh to reach.', 'demo');
      file = this.options.sshProgram ?? 'ssh';
      args = systemSshArgv(entry, this.options.sshOptions);
    }
    let child: PtyProcess;
    try {
      child = pty.spawn(file, args, {
        name: 'xterm-256color',
        cols: size.cols,
        rows: size.rows,
        cwd: this.options.cwd ?? os.homedir(),
        env,
        // Bytes, not strings: flow control counts bytes, and a split UTF-8 sequence must stay whole.
        encoding: null,
      });
    } catch (error) {
      throw new UserError(`Could not start ${file}: ${error instanceof Error ? error.message : String(error)}`, 'failed');
    }
    hookExit();
    return new LocalPty(child, target.program, [file, ...args].join(' '), this.options.killGraceMs ?? 3000);
  }

  private load(): Promise<PtyModule> {
    // A literal specifier, so bundlers and packagers see the dependency (the Electron bundle
    // keeps it external: scripts/build.mjs). Not yet tried in a packaged app.
    if (!this.loaded) {
      const loading: Promise<{ default?: PtyModule } & Partial<PtyModule>> = this.options.ptyModule ? import(this.options.ptyModule) : import('node-pty');
      this.loaded = loading.then((mod) => {
        const found = typeof mod.spawn === 'function' ? (mod as PtyModule) : mod.default;
        if (!found || typeof found.spawn !== 'function') throw new Error('it has no spawn function');
        return found;
      });
    }
    return this.loaded.catch((error: unknown) => {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new UserError(
        `Local terminals are not available: node-pty (the native module that gives Hearth a terminal on this computer) did not load (${why}). ` +
          'Reinstall Hearth, or run `npm rebuild node-pty` in its folder (for the desktop app, rebuild it for Electron with electron-rebuild).',
        'unavailable',
      );
    });
  }

  private environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.options.env ?? process.env)) {
      // Electron's own switches must not leak into the user's programs (an `electron` they run would act as Node).
      if (value === undefined || key.startsWith('ELECTRON_') || key === 'NODE_OPTIONS') continue;
      env[key] = value;
    }
    env.TERM = 'xterm-256color';
    env.COLORTERM = 'truecolor';
    env.TERM_PROGRAM = 'Hearth';
    return env;
  }
}
