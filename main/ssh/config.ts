// ~/.ssh/config, the part Hearth needs to reach a host the way `ssh alias` would: Host blocks
// (wildcards and negation), first obtained value wins, HostName, User, Port, IdentityFile
// (several), ProxyJump (a chain, or another alias). Match blocks are skipped: Hearth cannot
// evaluate `exec` and the like, so it does not pretend to.

import { isAbsolute, join } from 'node:path';
import { matchPatternList } from './known-hosts';

export interface SshTarget {
  /** The address actually dialled (HostName applied). */
  host: string;
  port: number;
  user: string;
  /** From IdentityFile, absolute; empty means "use the default key files". */
  identityFiles: string[];
  /** Hosts to jump through, first hop first. */
  proxyJump: SshTarget[];
  /** The name the user typed (an alias or a host). */
  alias: string;
}

export interface ResolveOptions {
  configText: string;
  homeDir: string;
  defaultUser: string;
  /** Reads an Include'd file; without it Include lines are skipped. Returns undefined when absent. */
  readFile?: (path: string) => string | undefined;
}

interface Directive {
  keyword: string;
  args: string[];
}

type Block = { kind: 'all' } | { kind: 'host'; patterns: string[] } | { kind: 'match' };

interface ScopedDirective extends Directive {
  block: Block;
}

/** Split one config line into keyword and arguments (`Key value`, `Key=value`, "quoted args"). */
export function tokenizeLine(line: string): Directive | null {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  const keywordMatch = /^([^\s=]+)\s*(?:=\s*|\s+|$)/.exec(trimmed);
  if (!keywordMatch) return null;
  const rest = trimmed.slice(keywordMatch[0].length);
  const args: string[] = [];
  const argPattern = /"([^"]*)"|(\S+)/g;
  for (let match = argPattern.exec(rest); match; match = argPattern.exec(rest)) {
    if (match[2]?.startsWith('#')) break;
    args.push(match[1] ?? match[2]);
  }
  return { keyword: keywordMatch[1].toLowerCase(), args };
}

function parseDirectives(text: string, options: ResolveOptions, depth: number, block: Block = { kind: 'all' }): ScopedDirective[] {
  const out: ScopedDirective[] = [];
  let current = block;
  for (const line of text.split('\n')) {
    const directive = tokenizeLine(line);
    if (!directive) continue;
    if (directive.keyword === 'host') {
      current = { kind: 'host', patterns: directive.args };
      continue;
    }
    if (directive.keyword === 'match') {
      current = { kind: 'match' };
      continue;
    }
    if (directive.keyword === 'include') {
      if (!options.readFile || depth >= 8) continue;
      for (const name of directive.args) {
        const path = expandTilde(name, options.homeDir);
        const absolute = isAbsolute(path) ? path : join(options.homeDir, '.ssh', path);
        const included = options.readFile(absolute);
        // An Include inside a Host block is part of that block, as in OpenSSH.
        if (included !== undefined) out.push(...parseDirectives(included, options, depth + 1, current));
      }
      continue;
    }
    out.push({ ...directive, block: current });
  }
  return out;
}

function blockApplies(block: Block, name: string): boolean {
  if (block.kind === 'all') return true;
  if (block.kind === 'match') return false;
  return matchPatternList(name, block.patterns);
}

export function expandTilde(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/')) return join(homeDir, path.slice(2));
  return path;
}

interface HostSettings {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
}

function settingsFor(name: string, directives: readonly ScopedDirective[]): HostSettings {
  const settings: HostSettings = { identityFiles: [] };
  for (const directive of directives) {
    if (!blockApplies(directive.block, name) || directive.args.length === 0) continue;
    const value = directive.args[0];
    switch (directive.keyword) {
      case 'hostname':
        settings.hostName ??= value;
        break;
      case 'user':
        settings.user ??= value;
        break;
      case 'port': {
        const port = Number(value);
        if (settings.port === undefined && Number.isInteger(port) && port > 0 && port < 65536) settings.port = port;
        break;
      }
      case 'identityfile':
        settings.identityFiles.push(value);
        break;
      case 'proxyjump':
        settings.proxyJump ??= value;
        break;
    }
  }
  return settings;
}

/** `%h %% %d %u %r` in HostName and IdentityFile, as ssh(1) expands them. */
function expandTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/%(.)/g, (whole, letter: string) => (letter === '%' ? '%' : (tokens[letter] ?? whole)));
}

/** One ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr]:port`, or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): { user?: string; host: string; port?: number } {
  let rest = spec.startsWith('ssh://') ? spec.slice('ssh://'.length).replace(/\/$/, '') : spec;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: number | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const withPort = /^([^:]+):(\d+)$/.exec(rest);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (withPort) {
    host = withPort[1];
    port = Number(withPort[2]);
  }
  return { user: user || undefined, host, port };
}

/** Where `ssh aliasOrHost` would connect, and as whom. */
export function resolveSshTarget(aliasOrHost: string, options: ResolveOptions): SshTarget {
  const directives = parseDirectives(options.configText, options, 0);
  return resolveWith(parseJumpSpec(aliasOrHost), directives, options, 0);
}

function resolveWith(
  spec: { user?: string; host: string; port?: number },
  directives: readonly ScopedDirective[],
  options: ResolveOptions,
  depth: number,
): SshTarget {
  if (depth > 8) throw new Error(`ProxyJump in ~/.ssh/config loops back on itself near "${spec.host}": remove the cycle.`);
  const settings = settingsFor(spec.host, directives);
  const user = spec.user ?? settings.user ?? options.defaultUser;
  const tokens = { h: spec.host, d: options.homeDir, u: options.defaultUser, r: user };
  const host = settings.hostName ? expandTokens(settings.hostName, tokens) : spec.host;
  const tokensWithHost = { ...tokens, h: host };
  const identityFiles = settings.identityFiles.map((file) => {
    const expanded = expandTilde(expandTokens(file, tokensWithHost), options.homeDir);
    return isAbsolute(expanded) ? expanded : join(options.homeDir, expanded);
  });
  const jumpValue = settings.proxyJump;
  const proxyJump =
    jumpValue && jumpValue.toLowerCase() !== 'none'
      ? jumpValue
          .split(',')
          .filter((hop) => hop.trim() !== '')
          .map((hop) => resolveWith(parseJumpSpec(hop.trim()), directives, options, depth + 1))
      : [];
  return { host, port: spec.port ?? settings.port ?? 22, user, identityFiles, proxyJump, alias: spec.host };
}
