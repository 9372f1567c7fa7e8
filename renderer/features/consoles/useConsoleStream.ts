// One console stream's life in a component: ask main to open it (an RPC that returns the stream
// id and its first state), connect the stream's channel, hand its bytes and control messages to
// the view, and close both when the component goes or `deps` change. Every console view (text,
// host shell, VNC, local terminal) opens its stream this way, so the acknowledgement rules and
// the clean-up live in one place.
import { useEffect, useRef, useState, type DependencyList, type MutableRefObject } from 'react';
import { StreamClient, type BeginMessage, type ConsoleStateView, type EndMessage } from '../../../common/stream/index';
import { api, errorMessage, openStreamSocket } from '../../api/transport';
import { listenForConsoleStates, useConsoleStates } from './store';

export interface ConsoleStreamHandlers {
  /** Output; the view calls `client.consumed(data.length)` once it has really used it (flow control). */
  onBytes(data: Uint8Array, client: StreamClient): void;
  /** A new source on the stream (first attach, or the domain came back). */
  onBegin?(message: BeginMessage, client: StreamClient): void;
  onEnd?(message: EndMessage, client: StreamClient): void;
  /** The stream's channel closed. */
  onClose?(): void;
  /** The stream is open; e.g. focus the terminal. */
  onReady?(client: StreamClient, opened: ConsoleStateView): void;
}

export interface ConsoleStreamHandle {
  streamId: string | null;
  /** The console's state as main last said it. */
  view: ConsoleStateView | undefined;
  /** Why the console could not be opened at all, in main's words. */
  error: string | null;
  /** For sending keystrokes; null until open. */
  client: MutableRefObject<StreamClient | null>;
  /** The open stream's id, for calls made from event handlers (resize, detach). */
  streamIdRef: MutableRefObject<string | null>;
}

export function useConsoleStream(open: () => Promise<ConsoleStateView>, handlers: ConsoleStreamHandlers, deps: DependencyList): ConsoleStreamHandle {
  const [streamId, setStreamId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const client = useRef<StreamClient | null>(null);
  const streamIdRef = useRef<string | null>(null);
  // The latest callbacks, so a re-render never reopens the stream.
  const openRef = useRef(open);
  const handlersRef = useRef(handlers);
  openRef.current = open;
  handlersRef.current = handlers;
  const view = useConsoleStates((s) => (streamId ? s.byStream[streamId] : undefined));

  useEffect(() => {
    listenForConsoleStates();
    let disposed = false;
    let mine: StreamClient | null = null;
    let id: string | null = null;
    setStreamId(null);
    setError(null);

    openRef.current().then(
      (opened) => {
        if (disposed) {
          void api.call('consoles.close', opened.streamId).catch(() => undefined);
          return;
        }
        id = opened.streamId;
        streamIdRef.current = id;
        useConsoleStates.getState().put(opened);
        setStreamId(id);
        const c: StreamClient = new StreamClient(openStreamSocket(id), {
          onBytes: (data) => handlersRef.current.onBytes(data, c),
          onBegin: (message) => handlersRef.current.onBegin?.(message, c),
          onEnd: (message) => handlersRef.current.onEnd?.(message, c),
          onClose: () => handlersRef.current.onClose?.(),
        });
        mine = c;
        client.current = c;
        handlersRef.current.onReady?.(c, opened);
      },
      (e: unknown) => {
        if (!disposed) setError(errorMessage(e));
      },
    );

    return () => {
      disposed = true;
      mine?.close();
      if (client.current === mine) client.current = null;
      if (streamIdRef.current === id) streamIdRef.current = null;
      if (id) {
        void api.call('consoles.close', id).catch(() => undefined);
        useConsoleStates.getState().drop(id);
      }
    };
    // The caller says when the stream must be opened anew.
  }, deps);

  return { streamId, view, error, client, streamIdRef };
}
