// The right pane for a domain: header with its state and actions, then tabs.
import { useEffect, useState } from 'react';
import type { DomainAction, DomainView } from '../../../common/model/index';
import { useT, type MessageKey } from '../../i18n/index';
import { operationKey, useDomains, watchDomains, type DomainOperation } from '../../state/domains';
import { useHosts } from '../../state/hosts';
import { useSelection, type DomainTab } from '../../state/selection';
import { useTasks } from '../../state/tasks';
import { StateDot } from '../../ui/StateDot';
import { ProgressBar } from '../../ui/Meter';
import { DemoBanner } from '../hosts/HostPage';
import { domainTone, formatCpuTime, formatMiB, isLive } from '../format';
import { ConfigTab } from './ConfigTab';
import { ConsoleTab } from '../consoles/ConsoleTab';
import { DomainPerformance } from '../charts/DomainPerformance';
import { ForceOffDialog, RenameDialog, SaveDialog } from './ActionDialogs';

const operationLabel: Record<DomainOperation, MessageKey> = {
  start: 'action.start',
  shutdown: 'action.shutdown',
  reboot: 'action.reboot',
  pause: 'action.pause',
  unpause: 'action.unpause',
  destroy: 'action.destroy',
  rename: 'action.rename',
  save: 'action.save',
  restore: 'restoreFile.confirm',
  autostart: 'action.autostart',
};

