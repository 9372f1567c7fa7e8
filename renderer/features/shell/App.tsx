// The window: hosts on the left, the selection on the right, tasks at the bottom.
import { useEffect } from 'react';
import { useT } from '../../i18n/index';
import { useDialogs } from '../../state/dialogs';
import { useHosts } from '../../state/hosts';
import { useSelection } from '../../state/selection';
import { DomainPage } from '../domains/DomainPage';
import { EmptyState } from '../hosts/EmptyState';
import { HostDialog } from '../hosts/HostDialog';
import { HostPage } from '../hosts/HostPage';
import { LocalTerminalPage } from '../consoles/LocalTerminal';
import { Sidebar } from '../hosts/Sidebar';
import { Prompts } from '../prompts/Prompts';
import { SettingsDialog } from '../settings/SettingsDialog';
import { TaskDrawer } from '../tasks/TaskDrawer';
import { LinkBanner } from './LinkBanner';

export function App() {
  const t = useT();
  const loaded = useHosts((s) => s.loaded);
  const loadError = useHosts((s) => s.loadError);
  const hostCount = useHosts((s) => s.order.length);
  const firstHost = useHosts((s) => s.order[0]);
  const selection = useSelection((s) => s.selection);
  // A local shell (a terminal with no host) needs no host at all.
  const selectedHostExists = useHosts((s) => selection.kind === 'none' || selection.hostId === null || selection.hostId in s.byId);
  const select = useSelection((s) => s.select);
  const openSettings = useDialogs((s) => s.setSettingsOpen);

  // With hosts and nothing chosen yet, show the first one rather than a blank pane.
  // A host that went away (removed elsewhere, or main restarted without it) cannot stay selected.
  useEffect(() => {
    if (!loaded) return;
    if (selection.kind === 'none' || !selectedHostExists) select(firstHost ? { kind: 'host', hostId: firstHost } : { kind: 'none' });
  }, [loaded, selection.kind, selectedHostExists, firstHost, select]);

  let main;
  if (!loaded) main = <p className="muted pad">{loadError ?? t('common.loading')}</p>;
  else if (selection.kind === 'terminal') main = <LocalTerminalPage key={selection.hostId ?? ''} hostId={selection.hostId} />;
  else if (hostCount === 0) main = <EmptyState />;
  else if (selection.kind === 'host') main = <HostPage key={selection.hostId} hostId={selection.hostId} />;
  else if (selection.kind === 'domain')
    main = <DomainPage key={`${selection.hostId}\n${selection.name}`} hostId={selection.hostId} name={selection.name} />;
  else main = <p className="muted pad">{t('empty.select')}</p>;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">{t('app.title')}</span>
        <button type="button" className="small" data-testid="settings-button" onClick={() => openSettings(true)}>
          {t('app.settings')}
        </button>
      </header>
      <LinkBanner />
      <div className="body">
        <Sidebar />
        <main className="main" data-testid="main-pane">
          {main}
        </main>
      </div>
      <TaskDrawer />
      <HostDialog />
      <SettingsDialog />
      <Prompts />
    </div>
  );
}
