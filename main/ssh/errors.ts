// Errors the SSH layer raises. Each message says what happened and what to do about it, so the
// app can show it as is (the UserError convention of common/rpc).

import { UserError } from '../../common/rpc';

export type SshErrorCode =
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'host-key-rejected'
  | 'auth-failed'
  | 'connection-lost'
  | 'not-connected'
  | 'unreachable'
  | 'timeout'
  | 'aborted'
  | 'closed';

export class SshError extends UserError {
  constructor(
    message: string,
    readonly sshCode: SshErrorCode,
  ) {
    super(message, `ssh-${sshCode}`);
    this.name = 'SshError';
  }
}

/** Failures that trying again cannot fix without the user: stop reconnecting. */
export function isFatalSshError(error: unknown): boolean {
  return (
    error instanceof SshError &&
    (error.sshCode === 'host-key-changed' ||
      error.sshCode === 'host-key-revoked' ||
      error.sshCode === 'host-key-rejected' ||
      error.sshCode === 'auth-failed' ||
      error.sshCode === 'closed')
  );
}
