// The desktop app: one hardened window over the same main-process code as browser mode.
// contextIsolation + sandbox on, no Node in the page, a strict CSP served with every file,
// navigation and new windows denied.
import { app, BrowserWindow, ipcMain, MessageChannelMain, Menu, protocol, session, shell, type MessagePortMain } from 'electron';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHearth } from '../index';
import { InMemorySecretStore } from '../ssh/index';
import { appRoot, hearthHome } from '../services/paths';
import { ipcChannel } from '../transport/ipc';
import { CONTENT_SECURITY_POLICY } from '../transport/ws';
import { connectStream, type MessageEndpoint } from '../transport/streams';
import { SafeStorageSecretStore } from './secrets';

const SCHEME = 'hearth';
const ORIGIN = `${SCHEME}://app`;
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

async function main() {
  await app.whenReady();
  const rendererDir = path.join(appRoot(), 'dist', 'renderer');
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = path.resolve(rendererDir, '.' + (url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname)));
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const secure = SafeStorageSecretStore.available();
  const hearth = createHearth({
    mode: 'electron',
    secrets: secure ? new SafeStorageSecretStore(path.join(hearthHome(), 'secrets.json')) : new InMemorySecretStore(),
    canRememberSecrets: secure,
    locale: app.getLocale(),
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Hearth',
    webPreferences: {
      preload: path.join(appRoot(), 'dist', 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
  const detach = hearth.attach(ipcChannel(window.webContents, ORIGIN));
  // Console streams: a MessagePort per stream, asked for by the preload's openStream.
  ipcMain.on('hearth:stream-open', (event, streamId: unknown) => {
    if (event.sender !== window.webContents || !(event.senderFrame?.url ?? '').startsWith(ORIGIN) || typeof streamId !== 'string') return;
    const { port1, port2 } = new MessageChannelMain();
    if (connectStream(hearth.services.consoles, streamId, portEndpoint(port1))) event.sender.postMessage('hearth:stream', streamId, [port2]);
  });
  window.on('closed', detach);
  await window.loadURL(`${ORIGIN}/index.html`);

  app.on('window-all-closed', async () => {
    await hearth.close();
    app.quit();
  });
}

/** A MessagePortMain as a stream endpoint: bytes as Uint8Array, control messages as strings. */
function portEndpoint(port: MessagePortMain): MessageEndpoint {
  port.start();
  return {
    sendBinary: (data) => port.postMessage(data),
    sendText: (text) => port.postMessage(text),
    onMessage: (listener) =>
      port.on('message', (event) => {
        const data: unknown = event.data;
        if (typeof data === 'string') listener(data);
        else if (data instanceof Uint8Array) listener(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        else if (data instanceof ArrayBuffer) listener(Buffer.from(data));
      }),
    onClose: (listener) => port.on('close', listener),
    close: () => port.close(),
  };
}

main().catch((error) => {
  console.error('Hearth could not start:', error);
  app.exit(1);
});
