// Questions main asks while connecting: is this the right host key, and what is the password.
// One at a time, oldest first.
import { useState, type FormEvent } from 'react';
import type { HostKeyPrompt, SecretPrompt } from '../../../common/model/index';
import { useT } from '../../i18n/index';
import { useHosts } from '../../state/hosts';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';

export function Prompts() {
  const hostKey = useHosts((s) => s.hostKeyPrompts[0]);
  const secret = useHosts((s) => s.secretPrompts[0]);
  if (hostKey) return <HostKeyDialog key={hostKey.promptId} prompt={hostKey} />;
  if (secret) return <SecretDialog key={secret.promptId} prompt={secret} />;
  return null;
}

function shortKeyType(keyType: string): string {
  if (keyType.includes('ed25519')) return 'ed25519';
  if (keyType.includes('ecdsa')) return 'ecdsa';
  if (keyType.includes('rsa')) return 'rsa';
  return keyType;
}

function HostKeyDialog({ prompt }: { prompt: HostKeyPrompt }) {
  const t = useT();
  const answer = useHosts((s) => s.answerHostKey);
  const hostName = useHosts((s) => s.byId[prompt.hostId]?.name);
  const target = prompt.port === 22 ? prompt.host : `${prompt.host}:${prompt.port}`;
  const decide = (decision: 'reject' | 'once' | 'remember') => void answer(prompt.promptId, decision).catch(() => undefined);
  return (
    <Dialog title={t('hostKey.title', { host: hostName ?? target })} testId="dialog-hostkey" onClose={() => decide('reject')}>
      <p>{t('hostKey.body', { keyTypeShort: shortKeyType(prompt.keyType) })}</p>
      <dl className="facts">
        <dt>{t('hostKey.host')}</dt>
        <dd data-testid="hostkey-host">
          {prompt.host}:{prompt.port}
        </dd>
        <dt>{t('hostKey.keyType')}</dt>
        <dd data-testid="hostkey-type">{prompt.keyType}</dd>
        <dt>{t('hostKey.fingerprint')}</dt>
        <dd className="mono fingerprint" data-testid="hostkey-fingerprint">
          {prompt.fingerprint}
        </dd>
      </dl>
      <div className="dialog-buttons">
        <button type="button" className="danger-outline" data-testid="hostkey-reject" onClick={() => decide('reject')}>
          {t('hostKey.reject')}
        </button>
        <button type="button" data-testid="hostkey-once" onClick={() => decide('once')}>
          {t('hostKey.once')}
        </button>
        <button type="button" className="primary" data-testid="hostkey-remember" onClick={() => decide('remember')} autoFocus>
          {t('hostKey.remember')}
        </button>
      </div>
    </Dialog>
  );
}

function SecretDialog({ prompt }: { prompt: SecretPrompt }) {
  const t = useT();
  const answer = useHosts((s) => s.answerSecret);
  const host = useHosts((s) => s.byId[prompt.hostId]);
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(false);
  const hostLabel = host?.name ?? prompt.hostId;
  const label =
    prompt.kind === 'password' ? t('secret.labelPassword') : prompt.kind === 'passphrase' ? t('secret.labelPassphrase') : t('secret.label');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void answer(prompt.promptId, secret, prompt.canRemember && remember).catch(() => undefined);
  };
  const cancel = () => void answer(prompt.promptId, null, false).catch(() => undefined);
  return (
    <Dialog title={t(`secret.title.${prompt.kind}`, { host: hostLabel })} testId="dialog-secret" onClose={cancel}>
      <form onSubmit={submit}>
        {prompt.message && (
          <p className="prompt-message" data-testid="secret-message">
            {prompt.message}
          </p>
        )}
        <Field label={label}>
          <input
            type="password"
            data-testid="secret-input"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            autoComplete="off"
            autoFocus
          />
        </Field>
        {prompt.canRemember && (
          <label className="check">
            <input type="checkbox" data-testid="secret-remember" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            {t('secret.remember')}
          </label>
        )}
        <div className="dialog-buttons">
          <button type="button" data-testid="secret-cancel" onClick={cancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="secret-submit">
            {t('secret.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
