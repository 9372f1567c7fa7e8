// Domains per host. A visible host or domain page holds a watch (live domains.changed events
// from main); the sidebar's lists come from the same events or a one-off domains.list.
import { create } from 'zustand';
import type { DomainAction, DomainView } from '../../common/model/index';
import { api } from '../api/transport';
import { showTask, useTasks } from './tasks';

export type DomainOperation = DomainAction | 'rename' | 'save' | 'restore' | 'autostart';

export interface OperationStatus {
  operation: DomainOperation;
  /** Set once main answered with a task. */
  taskId?: string;
  /** A call that failed before any task existed (refused arguments, host gone). */
  error?: string;
  /** Autostart answers without a task: done when true. */
  done?: boolean;
}

interface DomainsStore {
  byHost: Record<string, DomainView[]>;
  errors: Record<string, string | undefined>;
  /** Keyed by `${hostId}\n${name}`: the last operation started on that domain from here. */
  operations: Record<string, OperationStatus>;
  setDomains(hostId: string, domains: DomainView[]): void;
  refresh(hostId: string): Promise<void>;
  forget(hostId: string): void;
  act(hostId: string, name: string, action: DomainAction, confirmName?: string): Promise<void>;
  rename(hostId: string, name: string, newName: string): Promise<void>;
  save(hostId: string, name: string, path: string): Promise<void>;
  /** Restore a saved domain; its name is only known once restored, so the status is the file's. */
  restore(hostId: string, path: string): Promise<void>;
  setAutostart(hostId: string, domain: DomainView, on: boolean): Promise<void>;
}

export const operationKey = (hostId: string, name: string) => `${hostId}\n${name}`;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useDomains = create<DomainsStore>((set, get) => {
  const begin = (hostId: string, name: string, operation: DomainOperation) =>
    set((s) => ({ operations: { ...s.operations, [operationKey(hostId, name)]: { operation } } }));
  const finish = (hostId: string, name: string, status: OperationStatus) =>
    set((s) => ({ operations: { ...s.operations, [operationKey(hostId, name)]: status } }));

  const runTask = async (
    hostId: string,
    name: string,
    operation: DomainOperation,
    call: () => Promise<import('../../common/model/index').TaskView>,
  ) => {
    begin(hostId, name, operation);
    try {
      const task = await call();
      showTask(task);
      finish(hostId, name, { operation, taskId: task.id });
    } catch (error) {
      finish(hostId, name, { operation, error: message(error) });
      throw error;
    }
  };

  return {
    byHost: {},
    errors: {},
    operations: {},
    setDomains(hostId, domains) {
      set((s) => ({ byHost: { ...s.byHost, [hostId]: domains }, errors: { ...s.errors, [hostId]: undefined } }));
    },
    async refresh(hostId) {
      try {
        get().setDomains(hostId, await api.call('domains.list', hostId));
      } catch (error) {
        set((s) => ({ errors: { ...s.errors, [hostId]: message(error) } }));
      }
    },
    forget(hostId) {
      set((s) => {
        const byHost = { ...s.byHost };
        delete byHost[hostId];
        return { byHost };
      });
    },
    act: (hostId, name, action, confirmName) =>
      runTask(hostId, name, action, () =>
        api.call('domains.act', hostId, name, action, confirmName === undefined ? {} : { confirmName }),
      ),
    rename: (hostId, name, newName) => runTask(hostId, name, 'rename', () => api.call('domains.rename', hostId, name, newName)),
    save: (hostId, name, path) => runTask(hostId, name, 'save', () => api.call('domains.save', hostId, name, path)),
    restore: (hostId, path) => runTask(hostId, path, 'restore', () => api.call('domains.restore', hostId, path)),
    async setAutostart(hostId, domain, on) {
      if (!domain.configPath) return;
      begin(hostId, domain.name, 'autostart');
      try {
        await api.call('domains.setAutostart', hostId, domain.configPath, on);
        finish(hostId, domain.name, { operation: 'autostart', done: true });
        set((s) => ({
          byHost: {
            ...s.byHost,
            [hostId]: (s.byHost[hostId] ?? []).map((d) => (d.name === domain.name ? { ...d, autostart: on } : d)),
          },
        }));
      } catch (error) {
        finish(hostId, domain.name, { operation: 'autostart', error: message(error) });
      }
    },
  };
});

/** Whether an operation on this domain is still under way (no answer yet, or its task runs). */
export function isBusy(status: OperationStatus | undefined): boolean {
  if (!status) return false;
  if (status.error || status.done) return false;
  if (!status.taskId) return true;
  const task = useTasks.getState().byId[status.taskId];
  return !task || task.state === 'running';
}

// --- Watches: reference-counted per host, paused while the document is hidden. ---

const watchCounts = new Map<string, number>();
const activeWatches = new Set<string>();

function documentVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

async function startWatch(hostId: string): Promise<void> {
  if (activeWatches.has(hostId)) return;
  activeWatches.add(hostId);
  try {
    const domains = await api.call('domains.watch', hostId);
    if (activeWatches.has(hostId)) useDomains.getState().setDomains(hostId, domains);
  } catch (error) {
    activeWatches.delete(hostId);
    useDomains.setState((s) => ({ errors: { ...s.errors, [hostId]: message(error) } }));
  }
}

function stopWatch(hostId: string): void {
  if (!activeWatches.delete(hostId)) return;
  api.call('domains.unwatch', hostId).catch(() => undefined);
}

/** Hold a live watch on a host's domains; call the returned function to let go. */
export function watchDomains(hostId: string): () => void {
  const count = (watchCounts.get(hostId) ?? 0) + 1;
  watchCounts.set(hostId, count);
  if (count === 1 && documentVisible()) void startWatch(hostId);
  return () => {
    const left = (watchCounts.get(hostId) ?? 1) - 1;
    if (left > 0) {
      watchCounts.set(hostId, left);
      return;
    }
    watchCounts.delete(hostId);
    stopWatch(hostId);
  };
}

/** Main forgot our watches (it restarted or the link dropped): ask again. */
export function renewWatches(): void {
  activeWatches.clear();
  if (!documentVisible()) return;
  for (const hostId of watchCounts.keys()) void startWatch(hostId);
}

export function retryWatch(hostId: string): void {
  if (watchCounts.has(hostId) && documentVisible()) void startWatch(hostId);
}

if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      for (const hostId of [...activeWatches]) stopWatch(hostId);
    } else {
      for (const hostId of watchCounts.keys()) void startWatch(hostId);
    }
  });
}
