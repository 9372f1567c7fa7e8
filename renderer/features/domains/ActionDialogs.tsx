// Actions that need a word from the user first: force off (type the name), rename, save.
import { useState, type FormEvent } from 'react';
import { DomainName } from '../../../common/model/index';
import { errorMessage } from '../../api/transport';
import { useT } from '../../i18n/index';
import { operationKey, useDomains } from '../../state/domains';
import { useSelection } from '../../state/selection';
import { useTasks, whenTaskEnds } from '../../state/tasks';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';

interface Props {
  hostId: string;
  name: string;
  onClose: () => void;
}

function useSubmit(onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function ForceOffDialog({ hostId, name, onClose }: Props) {
  const t = useT();
  const [typed, setTyped] = useState('');
  const { busy, error, run } = useSubmit(onClose);
  const matches = typed === name;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    void run(() => useDomains.getState().act(hostId, name, 'destroy', typed));
  };
  return (
    <Dialog title={t('forceOff.title', { name })} testId="dialog-force-off" onClose={onClose} busy={busy}>
      <form onSubmit={submit}>
        <p>{t('forceOff.body')}</p>
        <Field label={t('forceOff.typeName', { name })} error={typed && !matches && typed.length >= name.length ? t('forceOff.mismatch') : undefined}>
          <input data-testid="force-off-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} autoFocus />
        </Field>
        {error && (
          <p className="error" role="alert" data-testid="force-off-error">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose} disabled={busy} data-testid="force-off-cancel">
            {t('common.cancel')}
          </button>
          <button type="submit" className="danger" disabled={!matches || busy} aria-busy={busy} data-testid="force-off-confirm">
            {t('forceOff.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RenameDialog({ hostId, name, onClose }: Props) {
  const t = useT();
  const [newName, setNewName] = useState(name);
  const [invalid, setInvalid] = useState<string | undefined>();
  const { busy, error, run } = useSubmit(onClose);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = DomainName.safeParse(newName);
    if (!parsed.success) {
      setInvalid(parsed.error.issues[0]?.message);
      return;
    }
    setInvalid(undefined);
    if (newName === name) {
      onClose();
      return;
    }
    void run(async () => {
      await useDomains.getState().rename(hostId, name, newName);
      const taskId = useDomains.getState().operations[operationKey(hostId, name)]?.taskId;
      if (!taskId) return;
      // Follow the domain to its new name once the rename went through.
      void whenTaskEnds(taskId).then((task) => {
        const { selection, select } = useSelection.getState();
        if (task.state === 'succeeded' && selection.kind === 'domain' && selection.hostId === hostId && selection.name === name) {
          select({ kind: 'domain', hostId, name: newName });
        }
      });
      useTasks.getState().setDrawerOpen(true);
    });
  };
  return (
    <Dialog title={t('rename.title', { name })} testId="dialog-rename" onClose={onClose} busy={busy}>
      <form onSubmit={submit} noValidate>
        <Field label={t('rename.newName')} error={invalid}>
          <input data-testid="rename-input" value={newName} onChange={(e) => setNewName(e.target.value)} autoComplete="off" spellCheck={false} autoFocus />
        </Field>
        {error && (
          <p className="error" role="alert" data-testid="rename-error">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy} aria-busy={busy} data-testid="rename-confirm">
            {t('rename.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface PathDialogProps {
  title: string;
  body: string;
  initialPath: string;
  confirm: string;
  /** data-testid prefix: `${id}-path`, `${id}-confirm`, `${id}-error`, dialog `dialog-${id}`. */
  id: string;
  submit: (path: string) => Promise<void>;
  onClose: () => void;
}

/** A path on the host, asked for before a task that reads or writes it (save, restore). */
function PathDialog({ title, body, initialPath, confirm, id, submit, onClose }: PathDialogProps) {
  const t = useT();
  const [path, setPath] = useState(initialPath);
  const { busy, error, run } = useSubmit(onClose);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => submit(path.trim()));
  };
  return (
    <Dialog title={title} testId={`dialog-${id}`} onClose={onClose} busy={busy}>
      <form onSubmit={onSubmit} noValidate>
        <p>{body}</p>
        <Field label={t('saveFile.path')}>
          <input data-testid={`${id}-path`} className="mono" value={path} onChange={(e) => setPath(e.target.value)} autoComplete="off" spellCheck={false} autoFocus />
        </Field>
        {error && (
          <p className="error" role="alert" data-testid={`${id}-error`}>
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !path.trim()} aria-busy={busy} data-testid={`${id}-confirm`}>
            {confirm}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function SaveDialog({ hostId, name, onClose }: Props) {
  const t = useT();
  return (
    <PathDialog
      id="save"
      title={t('saveFile.title', { name })}
      body={t('saveFile.body')}
      initialPath={`/var/lib/xen/save/${name.replace(/[^A-Za-z0-9._-]/g, '_')}.save`}
      confirm={t('saveFile.confirm')}
      submit={(path) => useDomains.getState().save(hostId, name, path)}
      onClose={onClose}
    />
  );
}

export function RestoreDialog({ hostId, onClose }: { hostId: string; onClose: () => void }) {
  const t = useT();
  return (
    <PathDialog
      id="restore"
      title={t('restoreFile.title')}
      body={t('restoreFile.body')}
      initialPath="/var/lib/xen/save/"
      confirm={t('restoreFile.confirm')}
      submit={(path) => useDomains.getState().restore(hostId, path)}
      onClose={onClose}
    />
  );
}
