// Composition root: plain constructors, no container. Both the Electron app and browser mode
// build Hearth here and differ only in the transport and where secrets may be kept.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { EventHub, serveChannel, type FrameChannel } from '../common/rpc/index';
import { implement, type ClientContext } from './api';
import { createDemoExecutor } from './demo/index';
import type { SecretStore } from './ssh/index';
import { ConsolesService } from './services/consoles';
import { DomainsService } from './services/domains';
import { HostStore } from './services/host-store';
import { HostsService } from './services/hosts';
import { LocalTerminals, type LocalTerminalOptions } from './services/local-terminals';
import { MetricsService } from './services/metrics';
import { MetricsStore } from './services/metrics-store';
import { createOpener } from './services/opener';
import { appRoot, hearthHome } from './services/paths';
import { PromptBroker } from './services/prompts';
import { TaskService } from './services/tasks';
import { createDriver, type ToolstackDriver } from './toolstack/index';

export interface HearthOptions {
  mode: 'electron' | 'browser';
  secrets: SecretStore;
  /** Electron with a working keychain may keep secrets the user asks it to remember. */
  canRememberSecrets: boolean;
  home?: string;
  locale?: string;
  pollIntervalMs?: number;
  /** Terminals on this machine (a shell, the system ssh); tests give ssh its options here. */
  localTerminals?: LocalTerminalOptions;
}

export interface Hearth {
  /** Serve the contract to one window; returns the function that forgets it. */
  attach(channel: FrameChannel): () => void;
  close(): Promise<void>;
  services: ReturnType<typeof buildServices>;
}


function version(): string {
  try {
    return JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

function buildServices(options: HearthOptions) {
  const home = options.home ?? hearthHome();
  const hub = new EventHub();
  const prompts = new PromptBroker(hub);
  const tasks = new TaskService(hub);
  const store = new HostStore(path.join(home, 'hosts.json'));
  const opener = createOpener({
    secrets: options.secrets,
    knownHostsStore: path.join(home, 'known_hosts'),
    demo: () => createDemoExecutor(),
  });
  const hosts = new HostsService<ToolstackDriver>(
    store,
    opener,
    (executor, host) => createDriver(executor, { user: host.demo ? 'root' : host.user ?? 'root' }),
    prompts,
    hub,
    options.canRememberSecrets,
  );
  const domains = new DomainsService<ToolstackDriver>(hosts, tasks, hub, { intervalMs: options.pollIntervalMs });
  const metrics = new MetricsService(hosts, hub, { store: new MetricsStore(path.join(home, 'metrics')) });
  const local = new LocalTerminals((id) => hosts.stored(id), options.localTerminals);
  const consoles = new ConsolesService(hosts, hub, { local });
  return { hub, prompts, tasks, store, hosts, domains, consoles, metrics };
}

export function createHearth(options: HearthOptions): Hearth {
  const services = buildServices(options);
  const impl = implement({
    version: version(),
    mode: options.mode,
    locale: options.locale ?? Intl.DateTimeFormat().resolvedOptions().locale,
    hosts: services.hosts,
    domains: services.domains,
    prompts: services.prompts,
    tasks: services.tasks,
    metrics: services.metrics,
    consoles: services.consoles,
  });

  return {
    services,
    attach(channel) {
      const ctx: ClientContext = { clientId: randomUUID() };
      const detachEvents = services.hub.attach(channel);
      const stopServing = serveChannel(impl, channel, ctx, {
        onInternalError: (method, error) => console.error(`Hearth: ${method} failed:`, error),
      });
      services.prompts.replay((prompt, kind) =>
        channel.send({ t: 'event', name: kind === 'hostKey' ? 'hosts.hostKeyPrompt' : 'hosts.secretPrompt', payload: prompt }),
      );
      const forget = () => {
        detachEvents();
        stopServing();
        services.domains.unwatch(ctx.clientId);
        services.metrics.unsubscribe(ctx.clientId);
        services.consoles.closeFor(ctx.clientId);
      };
      const stopClose = channel.onClose(forget);
      return () => {
        stopClose();
        forget();
      };
    },
    async close() {
      services.domains.stopAll();
      await services.metrics.close();
      services.consoles.closeAll();
      await services.hosts.closeAll();
    },
  };
}
