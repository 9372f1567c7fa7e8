// From a stored host to a toolstack driver, for one CLI command: the demo host's simulation, or
// one SSH connection (the same target resolution, known_hosts files and host store as the app).
// Unknown host keys are asked on the terminal; with nobody there, the command is refused with
// the key's fingerprint and how to accept it.
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../common/rpc/index';
import { createDemoExecutor } from '../demo/index';
import type { StoredHost } from '../services/host-store';
import { targetFor } from '../services/opener';
import { hearthHome } from '../services/paths';
import {
  InMemorySecretStore,
  KnownHosts,
  SshConnection,
  type HostKeyDecision,
  type HostKeyQuestion,
  type SecretAnswer,
  type SecretRequest,
  type SshPrompter,
} from '../ssh/index';
import { createDriver, type ToolstackDriver } from '../toolstack/index';
import type { Terminal } from './terminal';

export interface OpenedHost {
  driver: ToolstackDriver;
  /** The built-in simulation, not a real machine. */
  demo: boolean;
  close(): void;
}

export interface ConnectOptions {
  terminal: Terminal;
  /** Accept an unknown host key non-interactively, if its fingerprint is exactly this. */
  acceptHostKey?: string;
  homeDir?: string;
}

class TerminalPrompter implements SshPrompter {
  /** The last unknown key that was refused, to explain how to accept it. */
  refused: HostKeyQuestion | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly acceptHostKey: string | undefined,
  ) {}

  async askHostKey(info: HostKeyQuestion): Promise<HostKeyDecision> {
    if (this.acceptHostKey !== undefined) {
      if (this.acceptHostKey === info.fingerprint) return 'remember';
      this.refused = info;
      return 'reject';
    }
    if (!this.terminal.interactive) {
      this.refused = info;
      return 'reject';
    }
    const where = info.port === 22 ? info.host : `[${info.host}]:${info.port}`;
    this.terminal.err(
      `The host key of ${where} is not known yet.\n${info.keyType} key fingerprint is ${info.fingerprint}.\n` +
        'Compare it with the host\'s own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host).\n',
    );
    const answer = (await this.terminal.ask('Accept and remember it (yes), accept this once (once), or refuse (no)? ')).trim().toLowerCase();
    if (answer === 'yes' || answer === 'y') return 'remember';
    if (answer === 'once') return 'once';
    this.refused = info;
    return 'reject';
  }

  async askSecret(request: SecretRequest): Promise<SecretAnswer> {
    if (!this.terminal.interactive) return { secret: null, remember: false };
    const secret = await this.terminal.askSecret(`${request.message.replace(/:?\s*$/, '')}: `);
    return { secret, remember: false };
  }
}

export async function openHost(host: StoredHost, options: ConnectOptions): Promise<OpenedHost> {
  if (host.demo) {
    const driver = await createDriver(createDemoExecutor(), { user: 'root' });
    return { driver, demo: true, close: () => undefined };
  }
  const homeDir = options.homeDir ?? os.homedir();
  const knownHosts = new KnownHosts({
    readOnlyFiles: [path.join(homeDir, '.ssh', 'known_hosts'), path.join(homeDir, '.ssh', 'known_hosts2')],
    storeFile: path.join(hearthHome(), 'known_hosts'),
  });
  const prompter = new TerminalPrompter(options.terminal, options.acceptHostKey);
  const target = targetFor(host, homeDir);
  const connection = new SshConnection({ target, prompter, secrets: new InMemorySecretStore(), knownHosts, homeDir });
  try {
    await connection.connect();
    const driver = await createDriver(connection, { user: target.user });
    return { driver, demo: false, close: () => connection.close() };
  } catch (error) {
    connection.close();
    const refused = prompter.refused;
    if (refused && options.acceptHostKey !== undefined) {
      throw new UserError(
        `The host key of ${refused.host}:${refused.port} is ${refused.keyType} ${refused.fingerprint}, not the ${options.acceptHostKey} given with --accept-host-key, so Hearth did not connect. ` +
          'Check which one is right before accepting any.',
        'host-key-unknown',
      );
    }
    if (refused) {
      const hostArg = `--host ${quoteForHelp(host.name)}`;
      throw new UserError(
        `The host key of ${refused.host}:${refused.port} is not known yet (${refused.keyType} ${refused.fingerprint}), so Hearth did not connect. ` +
          `Check that fingerprint against the host's own key, then accept it: run the command again in a terminal and answer "yes", ` +
          `or add --accept-host-key ${refused.fingerprint} (e.g. hearth info ${hostArg} --accept-host-key ${refused.fingerprint}).`,
        'host-key-unknown',
      );
    }
    throw error;
  }
}

function quoteForHelp(name: string): string {
  return /^[A-Za-z0-9_.@:-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}
