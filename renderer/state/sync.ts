// Feeds main's events into the stores and reloads everything when the link comes back.
import { api, link } from '../api/transport';
import { renewWatches, retryWatch, useDomains } from './domains';
import { useHosts } from './hosts';
import { useSelection } from './selection';
import { useTasks } from './tasks';

async function loadAll(): Promise<void> {
  await useHosts.getState().load();
  const { byId } = useHosts.getState();
  for (const host of Object.values(byId)) {
    if (host.state === 'connected') void useDomains.getState().refresh(host.id);
  }
  try {
    useTasks.getState().replaceAll(await api.call('tasks.list'));
  } catch {
    // The drawer fills from events as tasks change.
  }
}

let started = false;

export function startSync(): void {
  if (started) return;
  started = true;

  api.on('hosts.changed', (host) => {
    const before = useHosts.getState().byId[host.id];
    useHosts.getState().upsert(host);
    if (host.state === 'connected' && before?.state !== 'connected') {
      retryWatch(host.id);
      void useDomains.getState().refresh(host.id);
    }
  });
  api.on('hosts.removed', ({ id }) => {
    useHosts.getState().drop(id);
    useDomains.getState().forget(id);
    const { selection, select } = useSelection.getState();
    if (selection.kind !== 'none' && selection.hostId === id) select({ kind: 'none' });
  });
  api.on('hosts.hostKeyPrompt', (prompt) => useHosts.getState().pushHostKeyPrompt(prompt));
  api.on('hosts.secretPrompt', (prompt) => useHosts.getState().pushSecretPrompt(prompt));
  api.on('domains.changed', ({ hostId, domains }) => useDomains.getState().setDomains(hostId, domains));
  api.on('tasks.changed', (task) => useTasks.getState().upsert(task));

  link.onReopen(() => {
    void loadAll().then(renewWatches);
  });
  void loadAll();
}
