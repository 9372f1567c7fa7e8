// The toolstack driver: everything Hearth does to a Xen host, as typed calls, over any Executor
// (real SSH, or the demo host's simulation). xl and xm differ only in the command builder, the
// long-listing parser and the capability table; callers never branch on the toolstack.
import { UserError } from '../../common/rpc/index';
import type { HostSummary, Toolstack } from '../../common/model/index';
import {
  capabilitiesFor,
  type Capabilities,
  type DomainDetails,
  parseXlInfo,
  parseXlList,
  parseXlListLong,
  parseXmListLong,
  summarizeXlInfo,
  type XlListRow,
} from '../../common/xen/index';
import type { ExecResult, Executor } from './executor';
import { ToolstackCommands } from './commands';
import { detectToolstack, type Detection } from './detect';
import { describeFailure, type FailureContext } from './failures';
import {
  createRemoteFile,
  readRemoteFile,
  setRemoteAutostart,
  writeRemoteFileAtomic,
} from './files';
import { HostShell } from './host-shell';
import {
  buildInventory,
  INVENTORY_SCRIPT,
  MAX_CONFIG_BYTES,
  parseInventoryOutput,
  XEN_DIR,
  type ConfigEntry,
} from './inventory';
import { randomBytes } from 'node:crypto';

export { detectToolstack, type Detection } from './detect';
export type { ConfigEntry } from './inventory';
export { sha256Hex } from './files';

export type { Capabilities, DomainDetails, XlListRow };

export interface ToolstackDriver {
  readonly toolstack: Toolstack;
  /** Absolute path of xl or xm on the host. */
  readonly program: string;
  readonly xenMajor: number;
  readonly xenMinor: number;
  readonly capabilities: Capabilities;
  /** The login user is root; otherwise toolstack commands go through `sudo -n`. */
  readonly isRoot: boolean;

  /** `xl info` and Dom0's uptime. */
  info(): Promise<HostSummary>;
  /** Plain `xl list`: the one cheap query for live polling. */
  list(): Promise<XlListRow[]>;
  /** `xl list -l` (JSON) or `xm list --long` (SXP), for one domain or all. */
  details(name?: string): Promise<DomainDetails[]>;

  create(configPath: string): Promise<void>;
  shutdown(name: string, options?: { wait?: boolean }): Promise<void>;
  reboot(name: string): Promise<void>;
  /** Force off, at once. */
  destroy(name: string): Promise<void>;
  pause(name: string): Promise<void>;
  unpause(name: string): Promise<void>;
  rename(oldName: string, newName: string): Promise<void>;
  /** Save the domain's memory to `file` on the host; the domain stops. */
  save(name: string, file: string): Promise<void>;
  restore(file: string): Promise<void>;

  /** Domain config files in /etc/xen and /etc/xen/auto, with their autostart state. */
  listConfigs(): Promise<ConfigEntry[]>;
  /** Start at boot (a link in /etc/xen/auto) or not. */
  setAutostart(path: string, on: boolean): Promise<void>;
  /** The file's text; its sha256 (hex, of the UTF-8 text) is what writeFileAtomic expects back. */
  readFile(path: string): Promise<string>;
  /** Replace the file if it still has `expectedSha256`, keeping a backup next to it. */
  writeFileAtomic(path: string, text: string, expectedSha256: string): Promise<{ backupPath: string }>;
  /** Write a new file; refuses when the path is taken. */
  createFile(path: string, text: string): Promise<void>;
}

export interface DriverOptions {
  /** The SSH login user, when known; the probe's `id -u` decides whether sudo is needed. */
  user?: string;
  /** Skip detection when it is already known (e.g. the demo host, or a reconnect). */
  detection?: Detection;
}

/** Detect the toolstack on the host behind `executor` and return a driver for it. */
export async function createDriver(executor: Executor, options: DriverOptions = {}): Promise<ToolstackDriver> {
  const detection = options.detection ?? (await detectToolstack(executor));
  return new Driver(executor, detection);
}

const LONG_COMMAND_MS = 10 * 60_000;
/** After a guest has shut down, xl's monitor destroys it within seconds (on_poweroff=destroy). */
const GONE_TIMEOUT_MS = 30_000;

