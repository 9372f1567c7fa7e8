// Language choice; the theme follows the system.
import { useLanguage, useT, type LanguageChoice } from '../../i18n/index';
import { useDialogs } from '../../state/dialogs';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';

export function SettingsDialog() {
  const t = useT();
  const open = useDialogs((s) => s.settingsOpen);
  const setOpen = useDialogs((s) => s.setSettingsOpen);
  const choice = useLanguage((s) => s.choice);
  const choose = useLanguage((s) => s.choose);
  if (!open) return null;
  const close = () => setOpen(false);
  return (
    <Dialog title={t('settings.title')} testId="dialog-settings" onClose={close}>
      <Field label={t('settings.language')}>
        <select data-testid="language-select" value={choice} onChange={(e) => choose(e.target.value as LanguageChoice)} autoFocus>
          <option value="auto">{t('settings.languageAuto')}</option>
          <option value="en">English</option>
          <option value="ko">한국어</option>
        </select>
      </Field>
      <p className="muted">
        {t('settings.theme')}: {t('settings.themeNote')}
      </p>
      <div className="dialog-buttons">
        <button type="button" className="primary" onClick={close} data-testid="settings-close">
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
