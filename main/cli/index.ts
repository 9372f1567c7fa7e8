// `hearth`: the command line beside the app. It shares the app's host list
// (${HEARTH_HOME:-~/.config/hearth}/hosts.json) and known_hosts store, and drives hosts through
// the same toolstack driver.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../../common/rpc/index';
import { parseConfig } from '../../common/xen/index';
import { HostStore, type StoredHost } from '../services/host-store';
import { mergeDomains } from '../toolstack/inventory';
import { openHost, type OpenedHost } from './connect';
import { formatTable } from './format';
import { processTerminal, type Terminal } from './terminal';

export const USAGE = `Usage:
  hearth hosts add NAME --address ADDRESS [--port PORT] [--user USER] [--identity FILE]
  hearth hosts add NAME --alias SSH_CONFIG_HOST
  hearth hosts list [--json]
  hearth hosts remove NAME
  hearth info --host NAME [--json]
  hearth list --host NAME [--json]
  hearth start|shutdown|destroy|pause|unpause --host NAME DOMAIN
        shutdown: [--wait]   destroy (force off): [--yes], else type the name to confirm
  hearth config check FILE

Options for commands that connect: --accept-host-key SHA256:...  accept an unknown host key
  with exactly this fingerprint (for scripts; in a terminal Hearth asks instead).
Hosts are kept in ${'${HEARTH_HOME:-~/.config/hearth}'}/hosts.json, shared with the Hearth app.
`;

class UsageError extends Error {}

export interface CliContext {
  terminal: Terminal;
  store: HostStore;
}

export async function main(argv: string[], context: Partial<CliContext> = {}): Promise<number> {
  const terminal = context.terminal ?? processTerminal();
  const store = context.store ?? new HostStore();
  try {
    return await dispatch(argv, { terminal, store });
  } catch (error) {
    if (error instanceof UsageError) {
      terminal.err(`hearth: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof UserError) {
      terminal.err(`hearth: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    terminal.err(`hearth: unexpected failure: ${message}\n`);
    return 1;
  }
}

const LIFECYCLE = new Set(['start', 'shutdown', 'destroy', 'pause', 'unpause']);

async function dispatch(argv: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    ctx.terminal.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'hosts') return hostsCommand(rest, ctx);
  if (command === 'config') return configCommand(rest, ctx);
  if (command === 'info') return infoCommand(rest, ctx);
  if (command === 'list') return listCommand(rest, ctx);
  if (LIFECYCLE.has(command)) return lifecycleCommand(command, rest, ctx);
  throw new UsageError(`unknown command "${command}".`);
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

function parse<T extends OptionsConfig>(args: string[], options: T, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      parsed.positionals.length < positionals ? 'a required argument is missing.' : `unexpected argument "${parsed.positionals[positionals]}".`,
    );
  }
  return parsed;
}

// ---- hosts ----

