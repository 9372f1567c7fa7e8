// One line that says what the console is doing, in main's words (cause and fix).
import type { ConsoleStateView } from '../../../common/stream/index';

export function ConsoleStatus({ view, error, children }: { view: ConsoleStateView | undefined; error: string | null; children?: React.ReactNode }) {
  if (error) {
    return (
      <div className="result result-bad" role="alert" data-testid="console-status" data-phase="unavailable">
        {error}
      </div>
    );
  }
  if (!view) return null;
  const tone = view.phase === 'connected' ? 'ok' : view.phase === 'connecting' ? 'info' : view.phase === 'needs-password' ? 'info' : 'bad';
  return (
    <div className={`result result-${tone}`} role="status" data-testid="console-status" data-phase={view.phase} data-reason={view.reason ?? ''}>
      {view.message}
      {children}
    </div>
  );
}
