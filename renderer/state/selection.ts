// What the right pane shows.
import { create } from 'zustand';

export type Selection =
  | { kind: 'none' }
  | { kind: 'host'; hostId: string }
  | { kind: 'domain'; hostId: string; name: string }
  /** A terminal on this computer: the system ssh to a host, or (hostId null) the local shell. */
  | { kind: 'terminal'; hostId: string | null };

export type DomainTab = 'overview' | 'config' | 'performance' | 'console';

interface SelectionStore {
  selection: Selection;
  domainTab: DomainTab;
  select(selection: Selection): void;
  setDomainTab(tab: DomainTab): void;
}

export const useSelection = create<SelectionStore>((set) => ({
  selection: { kind: 'none' },
  domainTab: 'overview',
  select: (selection) => set({ selection }),
  setDomainTab: (domainTab) => set({ domainTab }),
}));
