// The domain page's Console tab: the text console (PV console or emulated serial for HVM
// guests) or the graphical one, and a login shell on the host.
import { useEffect, useState } from 'react';
import type { DomainView } from '../../../common/model/index';
import type { TextConsoleType } from '../../../common/stream/index';
import { TextConsole } from './TextConsole';
import { VncConsole } from './VncConsole';
import { useConsoleT } from './strings';

type Which = 'text' | 'graphical' | 'shell';

export function ConsoleTab({ hostId, domain }: { hostId: string; domain: DomainView }) {
  const t = useConsoleT();
  const hvm = domain.type === 'hvm';
  // The default follows the domain's kind once it is known: a domain's type can be 'unknown'
  // for a moment (before its config is read, or while it is being created again), which must
  // neither pin an HVM guest to text nor flip an open graphical console away.
  const [picked, setWhich] = useState<Which | null>(null);
  const [settled, setSettled] = useState<Which | null>(domain.type === 'unknown' ? null : hvm ? 'graphical' : 'text');
  useEffect(() => {
    if (settled === null && domain.type !== 'unknown') setSettled(domain.type === 'hvm' ? 'graphical' : 'text');
  }, [settled, domain.type]);
  const which: Which = picked ?? settled ?? 'text';
  const [type, setType] = useState<TextConsoleType>('auto');
  const isDom0 = domain.id === 0;

  return (
    <div className="console-tab" data-testid="console-tab">
      <div className="button-row console-choice" role="radiogroup" aria-label={t('consoleType')}>
        {!isDom0 && (
          <>
            <button type="button" role="radio" aria-checked={which === 'text'} data-testid="console-choose-text" onClick={() => setWhich('text')}>
              {t('text')}
            </button>
            <button type="button" role="radio" aria-checked={which === 'graphical'} data-testid="console-choose-graphical" onClick={() => setWhich('graphical')}>
              {t('graphical')}
            </button>
          </>
        )}
        <button type="button" role="radio" aria-checked={which === 'shell' || isDom0} data-testid="console-choose-shell" onClick={() => setWhich('shell')}>
          {t('hostShell')}
        </button>
        {which === 'text' && !isDom0 && (
          <label>
            {t('consoleType')}{' '}
            <select value={type} data-testid="console-text-type" onChange={(e) => setType(e.target.value as TextConsoleType)}>
              <option value="auto">{t('typeAuto')}</option>
              <option value="pv">{t('typePv')}</option>
              {hvm && <option value="serial">{t('typeSerial')}</option>}
            </select>
          </label>
        )}
      </div>
      {which === 'shell' || isDom0 ? (
        <TextConsole key={`shell\n${hostId}`} hostId={hostId} domain={null} type="auto" />
      ) : which === 'text' ? (
        <TextConsole key={`text\n${hostId}\n${domain.name}\n${type}`} hostId={hostId} domain={domain.name} type={type} />
      ) : (
        <VncConsole key={`vnc\n${hostId}\n${domain.name}`} hostId={hostId} domain={domain.name} />
      )}
    </div>
  );
}
