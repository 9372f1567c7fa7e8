// The one builder for every command line sent to a remote shell. Each argument is quoted so
// that a POSIX shell hands it to the program as exactly one argument, whatever it contains
// (`a; rm -rf /`, `$(reboot)`, quotes, new lines, unicode). What no shell can carry (a NUL
// byte) is refused before anything is sent.

export class UnsafeArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeArgumentError';
  }
}

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one argument for a POSIX shell. */
export function quoteArg(arg: string): string {
  if (typeof arg !== 'string') throw new UnsafeArgumentError('Every command argument must be a string.');
  if (arg.includes('\u0000')) throw new UnsafeArgumentError('An argument cannot contain a NUL byte.');
  if (arg.length > 0 && PLAIN.test(arg)) return arg;
  // Inside single quotes nothing is special but the single quote itself: close, escape, reopen.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Build a shell command line from a program and its arguments, every one quoted. */
export function buildCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new UnsafeArgumentError('A command needs a program to run.');
  return argv.map(quoteArg).join(' ');
}
