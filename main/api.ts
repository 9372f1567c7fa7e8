// The contract's implementation: each method delegates to one service. Arguments arrive here
// already validated against the contract by common/rpc's serveChannel.
import type { Implementation } from '../common/contract/index';
import type { ConsolesService } from './services/consoles';
import type { DomainsService, DomainDriver } from './services/domains';
import type { HostsService } from './services/hosts';
import type { MetricsService } from './services/metrics';
import type { PromptBroker } from './services/prompts';
import type { TaskService } from './services/tasks';

export interface ClientContext {
  clientId: string;
}

export interface Services<D extends DomainDriver> {
  version: string;
  mode: 'electron' | 'browser';
  locale: string;
  hosts: HostsService<D>;
  domains: DomainsService<D>;
  prompts: PromptBroker;
  tasks: TaskService;
  metrics: MetricsService;
  consoles: ConsolesService;
}

export function implement<D extends DomainDriver>(s: Services<D>): Implementation<ClientContext> {
  return {
    'app.info': async () => ({ version: s.version, mode: s.mode, locale: s.locale }),

    'hosts.list': async () => s.hosts.list(),
    'hosts.add': async (_ctx, input) => s.hosts.add(input),
    'hosts.update': async (_ctx, id, input) => s.hosts.update(id, input),
    'hosts.remove': async (_ctx, id) => {
      s.domains.forget(id);
      await s.metrics.forget(id);
      await s.hosts.remove(id);
      return null;
    },
    'hosts.connect': async (_ctx, id) => s.hosts.connect(id),
    'hosts.disconnect': async (_ctx, id) => s.hosts.disconnect(id),
    'hosts.addDemo': async () => s.hosts.addDemo(),
    'hosts.answerHostKey': async (_ctx, promptId, decision) => {
      s.prompts.answerHostKey(promptId, decision);
      return null;
    },
    'hosts.answerSecret': async (_ctx, promptId, secret, remember) => {
      s.prompts.answerSecret(promptId, secret, remember);
      return null;
    },

    'domains.list': async (_ctx, hostId) => s.domains.list(hostId),
    'domains.watch': async (ctx, hostId) => s.domains.watch(ctx.clientId, hostId),
    'domains.unwatch': async (ctx, hostId) => {
      s.domains.unwatch(ctx.clientId, hostId);
      return null;
    },
    'domains.act': async (_ctx, hostId, name, action, options) => s.domains.act(hostId, name, action, options.confirmName).view,
    'domains.rename': async (_ctx, hostId, name, newName) => s.domains.rename(hostId, name, newName).view,
    'domains.save': async (_ctx, hostId, name, file) => s.domains.save(hostId, name, file).view,
    'domains.restore': async (_ctx, hostId, file) => s.domains.restore(hostId, file).view,
    'domains.setAutostart': async (_ctx, hostId, path, on) => {
      await s.domains.setAutostart(hostId, path, on);
      return null;
    },

    'configs.read': async (_ctx, hostId, path) => s.domains.readConfig(hostId, path),
    'configs.diff': async (_ctx, hostId, path, text) => ({ diff: await s.domains.diffConfig(hostId, path, text) }),
    'configs.write': async (_ctx, hostId, path, text, sha) => s.domains.writeConfig(hostId, path, text, sha),

    'consoles.openText': async (ctx, hostId, name, options) => s.consoles.openText(ctx.clientId, hostId, name, options.type, options.size),
    'consoles.openVnc': async (ctx, hostId, name) => s.consoles.openVnc(ctx.clientId, hostId, name),
    'consoles.openHostShell': async (ctx, hostId, size) => s.consoles.openHostShell(ctx.clientId, hostId, size),
    // A shell as this user, for any caller the transport let in: see the contract's note.
    'consoles.openLocal': async (ctx, target, size) => s.consoles.openLocal(ctx.clientId, target, size),
    'consoles.resize': async (_ctx, streamId, size) => {
      s.consoles.resize(streamId, size);
      return null;
    },
    'consoles.detach': async (_ctx, streamId) => {
      s.consoles.detach(streamId);
      return null;
    },
    'consoles.close': async (_ctx, streamId) => {
      s.consoles.close(streamId);
      return null;
    },

    'metrics.subscribe': async (ctx, hostId) => s.metrics.subscribe(ctx.clientId, hostId),
    'metrics.unsubscribe': async (ctx, hostId) => {
      s.metrics.unsubscribe(ctx.clientId, hostId);
      return null;
    },
    'metrics.history': async (_ctx, hostId, domain, range) => s.metrics.history(hostId, domain, range),
    'metrics.settings': async () => s.metrics.settings(),
    'metrics.setSettings': async (_ctx, settings) => s.metrics.setSettings(settings),

    'tasks.list': async () => s.tasks.list(),
    'tasks.cancel': async (_ctx, id) => {
      s.tasks.cancel(id);
      return null;
    },
  };
}
