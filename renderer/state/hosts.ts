// Hosts, their connection state, and the questions main asks on their behalf (host keys,
// passwords). Events from main keep it current; actions call the API and return its errors.
import { create } from 'zustand';
import type { HostInput, HostKeyPrompt, HostView, SecretPrompt } from '../../common/model/index';
import { api } from '../api/transport';

interface HostsStore {
  loaded: boolean;
  loadError: string | null;
  byId: Record<string, HostView>;
  order: string[];
  hostKeyPrompts: HostKeyPrompt[];
  secretPrompts: SecretPrompt[];
  load(): Promise<void>;
  upsert(host: HostView): void;
  drop(id: string): void;
  add(input: HostInput): Promise<HostView>;
  update(id: string, input: HostInput): Promise<HostView>;
  remove(id: string): Promise<void>;
  addDemo(): Promise<HostView>;
  connect(id: string): Promise<void>;
  disconnect(id: string): Promise<void>;
  pushHostKeyPrompt(prompt: HostKeyPrompt): void;
  pushSecretPrompt(prompt: SecretPrompt): void;
  answerHostKey(promptId: string, decision: 'reject' | 'once' | 'remember'): Promise<void>;
  answerSecret(promptId: string, secret: string | null, remember: boolean): Promise<void>;
}

export const useHosts = create<HostsStore>((set, get) => ({
  loaded: false,
  loadError: null,
  byId: {},
  order: [],
  hostKeyPrompts: [],
  secretPrompts: [],
  async load() {
    try {
      const hosts = await api.call('hosts.list');
      set({
        loaded: true,
        loadError: null,
        byId: Object.fromEntries(hosts.map((h) => [h.id, h])),
        order: hosts.map((h) => h.id),
      });
    } catch (error) {
      set({ loadError: error instanceof Error ? error.message : String(error) });
    }
  },
  upsert(host) {
    set((s) => ({
      byId: { ...s.byId, [host.id]: host },
      order: s.order.includes(host.id) ? s.order : [...s.order, host.id],
    }));
  },
  drop(id) {
    set((s) => {
      const byId = { ...s.byId };
      delete byId[id];
      return {
        byId,
        order: s.order.filter((x) => x !== id),
        hostKeyPrompts: s.hostKeyPrompts.filter((p) => p.hostId !== id),
        secretPrompts: s.secretPrompts.filter((p) => p.hostId !== id),
      };
    });
  },
  async add(input) {
    const host = await api.call('hosts.add', input);
    get().upsert(host);
    return host;
  },
  async update(id, input) {
    const host = await api.call('hosts.update', id, input);
    get().upsert(host);
    return host;
  },
  async remove(id) {
    await api.call('hosts.remove', id);
    get().drop(id);
  },
  async addDemo() {
    const host = await api.call('hosts.addDemo');
    get().upsert(host);
    return host;
  },
  async connect(id) {
    const current = get().byId[id];
    // Say "connecting" at once; main's own events take over from here.
    if (current) get().upsert({ ...current, state: 'connecting', error: undefined });
    try {
      get().upsert(await api.call('hosts.connect', id));
    } catch (error) {
      const latest = get().byId[id];
      const message = error instanceof Error ? error.message : String(error);
      if (latest) get().upsert({ ...latest, state: 'disconnected', error: message });
      throw error;
    }
  },
  async disconnect(id) {
    get().upsert(await api.call('hosts.disconnect', id));
  },
  pushHostKeyPrompt(prompt) {
    set((s) => ({ hostKeyPrompts: [...s.hostKeyPrompts.filter((p) => p.promptId !== prompt.promptId), prompt] }));
  },
  pushSecretPrompt(prompt) {
    set((s) => ({ secretPrompts: [...s.secretPrompts.filter((p) => p.promptId !== prompt.promptId), prompt] }));
  },
  async answerHostKey(promptId, decision) {
    set((s) => ({ hostKeyPrompts: s.hostKeyPrompts.filter((p) => p.promptId !== promptId) }));
    await api.call('hosts.answerHostKey', promptId, decision);
  },
  async answerSecret(promptId, secret, remember) {
    set((s) => ({ secretPrompts: s.secretPrompts.filter((p) => p.promptId !== promptId) }));
    await api.call('hosts.answerSecret', promptId, secret, remember);
  },
}));
