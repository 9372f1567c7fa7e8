// The product's own SSH connection (main/ssh SshConnection) to a lab host, the way lab suites
// and benchmarks use it: root's key from host.json, the host key checked against the lab's
// known_hosts (an unknown or changed key is refused, never asked about), no agent, no password.
// Kept apart from harness.ts, which needs only node built-ins.
import { join } from 'node:path';
import { InMemorySecretStore, KnownHosts, SshConnection, type SshPrompter } from '../../main/ssh';
import type { HostInfo } from './harness';

/** Says no to every question: a lab host is known in advance and logs in by key. */
export const refusingPrompter: SshPrompter = {
  askHostKey: async () => 'reject',
  askSecret: async () => ({ secret: null, remember: false }),
};

/**
 * A connection to the lab host described by `host` (labUp's result). `workDir` is a folder the
 * caller owns and removes: the connection's home, where its own known_hosts store is written.
 * Nothing is opened until the first command; the caller closes it.
 */
export function labConnection(host: HostInfo, workDir: string): SshConnection {
  return new SshConnection({
    target: { host: host.address, port: host.port, user: host.user, identityFiles: [host.identityFile], proxyJump: [], alias: host.name },
    prompter: refusingPrompter,
    secrets: new InMemorySecretStore(),
    knownHosts: new KnownHosts({ readOnlyFiles: [host.knownHostsFile], storeFile: join(workDir, 'known_hosts') }),
    homeDir: workDir,
    agentSocket: null,
  });
}
