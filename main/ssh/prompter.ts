// What the SSH layer needs from the app: someone to ask (host keys, passwords) and somewhere to
// keep secrets the user chose to remember. The app plugs in its own; tests plug in scripted ones.

export type HostKeyDecision = 'reject' | 'once' | 'remember';

export interface HostKeyQuestion {
  host: string;
  port: number;
  keyType: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

export interface SecretRequest {
  kind: 'password' | 'passphrase' | 'keyboard-interactive';
  message: string;
  /** Keyboard-interactive prompts say whether the answer may be shown while typed. */
  echo?: boolean;
}

export interface SecretAnswer {
  /** null: the user cancelled. */
  secret: string | null;
  /** Keep it in the SecretStore for next time. */
  remember: boolean;
}

export interface SshPrompter {
  askHostKey(info: HostKeyQuestion): Promise<HostKeyDecision>;
  askSecret(request: SecretRequest): Promise<SecretAnswer>;
}

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Browser mode: secrets live as long as the process, never on disk. */
export class InMemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
