// Runs commands on Dom0 through an Executor, with root rights where they are needed: directly
// when connected as root, through `sudo -n` otherwise. `-n` never waits for a password that
// nobody can type; when sudo wants one, the user is told exactly what to change.
import { UserError } from '../../common/rpc/index';
import type { ExecOptions, ExecResult, Executor } from './executor';

export interface RunOptions extends ExecOptions {
  /** Needs root: goes through `sudo -n` when the login user is not root. */
  privileged?: boolean;
  /** What the privileged program is, for the sudo message (e.g. `/usr/sbin/xl`). */
  sudoSubject?: string;
}

const SUDO_PASSWORD = /a password is required|a terminal is required|no tty present|askpass/i;
const SUDO_NOT_ALLOWED = /is not in the sudoers file|is not allowed to execute|may not run sudo/i;

export class HostShell {
  constructor(
    readonly executor: Executor,
    /** True when the login user is root (uid 0): nothing goes through sudo. */
    readonly isRoot: boolean,
  ) {}

  async run(argv: readonly string[], options: RunOptions = {}): Promise<ExecResult> {
    const { privileged, sudoSubject, ...execOptions } = options;
    const viaSudo = Boolean(privileged) && !this.isRoot;
    const full = viaSudo ? ['sudo', '-n', '--', ...argv] : argv;
    const result = await this.executor.exec(full, execOptions);
    if (viaSudo && result.code !== 0) checkSudo(result, sudoSubject ?? argv[0]);
    return result;
  }
}

/** Turn sudo's own refusals into a message that says what to change. */
export function checkSudo(result: ExecResult, subject: string): void {
  const text = result.stderr;
  if (!/\bsudo\b/.test(text)) return;
  if (SUDO_PASSWORD.test(text)) {
    throw new UserError(sudoPasswordMessage(subject), 'sudo-password');
  }
  if (SUDO_NOT_ALLOWED.test(text)) {
    throw new UserError(
      `sudo refused to run ${subject} for this user; allow it in sudoers (NOPASSWD for ${subject}) or connect as root.`,
      'sudo-denied',
    );
  }
  if (result.code === 127 && /sudo: (command )?not found|sudo: No such file|not found.*sudo/i.test(text)) {
    throw new UserError('This user is not root and the host has no sudo; install sudo on the host or connect as root.', 'sudo-missing');
  }
}

export function sudoPasswordMessage(subject: string): string {
  const program = subject.split('/').pop() ?? subject;
  return `sudo asked for a password; allow \`${program}\` without a password for this user (sudoers NOPASSWD for ${subject}) or connect as root.`;
}
