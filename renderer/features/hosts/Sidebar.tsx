// Left column: every host with its connection state and, under it, its domains.
import { useShallow } from 'zustand/react/shallow';
import type { HostView } from '../../../common/model/index';
import { useT } from '../../i18n/index';
import { useDialogs } from '../../state/dialogs';
import { useDomains } from '../../state/domains';
import { useHosts } from '../../state/hosts';
import { useSelection } from '../../state/selection';
import { StateDot } from '../../ui/StateDot';
import { Sparkline } from '../charts/Sparkline';
import { useConsoleT } from '../consoles/strings';
import { domainTone, hostTone } from '../format';

export function Sidebar() {
  const t = useT();
  const order = useHosts((s) => s.order);
  const openHostDialog = useDialogs((s) => s.openHostDialog);
  return (
    <nav className="sidebar" aria-label={t('sidebar.label')} data-testid="sidebar">
      <div className="sidebar-head">
        <h2>{t('sidebar.hosts')}</h2>
        <button type="button" className="small" data-testid="sidebar-add-host" onClick={() => openHostDialog({ mode: 'add' })}>
          + {t('sidebar.addHost')}
        </button>
      </div>
      <ul className="tree">
        {order.map((id) => (
          <HostItem key={id} hostId={id} />
        ))}
      </ul>
      <ThisComputer />
    </nav>
  );
}

/** What runs on the admin's own machine: a local terminal. */
function ThisComputer() {
  const t = useConsoleT();
  const selected = useSelection((s) => s.selection.kind === 'terminal' && s.selection.hostId === null);
  const select = useSelection((s) => s.select);
  return (
    <>
      <div className="sidebar-head">
        <h2>{t('thisComputer')}</h2>
      </div>
      <ul className="tree">
        <li>
          <button
            type="button"
            className={selected ? 'tree-item selected' : 'tree-item'}
            aria-current={selected ? 'page' : undefined}
            data-testid="sidebar-local-terminal"
            onClick={() => select({ kind: 'terminal', hostId: null })}
          >
            <span className="tree-label">{t('localTerminal')}</span>
          </button>
        </li>
      </ul>
    </>
  );
}

function HostItem({ hostId }: { hostId: string }) {
  const t = useT();
  const host = useHosts((s) => s.byId[hostId]) as HostView | undefined;
  const domains = useDomains((s) => s.byHost[hostId]);
  const { selection, select } = useSelection(useShallow((s) => ({ selection: s.selection, select: s.select })));
  if (!host) return null;
  const hostSelected = selection.kind === 'host' && selection.hostId === hostId;
  return (
    <li data-testid={`host-tree-${host.name}`} data-host-id={host.id}>
      <button
        type="button"
        className={hostSelected ? 'tree-item host-item selected' : 'tree-item host-item'}
        aria-current={hostSelected ? 'page' : undefined}
        data-testid={`host-item-${host.name}`}
        data-host-id={host.id}
        data-state={host.state}
        onClick={() => select({ kind: 'host', hostId })}
      >
        <StateDot tone={hostTone(host.state)} label={t(`state.${host.state}`)} />
        <span className="tree-label">{host.name}</span>
        {host.demo && (
          <span className="badge badge-demo" data-testid="demo-badge">
            {t('common.simulation')}
          </span>
        )}
      </button>
      {domains && domains.length > 0 && (
        <ul>
          {domains.map((d) => {
            const selected = selection.kind === 'domain' && selection.hostId === hostId && selection.name === d.name;
            return (
              <li key={d.name}>
                <button
                  type="button"
                  className={selected ? 'tree-item domain-item selected' : 'tree-item domain-item'}
                  aria-current={selected ? 'page' : undefined}
                  data-testid={`sidebar-domain-${d.name}`}
                  data-state={d.state}
                  onClick={() => select({ kind: 'domain', hostId, name: d.name })}
                >
                  <StateDot tone={domainTone(d.state)} label={t(`domainState.${d.state}`)} />
                  <span className="tree-label">{d.name}</span>
                  {d.id !== null && <Sparkline hostId={hostId} name={d.name} />}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}
