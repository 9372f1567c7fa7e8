// Domains of each host, live: one cheap `xl list` per interval per host while some window
// watches that host, merged with the host's config inventory so that stopped domains show too.
import { createHash } from 'node:crypto';
import type { ConfigDocumentView, DomainAction, DomainType, DomainView, TaskView } from '../../common/model/index';
import { UserError, type EventHub } from '../../common/rpc/index';
import { parseConfig, type XlListRow } from '../../common/xen/index';
import { unifiedDiff } from '../../common/text/diff';
import { mergeDomains, type ConfigEntry } from '../toolstack/inventory';
import type { ToolstackDriver } from '../toolstack/index';
import type { TaskHandle, TaskService } from './tasks';

/** The domain service works with any toolstack driver (xl, xm, the demo host's). */
export type DomainDriver = ToolstackDriver;

export interface DriverSource<D extends DomainDriver> {
  driver(hostId: string): Promise<D>;
}

interface HostWatch {
  clients: Set<string>;
  timer?: NodeJS.Timeout;
  ticking: boolean;
  ticks: number;
  last?: DomainView[];
  lastJson?: string;
  configs?: ConfigEntry[];
  /** domid -> type, learnt once per new domain from `xl list -l`. */
  types: Map<string, DomainType>;
  typeMisses: Map<string, number>;
}

export interface DomainsOptions {
  intervalMs?: number;
  /** Re-read the config inventory every N ticks (it changes rarely; actions refresh it at once). */
  inventoryEveryTicks?: number;
}

export class DomainsService<D extends DomainDriver> {
  private readonly watches = new Map<string, HostWatch>();
  private readonly intervalMs: number;
  private readonly inventoryEveryTicks: number;

  constructor(
    private readonly drivers: DriverSource<D>,
    private readonly tasks: TaskService,
    private readonly hub: EventHub,
    options: DomainsOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1500;
    this.inventoryEveryTicks = options.inventoryEveryTicks ?? 20;
  }

  async list(hostId: string): Promise<DomainView[]> {
    return this.refresh(hostId, true);
  }

  async watch(clientId: string, hostId: string): Promise<DomainView[]> {
    const watch = this.watchOf(hostId);
    watch.clients.add(clientId);
    const domains = await this.refresh(hostId, true);
    this.schedule(hostId);
    return domains;
  }

  unwatch(clientId: string, hostId?: string): void {
    for (const [id, watch] of this.watches) {
      if (hostId !== undefined && id !== hostId) continue;
      watch.clients.delete(clientId);
      if (watch.clients.size === 0 && watch.timer) {
        clearTimeout(watch.timer);
        watch.timer = undefined;
      }
    }
  }

  /** Stop watching a host for everyone (it was removed). */
  forget(hostId: string): void {
    const watch = this.watches.get(hostId);
    if (watch?.timer) clearTimeout(watch.timer);
    this.watches.delete(hostId);
  }

  stopAll(): void {
    for (const watch of this.watches.values()) {
      if (watch.timer) clearTimeout(watch.timer);
      watch.timer = undefined;
      watch.clients.clear();
    }
  }

  /** Is anyone polling this host? (For tests and the benchmark of the polling cost.) */
  isPolling(hostId: string): boolean {
    return Boolean(this.watches.get(hostId)?.timer);
  }

  act(hostId: string, name: string, action: DomainAction, confirmName?: string): { view: TaskView; done: Promise<TaskView> } {
    if (action === 'destroy' && confirmName !== name) {
      throw new UserError(`Force off stops "${name}" at once, like pulling its power cord. Type the domain's name to confirm.`, 'confirm');
    }
    const titles: Record<DomainAction, string> = {
      start: `Start ${name}`,
      shutdown: `Shut down ${name}`,
      reboot: `Reboot ${name}`,
      destroy: `Force off ${name}`,
      pause: `Pause ${name}`,
      unpause: `Resume ${name}`,
    };
    return this.hostTask(hostId, titles[action], async (driver, task) => {
      if (action === 'start') {
        const running = (await driver.list()).some((d) => d.name === name);
        if (running) throw new UserError(`${name} is already running.`, 'conflict');
        const config = (await driver.listConfigs()).find((c) => c.name === name);
        if (!config) {
          throw new UserError(`Hearth found no config file for ${name} in /etc/xen. Create one, or start it with its config path.`, 'not-found');
        }
        task.log(`xl create ${config.path}`);
        await driver.create(config.path);
      } else if (action === 'shutdown') {
        await driver.shutdown(name, { wait: false });
        return `Asked ${name} to shut down; it goes when its OS has finished.`;
      } else {
        await driver[action](name);
      }
    });
  }

  rename(hostId: string, name: string, newName: string) {
    return this.hostTask(hostId, `Rename ${name} to ${newName}`, (driver) => driver.rename(name, newName));
  }

