// What xl (or xm) printed when a command failed, said so that the user knows what to change.
// The patterns come from the messages in tools/xl and tools/libs/light of the Xen source.
import { UserError } from '../../common/rpc/index';
import type { Toolstack } from '../../common/model/index';
import type { ExecResult } from './executor';

export interface FailureContext {
  /** The toolstack command: create, shutdown, rename, info ... */
  action: string;
  domain?: string;
  configPath?: string;
  newName?: string;
  file?: string;
}

interface Rule {
  test: RegExp;
  code: string;
  message: (ctx: FailureContext, toolstack: Toolstack, output?: string) => string;
}

const RULES: Rule[] = [
  {
    // xl: "NAME is an invalid domain identifier (rc=-6)"; "Error: Domain 'NAME' does not exist.";
    // xm: "Error: Domain 'NAME' does not exist."
    test: /is an invalid domain identifier|Domain '.*' does not exist|Domain .* not found|Invalid domain identifier/i,
    code: 'domain-not-found',
    message: (ctx) =>
      `Domain "${ctx.domain ?? ''}" was not found on this host: it is not running (xl lists only running and paused domains). Refresh the list.`,
  },
  {
    // xl create: "Failed to read config file: PATH: No such file or directory"
    test: /Failed to read config (file)?.*No such file|Can't read config file|No such file or directory.*\.cfg|Error: .*config file.*(not found|does not exist)/i,
    code: 'config-missing',
    message: (ctx) =>
      `The config file ${ctx.configPath ?? ctx.file ?? ''} does not exist on the host. Check the path, or pick the domain's config from the list.`,
  },
  {
    // libxl: 'domain with name "NAME" already exists.'; xm: "Domain 'NAME' already exists"
    test: /already exists|name already in use|already in use/i,
    code: 'name-in-use',
    message: (ctx, _toolstack, output) => {
      const named = /name "([^"]+)" already exists|Domain '([^']+)' already exists/.exec(output ?? '');
      const name = ctx.newName ?? named?.[1] ?? named?.[2] ?? ctx.domain;
      return name
        ? `A domain named "${name}" is already running on this host. Pick another name, or stop that domain first.`
        : 'A domain with that name is already running on this host. Pick another name, or stop that domain first.';
    },
  },
  {
    // xl: "failed to free memory for the domain"; libxc allocation failures.
    test: /failed to free memory|Out of memory|not enough memory|Cannot allocate memory|xc_dom_alloc|insufficient memory|could not allocate/i,
    code: 'not-enough-memory',
    message: () =>
      'Xen does not have enough free memory for this domain. Stop another domain or lower this one\'s memory setting, then try again.',
  },
  {
    test: /xend is running/i,
    code: 'xend-running',
    message: () => 'xend is running on this host, and xl refuses to work beside it. Stop xend, or manage this host with xm.',
  },
  {
    test: /cannot init xl context|privileged command interface|cannot open libxc handle|xc_interface_open|Is xend running|Unable to connect to xend/i,
    code: 'xen-not-running',
    message: (_ctx, toolstack) =>
      toolstack === 'xm'
        ? 'xm cannot reach xend: start xend on the host (/etc/init.d/xend start) and try again.'
        : 'xl cannot talk to Xen on this host: it was not booted with the Xen hypervisor, or the Xen services are not started (/etc/init.d/xen start).',
  },
  {
    test: /Permission denied|must be run as root|need to be root|Operation not permitted/i,
    code: 'permission-denied',
    message: (ctx, toolstack) =>
      `${toolstack} ${ctx.action} needs root rights on the host. Connect as root, or allow ${toolstack} through sudo without a password for this user.`,
  },
];

/** A UserError saying why a toolstack command failed; xl's own words are kept at the end. */
export function describeFailure(toolstack: Toolstack, ctx: FailureContext, result: ExecResult): UserError {
  const output = `${result.stderr}\n${result.stdout}`;
  const said = lastMeaningfulLine(result.stderr) || lastMeaningfulLine(result.stdout);
  for (const rule of RULES) {
    if (rule.test.test(output)) {
      // Quote the line that told us, not whatever xl printed last.
      const line = output.split('\n').find((l) => rule.test.test(l))?.trim() || said;
      return new UserError(`${rule.message(ctx, toolstack, output)}${line ? ` (${toolstack} said: ${line})` : ''}`, rule.code);
    }
  }
  const what = [toolstack, ctx.action, ctx.domain ?? ctx.configPath ?? ctx.file].filter(Boolean).join(' ');
  if (result.code === null) {
    return new UserError(`${what} did not finish: the connection to the host dropped or the command was stopped.`, 'interrupted');
  }
  return new UserError(`${what} failed${said ? `: ${said}` : ` with exit code ${result.code}`}.`, 'toolstack-failed');
}

function lastMeaningfulLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^Usage:|^Options:/.test(l));
  return lines[lines.length - 1] ?? '';
}