class Driver implements ToolstackDriver {
  readonly toolstack: Toolstack;
  readonly program: string;
  readonly xenMajor: number;
  readonly xenMinor: number;
  readonly capabilities: Capabilities;
  readonly isRoot: boolean;
  private readonly shell: HostShell;
  private readonly commands: ToolstackCommands;

  constructor(executor: Executor, detection: Detection) {
    this.toolstack = detection.toolstack;
    this.program = detection.program;
    this.xenMajor = detection.major;
    this.xenMinor = detection.minor;
    this.isRoot = detection.isRoot;
    this.capabilities = capabilitiesFor(detection.toolstack, detection.major, detection.minor);
    this.shell = new HostShell(executor, detection.isRoot);
    this.commands = new ToolstackCommands(detection.toolstack, detection.program);
  }

  /** Run a toolstack command with root rights; a failure becomes a UserError that says why. */
  private async toolstackRun(argv: string[], ctx: FailureContext, timeoutMs?: number): Promise<ExecResult> {
    const result = await this.shell.run(argv, { privileged: true, sudoSubject: this.program, timeoutMs });
    if (result.code !== 0) throw describeFailure(this.toolstack, ctx, result);
    return result;
  }

  /** Read-only queries are retried once: emulated hosts occasionally fail a command spuriously. */
  private async query(argv: string[], ctx: FailureContext): Promise<ExecResult> {
    const first = await this.shell.run(argv, { privileged: true, sudoSubject: this.program });
    if (first.code === 0) return first;
    const failure = describeFailure(this.toolstack, ctx, first);
    if (failure.code !== 'toolstack-failed' && failure.code !== 'interrupted') throw failure;
    const second = await this.shell.run(argv, { privileged: true, sudoSubject: this.program });
    if (second.code !== 0) throw describeFailure(this.toolstack, ctx, second);
    return second;
  }

  async info(): Promise<HostSummary> {
    const [infoResult, uptimeResult] = await Promise.all([
      this.query(this.commands.info(), { action: 'info' }),
      this.shell.run(['cat', '/proc/uptime']),
    ]);
    const info = parseXlInfo(infoResult.stdout);
    // Dom0's uptime is the Dom0 kernel's: xl uptime reads the same /proc/uptime for domain 0.
    const seconds = uptimeResult.code === 0 ? Number(uptimeResult.stdout.trim().split(/\s+/)[0]) : NaN;
    try {
      return summarizeXlInfo(info, this.toolstack, Number.isFinite(seconds) ? Math.floor(seconds) : null);
    } catch (error) {
      throw new UserError(error instanceof Error ? error.message : String(error), 'unexpected-output');
    }
  }

  async list(): Promise<XlListRow[]> {
    const result = await this.query(this.commands.list(), { action: 'list' });
    return parseXlList(result.stdout);
  }

  async details(name?: string): Promise<DomainDetails[]> {
    const result = await this.query(this.commands.details(name), { action: 'list', domain: name });
    try {
      return this.capabilities.listLongFormat === 'json' ? parseXlListLong(result.stdout) : parseXmListLong(result.stdout);
    } catch (error) {
      throw new UserError(
        `Could not read the long listing of ${name ?? 'the domains'}: ${error instanceof Error ? error.message : String(error)}`,
        'unexpected-output',
      );
    }
  }

  async create(configPath: string): Promise<void> {
    requireAbsolute(configPath, 'config file');
    await this.toolstackRun(this.commands.create(configPath), { action: 'create', configPath }, LONG_COMMAND_MS);
  }

  async shutdown(name: string, options: { wait?: boolean } = {}): Promise<void> {
    requireName(name);
    await this.toolstackRun(this.commands.shutdown(name, Boolean(options.wait)), { action: 'shutdown', domain: name }, LONG_COMMAND_MS);
    // `xl shutdown -w` returns once the guest has shut down; xl's monitor then destroys it a
    // moment later (on_poweroff). Waiting means: until it is gone from the list.
    if (options.wait) await this.waitUntilGone(name, GONE_TIMEOUT_MS);
  }

