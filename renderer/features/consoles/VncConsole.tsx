// The graphical console: noVNC's RFB fed with the bytes of a TCP stream that main opened to the
// device model's VNC server through the host's SSH connection. Each stream generation (a new
// connection after the guest rebooted) gets a new RFB session. Scaling, full screen, key
// combinations, typing text as keystrokes (Xen's VNC has no clipboard), a password prompt, a
// screenshot, and a keyboard grab that is visible and can be released with Ctrl+Alt+G.
import { useEffect, useRef, useState } from 'react';
import RFB from '@novnc/novnc';
import type { StreamClient } from '../../../common/stream/index';
import { api } from '../../api/transport';
import { ConsoleStatus } from './ConsoleStatus';
import { COMBOS, XK, keystrokesFor } from './keys';
import { RfbChannel } from './rfb-channel';
import { useConsoleT } from './strings';
import { SwitchToVnc } from './SwitchToVnc';
import { useConsoleStream } from './useConsoleStream';
import './consoles.css';

type Viewer = 'idle' | 'handshake' | 'needs-password' | 'connected' | 'failed';

export function VncConsole({ hostId, domain }: { hostId: string; domain: string }) {
  const t = useConsoleT();
  const screen = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  /** The current RFB session's channel: one per stream generation. */
  const channelRef = useRef<RfbChannel | null>(null);
  const [viewer, setViewer] = useState<Viewer>('idle');
  const [viewerMessage, setViewerMessage] = useState<string | null>(null);
  const [fit, setFit] = useState(true);
  const [focused, setFocused] = useState(false);
  const [password, setPassword] = useState('');
  const [typing, setTyping] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const startRfb = (client: StreamClient, knownPassword: string | null | undefined) => {
    const target = screen.current;
    if (!target) return;
    rfbRef.current?.disconnect();
    target.replaceChildren();
    const channel = new RfbChannel(client);
    channelRef.current = channel;
    const rfb = new RFB(target, channel, knownPassword ? { credentials: { password: knownPassword } } : undefined);
    rfb.scaleViewport = fit;
    rfb.clipViewport = !fit;
    rfb.focusOnClick = true;
    rfb.background = 'transparent';
    rfbRef.current = rfb;
    setViewer('handshake');
    setViewerMessage(null);
    rfb.addEventListener('connect', () => rfbRef.current === rfb && setViewer('connected'));
    rfb.addEventListener('disconnect', () => rfbRef.current === rfb && setViewer('idle'));
    rfb.addEventListener('credentialsrequired', () => {
      if (rfbRef.current !== rfb) return;
      setViewer('needs-password');
    });
    rfb.addEventListener('securityfailure', (event) => {
      if (rfbRef.current !== rfb) return;
      const reason = (event as CustomEvent<{ reason?: string }>).detail?.reason;
      setViewer('failed');
      setViewerMessage(reason ? `The VNC server refused: ${reason}` : 'The VNC server refused the password.');
    });
  };

  // The viewer goes before its stream (declared first, cleaned up first).
  useEffect(
    () => () => {
      rfbRef.current?.disconnect();
      rfbRef.current = null;
      channelRef.current = null;
    },
    [hostId, domain, attempt],
  );

  const { view, error } = useConsoleStream(
    () => api.call('consoles.openVnc', hostId, domain),
    {
      onBegin: (message, client) => startRfb(client, message.vncPassword),
      onBytes: (data, client) => {
        if (channelRef.current) channelRef.current.deliver(data);
        else client.consumed(data.length);
      },
      onEnd: () => channelRef.current?.ended('the VNC connection ended'),
      onClose: () => channelRef.current?.ended('the stream closed'),
    },
    // `fit` is applied separately below; a change of it must not reconnect.
    [hostId, domain, attempt],
  );

  useEffect(() => {
    const rfb = rfbRef.current;
    if (!rfb) return;
    rfb.scaleViewport = fit;
    rfb.clipViewport = !fit;
  }, [fit, viewer]);

  const send = (keys: number[]) => {
    const rfb = rfbRef.current;
    if (!rfb) return;
    for (const k of keys) rfb.sendKey(k, null, true);
    for (const k of [...keys].reverse()) rfb.sendKey(k, null, false);
  };

  const typeText = async (text: string) => {
    for (const key of keystrokesFor(text)) {
      const rfb = rfbRef.current;
      if (!rfb) return;
      if (key.shift) rfb.sendKey(XK.Shift_L, null, true);
      rfb.sendKey(key.keysym, null);
      if (key.shift) rfb.sendKey(XK.Shift_L, null, false);
      await new Promise((r) => setTimeout(r, 12));
    }
  };

  const screenshot = () => {
    const rfb = rfbRef.current;
    if (!rfb) return;
    const a = document.createElement('a');
    a.href = rfb.toDataURL('image/png');
    a.download = `${domain}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    a.click();
  };

  const onKeyDownCapture = (event: React.KeyboardEvent) => {
    if (event.ctrlKey && event.altKey && event.code === 'KeyG') {
      event.preventDefault();
      event.stopPropagation();
      rfbRef.current?.blur();
      (document.querySelector('[data-testid="vnc-release-target"]') as HTMLElement | null)?.focus();
    }
  };

  const mainPhase = view?.phase;
  const phase = mainPhase === 'connected' ? (viewer === 'needs-password' ? 'needs-password' : viewer === 'connected' ? 'connected' : viewer === 'failed' ? 'unavailable' : 'connecting') : (mainPhase ?? 'connecting');
  const live = phase === 'connected';

  return (
    <div className="console console-vnc" data-testid="vnc-console" data-phase={error ? 'unavailable' : phase} data-viewer={viewer}>
      <div className="console-toolbar button-row" role="toolbar">
        <button type="button" data-testid="vnc-release-target" aria-pressed={fit} disabled={!live} onClick={() => setFit(true)}>
          {t('fit')}
        </button>
        <button type="button" aria-pressed={!fit} disabled={!live} onClick={() => setFit(false)}>
          {t('actual')}
        </button>
        <button type="button" disabled={!live} onClick={() => void screen.current?.parentElement?.requestFullscreen().catch(() => undefined)}>
          {t('fullscreen')}
        </button>
        <button type="button" data-testid="vnc-ctrl-alt-del" disabled={!live} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
          {t('ctrlAltDel')}
        </button>
        <select
          aria-label={t('sendKeys')}
          disabled={!live}
          value=""
          onChange={(e) => {
            const combo = COMBOS.find((c) => c.label === e.target.value);
            if (combo) send(combo.keys);
          }}
        >
          <option value="">{t('sendKeys')}</option>
          {COMBOS.map((c) => (
            <option key={c.label} value={c.label}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="button" disabled={!live} onClick={() => setTyping(true)}>
          {t('typeText')}
        </button>
        <button type="button" data-testid="vnc-screenshot" disabled={!live} onClick={screenshot}>
          {t('screenshot')}
        </button>
        {(mainPhase === 'disconnected' || viewer === 'failed') && (
          <button type="button" className="primary" data-testid="vnc-reconnect" onClick={() => setAttempt((n) => n + 1)}>
            {t('reconnect')}
          </button>
        )}
      </div>
      <ConsoleStatus view={view} error={error}>
        {view?.reason === 'sdl' && view.configPath && <SwitchToVnc hostId={hostId} domain={domain} path={view.configPath} />}
      </ConsoleStatus>
      {viewerMessage && (
        <div className="result result-bad" role="alert">
          {viewerMessage}
        </div>
      )}
      {phase === 'needs-password' && (
        <form
          className="button-row console-password"
          onSubmit={(e) => {
            e.preventDefault();
            rfbRef.current?.sendCredentials({ password });
            setPassword('');
            setViewer('handshake');
          }}
        >
          <span>{t('passwordAsk', { name: domain })}</span>
          <input type="password" aria-label={t('password')} autoFocus value={password} onChange={(e) => setPassword(e.target.value)} data-testid="vnc-password" />
          <button type="submit" className="primary">
            {t('connect')}
          </button>
        </form>
      )}
      {typing && <TypeTextPanel onType={(text) => void typeText(text)} onClose={() => setTyping(false)} />}
      {live && (
        <p className="muted console-hint" data-testid="vnc-grab" data-grabbed={focused}>
          {focused ? t('grabbed', { name: domain }) : t('notGrabbed', { name: domain })}
        </p>
      )}
      <div className="console-screen-frame">
        <div
          className={`console-screen${fit ? ' console-screen-fit' : ''}`}
          ref={screen}
          data-testid="vnc-screen"
          onFocusCapture={() => setFocused(true)}
          onBlurCapture={() => setFocused(false)}
          onKeyDownCapture={onKeyDownCapture}
        />
      </div>
    </div>
  );
}

function TypeTextPanel({ onType, onClose }: { onType(text: string): void; onClose(): void }) {
  const t = useConsoleT();
  const [text, setText] = useState('');
  return (
    <form
      className="console-type"
      aria-label={t('typeTextTitle')}
      onSubmit={(e) => {
        e.preventDefault();
        onType(text);
        onClose();
      }}
    >
      <p className="muted">{t('typeTextHelp')}</p>
      <textarea rows={3} value={text} autoFocus onChange={(e) => setText(e.target.value)} data-testid="vnc-type-text" />
      <div className="button-row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.readText().then(
              (clip) => setText(clip),
              () => undefined,
            )
          }
        >
          {t('typeFromClipboard')}
        </button>
        <button type="submit" className="primary" disabled={!text}>
          {t('type')}
        </button>
        <button type="button" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