export function DomainPage({ hostId, name }: { hostId: string; name: string }) {
  const t = useT();
  const host = useHosts((s) => s.byId[hostId]);
  const domain = useDomains((s) => s.byHost[hostId]?.find((d) => d.name === name));
  const tab = useSelection((s) => s.domainTab);
  const setTab = useSelection((s) => s.setDomainTab);

  useEffect(() => watchDomains(hostId), [hostId]);

  if (!host) return null;
  if (!domain) {
    return (
      <section className="page" data-testid="domain-page">
        {host.demo && <DemoBanner />}
        <p className="muted" data-testid="domain-missing">
          {t('domain.notFound', { name })}
        </p>
      </section>
    );
  }

  const tabs: { key: DomainTab; label: MessageKey }[] = [
    { key: 'overview', label: 'domain.tab.overview' },
    { key: 'config', label: 'domain.tab.config' },
    { key: 'performance', label: 'domain.tab.performance' },
    { key: 'console', label: 'domain.tab.console' },
  ];

  const onTabKey = (event: React.KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = tabs.findIndex((x) => x.key === tab);
    const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    setTab(next.key);
    document.getElementById(`tab-${next.key}`)?.focus();
  };

  return (
    <section className="page" data-testid="domain-page" data-domain={domain.name} data-state={domain.state}>
      {host.demo && <DemoBanner />}
      <header className="page-head">
        <div className="page-title">
          <h1>
            <StateDot tone={domainTone(domain.state)} label={t(`domainState.${domain.state}`)} />
            {domain.name}
          </h1>
          <div className="muted">
            <span data-testid="domain-state" data-state={domain.state}>
              {t(`domainState.${domain.state}`)}
            </span>{' '}
            · {host.name}
            {host.demo && <span className="badge badge-demo">{t('common.simulation')}</span>}
          </div>
        </div>
      </header>
      <DomainActions hostId={hostId} domain={domain} />
      <div className="tabs" role="tablist" aria-label={t('domain.tabs')} onKeyDown={onTabKey}>
        {tabs.map((x) => (
          <button
            key={x.key}
            id={`tab-${x.key}`}
            type="button"
            role="tab"
            aria-selected={tab === x.key}
            aria-controls={`panel-${x.key}`}
            tabIndex={tab === x.key ? 0 : -1}
            data-testid={`tab-${x.key}`}
            onClick={() => setTab(x.key)}
          >
            {t(x.label)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'overview' ? (
          <DomainOverview domain={domain} />
        ) : tab === 'performance' ? (
          <DomainPerformance hostId={hostId} name={domain.name} />
        ) : tab === 'console' ? (
          host.demo ? (
            <p className="muted" data-testid="console-demo">
              {t('domain.consoleDemo')}
            </p>
          ) : (
            <ConsoleTab key={`${hostId}\n${domain.name}`} hostId={hostId} domain={domain} />
          )
        ) : (
          <ConfigTab key={`${hostId}\n${domain.name}`} hostId={hostId} domain={domain} />
        )}
      </div>
    </section>
  );
}

function DomainOverview({ domain }: { domain: DomainView }) {
  const t = useT();
  return (
    <dl className="facts facts-grid" data-testid="domain-overview">
      <dt>{t('col.state')}</dt>
      <dd>{t(`domainState.${domain.state}`)}</dd>
      <dt>{t('col.id')}</dt>
      <dd>{domain.id ?? '—'}</dd>
      <dt>{t('col.type')}</dt>
      <dd>{t(`domainType.${domain.type}`)}</dd>
      <dt>{t('col.memory')}</dt>
      <dd>{formatMiB(t, domain.memoryMiB)}</dd>
      <dt>{t('col.vcpus')}</dt>
      <dd>{domain.vcpus ?? '—'}</dd>
      <dt>{t('col.cpuTime')}</dt>
      <dd>{formatCpuTime(domain.cpuSeconds)}</dd>
      <dt>{t('col.autostart')}</dt>
      <dd>{domain.autostart ? t('common.yes') : t('common.no')}</dd>
      <dt>{t('domain.configFile')}</dt>
      <dd className="mono">{domain.configPath ?? t('domain.noConfigFile')}</dd>
    </dl>
  );
}

type OpenDialog = null | 'destroy' | 'rename' | 'save';

function DomainActions({ hostId, domain }: { hostId: string; domain: DomainView }) {
  const t = useT();
  const status = useDomains((s) => s.operations[operationKey(hostId, domain.name)]);
  const task = useTasks((s) => (status?.taskId ? s.byId[status.taskId] : undefined));
  const [dialog, setDialog] = useState<OpenDialog>(null);

  const busy = !!status && !status.error && !status.done && (!status.taskId || !task || task.state === 'running');
  const live = isLive(domain.state);
  const isDom0 = domain.id === 0;
  const running = domain.state === 'running' || domain.state === 'blocked';
  const paused = domain.state === 'paused';

  const act = (action: DomainAction) => {
    useDomains
      .getState()
      .act(hostId, domain.name, action)
      .catch(() => undefined);
  };

  const button = (op: DomainOperation, enabled: boolean, onClick: () => void, className?: string) => {
    const mine = busy && status?.operation === op;
    return (
      <button
        type="button"
        className={[className, mine ? 'busy' : ''].filter(Boolean).join(' ') || undefined}
        data-testid={`action-${op}`}
        disabled={!enabled || busy || isDom0}
        aria-busy={mine || undefined}
        onClick={onClick}
      >
        {mine && <span className="spinner" aria-hidden="true" />}
        {t(operationLabel[op])}
      </button>
    );
  };

  let result: { text: string; tone: 'info' | 'ok' | 'bad' } | null = null;
  if (status && status.operation !== 'autostart') {
    const action = t(operationLabel[status.operation]);
    if (status.error) result = { text: t('action.result.failed', { action, error: status.error }), tone: 'bad' };
    else if (!task || task.state === 'running') result = { text: t('action.result.running', { action }), tone: 'info' };
    else if (task.state === 'succeeded') result = { text: t('action.result.succeeded', { action }), tone: 'ok' };
    else if (task.state === 'failed')
      result = { text: t('action.result.failed', { action, error: task.error ?? t('common.unknown') }), tone: 'bad' };
    else result = { text: t('action.result.cancelled', { action }), tone: 'info' };
  } else if (status?.error) {
    result = { text: t('action.result.failed', { action: t('action.autostart'), error: status.error }), tone: 'bad' };
  }

  return (
    <div className="actions">
      <div className="button-row" role="toolbar" aria-label={domain.name}>
        {button('start', !live, () => act('start'), 'primary')}
        {button('shutdown', running || paused, () => act('shutdown'))}
        {button('reboot', running, () => act('reboot'))}
        {paused ? button('unpause', true, () => act('unpause')) : button('pause', running, () => act('pause'))}
        {button('destroy', live, () => setDialog('destroy'), 'danger-outline')}
        {button('rename', live, () => setDialog('rename'))}
        {button('save', running || paused, () => setDialog('save'))}
        <label className="check toggle" title={domain.configPath ? undefined : t('domain.autostartNeedsConfig')}>
          <input
            type="checkbox"
            data-testid="action-autostart"
            checked={domain.autostart}
            disabled={!domain.configPath || isDom0 || (busy && status?.operation === 'autostart')}
            onChange={(e) => void useDomains.getState().setAutostart(hostId, domain, e.target.checked)}
          />
          {t('action.autostart')}
        </label>
      </div>
      {result && (
        <div className={`result result-${result.tone}`} role="status" data-testid="action-result" data-tone={result.tone}>
          {result.text}
          {task && task.state === 'running' && <ProgressBar value={task.progress} label={task.title} />}
        </div>
      )}
      {dialog === 'destroy' && <ForceOffDialog hostId={hostId} name={domain.name} onClose={() => setDialog(null)} />}
      {dialog === 'rename' && <RenameDialog hostId={hostId} name={domain.name} onClose={() => setDialog(null)} />}
      {dialog === 'save' && <SaveDialog hostId={hostId} name={domain.name} onClose={() => setDialog(null)} />}
    </div>
  );
}
