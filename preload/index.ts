// The renderer's only door to main: send a contract frame, hear frames back. Nothing else of
// Electron or Node reaches the page (contextIsolation and sandbox are on).
import { contextBridge, ipcRenderer } from 'electron';

const RPC_CHANNEL = 'hearth:rpc';

contextBridge.exposeInMainWorld('bridge', {
  send(frame: unknown) {
    ipcRenderer.send(RPC_CHANNEL, frame);
  },
  onMessage(listener: (frame: unknown) => void) {
    const handler = (_event: unknown, frame: unknown) => listener(frame);
    ipcRenderer.on(RPC_CHANNEL, handler);
    return () => {
      ipcRenderer.off(RPC_CHANNEL, handler);
    };
  },
});
