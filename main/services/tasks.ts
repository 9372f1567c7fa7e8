// Long operations as Tasks: progress, log, cancel and a clear end state, visible in the task drawer.
import { randomUUID } from 'node:crypto';
import type { TaskView } from '../../common/model/index';
import { UserError, type EventHub } from '../../common/rpc/index';

export interface TaskHandle {
  readonly signal: AbortSignal;
  log(line: string): void;
  progress(fraction: number | null): void;
}

export interface StartedTask {
  view: TaskView;
  /** Settles with the final view; never rejects (a failure is a state of the task). */
  done: Promise<TaskView>;
}

const KEEP = 200;
const LOG_LINES = 500;

export class TaskService {
  private readonly tasks = new Map<string, { view: TaskView; abort: AbortController }>();

  constructor(private readonly hub: EventHub) {}

  start(hostId: string, title: string, work: (task: TaskHandle) => Promise<string | void>): StartedTask {
    const abort = new AbortController();
    const view: TaskView = { id: randomUUID(), hostId, title, state: 'running', progress: null, log: [], startedAt: Date.now() };
    this.tasks.set(view.id, { view, abort });
    this.trim();
    this.publish(view);

    const handle: TaskHandle = {
      signal: abort.signal,
      log: (line) => {
        view.log.push(line);
        if (view.log.length > LOG_LINES) view.log.splice(0, view.log.length - LOG_LINES);
        this.publish(view);
      },
      progress: (fraction) => {
        view.progress = fraction === null ? null : Math.max(0, Math.min(1, fraction));
        this.publish(view);
      },
    };

    const done = (async () => {
      try {
        const summary = await work(handle);
        if (summary) view.log.push(summary);
        view.state = abort.signal.aborted ? 'cancelled' : 'succeeded';
        if (view.state === 'succeeded') view.progress = 1;
      } catch (error) {
        view.state = abort.signal.aborted ? 'cancelled' : 'failed';
        view.error = error instanceof Error ? error.message : String(error);
      }
      view.endedAt = Date.now();
      this.publish(view);
      return { ...view, log: [...view.log] };
    })();

    return { view: { ...view, log: [...view.log] }, done };
  }

  list(): TaskView[] {
    return [...this.tasks.values()].map((t) => ({ ...t.view, log: [...t.view.log] }));
  }

  cancel(id: string): void {
    const task = this.tasks.get(id);
    if (!task) throw new UserError('That task is no longer known.', 'not-found');
    if (task.view.state === 'running') task.abort.abort();
  }

  private publish(view: TaskView) {
    this.hub.emit('tasks.changed', { ...view, log: [...view.log] });
  }

  private trim() {
    if (this.tasks.size <= KEEP) return;
    for (const [id, task] of this.tasks) {
      if (this.tasks.size <= KEEP) break;
      if (task.view.state !== 'running') this.tasks.delete(id);
    }
  }
}
