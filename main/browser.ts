// Browser mode: Hearth's main process under plain Node, the renderer in any browser on this
// machine. Secrets stay in memory only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHearth, type HearthOptions } from './index';
import { InMemorySecretStore } from './ssh/index';
import { streamRoutes } from './transport/streams';
import { startBrowserServer } from './transport/ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function runBrowserMode(options: { port?: number; token?: string; home?: string; localTerminals?: HearthOptions['localTerminals'] } = {}) {
  const hearth = createHearth({
    mode: 'browser',
    secrets: new InMemorySecretStore(),
    canRememberSecrets: false,
    home: options.home,
    localTerminals: options.localTerminals,
  });
  const server = await startBrowserServer({
    staticDir: path.join(root, 'dist', 'renderer'),
    port: options.port,
    token: options.token,
    onClient: (channel) => hearth.attach(channel),
    streamRoutes: streamRoutes(hearth.services.consoles),
  });
  return {
    url: server.url,
    hearth,
    async close() {
      await server.close();
      await hearth.close();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const portArg = process.argv.find((a) => a.startsWith('--port='));
  const running = await runBrowserMode({ port: portArg ? Number(portArg.slice(7)) : Number(process.env.HEARTH_PORT) || undefined });
  console.log(`Hearth is running in browser mode. Open this address in a browser on this machine:\n  ${running.url}`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