async function hostsCommand(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values, positionals } = parse(
      rest,
      {
        address: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string' },
        identity: { type: 'string' },
        alias: { type: 'string' },
      },
      1,
    );
    const name = positionals[0];
    if (values.alias !== undefined && values.address !== undefined) {
      throw new UsageError('give either --address or --alias, not both.');
    }
    if (values.alias === undefined && values.address === undefined) {
      throw new UsageError('give the host\'s --address, or --alias naming a Host of ~/.ssh/config.');
    }
    let port: number | undefined;
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a number from 1 to 65535, not "${values.port}".`);
    }
    const host = await ctx.store.add({
      name,
      address: values.address,
      port,
      user: values.user,
      sshAlias: values.alias,
      // The app runs from another folder: keep the key's absolute path.
      identityFile: values.identity === undefined ? undefined : path.resolve(values.identity),
    });
    ctx.terminal.out(`Added host ${host.name} (${describeHost(host)}).\n`);
    return 0;
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0);
    const hosts = await ctx.store.list();
    if (values.json) {
      ctx.terminal.out(JSON.stringify(hosts, null, 2) + '\n');
      return 0;
    }
    if (hosts.length === 0) {
      ctx.terminal.out(`No hosts yet. Add one: hearth hosts add NAME --address ADDRESS (kept in ${ctx.store.file}).\n`);
      return 0;
    }
    ctx.terminal.out(
      formatTable(
        ['NAME', 'CONNECTS TO'],
        hosts.map((h) => [h.name, describeHost(h)]),
      ),
    );
    return 0;
  }
  if (sub === 'remove') {
    const { positionals } = parse(rest, {}, 1);
    const host = await findHost(ctx, positionals[0]);
    await ctx.store.remove(host.id);
    ctx.terminal.out(`Removed host ${host.name}.\n`);
    return 0;
  }
  throw new UsageError(sub === undefined ? 'hosts needs a subcommand: add, list or remove.' : `unknown hosts subcommand "${sub}".`);
}

function describeHost(host: StoredHost): string {
  if (host.demo) return 'the built-in demo host (a simulation)';
  if (host.sshAlias) return `ssh alias ${host.sshAlias}${host.user ? `, user ${host.user}` : ''}`;
  const user = host.user ? `${host.user}@` : '';
  const port = host.port && host.port !== 22 ? `:${host.port}` : '';
  const key = host.identityFile ? `, key ${host.identityFile}` : '';
  return `${user}${host.address ?? ''}${port}${key}`;
}

async function findHost(ctx: CliContext, name: string | undefined): Promise<StoredHost> {
  if (!name) throw new UsageError('say which host with --host NAME.');
  const host = await ctx.store.get(name);
  if (!host) {
    const names = (await ctx.store.list()).map((h) => h.name);
    throw new UserError(
      `There is no host named "${name}" in ${ctx.store.file}. ${names.length ? `Known hosts: ${names.join(', ')}.` : 'Add it with: hearth hosts add NAME --address ADDRESS'}`,
      'not-found',
    );
  }
  return host;
}

const CONNECT_OPTIONS = {
  host: { type: 'string' },
  'accept-host-key': { type: 'string' },
} as const;

async function withHost<T>(ctx: CliContext, values: { host?: string; 'accept-host-key'?: string }, use: (opened: OpenedHost) => Promise<T>): Promise<T> {
  const stored = await findHost(ctx, values.host);
  const opened = await openHost(stored, { terminal: ctx.terminal, acceptHostKey: values['accept-host-key'] });
  try {
    return await use(opened);
  } finally {
    opened.close();
  }
}

// ---- info / list ----

async function infoCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
  return withHost(ctx, values, async ({ driver, demo }) => {
    const summary = await driver.info();
    if (values.json) {
      ctx.terminal.out(JSON.stringify({ ...summary, demo }, null, 2) + '\n');
      return 0;
    }
    const rows: [string, string][] = [
      ['Host', `${summary.hostname}${demo ? ' (simulation)' : ''}`],
      ['Xen', `${summary.xenVersion} (${summary.toolstack})`],
      ['CPUs', String(summary.nrCpus)],
      ['Memory', `${summary.freeMemoryMiB} MiB free of ${summary.totalMemoryMiB} MiB`],
      ['HVM guests', summary.hvmCapable ? 'yes' : 'no (the CPU or firmware lacks virtualization support)'],
      ['Scheduler', summary.scheduler],
      ['Dom0 up', summary.dom0UptimeSeconds === null ? 'unknown' : formatDuration(summary.dom0UptimeSeconds)],
    ];
    ctx.terminal.out(rows.map(([k, v]) => `${`${k}:`.padEnd(12)}${v}`).join('\n') + '\n');
    return 0;
  });
}

async function listCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
  return withHost(ctx, values, async ({ driver, demo }) => {
    const [rows, configs] = await Promise.all([driver.list(), driver.listConfigs()]);
    const domains = mergeDomains(rows, configs);
    if (values.json) {
      ctx.terminal.out(JSON.stringify(domains, null, 2) + '\n');
      return 0;
    }
    if (demo) ctx.terminal.out('Demo host: a simulation, not a real machine.\n');
    ctx.terminal.out(
      formatTable(
        ['NAME', 'ID', 'STATE', 'MEM(MiB)', 'VCPUS', 'CPU(s)', 'AUTOSTART', 'CONFIG'],
        domains.map((d) => [
          d.name,
          d.id === null ? '-' : String(d.id),
          d.state,
          d.memoryMiB === null ? '-' : String(d.memoryMiB),
          d.vcpus === null ? '-' : String(d.vcpus),
          d.cpuSeconds === null ? '-' : d.cpuSeconds.toFixed(1),
          d.autostart ? 'yes' : '',
          d.configPath ?? '',
        ]),
        { rightAligned: [1, 3, 4, 5] },
      ),
    );
    return 0;
  });
}

// ---- lifecycle ----

async function lifecycleCommand(action: string, args: string[], ctx: CliContext): Promise<number> {
  // --yes belongs to destroy and --wait to shutdown; elsewhere they are usage errors.
  const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, yes: { type: 'boolean' }, wait: { type: 'boolean' } }, 1);
  if (values.yes && action !== 'destroy') throw new UsageError('--yes is for destroy.');
  if (values.wait && action !== 'shutdown') throw new UsageError('--wait is for shutdown.');
  const domain = positionals[0];
  if (action === 'destroy' && !values.yes) {
    if (!ctx.terminal.interactive) {
      throw new UserError(`destroy switches ${domain} off at once, like pulling the plug. Add --yes to do it without a question.`, 'confirm');
    }
    const typed = await ctx.terminal.ask(`Destroy switches "${domain}" off at once, like pulling the plug; unsaved data in it is lost.\nType its name to go on: `);
    if (typed.trim() !== domain) {
      ctx.terminal.err('hearth: the name did not match; nothing was done.\n');
      return 1;
    }
  }
  return withHost(ctx, values, async ({ driver, demo }) => {
    const suffix = demo ? ' (on the demo host, a simulation)' : '';
    switch (action) {
      case 'start': {
        if ((await driver.list()).some((row) => row.name === domain)) {
          throw new UserError(`${domain} is already running.`, 'conflict');
        }
        const config = (await driver.listConfigs()).find((c) => c.name === domain);
        if (!config) {
          throw new UserError(
            `No config file for "${domain}" in /etc/xen on this host: Hearth starts domains from their config files. Create one there first.`,
            'not-found',
          );
        }
        await driver.create(config.path);
        ctx.terminal.out(`Started ${domain} from ${config.path}${suffix}.\n`);
        return 0;
      }
      case 'shutdown':
        await driver.shutdown(domain, { wait: Boolean(values.wait) });
        ctx.terminal.out(
          values.wait ? `${domain} has shut down${suffix}.\n` : `Asked ${domain} to shut down${suffix}; it goes when its OS has finished (add --wait to wait).\n`,
        );
        return 0;
      case 'destroy':
        await driver.destroy(domain);
        ctx.terminal.out(`Destroyed ${domain}${suffix}.\n`);
        return 0;
      case 'pause':
        await driver.pause(domain);
        ctx.terminal.out(`Paused ${domain}${suffix}.\n`);
        return 0;
      case 'unpause':
        await driver.unpause(domain);
        ctx.terminal.out(`Unpaused ${domain}${suffix}.\n`);
        return 0;
      default:
        throw new UsageError(`unknown command "${action}".`);
    }
  });
}

// ---- config check ----

async function configCommand(args: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'check') throw new UsageError(sub === undefined ? 'config needs a subcommand: check.' : `unknown config subcommand "${sub}".`);
  const { positionals } = parse(rest, {}, 1);
  const file = positionals[0];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file.` : `${file}: cannot read it (${code ?? String(error)}).`, 'not-found');
  }
  const document = parseConfig(text);
  if (document.problems.length === 0) {
    const settings = Object.keys(document.values()).length;
    ctx.terminal.out(`${file}: understood (${settings} setting${settings === 1 ? '' : 's'}).\n`);
    return 0;
  }
  for (const problem of document.problems) ctx.terminal.out(`${file}:${problem.line}: ${problem.message}\n`);
  return 1;
}

function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}, ${hours} h ${minutes} min`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min ${Math.floor(seconds % 60)} s`;
}

