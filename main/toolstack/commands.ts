// The argv of each toolstack command, for xl and for xm. Positional arguments that begin with
// "-" are put after "--" so that a domain or file name is never read as an option.
import type { Toolstack } from '../../common/model/index';

function positional(args: readonly string[]): string[] {
  return args.some((a) => a.startsWith('-')) ? ['--', ...args] : [...args];
}

export class ToolstackCommands {
  constructor(
    readonly toolstack: Toolstack,
    /** Absolute path of xl or xm on the host. */
    readonly program: string,
  ) {}

  private cmd(subcommand: string, options: readonly string[], args: readonly string[]): string[] {
    return [this.program, subcommand, ...options, ...positional(args)];
  }

  info(): string[] {
    return this.cmd('info', [], []);
  }

  list(): string[] {
    return this.cmd('list', [], []);
  }

  /** One domain by name: how xl says whether it exists. */
  listOne(name: string): string[] {
    return this.cmd('list', [], [name]);
  }

  details(name?: string): string[] {
    const long = this.toolstack === 'xl' ? '-l' : '--long';
    return this.cmd('list', [long], name === undefined ? [] : [name]);
  }

  create(configPath: string): string[] {
    return this.cmd('create', [], [configPath]);
  }

  shutdown(name: string, wait: boolean): string[] {
    return this.cmd('shutdown', wait ? ['-w'] : [], [name]);
  }

  reboot(name: string): string[] {
    return this.cmd('reboot', [], [name]);
  }

  destroy(name: string): string[] {
    return this.cmd('destroy', [], [name]);
  }

  pause(name: string): string[] {
    return this.cmd('pause', [], [name]);
  }

  unpause(name: string): string[] {
    return this.cmd('unpause', [], [name]);
  }

  rename(oldName: string, newName: string): string[] {
    return this.cmd('rename', [], [oldName, newName]);
  }

  save(name: string, file: string): string[] {
    return this.cmd('save', [], [name, file]);
  }

  restore(file: string): string[] {
    return this.cmd('restore', [], [file]);
  }
}
