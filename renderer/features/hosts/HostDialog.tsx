// Add or edit a host: either address/port/user or a Host alias from ~/.ssh/config.
// Problems are shown beside the field they concern, in the words the server's schema uses.
import { useState, type FormEvent } from 'react';
import { HostInput } from '../../../common/model/index';
import { fieldErrors } from '../../api/transport';
import { useT } from '../../i18n/index';
import { useDialogs } from '../../state/dialogs';
import { useHosts } from '../../state/hosts';
import { useSelection } from '../../state/selection';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';

type Mode = 'direct' | 'alias';

export function HostDialog() {
  const state = useDialogs((s) => s.hostDialog);
  if (!state) return null;
  return <HostDialogBody key={state.mode === 'edit' ? state.hostId : 'add'} editId={state.mode === 'edit' ? state.hostId : null} />;
}

function HostDialogBody({ editId }: { editId: string | null }) {
  const t = useT();
  const openHostDialog = useDialogs((s) => s.openHostDialog);
  const close = () => openHostDialog(null);
  const existing = useHosts((s) => (editId ? s.byId[editId] : undefined));
  const { add, update, connect } = useHosts.getState();
  const select = useSelection((s) => s.select);

  const [mode, setMode] = useState<Mode>(existing?.sshAlias ? 'alias' : 'direct');
  const [name, setName] = useState(existing?.name ?? '');
  const [address, setAddress] = useState(existing?.address ?? '');
  const [port, setPort] = useState(existing?.port ? String(existing.port) : '22');
  const [user, setUser] = useState(existing?.user ?? 'root');
  const [sshAlias, setSshAlias] = useState(existing?.sshAlias ?? '');
  const [identityFile, setIdentityFile] = useState(existing?.identityFile ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const buildInput = (): { input?: HostInput; errors: Record<string, string> } => {
    const found: Record<string, string> = {};
    let portNumber: number | undefined;
    if (mode === 'direct' && port.trim() !== '') {
      portNumber = Number(port);
      if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) found.port = t('hostDialog.portInvalid');
    }
    const raw = {
      name,
      ...(mode === 'direct'
        ? { address: address.trim() || undefined, port: portNumber, user: user.trim() || undefined }
        : { sshAlias: sshAlias.trim() || undefined }),
      identityFile: identityFile.trim() || undefined,
    };
    const parsed = HostInput.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        let key = String(issue.path[0] ?? '_');
        if (key === 'address' && mode === 'alias') key = 'sshAlias';
        found[key] ??= issue.message;
      }
    }
    return { input: parsed.success && Object.keys(found).length === 0 ? parsed.data : undefined, errors: found };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { input, errors: found } = buildInput();
    setErrors(found);
    if (!input) return;
    setBusy(true);
    try {
      const host = editId ? await update(editId, input) : await add(input);
      close();
      select({ kind: 'host', hostId: host.id });
      if (!editId) connect(host.id).catch(() => undefined);
    } catch (error) {
      const byField = fieldErrors(error);
      if (byField) {
        if (mode === 'alias' && byField.address) {
          byField.sshAlias = byField.address;
          delete byField.address;
        }
        setErrors(byField);
      } else setErrors({ _: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={existing ? t('hostDialog.editTitle', { name: existing.name }) : t('hostDialog.addTitle')}
      testId="dialog-host"
      onClose={close}
      busy={busy}
    >
      <form onSubmit={submit} noValidate>
        <Field label={t('hostDialog.name')} hint={t('hostDialog.nameHint')} error={errors.name}>
          <input data-testid="host-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <fieldset className="segmented">
          <legend>{t('hostDialog.how')}</legend>
          <label>
            <input type="radio" name="mode" data-testid="host-mode-direct" checked={mode === 'direct'} onChange={() => setMode('direct')} />
            {t('hostDialog.direct')}
          </label>
          <label>
            <input type="radio" name="mode" data-testid="host-mode-alias" checked={mode === 'alias'} onChange={() => setMode('alias')} />
            {t('hostDialog.alias')}
          </label>
        </fieldset>
        {mode === 'direct' ? (
          <>
            <Field label={t('hostDialog.address')} hint={t('hostDialog.addressHint')} error={errors.address}>
              <input data-testid="host-address" value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="off" spellCheck={false} />
            </Field>
            <div className="field-row">
              <Field label={t('hostDialog.port')} error={errors.port}>
                <input data-testid="host-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
              </Field>
              <Field label={t('hostDialog.user')} hint={t('hostDialog.userHint')} error={errors.user}>
                <input data-testid="host-user" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" spellCheck={false} />
              </Field>
            </div>
          </>
        ) : (
          <Field label={t('hostDialog.sshAlias')} hint={t('hostDialog.sshAliasHint')} error={errors.sshAlias}>
            <input data-testid="host-alias" value={sshAlias} onChange={(e) => setSshAlias(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
        )}
        <Field label={t('hostDialog.identityFile')} hint={t('hostDialog.identityFileHint')} error={errors.identityFile}>
          <input
            data-testid="host-identity"
            value={identityFile}
            onChange={(e) => setIdentityFile(e.target.value)}
            placeholder="~/.ssh/id_ed25519"
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        {errors._ && (
          <p className="error" role="alert" data-testid="host-dialog-error">
            {errors._}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={close} disabled={busy} data-testid="host-cancel">
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy} aria-busy={busy} data-testid="host-submit">
            {busy ? t('common.working') : existing ? t('hostDialog.save') : t('hostDialog.add')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
