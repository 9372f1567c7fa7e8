// How a stored host becomes a live connection: the built-in demo host's simulation, or SSH
// resolved the way `ssh` would (~/.ssh/config aliases, ProxyJump), checked against known_hosts.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KnownHosts, SshConnection, resolveSshTarget, type SecretStore, type SshTarget } from '../ssh/index';
import type { StoredHost } from './host-store';
import type { HostConnection, HostOpener, HostQuestions } from './hosts';
import type { Executor } from '../toolstack/executor';

export interface SshOpenerOptions {
  secrets: SecretStore;
  /** Hearth's own known_hosts store (the user's ~/.ssh/known_hosts is read, never written). */
  knownHostsStore: string;
  homeDir?: string;
  /** The simulated Dom0 for the demo host. */
  demo: () => Executor;
}

/** The SSH target for a stored host: its alias resolved through ~/.ssh/config, then what the user typed. */
export function targetFor(host: StoredHost, homeDir: string): SshTarget {
  const configFile = path.join(homeDir, '.ssh', 'config');
  const configText = existsSync(configFile) ? readFileSync(configFile, 'utf8') : '';
  const resolved = resolveSshTarget(host.sshAlias ?? host.address ?? host.name, {
    configText,
    homeDir,
    defaultUser: host.user ?? 'root',
    readFile: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
  });
  return {
    ...resolved,
    port: host.port ?? resolved.port,
    user: host.user ?? resolved.user,
    identityFiles: host.identityFile ? [host.identityFile] : resolved.identityFiles,
  };
}

export function createOpener(options: SshOpenerOptions): HostOpener {
  const homeDir = options.homeDir ?? os.homedir();
  const knownHosts = new KnownHosts({
    readOnlyFiles: [path.join(homeDir, '.ssh', 'known_hosts'), path.join(homeDir, '.ssh', 'known_hosts2')],
    storeFile: options.knownHostsStore,
  });
  return {
    async open(host: StoredHost, questions: HostQuestions): Promise<HostConnection> {
      if (host.demo) {
        return { executor: options.demo(), onState: () => () => undefined, close: async () => undefined };
      }
      const connection = new SshConnection({ target: targetFor(host, homeDir), prompter: questions, secrets: options.secrets, knownHosts, homeDir });
      await connection.connect();
      return {
        executor: connection,
        onState: (listener) => connection.onStateChange((change) => listener(change.state, change.error?.message)),
        close: async () => connection.close(),
      };
    },
  };
}
