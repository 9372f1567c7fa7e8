// Helpers for suites that run against a real Xen 4.17 lab host (lab/up.sh): boot or resume a
// host, run commands in its Dom0 over the host's one ControlMaster connection, talk to a
// guest console, and stop the host. Only node built-ins.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LAB_DIR = path.join(REPO_DIR, 'lab');

/** lab/.run/NAME/host.json, written by lab/up.sh. */
export interface HostInfo {
  name: string;
  address: string;
  port: number;
  user: string;
  /** Private key (ed25519) that logs in as root. */
  identityFile: string;
  /** OpenSSH known_hosts with `[127.0.0.1]:PORT` entries for this host. */
  knownHostsFile: string;
  /** All lab hosts share one host key; the cache's known_hosts records it under this alias. */
  hostKeyAlias: string;
  /** `SHA256:...` of the ed25519 host key. */
  hostKeyFingerprint: string;
  /** `ssh -F sshConfigFile NAME` uses the host's ControlMaster connection. */
  sshConfigFile: string;
  controlPath: string;
  pidFile: string;
  qmpSocket: string;
  serialLog: string;
  imageKey: string;
  snapshotKey: string;
  resumed: boolean;
  startSeconds: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunOptions {
  /** Written to the command's standard input. */
  input?: string;
  timeoutMs?: number;
  /** Extra environment variables for the program (added to this process's). */
  env?: Record<string, string>;
}

export function labRunDir(): string {
  return process.env.HEARTH_LAB_RUN ?? path.join(LAB_DIR, '.run');
}

export function hostJsonPath(name: string): string {
  return path.join(labRunDir(), name, 'host.json');
}

export function readHostInfo(name: string): HostInfo {
  return JSON.parse(readFileSync(hostJsonPath(name), 'utf8')) as HostInfo;
}

/** Run a program; never throws for a non-zero exit (see `code`). */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ? { ...process.env, ...options.env } : process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
        }, options.timeoutMs)
      : null;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (timedOut) stderr += `\n[harness] timed out after ${options.timeoutMs} ms: ${command} ${args.join(' ')}`;
      resolve({ stdout, stderr, code: timedOut ? null : code });
    });
    // A program that exits without reading its input makes this write fail (EPIPE): that is
    // no failure of the run, whose exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Quote one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Boot (or resume from the ready snapshot) the lab host NAME with lab/up.sh and return its
 * host.json. Returns at once when the host is already up (whatever its CPU model).
 * `cpu`: QEMU's -cpu for a host that is not up yet (HEARTH_LAB_CPU; each model has its own
 * snapshot, so the first boot with a new one is a cold boot).
 */
