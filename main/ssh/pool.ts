// One connection per user@host:port, shared by everyone who needs that host, and closed a
// little after the last one lets go (so a quick re-open does not pay for a new handshake).

import type { SshTarget } from './config';
import { type JumpLease, SshConnection, type SshConnectionOptions } from './connection';

export type SshPoolOptions = Omit<SshConnectionOptions, 'target' | 'openJump'> & {
  /** How long an unused connection stays open. */
  graceMs?: number;
};

export interface SshLease {
  readonly connection: SshConnection;
  /** Give the connection back; calling it twice is harmless. */
  release(): void;
}

interface PoolEntry {
  connection: SshConnection;
  users: number;
  closeTimer: NodeJS.Timeout | null;
}

export function poolKey(target: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  return `${target.user}@${target.host}:${target.port}`;
}

export class SshPool {
  private readonly entries = new Map<string, PoolEntry>();
  private readonly graceMs: number;

  constructor(private readonly options: SshPoolOptions) {
    this.graceMs = options.graceMs ?? 5_000;
  }

  acquire(target: SshTarget): SshLease {
    const key = poolKey(target);
    let entry = this.entries.get(key);
    if (!entry) {
      const { graceMs: _graceMs, ...connectionOptions } = this.options;
      const connection = new SshConnection({
        ...connectionOptions,
        target,
        // Jump hosts come from the pool too, so two hosts behind one bastion share it.
        openJump: (jumpTarget): JumpLease => this.acquire(jumpTarget),
      });
      entry = { connection, users: 0, closeTimer: null };
      this.entries.set(key, entry);
    }
    if (entry.closeTimer) {
      clearTimeout(entry.closeTimer);
      entry.closeTimer = null;
    }
    entry.users++;
    const held = entry;
    let released = false;
    return {
      connection: held.connection,
      release: () => {
        if (released) return;
        released = true;
        this.release(key, held);
      },
    };
  }

  /** How many leases are held on a target's connection (0 when none is open). */
  users(target: Pick<SshTarget, 'user' | 'host' | 'port'>): number {
    return this.entries.get(poolKey(target))?.users ?? 0;
  }

  has(target: Pick<SshTarget, 'user' | 'host' | 'port'>): boolean {
    return this.entries.has(poolKey(target));
  }

  /** Close every connection now (application exit). */
  closeAll(): void {
    for (const [key, entry] of this.entries) {
      if (entry.closeTimer) clearTimeout(entry.closeTimer);
      this.entries.delete(key);
      entry.connection.close();
    }
  }

  private release(key: string, entry: PoolEntry): void {
    entry.users--;
    if (entry.users > 0 || this.entries.get(key) !== entry) return;
    entry.closeTimer = setTimeout(() => {
      if (entry.users > 0 || this.entries.get(key) !== entry) return;
      this.entries.delete(key);
      entry.connection.close();
    }, this.graceMs);
    entry.closeTimer.unref?.();
  }
}
