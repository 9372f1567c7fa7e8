// A real OpenSSH server for the tests: Debian's /usr/sbin/sshd on a free 127.0.0.1 port, with a
// throwaway host key, a throwaway user key and a generated sshd_config, all in a temp dir.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD_PATH = '/usr/sbin/sshd';
export const TEST_USER = 'hearth-ssh-test';

export interface SshdOptions {
  publicKey?: boolean;
  password?: boolean;
  keyboardInteractive?: boolean;
  /** Allow ProxyJump through this server (direct-tcpip). */
  tcpForwarding?: boolean;
  /** Also serve an RSA host key (after the ed25519 one), as many real hosts do. */
  rsaHostKey?: boolean;
}

export interface Sshd {
  port: number;
  dir: string;
  hostKeyPath: string;
  userKeyPath: string;
  user: string;
  /** The test user's password, when password logins can be set up (root only). */
  password: string | null;
  knownHostsLine: string;
  /** The RSA host key's known_hosts line, when started with rsaHostKey. */
  rsaKnownHostsLine: string | null;
  /** Why password / keyboard-interactive tests cannot run here, or null when they can. */
  passwordSkipReason: string | null;
  /** Everything sshd logged (-e) since it first started. */
  log(): string;
  /** How many logins sshd accepted since it first started. */
  acceptedLogins(): number;
  /** Add an OpenSSH public key line to the test user's authorized keys. */
  authorize(publicKeyLine: string): void;
  /** Stop, then start again on the same port (optionally with a new host key or other auth options). */
  restart(options?: SshdOptions & { newHostKey?: boolean }): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function keygen(path: string, type = 'ed25519', passphrase = ''): string {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', 'hearth-test', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** Make a key pair with ssh-keygen; returns the public key line. */
export function generateKey(path: string, options: { type?: string; passphrase?: string } = {}): string {
  return keygen(path, options.type, options.passphrase);
}

function ensureTestUser(): { password: string } {
  const password = 'Hearth-test-pw-7f3a';
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-m', '-s', '/bin/bash', TEST_USER]);
  }
  // chpasswd fails at once (and the write to it with EPIPE) while another process holds the
  // shadow file's lock: try again a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('chpasswd', { input: `${TEST_USER}:${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      execFileSync('sleep', ['1']);
    }
  }
  return { password };
}

/** Every process descending from pid (sshd forks one per connection). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(name));
      children.set(parent, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const child of children.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

export async function startSshd(initial: SshdOptions = {}): Promise<Sshd> {
  const root = isRoot();
  const dir = mkdtempSync(join(tmpdir(), 'hearth-sshd-'));
  // The test user must be able to read its authorized_keys here.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  const userKeyPath = join(dir, 'id_ed25519');
  const authorizedKeys = join(dir, 'authorized_keys');
  let hostPublic = keygen(hostKeyPath);
  const rsaHostKeyPath = join(dir, 'ssh_host_rsa_key');
  const rsaPublic = initial.rsaHostKey ? keygen(rsaHostKeyPath, 'rsa') : null;
  const userPublic = keygen(userKeyPath);
  writeFileSync(authorizedKeys, `${userPublic}\n`, { mode: 0o644 });
  chmodSync(authorizedKeys, 0o644);

  const user = root ? TEST_USER : userInfo().username;
  const password = root ? ensureTestUser().password : null;
  const passwordSkipReason = root ? null : 'password and keyboard-interactive logins need a local test user, which only root can create';
  if (root) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let options: SshdOptions = { publicKey: true, tcpForwarding: true, ...initial };
  let child: ChildProcess | null = null;
  let logText = '';

  const writeConfig = () => {
    const usePam = root && (options.password || options.keyboardInteractive);
    const lines = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyPath}`,
      ...(rsaPublic ? [`HostKey ${rsaHostKeyPath}`] : []),
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'StrictModes no',
      `UsePAM ${usePam ? 'yes' : 'no'}`,
      `PubkeyAuthentication ${options.publicKey === false ? 'no' : 'yes'}`,
      `PasswordAuthentication ${options.password ? 'yes' : 'no'}`,
      `KbdInteractiveAuthentication ${options.keyboardInteractive ? 'yes' : 'no'}`,
      `AllowTcpForwarding ${options.tcpForwarding === false ? 'no' : 'yes'}`,
      'PermitRootLogin no',
      `AllowUsers ${user}`,
      'LogLevel VERBOSE',
      'MaxSessions 10',
      'MaxStartups 50',
    ];
    writeFileSync(join(dir, 'sshd_config'), `${lines.join('\n')}\n`);
  };

  const start = async () => {
    writeConfig();
    const proc = spawn(SSHD_PATH, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${logText}`)), 10_000);
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', (chunk: string) => {
        logText += chunk;
        if (logText.includes(`Server listening on 127.0.0.1 port ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited with ${code}:\n${logText}`));
      });
    });
  };

  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    // A host going down takes its open sessions with it: kill the per-connection children too.
    for (const pid of descendants(proc.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();

  return {
    port,
    dir,
    hostKeyPath,
    userKeyPath,
    user,
    password,
    passwordSkipReason,
    get knownHostsLine() {
      return `[127.0.0.1]:${port} ${hostPublic.split(' ').slice(0, 2).join(' ')}`;
    },
    rsaKnownHostsLine: rsaPublic ? `[127.0.0.1]:${port} ${rsaPublic.split(' ').slice(0, 2).join(' ')}` : null,
    log: () => logText,
    acceptedLogins: () => (logText.match(/^Accepted (publickey|password|keyboard-interactive\S*) for /gm) ?? []).length,
    authorize: (line) => appendFileSync(authorizedKeys, `${line.trim()}\n`),
    restart: async (next = {}) => {
      await stop();
      const { newHostKey, ...rest } = next;
      options = { ...options, ...rest };
      if (newHostKey) hostPublic = keygen(hostKeyPath);
      await start();
    },
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
