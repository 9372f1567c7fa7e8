// A terminal on this computer (node-pty in main): the user's login shell, or the system ssh to a
// saved host for what Hearth's own SSH cannot do (security keys, the user's ssh_config). The
// same terminal view as the text console and the host shell, over the same kind of stream.
import { useState } from 'react';
import type { LocalTerminalTarget } from '../../../common/stream/index';
import { api } from '../../api/transport';
import { useHosts } from '../../state/hosts';
import { useConsoleT } from './strings';
import { TerminalView } from './TextConsole';

export function LocalTerminal({ hostId }: { hostId: string | null }) {
  const t = useConsoleT();
  const [attempt, setAttempt] = useState(0);
  const target: LocalTerminalTarget = hostId === null ? { program: 'shell' } : { program: 'ssh', hostId };
  return (
    <TerminalView
      key={`${attempt}\n${hostId ?? ''}`}
      open={(size) => api.call('consoles.openLocal', target, size)}
      hookKey={hostId === null ? 'local:shell' : `local:ssh:${hostId}`}
      testId="local-terminal"
      againLabel={t('openAgain')}
      onAgain={() => setAttempt((n) => n + 1)}
    />
  );
}

/** The right pane for a local terminal. */
export function LocalTerminalPage({ hostId }: { hostId: string | null }) {
  const t = useConsoleT();
  const hostName = useHosts((s) => (hostId === null ? null : (s.byId[hostId]?.name ?? hostId)));
  return (
    <section className="page" data-testid="local-terminal-page" data-target={hostId === null ? 'shell' : 'ssh'}>
      <header className="page-head">
        <div className="page-title">
          <h1>{hostName === null ? t('localTitle') : t('sshTitle', { name: hostName })}</h1>
          <div className="muted">{hostName === null ? t('localHelp') : t('sshHelp')}</div>
        </div>
      </header>
      <LocalTerminal hostId={hostId} />
    </section>
  );
}