export async function labUp(name = 'lab1', options: { timeoutMs?: number; cpu?: string } = {}): Promise<HostInfo> {
  const up: RunOptions = { timeoutMs: options.timeoutMs ?? 20 * 60_000, ...(options.cpu ? { env: { HEARTH_LAB_CPU: options.cpu } } : {}) };
  let r = await run('bash', [path.join(LAB_DIR, 'up.sh'), name], up);
  if (r.code !== 0 && /does not take new SSH connections/.test(r.stderr)) {
    // A host kept from an earlier run (HEARTH_KEEP_LAB) that went bad: start it afresh.
    console.log(`lab host ${name} was up but refused new connections; restarting it`);
    await labDown(name);
    r = await run('bash', [path.join(LAB_DIR, 'up.sh'), name], up);
  }
  if (r.code !== 0) {
    throw new Error(`lab/up.sh ${name} failed (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  }
  return readHostInfo(name);
}

/** Stop the lab host NAME (lab/down.sh) and remove its run folder. */
export async function labDown(name = 'lab1'): Promise<void> {
  const r = await run('bash', [path.join(LAB_DIR, 'down.sh'), name], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`lab/down.sh ${name} failed (exit ${r.code}):\n${r.stderr}`);
}

function sshArgs(name: string, extra: string[] = []): string[] {
  return ['-F', path.join(labRunDir(), name, 'ssh_config'), ...extra, name];
}

/**
 * Run a command in Dom0 of lab host NAME. Each element of `cmd` is one word, quoted for the
 * remote shell (use ['sh', '-c', script] or labShell for pipelines).
 */
export function labSsh(name: string, cmd: string[], options: RunOptions = {}): Promise<RunResult> {
  return run('ssh', [...sshArgs(name), '--', cmd.map(shellQuote).join(' ')], {
    timeoutMs: 180_000,
    ...options,
  });
}

/** Run a shell script (pipes, redirections, $vars) in Dom0 of lab host NAME. */
export function labShell(name: string, script: string, options: RunOptions = {}): Promise<RunResult> {
  return run('ssh', [...sshArgs(name), '--', script], { timeoutMs: 180_000, ...options });
}

/**
 * For idempotent read-only commands only: run once, and once more if the first run failed
 * (emulation is occasionally flaky, LAB.md pitfall 10). Never use it for a command that
 * changes state.
 */
export async function labRead(name: string, cmd: string[], options: RunOptions = {}): Promise<RunResult> {
  const first = await labSsh(name, cmd, options);
  if (first.code === 0) return first;
  return labSsh(name, cmd, options);
}

/** Like labSsh, but throws unless the exit code is 0; returns stdout. */
export async function labCheck(name: string, cmd: string[], options: RunOptions = {}): Promise<string> {
  const r = await labSsh(name, cmd, options);
  if (r.code !== 0) throw new Error(`${cmd.join(' ')} failed on ${name} (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A PTY session (`ssh -tt`) to a program on the host, e.g. `xl console DOMAIN`. */
export interface PtySession {
  /** Everything received so far. */
  readonly output: () => string;
  send(text: string): void;
  /** Wait until the output received after `from` (default: everything) matches `pattern`. */
  expect(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** Ctrl-] (leaves xl console), then end the ssh process. */
  close(): Promise<void>;
}

export function labPty(name: string, cmd: string[]): PtySession {
  const child = spawn('ssh', [...sshArgs(name, ['-tt']), '--', cmd.map(shellQuote).join(' ')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let closed = false;
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // Keys sent after the console ended fail with EPIPE; `closed` and the output say what happened.
  child.stdin.on('error', () => undefined);
  child.on('close', () => {
    closed = true;
    for (const w of waiters) w();
  });
  return {
    output: () => out,
    send(text: string) {
      child.stdin.write(text);
    },
    expect(pattern: RegExp, timeoutMs = 30_000, from = 0): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m) {
            done();
            resolve(m);
          } else if (closed) {
            done();
            reject(new Error(`session ended before ${pattern} appeared; output:\n${out.slice(-2000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out.slice(-2000)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        if (closed) return resolve();
        child.once('close', () => resolve());
        child.stdin.write('\x1d');
        child.stdin.end();
        setTimeout(() => child.kill('SIGTERM'), 5_000).unref();
      });
    },
  };
}

/** Parse `xl list` into rows. */
export interface XlListRow {
  name: string;
  id: number;
  memMiB: number;
  vcpus: number;
  state: string;
  timeSeconds: number;
}

export function parseXlList(text: string): XlListRow[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const f = line.split(/\s+/);
      // Name may contain no spaces in xl; the last five columns are fixed.
      const [timeSeconds, state, vcpus, mem, id] = f.slice(-5).reverse();
      return {
        name: f.slice(0, -5).join(' '),
        id: Number(id),
        memMiB: Number(mem),
        vcpus: Number(vcpus),
        state,
        timeSeconds: Number(timeSeconds),
      };
    });
}

/**
 * Start a lab guest from /etc/xen/NAME.cfg and leave it running, or fail. Under software
 * emulation `xl create` now and then leaves no running guest (LAB.md pitfall 10); each failed
 * attempt is logged, the leftover destroyed, and the create tried again, a few times at most.
 */
export async function ensureGuest(lab: string, name: string, options: { configArgs?: string[] } = {}): Promise<void> {
  // configArgs: `xl create` overrides such as 'vncpasswd="x"', one quoted word each.
  const extra = (options.configArgs ?? []).map(shellQuote).join(' ');
  for (let attempt = 0; attempt < 6; attempt++) {
    const r = await labShell(lab, `xl list ${name} >/dev/null 2>&1 || xl create /etc/xen/${name}.cfg ${extra}; xl list ${name} | tail -n +2`, { timeoutMs: 240_000 });
    const row = r.stdout.trim();
    if (!row) console.log(`xl create ${name} attempt ${attempt + 1} failed: ${r.stderr.slice(-300)}`);
    if (row && !/--p---|--ps--|---s--|----d-/.test(row.split(/\s+/).slice(-2, -1)[0] ?? '')) return;
    await labShell(lab, `xl destroy ${name} 2>/dev/null; true`, { timeoutMs: 60_000 });
  }
  throw new Error(`could not start ${name} on ${lab}`);
}

