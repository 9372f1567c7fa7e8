// Bottom drawer: every long job with its progress, log, and how it ended.
import { useEffect, useMemo, useState } from 'react';
import type { TaskView } from '../../../common/model/index';
import { errorMessage } from '../../api/transport';
import { useT } from '../../i18n/index';
import { useHosts } from '../../state/hosts';
import { useTasks } from '../../state/tasks';
import { ProgressBar } from '../../ui/Meter';

export function TaskDrawer() {
  const t = useT();
  const order = useTasks((s) => s.order);
  const byId = useTasks((s) => s.byId);
  const hidden = useTasks((s) => s.hidden);
  const open = useTasks((s) => s.drawerOpen);
  const setOpen = useTasks((s) => s.setDrawerOpen);
  const clearFinished = useTasks((s) => s.clearFinished);

  const visible = useMemo(() => order.filter((id) => !hidden[id] && byId[id]).map((id) => byId[id]), [order, hidden, byId]);
  const running = visible.filter((task) => task.state === 'running').length;
  const latest = visible[0];

  return (
    <section className={open ? 'drawer open' : 'drawer'} aria-label={t('tasks.title')} data-testid="task-drawer">
      <div className="drawer-bar">
        <button
          type="button"
          className="drawer-toggle"
          aria-expanded={open}
          aria-controls="task-list"
          data-testid="task-drawer-toggle"
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '▾' : '▴'}</span> {t('tasks.title')}
          {running > 0 && <span className="badge">{t('tasks.running', { count: running })}</span>}
        </button>
        {!open && latest && (
          <span className="drawer-latest muted">
            {latest.title} — {t(`tasks.state.${latest.state}`)}
          </span>
        )}
        {open && visible.some((task) => task.state !== 'running') && (
          <button type="button" className="small" data-testid="task-clear-finished" onClick={clearFinished}>
            {t('tasks.clearFinished')}
          </button>
        )}
      </div>
      {open && (
        <ul id="task-list" className="task-list">
          {visible.length === 0 && <li className="muted">{t('tasks.none')}</li>}
          {visible.map((task) => (
            <TaskItem key={task.id} task={task} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskItem({ task }: { task: TaskView }) {
  const t = useT();
  const hostName = useHosts((s) => s.byId[task.hostId]?.name);
  const [showLog, setShowLog] = useState(task.state === 'failed');
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [, tick] = useState(0);
  useEffect(() => {
    if (task.state !== 'running') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [task.state]);
  const seconds = Math.max(0, Math.round(((task.endedAt ?? Date.now()) - task.startedAt) / 1000));
  return (
    <li className={`task task-${task.state}`} data-testid={`task-item-${task.id}`} data-state={task.state} data-title={task.title}>
      <div className="task-head">
        <span className="task-title">{task.title}</span>
        {hostName && <span className="muted">{hostName}</span>}
        <span className={`task-state state-${task.state}`}>{t(`tasks.state.${task.state}`)}</span>
        <span className="muted">{seconds} s</span>
        {task.state === 'running' && (
          <button
            type="button"
            className="small"
            data-testid="task-cancel"
            onClick={() => useTasks.getState().cancel(task.id).catch((e) => setCancelError(errorMessage(e)))}
          >
            {t('tasks.cancel')}
          </button>
        )}
        {task.log.length > 0 && (
          <button type="button" className="small" aria-expanded={showLog} data-testid="task-log-toggle" onClick={() => setShowLog(!showLog)}>
            {t('tasks.log')}
          </button>
        )}
      </div>
      {task.state === 'running' && <ProgressBar value={task.progress} label={task.title} testId="task-progress" />}
      {task.state === 'failed' && task.error && (
        <div className="task-error" role="alert" data-testid="task-error">
          <strong>{t('tasks.whatToTry')}:</strong> {task.error}
        </div>
      )}
      {cancelError && <div className="task-error">{cancelError}</div>}
      {showLog && task.log.length > 0 && (
        <pre className="task-log mono" data-testid="task-log" tabIndex={0}>
          {task.log.join('\n')}
        </pre>
      )}
    </li>
  );
}
