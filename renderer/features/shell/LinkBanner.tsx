// Says when this window cannot reach Hearth's main process, and when it will try again.
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/index';
import { useLink } from '../../state/link';

export function LinkBanner() {
  const t = useT();
  const state = useLink((s) => s.state);
  const attempts = useLink((s) => s.attempts);
  const nextAttemptAt = useLink((s) => s.nextAttemptAt);
  const retryNow = useLink((s) => s.retryNow);
  const [, tick] = useState(0);

  useEffect(() => {
    if (state !== 'reconnecting') return;
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, [state]);

  if (state === 'open') return null;
  if (state === 'connecting') {
    return (
      <div className="banner banner-info link-banner" role="status" data-testid="link-banner" data-state={state}>
        {t('link.connecting')}
      </div>
    );
  }
  const seconds = Math.max(0, Math.ceil(((nextAttemptAt ?? Date.now()) - Date.now()) / 1000));
  return (
    <div className="banner banner-error link-banner" role="alert" data-testid="link-banner" data-state={state}>
      {t('link.reconnecting', { seconds, attempt: attempts + 1 })}
      <button type="button" className="small" onClick={retryNow} data-testid="link-retry">
        {t('link.retryNow')}
      </button>
    </div>
  );
}
