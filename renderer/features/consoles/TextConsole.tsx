// A text console in xterm.js: `xl console` of a domain, or a login shell on the host. Output is
// written to the terminal and acknowledged only once xterm has written it (flow control, see
// common/stream); keystrokes go straight to the stream. Ctrl-] leaves `xl console` (main sees
// the key and does not reattach); the Detach button does the same.
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import './consoles.css';
import { StreamClient, type TextConsoleType } from '../../../common/stream/index';
import { api, errorMessage, openStreamSocket } from '../../api/transport';
import { ConsoleStatus } from './ConsoleStatus';
import { listenForConsoleStates, useConsoleStates } from './store';
import { useConsoleT } from './strings';

declare global {
  interface Window {
    /** Test hook: the open terminals by `text:<domain>` or `shell:<hostId>`. */
    __hearthTerminals?: Record<string, Terminal>;
  }
}

export interface TextConsoleProps {
  hostId: string;
  /** null: a login shell on the host. */
  domain: string | null;
  type: TextConsoleType;
}

export function TextConsole(props: TextConsoleProps) {
  // A new key after Detach starts a fresh console.
  const [attempt, setAttempt] = useState(0);
  return <TextConsoleSession key={attempt} {...props} onAgain={() => setAttempt((n) => n + 1)} />;
}

function TextConsoleSession({ hostId, domain, type, onAgain }: TextConsoleProps & { onAgain(): void }) {
  const t = useConsoleT();
  const holder = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const [streamId, setStreamId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const view = useConsoleStates((s) => (streamId ? s.byStream[streamId] : undefined));

  useEffect(() => {
    listenForConsoleStates();
    const element = holder.current!;
    const term = new Terminal({
      scrollback: 10_000,
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      allowProposedApi: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener')));
    term.open(element);
    fit.fit();
    termRef.current = term;
    searchRef.current = search;
    const hookKey = domain === null ? `shell:${hostId}` : `text:${domain}`;
    window.__hearthTerminals = { ...(window.__hearthTerminals ?? {}), [hookKey]: term };

    let disposed = false;
    let client: StreamClient | null = null;
    let id: string | null = null;

    // Copy and paste: Ctrl+Shift+C / Ctrl+Shift+V (plain Ctrl+C belongs to the guest).
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      if (event.code === 'KeyC') {
        void navigator.clipboard?.writeText(term.getSelection()).catch(() => undefined);
        return false;
      }
      if (event.code === 'KeyV') {
        void navigator.clipboard?.readText().then((text) => term.paste(text), () => undefined);
        return false;
      }
      return true;
    });

    const size = { cols: Math.max(2, term.cols), rows: Math.max(1, term.rows) };
    const opening =
      domain === null ? api.call('consoles.openHostShell', hostId, size) : api.call('consoles.openText', hostId, domain, { type, size });
    opening.then(
      (opened) => {
        if (disposed) {
          void api.call('consoles.close', opened.streamId).catch(() => undefined);
          return;
        }
        id = opened.streamId;
        useConsoleStates.getState().put(opened);
        setStreamId(opened.streamId);
        client = new StreamClient(openStreamSocket(opened.streamId), {
          onBytes: (data) => term.write(data, () => client?.consumed(data.length)),
          onBegin: (message) => {
            if (message.generation > 1) term.write('\r\n\x1b[2m[Hearth: console attached again]\x1b[0m\r\n');
          },
        });
        term.onData((data) => client?.send(data));
        term.onBinary((data) => client?.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
        term.focus();
      },
      (e: unknown) => !disposed && setError(errorMessage(e)),
    );

    let resizeTimer: ReturnType<typeof setTimeout> | null = null;
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet.
      }
    });
    observer.observe(element);
    term.onResize(({ cols, rows }) => {
      if (resizeTimer) clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        if (id) void api.call('consoles.resize', id, { cols, rows }).catch(() => undefined);
      }, 100);
    });

    return () => {
      disposed = true;
      observer.disconnect();
      if (resizeTimer) clearTimeout(resizeTimer);
      client?.close();
      if (id) {
        void api.call('consoles.close', id).catch(() => undefined);
        useConsoleStates.getState().drop(id);
      }
      if (window.__hearthTerminals?.[hookKey] === term) delete window.__hearthTerminals[hookKey];
      term.dispose();
      termRef.current = null;
    };
  }, [hostId, domain, type]);

  const ended = view?.phase === 'disconnected' || view?.phase === 'unavailable';
  const find = (forward: boolean) => {
    if (!query) return;
    if (forward) searchRef.current?.findNext(query);
    else searchRef.current?.findPrevious(query);
  };

  return (
    <div className="console console-text" data-testid={domain === null ? 'host-shell' : 'text-console'} data-phase={view?.phase ?? (error ? 'unavailable' : 'connecting')}>
      <div className="console-toolbar button-row" role="toolbar">
        {domain !== null && (
          <button type="button" data-testid="console-detach" disabled={!streamId || ended} onClick={() => streamId && void api.call('consoles.detach', streamId).catch(() => undefined)}>
            {t('detach')}
          </button>
        )}
        {ended && (
          <button type="button" className="primary" data-testid="console-again" onClick={onAgain}>
            {domain === null ? t('reconnect') : t('attachAgain')}
          </button>
        )}
        <button type="button" onClick={() => void navigator.clipboard?.writeText(termRef.current?.getSelection() ?? '').catch(() => undefined)}>
          {t('copy')}
        </button>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.readText().then(
              (text) => termRef.current?.paste(text),
              () => undefined,
            )
          }
        >
          {t('paste')}
        </button>
        <input
          type="search"
          aria-label={t('find')}
          placeholder={t('find')}
          value={query}
          data-testid="console-find"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && find(!e.shiftKey)}
        />
        <button type="button" onClick={() => find(false)}>
          {t('findPrevious')}
        </button>
        <button type="button" onClick={() => find(true)}>
          {t('findNext')}
        </button>
      </div>
      <ConsoleStatus view={view} error={error} />
      <div className="console-terminal" ref={holder} data-testid="terminal" />
    </div>
  );
}
