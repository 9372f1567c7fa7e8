// The renderer's end of console streams, whatever carries them: a WebSocket per stream at
// /stream/<id> in browser mode (already authenticated by the server), a MessagePort per stream
// in Electron (main/app adapts it to MessageEndpoint). Binary messages are bytes, text
// messages are the control messages of common/stream.
import type { WebSocket } from 'ws';
import { STREAM_PATH_PREFIX, parseToMain, streamIdFromPath, type BeginMessage, type EndMessage } from '../../common/stream/index';

/** What the consoles service offers a transport (ConsolesService.attachReceiver). */
export interface StreamAttacher {
  attachReceiver(
    streamId: string,
    receiver: { sendBytes(data: Uint8Array): void; sendControl(message: BeginMessage | EndMessage): void; close(): void },
  ): { input(data: Buffer): void; ack(bytes: number): void; gone(): void } | null;
}

/** A message pipe to the renderer: a WebSocket, an Electron MessagePortMain. */
export interface MessageEndpoint {
  sendBinary(data: Uint8Array): void;
  sendText(text: string): void;
  onMessage(listener: (data: Buffer | string) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/** Tie an endpoint to a stream; false (and the endpoint closed) when the stream does not exist. */
export function connectStream(attacher: StreamAttacher, streamId: string, endpoint: MessageEndpoint): boolean {
  let open = true;
  const handle = attacher.attachReceiver(streamId, {
    sendBytes: (data) => {
      if (open) endpoint.sendBinary(data);
    },
    sendControl: (message) => {
      if (open) endpoint.sendText(JSON.stringify(message));
    },
    close: () => {
      if (!open) return;
      open = false;
      endpoint.close();
    },
  });
  if (!handle) {
    open = false;
    endpoint.close();
    return false;
  }
  endpoint.onMessage((data) => {
    if (typeof data === 'string') {
      const control = parseToMain(data);
      if (control) handle.ack(control.bytes);
    } else {
      handle.input(data);
    }
  });
  endpoint.onClose(() => {
    open = false;
    handle.gone();
  });
  return true;
}

export function webSocketEndpoint(socket: WebSocket): MessageEndpoint {
  return {
    sendBinary: (data) => {
      if (socket.readyState === socket.OPEN) socket.send(data, { binary: true });
    },
    sendText: (text) => {
      if (socket.readyState === socket.OPEN) socket.send(text, { binary: false });
    },
    onMessage: (listener) => {
      socket.on('message', (data, isBinary) => {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        listener(isBinary ? bytes : bytes.toString('utf8'));
      });
    },
    onClose: (listener) => {
      socket.on('close', listener);
    },
    close: () => socket.close(1000, 'stream closed'),
  };
}

/** Browser mode's upgrade routes for streams, for startBrowserServer's `streamRoutes`. */
export function streamRoutes(attacher: StreamAttacher): Record<string, (socket: WebSocket, url: URL) => void> {
  return {
    [STREAM_PATH_PREFIX]: (socket, url) => {
      const id = streamIdFromPath(url.pathname);
      if (!id) {
        socket.close(4404, 'no such stream');
        return;
      }
      connectStream(attacher, id, webSocketEndpoint(socket));
    },
  };
}
