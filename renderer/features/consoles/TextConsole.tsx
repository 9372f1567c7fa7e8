// Terminals in xterm.js: `xl console` of a domain, a login shell on the host, or a local
// terminal on this machine (LocalTerminal.tsx); all are the same view over a console stream.
// Output is written to the terminal and acknowledged only once xterm has written it (flow
// control, see common/stream); keystrokes go straight to the stream. Ctrl-] leaves `xl console`
// (main sees the key and does not reattach); the Detach button does the same.
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import './consoles.css';
import type { ConsoleStateView, TerminalSize, TextConsoleType } from '../../../common/stream/index';
import { api } from '../../api/transport';
import { ConsoleStatus } from './ConsoleStatus';
import { useConsoleT } from './strings';
import { useConsoleStream } from './useConsoleStream';

declare global {
  interface Window {
    /** Test hook: the open terminals by `text:<domain>`, `shell:<hostId>`, `local:shell` or `local:ssh:<hostId>`. */
    __hearthTerminals?: Record<string, Terminal>;
  }
}

export interface TextConsoleProps {
  hostId: string;
  /** null: a login shell on the host. */
  domain: string | null;
  type: TextConsoleType;
}

export function TextConsole({ hostId, domain, type }: TextConsoleProps) {
  const t = useConsoleT();
  // A new key after Detach starts a fresh console.
  const [attempt, setAttempt] = useState(0);
  return (
    <TerminalView
      // Another console (or a new attempt) is another terminal and another stream.
      key={`${attempt}\n${hostId}\n${domain}\n${type}`}
      open={(size) => (domain === null ? api.call('consoles.openHostShell', hostId, size) : api.call('consoles.openText', hostId, domain, { type, size }))}
      hookKey={domain === null ? `shell:${hostId}` : `text:${domain}`}
      testId={domain === null ? 'host-shell' : 'text-console'}
      detachable={domain !== null}
      againLabel={domain === null ? t('reconnect') : t('attachAgain')}
      onAgain={() => setAttempt((n) => n + 1)}
    />
  );
}

export interface TerminalViewProps {
  /** Ask main for the stream, at the terminal's first size. Called once per mount. */
  open(size: TerminalSize): Promise<ConsoleStateView>;
  /** Its key in window.__hearthTerminals. */
  hookKey: string;
  testId: string;
  /** Offer Detach (`xl console` only). */
  detachable?: boolean;
  againLabel: string;
  /** Start again once the console ended (the parent remounts with a new key). */
  onAgain(): void;
}

export function TerminalView({ open, hookKey, testId, detachable = false, againLabel, onAgain }: TerminalViewProps) {
  const t = useConsoleT();
  const holder = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const [query, setQuery] = useState('');

  // The terminal first: the stream (below) opens at its size.
  useEffect(() => {
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
    window.__hearthTerminals = { ...(window.__hearthTerminals ?? {}), [hookKey]: term };

    // Copy and paste: Ctrl+Shift+C / Ctrl+Shift+V (plain Ctrl+C belongs to the program).
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
    term.onData((data) => stream.client.current?.send(data));
    term.onBinary((data) => stream.client.current?.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));

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
        const id = stream.streamIdRef.current;
        if (id) void api.call('consoles.resize', id, { cols, rows }).catch(() => undefined);
      }, 100);
    });

    return () => {
      observer.disconnect();
      if (resizeTimer) clearTimeout(resizeTimer);
      if (window.__hearthTerminals?.[hookKey] === term) delete window.__hearthTerminals[hookKey];
      termRef.current = null;
      term.dispose();
    };
  }, [hookKey]);

  const stream = useConsoleStream(
    () => {
      const term = termRef.current;
      return open({ cols: Math.max(2, term?.cols ?? 80), rows: Math.max(1, term?.rows ?? 24) });
    },
    {
      onBytes: (data, client) => {
        const term = termRef.current;
        if (term) term.write(data, () => client.consumed(data.length));
        else client.consumed(data.length);
      },
      onBegin: (message) => {
        if (message.generation > 1) termRef.current?.write('\r\n\x1b[2m[Hearth: console attached again]\x1b[0m\r\n');
      },
      onReady: () => termRef.current?.focus(),
    },
    [hookKey],
  );
  const { streamId, view, error } = stream;

  const ended = view?.phase === 'disconnected' || view?.phase === 'unavailable';
  const find = (forward: boolean) => {
    if (!query) return;
    if (forward) searchRef.current?.findNext(query);
    else searchRef.current?.findPrevious(query);
  };

  return (
    <div className="console console-text" data-testid={testId} data-phase={view?.phase ?? (error ? 'unavailable' : 'connecting')}>
      <div className="console-toolbar button-row" role="toolbar">
        {detachable && (
          <button type="button" data-testid="console-detach" disabled={!streamId || ended} onClick={() => streamId && void api.call('consoles.detach', streamId).catch(() => undefined)}>
            {t('detach')}
          </button>
        )}
        {ended && (
          <button type="button" className="primary" data-testid="console-again" onClick={onAgain}>
            {againLabel}
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
