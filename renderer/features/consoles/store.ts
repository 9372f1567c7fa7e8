// Console states as main reports them (consoles.state), by stream id.
import { create } from 'zustand';
import type { ConsoleStateView } from '../../../common/stream/index';
import { api } from '../../api/transport';

interface ConsoleStates {
  byStream: Record<string, ConsoleStateView>;
  put(view: ConsoleStateView): void;
  drop(streamId: string): void;
}

export const useConsoleStates = create<ConsoleStates>((set) => ({
  byStream: {},
  put: (view) => set((s) => ({ byStream: { ...s.byStream, [view.streamId]: view } })),
  drop: (streamId) =>
    set((s) => {
      const next = { ...s.byStream };
      delete next[streamId];
      return { byStream: next };
    }),
}));

let listening = false;

/** Start hearing consoles.state once per page. */
export function listenForConsoleStates(): void {
  if (listening) return;
  listening = true;
  api.on('consoles.state', (view) => useConsoleStates.getState().put(view));
}
