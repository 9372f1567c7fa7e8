// SDL draws on the host's own screen: offer to switch the domain's config to VNC, through the
// same read / diff / atomic write (with backup) as the configuration tab.
import { useState } from 'react';
import { parseConfig, setValue } from '../../../common/xen/config';
import { api, errorMessage } from '../../api/transport';
import { useConsoleT } from './strings';

export function SwitchToVnc({ hostId, domain, path }: { hostId: string; domain: string; path: string }) {
  const t = useConsoleT();
  const [stage, setStage] = useState<'idle' | 'review' | 'saving' | 'done'>('idle');
  const [proposal, setProposal] = useState<{ text: string; sha256: string; diff: string } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const review = async () => {
    setError(null);
    try {
      const doc = await api.call('configs.read', hostId, path);
      let text = doc.text;
      text = setValue(parseConfig(text), 'vnc', 1);
      text = setValue(parseConfig(text), 'sdl', 0);
      text = setValue(parseConfig(text), 'vnclisten', '127.0.0.1');
      const { diff } = await api.call('configs.diff', hostId, path, text);
      setProposal({ text, sha256: doc.sha256, diff });
      setStage('review');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const save = async () => {
    if (!proposal) return;
    setStage('saving');
    try {
      const written = await api.call('configs.write', hostId, path, proposal.text, proposal.sha256);
      setResult(t('switched', { backup: written.backupPath, name: domain }));
      setStage('done');
    } catch (e) {
      setError(errorMessage(e));
      setStage('review');
    }
  };

  return (
    <div className="console-switch" data-testid="vnc-switch">
      {stage === 'idle' && (
        <button type="button" onClick={() => void review()}>
          {t('switchToVnc')}
        </button>
      )}
      {(stage === 'review' || stage === 'saving') && proposal && (
        <div>
          <p>{t('switchHelp', { path })}</p>
          <pre className="diff mono">{proposal.diff}</pre>
          <div className="button-row">
            <button type="button" className="primary" disabled={stage === 'saving'} onClick={() => void save()}>
              {t('save')}
            </button>
            <button type="button" onClick={() => setStage('idle')}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {result && <p role="status">{result}</p>}
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
