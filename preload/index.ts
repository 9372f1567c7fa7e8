// The renderer's only door to main: send a contract frame, hear frames back. Nothing else of
// Electron or Node reaches the page (contextIsolation and sandbox are on).
import { contextBridge, ipcRenderer } from 'electron';

const RPC_CHANNEL = 'hearth:rpc';
const STREAM_OPEN_CHANNEL = 'hearth:stream-open';
const STREAM_PORT_CHANNEL = 'hearth:stream';

// Main answers a stream request with a MessagePort; hand it to the page (ports cannot cross
// contextBridge, window.postMessage can carry them).
ipcRenderer.on(STREAM_PORT_CHANNEL, (event, streamId: unknown) => {
  if (typeof streamId !== 'string' || !event.ports[0]) return;
  window.postMessage({ hearthStream: streamId }, window.location.origin, [event.ports[0]]);
});

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
  /** Ask main for a console stream's MessagePort; it arrives as a window message {hearthStream: id}. */
  openStream(streamId: string) {
    if (typeof streamId === 'string') ipcRenderer.send(STREAM_OPEN_CHANNEL, streamId);
  },
});