  save(hostId: string, name: string, file: string) {
    return this.hostTask(hostId, `Save ${name} to ${file}`, (driver) => driver.save(name, file));
  }

  restore(hostId: string, file: string) {
    return this.hostTask(hostId, `Restore from ${file}`, (driver) => driver.restore(file));
  }

  async setAutostart(hostId: string, configPath: string, on: boolean): Promise<void> {
    const driver = await this.drivers.driver(hostId);
    await driver.setAutostart(configPath, on);
    await this.refresh(hostId, true);
  }

  async readConfig(hostId: string, path: string): Promise<ConfigDocumentView> {
    const driver = await this.drivers.driver(hostId);
    return documentView(path, await driver.readFile(path));
  }

  async diffConfig(hostId: string, path: string, newText: string): Promise<string> {
    const driver = await this.drivers.driver(hostId);
    const current = await driver.readFile(path);
    return unifiedDiff(current, newText, { fromName: path, toName: `${path} (edited)` });
  }

  async writeConfig(hostId: string, path: string, newText: string, expectedSha256: string) {
    const parsed = parseConfig(newText);
    if (parsed.problems.length > 0) {
      const lines = parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ');
      throw new UserError(`Nothing was written: the new text has problems (${lines}). Fix them and save again.`, 'invalid-config');
    }
    const driver = await this.drivers.driver(hostId);
    const { backupPath } = await driver.writeFileAtomic(path, newText, expectedSha256);
    void this.refresh(hostId, true).catch(() => undefined);
    return { backupPath, document: documentView(path, newText) };
  }

  private hostTask(hostId: string, title: string, work: (driver: D, task: TaskHandle) => Promise<unknown>) {
    return this.tasks.start(hostId, title, async (task) => {
      const driver = await this.drivers.driver(hostId);
      try {
        const summary = await work(driver, task);
        return typeof summary === 'string' ? summary : undefined;
      } finally {
        void this.refresh(hostId, true).catch(() => undefined);
      }
    });
  }

  private watchOf(hostId: string): HostWatch {
    let watch = this.watches.get(hostId);
    if (!watch) {
      watch = { clients: new Set(), ticking: false, ticks: 0, types: new Map(), typeMisses: new Map() };
      this.watches.set(hostId, watch);
    }
    return watch;
  }

  private schedule(hostId: string) {
    const watch = this.watchOf(hostId);
    if (watch.timer || watch.clients.size === 0) return;
    watch.timer = setTimeout(async () => {
      watch.timer = undefined;
      if (watch.clients.size === 0) return;
      watch.ticks += 1;
      try {
        await this.refresh(hostId, watch.ticks % this.inventoryEveryTicks === 0);
      } catch {
        // The host's connection state says what went wrong; try again next interval.
      }
      this.schedule(hostId);
    }, this.intervalMs);
  }

  /** Read the host's domains and tell watchers when they changed. */
  private async refresh(hostId: string, withInventory: boolean): Promise<DomainView[]> {
    const watch = this.watchOf(hostId);
    const driver = await this.drivers.driver(hostId);
    const [rows, configs] = await Promise.all([
      driver.list(),
      withInventory || !watch.configs ? driver.listConfigs() : Promise.resolve(watch.configs),
    ]);
    watch.configs = configs;
    await this.learnTypes(driver, watch, rows);
    const domains = mergeDomains(rows, configs, (r) => watch.types.get(`${r.id}:${r.name}`));
    const json = JSON.stringify(domains);
    if (json !== watch.lastJson) {
      watch.lastJson = json;
      watch.last = domains;
      this.hub.emit('domains.changed', { hostId, domains });
    }
    return domains;
  }

  /** After a few failed tries, stop asking about this domain (its config's type stands in). */
  private typeMiss(watch: HostWatch, key: string): void {
    const misses = (watch.typeMisses.get(key) ?? 0) + 1;
    watch.typeMisses.set(key, misses);
    if (misses >= 3) watch.types.set(key, 'unknown');
  }

  private async learnTypes(driver: D, watch: HostWatch, rows: XlListRow[]) {
    const unknown = rows.filter((r) => r.id !== 0 && !watch.types.has(`${r.id}:${r.name}`));
    for (const row of unknown) {
      const key = `${row.id}:${row.name}`;
      try {
        const [details] = await driver.details(row.name);
        // A domain still being built has no details yet: ask again on the next poll.
        if (details?.type && details.type !== 'unknown') watch.types.set(key, details.type);
        else this.typeMiss(watch, key);
      } catch {
        this.typeMiss(watch, key);
      }
    }
  }
}

export function documentView(path: string, text: string): ConfigDocumentView {
  const parsed = parseConfig(text);
  return {
    path,
    text,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    values: parsed.values() as Record<string, unknown>,
    problems: parsed.problems,
    editable: parsed.editable,
  };
}
