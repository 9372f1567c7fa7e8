// The right pane for a host: its state and connection actions, the overview, its domains.
import { useEffect, useState } from 'react';
import type { HostSummary, HostView } from '../../../common/model/index';
import { errorMessage } from '../../api/transport';
import { useT } from '../../i18n/index';
import { useDialogs } from '../../state/dialogs';
import { watchDomains } from '../../state/domains';
import { useHosts } from '../../state/hosts';
import { useSelection } from '../../state/selection';
import { Dialog } from '../../ui/Dialog';
import { Meter } from '../../ui/Meter';
import { StateDot } from '../../ui/StateDot';
import { DomainsTable } from '../domains/DomainsTable';
import { RestoreDialog } from '../domains/ActionDialogs';
import { HostPerformance } from '../charts/HostPerformance';
import { useConsoleT } from '../consoles/strings';
import { formatMiB, formatUptime, hostTone } from '../format';

export function DemoBanner() {
  const t = useT();
  return (
    <div className="banner banner-demo" role="note" data-testid="demo-banner">
      {t('demo.banner')}
    </div>
  );
}

export function hostAddress(host: HostView): string {
  if (host.sshAlias) return host.sshAlias;
  const user = host.user ? `${host.user}@` : '';
  const port = host.port && host.port !== 22 ? `:${host.port}` : '';
  return `${user}${host.address ?? ''}${port}`;
}

export function HostPage({ hostId }: { hostId: string }) {
  const t = useT();
  const tc = useConsoleT();
  const host = useHosts((s) => s.byId[hostId]);
  const select = useSelection((s) => s.select);
  const openHostDialog = useDialogs((s) => s.openHostDialog);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [restoring, setRestoring] = useState(false);

  useEffect(() => watchDomains(hostId), [hostId]);

  if (!host) return null;
  const connected = host.state === 'connected';
  const canConnect = host.state === 'disconnected' || host.state === 'lost';

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await work();
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page" data-testid="host-page" data-host-id={host.id}>
      {host.demo && <DemoBanner />}
      <header className="page-head">
        <div className="page-title">
          <h1>
            <StateDot tone={hostTone(host.state)} label={t(`state.${host.state}`)} />
            {host.name}
            {host.demo && <span className="badge badge-demo">{t('common.simulation')}</span>}
          </h1>
          <div className="muted">
            <span data-testid="host-state" data-state={host.state}>
              {t(`state.${host.state}`)}
            </span>
            {!host.demo && <> · {hostAddress(host)}</>}
          </div>
        </div>
        <div className="button-row">
          {canConnect ? (
            <button type="button" className="primary" data-testid="host-connect" disabled={busy} aria-busy={busy} onClick={() => run(() => useHosts.getState().connect(host.id))}>
              {t('host.connect')}
            </button>
          ) : (
            <button type="button" data-testid="host-disconnect" disabled={busy} aria-busy={busy} onClick={() => run(() => useHosts.getState().disconnect(host.id))}>
              {t('host.disconnect')}
            </button>
          )}
          {!host.demo && (
            <button type="button" data-testid="host-edit" onClick={() => openHostDialog({ mode: 'edit', hostId: host.id })}>
              {t('host.edit')}
            </button>
          )}
          {!host.demo && (
            // Not through Hearth's connection: the system ssh on this computer, for what ssh2 lacks.
            <button type="button" data-testid="host-open-system-ssh" onClick={() => select({ kind: 'terminal', hostId: host.id })}>
              {tc('openWithSsh')}
            </button>
          )}
          <button type="button" data-testid="host-restore" disabled={!connected} onClick={() => setRestoring(true)}>
            {t('host.restore')}
          </button>
          <button type="button" data-testid="host-remove" onClick={() => setConfirmRemove(true)}>
            {t('host.remove')}
          </button>
        </div>
      </header>
      {(host.error || actionError) && (
        <div className="banner banner-error" role="alert" data-testid="host-error">
          {actionError ?? host.error}
        </div>
      )}
      {connected && host.summary ? (
        <HostOverview summary={host.summary} />
      ) : (
        !connected && <p className="muted">{t('host.connectToSee')}</p>
      )}
      <h2 className="section-title">{t('host.domains')}</h2>
      <DomainsTable hostId={host.id} />
      {/* Kept through a dropped link, so live figures resume by themselves when it is back. */}
      {host.state !== 'disconnected' && <HostPerformance hostId={host.id} />}
      {confirmRemove && <RemoveHostDialog host={host} onClose={() => setConfirmRemove(false)} />}
      {restoring && <RestoreDialog hostId={host.id} onClose={() => setRestoring(false)} />}
    </section>
  );
}

function HostOverview({ summary }: { summary: HostSummary }) {
  const t = useT();
  const used = Math.max(0, summary.totalMemoryMiB - summary.freeMemoryMiB);
  return (
    <section aria-label={t('host.overview')} data-testid="host-overview">
      <dl className="facts facts-grid">
        <dt className="wide">{t('host.memory')}</dt>
        <dd className="wide" data-testid="host-memory">
          <Meter
            fraction={summary.totalMemoryMiB > 0 ? used / summary.totalMemoryMiB : 0}
            label={t('host.memoryUsage', {
              used: formatMiB(t, used),
              total: formatMiB(t, summary.totalMemoryMiB),
              free: formatMiB(t, summary.freeMemoryMiB),
            })}
          />
        </dd>
        <dt>{t('host.xenVersion')}</dt>
        <dd data-testid="host-xen-version">{summary.xenVersion}</dd>
        <dt>{t('host.toolstack')}</dt>
        <dd>{summary.toolstack}</dd>
        <dt>{t('host.hostname')}</dt>
        <dd>{summary.hostname}</dd>
        <dt>{t('host.cpus')}</dt>
        <dd>{summary.nrCpus}</dd>
        <dt>{t('host.hvm')}</dt>
        <dd>{summary.hvmCapable ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('host.scheduler')}</dt>
        <dd>{summary.scheduler}</dd>
        <dt>{t('host.uptime')}</dt>
        <dd>{formatUptime(t, summary.dom0UptimeSeconds)}</dd>
      </dl>
    </section>
  );
}

function RemoveHostDialog({ host, onClose }: { host: HostView; onClose: () => void }) {
  const t = useT();
  const select = useSelection((s) => s.select);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await useHosts.getState().remove(host.id);
      select({ kind: 'none' });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('host.removeTitle', { name: host.name })} testId="dialog-remove-host" onClose={onClose} busy={busy}>
      <p>{t('host.removeBody')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy} autoFocus>
          {t('common.cancel')}
        </button>
        <button type="button" className="danger" data-testid="remove-host-confirm" disabled={busy} aria-busy={busy} onClick={remove}>
          {t('host.removeConfirm')}
        </button>
      </div>
    </Dialog>
  );
}