  /** Poll `xl list NAME` until the domain no longer exists, or the time is up. */
  private async waitUntilGone(name: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await this.shell.run(this.commands.listOne(name), { privileged: true, sudoSubject: this.program });
      if (result.code !== 0 && describeFailure(this.toolstack, { action: 'list', domain: name }, result).code === 'domain-not-found') {
        return true;
      }
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async reboot(name: string): Promise<void> {
    requireName(name);
    await this.toolstackRun(this.commands.reboot(name), { action: 'reboot', domain: name });
  }

  async destroy(name: string): Promise<void> {
    requireName(name);
    await this.toolstackRun(this.commands.destroy(name), { action: 'destroy', domain: name }, LONG_COMMAND_MS);
  }

  async pause(name: string): Promise<void> {
    requireName(name);
    await this.toolstackRun(this.commands.pause(name), { action: 'pause', domain: name });
  }

  async unpause(name: string): Promise<void> {
    requireName(name);
    await this.toolstackRun(this.commands.unpause(name), { action: 'unpause', domain: name });
  }

  async rename(oldName: string, newName: string): Promise<void> {
    requireName(oldName);
    requireName(newName);
    if (!this.capabilities.canRename) {
      throw new UserError(
        `${this.toolstack} on Xen ${this.xenMajor}.${this.xenMinor} cannot rename a running domain. Shut it down, change name= in its config file, and start it again.`,
        'unsupported',
      );
    }
    await this.toolstackRun(this.commands.rename(oldName, newName), { action: 'rename', domain: oldName, newName });
  }

  async save(name: string, file: string): Promise<void> {
    requireName(name);
    this.requireSaveRestore();
    requireAbsolute(file, 'save file');
    await this.toolstackRun(this.commands.save(name, file), { action: 'save', domain: name, file }, LONG_COMMAND_MS);
  }

  async restore(file: string): Promise<void> {
    this.requireSaveRestore();
    requireAbsolute(file, 'save file');
    await this.toolstackRun(this.commands.restore(file), { action: 'restore', file }, LONG_COMMAND_MS);
  }

  private requireSaveRestore(): void {
    if (!this.capabilities.canSaveRestore) {
      throw new UserError(`${this.toolstack} on Xen ${this.xenMajor}.${this.xenMinor} cannot save or restore domains.`, 'unsupported');
    }
  }

  async listConfigs(): Promise<ConfigEntry[]> {
    const nonce = `hearth-${randomBytes(8).toString('hex')}`;
    const argv = ['sh', '-c', INVENTORY_SCRIPT, 'hearth-inventory', XEN_DIR, nonce, String(MAX_CONFIG_BYTES)];
    let result = await this.shell.run(argv);
    // Some hosts keep configs readable by root only; the listing then needs sudo like xl does.
    if (result.code === 0 && !this.isRoot && /hearth: unreadable/.test(result.stderr)) {
      try {
        const privileged = await this.shell.run(argv, { privileged: true, sudoSubject: '/bin/sh' });
        if (privileged.code === 0) result = privileged;
      } catch (error) {
        // No password-less sudo for a shell: list what this user can read.
        if (!(error instanceof UserError)) throw error;
      }
    }
    if (result.code !== 0) {
      throw new UserError(`Could not list the config files in ${XEN_DIR} on the host: ${result.stderr.trim() || `exit code ${result.code}`}.`, 'failed');
    }
    return buildInventory(parseInventoryOutput(result.stdout, nonce));
  }

  async setAutostart(path: string, on: boolean): Promise<void> {
    requireAbsolute(path, 'config file');
    await setRemoteAutostart(this.shell, path, on);
  }

  async readFile(path: string): Promise<string> {
    requireAbsolute(path, 'file');
    return (await readRemoteFile(this.shell, path)).text;
  }

  async writeFileAtomic(path: string, text: string, expectedSha256: string): Promise<{ backupPath: string }> {
    requireAbsolute(path, 'file');
    return { backupPath: await writeRemoteFileAtomic(this.shell, path, text, expectedSha256) };
  }

  async createFile(path: string, text: string): Promise<void> {
    requireAbsolute(path, 'file');
    await createRemoteFile(this.shell, path, text);
  }
}

function requireName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new UserError('Give a domain name.', 'invalid-argument');
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new UserError('A domain name cannot contain control characters or new lines.', 'invalid-argument');
  }
}

function requireAbsolute(path: string, what: string): void {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new UserError(`The ${what} path on the host must be absolute (start with /): ${JSON.stringify(path)}.`, 'invalid-argument');
  }
  if (/[\u0000\n\r]/.test(path)) throw new UserError(`The ${what} path cannot contain new lines.`, 'invalid-argument');
}
