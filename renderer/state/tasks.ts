// Every long job main runs, as TaskViews kept fresh by tasks.changed events.
import { create } from 'zustand';
import type { TaskView } from '../../common/model/index';
import { api } from '../api/transport';

interface TasksStore {
  byId: Record<string, TaskView>;
  /** Newest first. */
  order: string[];
  drawerOpen: boolean;
  /** Finished tasks the user cleared from the drawer. */
  hidden: Record<string, true>;
  upsert(task: TaskView): void;
  replaceAll(tasks: TaskView[]): void;
  setDrawerOpen(open: boolean): void;
  cancel(id: string): Promise<void>;
  clearFinished(): void;
}

export const useTasks = create<TasksStore>((set, get) => ({
  byId: {},
  order: [],
  drawerOpen: false,
  hidden: {},
  upsert(task) {
    set((s) => {
      const known = s.byId[task.id];
      // A call's answer can arrive after the events that followed it: never step back.
      if (known && known.state !== 'running' && task.state === 'running') return {};
      return {
        byId: { ...s.byId, [task.id]: task },
        order: known ? s.order : [task.id, ...s.order],
      };
    });
  },
  replaceAll(tasks) {
    const sorted = [...tasks].sort((a, b) => b.startedAt - a.startedAt);
    set({ byId: Object.fromEntries(sorted.map((t) => [t.id, t])), order: sorted.map((t) => t.id) });
  },
  setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
  async cancel(id) {
    await api.call('tasks.cancel', id);
  },
  clearFinished() {
    const { byId, hidden } = get();
    const next = { ...hidden };
    for (const task of Object.values(byId)) if (task.state !== 'running') next[task.id] = true;
    set({ hidden: next });
  },
}));

/** Show a task that was just started on the user's behalf: it lands in the open drawer. */
export function showTask(task: TaskView): void {
  useTasks.getState().upsert(task);
  useTasks.getState().setDrawerOpen(true);
}

/** Resolves with the task once it is no longer running. */
export function whenTaskEnds(id: string): Promise<TaskView> {
  return new Promise((resolve) => {
    const check = (state: TasksStore) => {
      const task = state.byId[id];
      if (task && task.state !== 'running') {
        stop();
        resolve(task);
        return true;
      }
      return false;
    };
    const stop = useTasks.subscribe(check);
    check(useTasks.getState());
  });
}
