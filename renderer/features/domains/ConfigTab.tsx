// The domain's config file as text: edit, look at the diff, write it atomically with a backup.
import { useCallback, useEffect, useState } from 'react';
import type { ConfigDocumentView, DomainView } from '../../../common/model/index';
import { api, errorMessage } from '../../api/transport';
import { useT } from '../../i18n/index';
import { Dialog } from '../../ui/Dialog';

export function ConfigTab({ hostId, domain }: { hostId: string; domain: DomainView }) {
  const t = useT();
  const path = domain.configPath;
  const [doc, setDoc] = useState<ConfigDocumentView | null>(null);
  const [text, setText] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [diff, setDiff] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [backupPath, setBackupPath] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!path) return;
    setLoading(true);
    setError(null);
    try {
      const read = await api.call('configs.read', hostId, path);
      setDoc(read);
      setText(read.text);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [hostId, path]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!path) return <p className="muted" data-testid="config-no-path">{t('config.noPath')}</p>;

  const review = async () => {
    if (!doc) return;
    setNotice(null);
    setBackupPath(null);
    if (text === doc.text) {
      setNotice(t('config.unchanged'));
      return;
    }
    setReviewing(true);
    setError(null);
    try {
      setDiff((await api.call('configs.diff', hostId, path, text)).diff);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setReviewing(false);
    }
  };

  const onWritten = (result: { backupPath: string; document: ConfigDocumentView }) => {
    setDiff(null);
    setDoc(result.document);
    setText(result.document.text);
    setBackupPath(result.backupPath);
  };

  const dirty = doc !== null && text !== doc.text;

  return (
    <div className="config" data-testid="config-tab">
      <div className="config-head">
        <span className="mono">{path}</span>
        <div className="button-row">
          <button type="button" data-testid="config-reload" onClick={() => void load()} disabled={loading} aria-busy={loading}>
            {t('config.reload')}
          </button>
          {doc?.editable && (
            <button
              type="button"
              className="primary"
              data-testid="config-save"
              disabled={!dirty || reviewing}
              aria-busy={reviewing}
              onClick={() => void review()}
            >
              {reviewing ? t('common.working') : t('config.review')}
            </button>
          )}
        </div>
      </div>
      {loading && !doc && <p className="muted">{t('common.loading')}</p>}
      {error && (
        <p className="error" role="alert" data-testid="config-error">
          {error}
        </p>
      )}
      {notice && <p className="muted" role="status">{notice}</p>}
      {backupPath && (
        <p className="result result-ok" role="status" data-testid="config-backup-path">
          {t('config.saved', { path: backupPath })}
        </p>
      )}
      {doc && !doc.editable && (
        <p className="banner banner-info" data-testid="config-readonly">
          {t('config.readOnly')}
        </p>
      )}
      {doc && (
        <>
          <textarea
            className="editor mono"
            data-testid="config-editor"
            aria-label={t('config.editorLabel', { path })}
            value={text}
            readOnly={!doc.editable}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
            rows={Math.min(30, Math.max(10, text.split('\n').length + 1))}
          />
          <section aria-label={t('config.problems')} data-testid="config-problems">
            <h3 className="section-title">{t('config.problems')}</h3>
            {doc.problems.length === 0 ? (
              <p className="muted">{t('config.noProblems')}</p>
            ) : (
              <ul className="problems">
                {doc.problems.map((p, i) => (
                  <li key={`${p.line}-${i}`} data-testid="config-problem" data-line={p.line}>
                    <span className="mono problem-line">{t('config.line', { line: p.line })}</span> {p.message}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {diff !== null && doc && (
        <DiffDialog hostId={hostId} path={path} text={text} sha256={doc.sha256} diff={diff} onClose={() => setDiff(null)} onWritten={onWritten} />
      )}
    </div>
  );
}

interface DiffDialogProps {
  hostId: string;
  path: string;
  text: string;
  sha256: string;
  diff: string;
  onClose: () => void;
  onWritten: (result: { backupPath: string; document: ConfigDocumentView }) => void;
}

function DiffDialog({ hostId, path, text, sha256, diff, onClose, onWritten }: DiffDialogProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const write = async () => {
    setBusy(true);
    setError(null);
    try {
      onWritten(await api.call('configs.write', hostId, path, text, sha256));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('config.diffTitle', { path })} testId="dialog-config-diff" onClose={onClose} busy={busy} wide>
      <p>{t('config.diffBody')}</p>
      <pre className="diff mono" data-testid="config-diff" tabIndex={0}>
        {diff.split('\n').map((line, i) => (
          <span
            key={i}
            className={line.startsWith('+') && !line.startsWith('+++') ? 'add' : line.startsWith('-') && !line.startsWith('---') ? 'del' : line.startsWith('@@') ? 'hunk' : undefined}
          >
            {line}
            {'\n'}
          </span>
        ))}
      </pre>
      {error && (
        <p className="error" role="alert" data-testid="config-write-error">
          {error}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose} disabled={busy} data-testid="config-diff-cancel">
          {t('common.cancel')}
        </button>
        <button type="button" className="primary" onClick={() => void write()} disabled={busy} aria-busy={busy} data-testid="config-diff-confirm" autoFocus>
          {busy ? t('common.saving') : t('config.writeConfirm')}
        </button>
      </div>
    </Dialog>
  );
}
