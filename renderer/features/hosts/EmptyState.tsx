// With no hosts yet, teach: add a real host, or look around on the simulated one.
import { useState } from 'react';
import { useT } from '../../i18n/index';
import { useDialogs } from '../../state/dialogs';
import { useHosts } from '../../state/hosts';
import { useSelection } from '../../state/selection';

export function EmptyState() {
  const t = useT();
  const openHostDialog = useDialogs((s) => s.openHostDialog);
  const addDemo = useHosts((s) => s.addDemo);
  const select = useSelection((s) => s.select);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const tryDemo = async () => {
    setBusy(true);
    setError(null);
    try {
      const host = await addDemo();
      select({ kind: 'host', hostId: host.id });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="empty" data-testid="empty-state">
      <h1>{t('empty.title')}</h1>
      <p>{t('empty.body')}</p>
      <div className="button-row">
        <button type="button" className="primary" data-testid="empty-add-host" onClick={() => openHostDialog({ mode: 'add' })}>
          {t('empty.addHost')}
        </button>
        <button type="button" data-testid="empty-try-demo" aria-busy={busy} disabled={busy} onClick={tryDemo}>
          {busy ? t('common.working') : t('empty.tryDemo')}
        </button>
      </div>
      <p className="muted">{t('empty.demoHint')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
