// The SSH layer's public face: what services and the app may use.

export { DEFAULT_KEY_FILES, passphraseSecretKey, passwordSecretKey } from './auth';
export { type ResolveOptions, type SshTarget, expandTilde, parseJumpSpec, resolveSshTarget } from './config';
export {
  type JumpLease,
  type PtyOptions,
  SshConnection,
  type SshConnectionOptions,
  type SshConnectionState,
  type SshPty,
  type SshStateChange,
  type SshStateListener,
} from './connection';
export { SshError, type SshErrorCode, isFatalSshError } from './errors';
export {
  type HostKeyCheck,
  type KnownHostEntry,
  KnownHosts,
  type KnownHostsOptions,
  fingerprint,
  hostLookupName,
  keyTypeOfBlob,
  parseKnownHosts,
} from './known-hosts';
export { type SshLease, SshPool, type SshPoolOptions, poolKey } from './pool';
export {
  type HostKeyDecision,
  type HostKeyQuestion,
  InMemorySecretStore,
  type SecretAnswer,
  type SecretRequest,
  type SecretStore,
  type SshPrompter,
} from './prompter';
