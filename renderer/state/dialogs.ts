// Dialogs that more than one screen opens.
import { create } from 'zustand';

export type HostDialogState = null | { mode: 'add' } | { mode: 'edit'; hostId: string };

interface DialogsStore {
  hostDialog: HostDialogState;
  settingsOpen: boolean;
  openHostDialog(state: HostDialogState): void;
  setSettingsOpen(open: boolean): void;
}

export const useDialogs = create<DialogsStore>((set) => ({
  hostDialog: null,
  settingsOpen: false,
  openHostDialog: (hostDialog) => set({ hostDialog }),
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
}));
