// The login chain for one connection attempt, in the order OpenSSH users expect: ssh-agent,
// key files, password, keyboard-interactive. It feeds ssh2's authHandler one method at a time,
// asks the prompter only when nothing remembered works, and remembers what worked.

import { existsSync, readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthHandlerMiddleware, KeyboardInteractiveCallback, Prompt } from 'ssh2';
import type { SshTarget } from './config';
import { SshError } from './errors';
import type { SecretStore, SshPrompter } from './prompter';

export const DEFAULT_KEY_FILES = ['.ssh/id_ed25519', '.ssh/id_ecdsa', '.ssh/id_rsa'];

/** Secrets that worked, kept in memory for the life of a connection so a reconnect asks nothing. */
export interface SessionSecrets {
  password?: string;
  passphrases: Map<string, string>;
  /** Encrypted keys the user declined to unlock: not asked again. */
  declinedKeys: Set<string>;
}

export interface AuthContext {
  target: SshTarget;
  homeDir: string;
  agentSocket: string | undefined;
  prompter: SshPrompter;
  secrets: SecretStore;
  memory: SessionSecrets;
  /** Wraps every question to the user, so timers can pause while a human is typing. */
  whilePrompting<T>(question: Promise<T>): Promise<T>;
}

export function passwordSecretKey(target: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  return `ssh-password:${target.user}@${target.host}:${target.port}`;
}

export function passphraseSecretKey(keyFile: string): string {
  return `ssh-passphrase:${keyFile}`;
}

const MAX_PASSWORD_ATTEMPTS = 3;
const MAX_KEYBOARD_ATTEMPTS = 3;
const MAX_PASSPHRASE_ATTEMPTS = 3;

interface PendingPassword {
  value: string;
  remember: boolean;
  fromStore: boolean;
}

export class AuthChain {
  readonly tried: string[] = [];
  private methodsLeft: string[] | null = null;
  private sentNone = false;
  private agentDone = false;
  private keyIndex = 0;
  private passwordAttempts = 0;
  private keyboardAttempts = 0;
  private keyboardCancelled = false;
  private lastPassword: PendingPassword | null = null;
  private readonly passphrasesToStore = new Map<string, string>();
  private readonly keyFiles: string[];

  constructor(private readonly context: AuthContext) {
    const { target, homeDir } = context;
    this.keyFiles = target.identityFiles.length > 0 ? target.identityFiles : DEFAULT_KEY_FILES.map((file) => `${homeDir}/${file}`);
  }

  readonly handler: AuthHandlerMiddleware = (methodsLeft, _partialSuccess, next) => {
    if (methodsLeft) this.methodsLeft = methodsLeft;
    this.nextMethod().then(
      (method) => next(method as AnyAuthMethod),
      () => next(false as unknown as AnyAuthMethod),
    );
  };

  /** Called once the host accepted us: keep what worked for reconnects, store what the user asked to remember. */
  async succeeded(): Promise<void> {
    const { memory, secrets, target } = this.context;
    if (this.lastPassword) {
      memory.password = this.lastPassword.value;
      if (this.lastPassword.remember) await secrets.set(passwordSecretKey(target), this.lastPassword.value);
    }
    for (const [file, passphrase] of this.passphrasesToStore) await secrets.set(passphraseSecretKey(file), passphrase);
  }

  failure(): SshError {
    const { user, host, port } = this.context.target;
    const where = `${user}@${host}${port === 22 ? '' : `:${port}`}`;
    const accepts = this.methodsLeft?.length ? ` The host accepts: ${this.methodsLeft.join(', ')}.` : '';
    if (this.tried.length === 0) {
      return new SshError(
        `Hearth had no way to log in to ${where}: no ssh-agent, no usable key file and no password.${accepts} ` +
          'Create a key with ssh-keygen and install it on the host with ssh-copy-id, or allow password login there.',
        'auth-failed',
      );
    }
    return new SshError(
      `The host refused every way Hearth tried to log in as ${where} (${this.tried.join(', ')}).${accepts} ` +
        'Check the user name, add your public key to ~/.ssh/authorized_keys on the host, or enter the password again.',
      'auth-failed',
    );
  }

  private allows(method: string): boolean {
    return this.methodsLeft === null || this.methodsLeft.includes(method);
  }

  private displayPath(file: string): string {
    const home = this.context.homeDir.replace(/\/$/, '');
    return file.startsWith(`${home}/`) ? `~${file.slice(home.length)}` : file;
  }

  private note(label: string): void {
    if (!this.tried.includes(label)) this.tried.push(label);
  }

  private async nextMethod(): Promise<AnyAuthMethod | false> {
    const { target, agentSocket } = this.context;
    const username = target.user;
    if (!this.sentNone) {
      // Asking with "none" first tells us which methods the host takes, so we never offer a
      // password to a host that only accepts keys.
      this.sentNone = true;
      return { type: 'none', username };
    }
    if (!this.agentDone) {
      this.agentDone = true;
      if (agentSocket && existsSync(agentSocket) && this.allows('publickey')) {
        this.note('agent');
        return { type: 'agent', username, agent: agentSocket };
      }
    }
    while (this.keyIndex < this.keyFiles.length && this.allows('publickey')) {
      const file = this.keyFiles[this.keyIndex++];
      const key = await this.loadKey(file);
      if (!key) continue;
      this.note(`key ${this.displayPath(file)}`);
      return { type: 'publickey', username, key: key.data, passphrase: key.passphrase };
    }
    if (this.allows('password') && this.passwordAttempts < MAX_PASSWORD_ATTEMPTS) {
      const password = await this.passwordCandidate();
      if (password) {
        this.passwordAttempts++;
        this.note('password');
        return { type: 'password', username, password: password.value };
      }
      this.passwordAttempts = MAX_PASSWORD_ATTEMPTS;
    }
    if (this.allows('keyboard-interactive') && !this.keyboardCancelled && this.keyboardAttempts < MAX_KEYBOARD_ATTEMPTS) {
      this.keyboardAttempts++;
      this.note('keyboard-interactive');
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback) => {
          this.answerKeyboard(name, instructions, prompts).then(finish, () => finish(prompts.map(() => '')));
        },
      };
    }
    return false;
  }

  /** A remembered password first (memory, then the store), then the user. */
  private async passwordCandidate(): Promise<PendingPassword | null> {
    const { memory, secrets, target, prompter } = this.context;
    const previous = this.lastPassword;
    if (previous) {
      // It was refused: forget it wherever it came from.
      if (memory.password === previous.value) memory.password = undefined;
      if (previous.fromStore) await secrets.delete(passwordSecretKey(target));
    }
    if (this.passwordAttempts === 0) {
      if (memory.password !== undefined) return (this.lastPassword = { value: memory.password, remember: false, fromStore: false });
      const stored = await secrets.get(passwordSecretKey(target));
      if (stored !== undefined) return (this.lastPassword = { value: stored, remember: false, fromStore: true });
    }
    const where = `${target.user}@${target.host}${target.port === 22 ? '' : `:${target.port}`}`;
    const answer = await this.context.whilePrompting(
      prompter.askSecret({
        kind: 'password',
        message: previous ? `The password was not accepted. Password for ${where}:` : `Password for ${where}:`,
      }),
    );
    if (answer.secret === null) return (this.lastPassword = null);
    return (this.lastPassword = { value: answer.secret, remember: answer.remember, fromStore: false });
  }

  private async answerKeyboard(name: string, instructions: string, prompts: Prompt[]): Promise<string[]> {
    const { memory, secrets, target, prompter } = this.context;
    const answers: string[] = [];
    for (const prompt of prompts) {
      if (this.keyboardCancelled) {
        answers.push('');
        continue;
      }
      const looksLikePassword = !prompt.echo && /password/i.test(prompt.prompt);
      if (looksLikePassword && this.keyboardAttempts === 1) {
        const remembered = memory.password ?? (await secrets.get(passwordSecretKey(target)));
        if (remembered !== undefined) {
          this.lastPassword = { value: remembered, remember: false, fromStore: memory.password === undefined };
          answers.push(remembered);
          continue;
        }
      }
      const message = [name, instructions, prompt.prompt].map((part) => part?.trim()).filter(Boolean).join('\n');
      const answer = await this.context.whilePrompting(
        prompter.askSecret({ kind: 'keyboard-interactive', message, echo: prompt.echo ?? false }),
      );
      if (answer.secret === null) {
        this.keyboardCancelled = true;
        answers.push('');
        continue;
      }
      if (looksLikePassword) this.lastPassword = { value: answer.secret, remember: answer.remember, fromStore: false };
      answers.push(answer.secret);
    }
    return answers;
  }

  /** Read a key file; an encrypted key is unlocked with a remembered passphrase or by asking once. */
  private async loadKey(file: string): Promise<{ data: Buffer; passphrase?: string } | null> {
    if (!existsSync(file)) return null;
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      return null;
    }
    const plain = ssh2.utils.parseKey(data);
    if (!(plain instanceof Error)) return Array.isArray(plain) || plain.isPrivateKey() ? { data } : null;
    if (!/passphrase|encrypted/i.test(plain.message)) return null;

    const { memory, secrets, prompter } = this.context;
    if (memory.declinedKeys.has(file)) return null;
    const unlocks = (passphrase: string) => !(ssh2.utils.parseKey(data, passphrase) instanceof Error);
    const inMemory = memory.passphrases.get(file);
    if (inMemory !== undefined && unlocks(inMemory)) return { data, passphrase: inMemory };
    const stored = await secrets.get(passphraseSecretKey(file));
    if (stored !== undefined) {
      if (unlocks(stored)) {
        memory.passphrases.set(file, stored);
        return { data, passphrase: stored };
      }
      await secrets.delete(passphraseSecretKey(file));
    }
    for (let attempt = 0; attempt < MAX_PASSPHRASE_ATTEMPTS; attempt++) {
      const shown = this.displayPath(file);
      const answer = await this.context.whilePrompting(
        prompter.askSecret({
          kind: 'passphrase',
          message: attempt === 0 ? `Passphrase for the key ${shown}:` : `That passphrase did not unlock ${shown}. Passphrase:`,
        }),
      );
      if (answer.secret === null) break;
      if (unlocks(answer.secret)) {
        memory.passphrases.set(file, answer.secret);
        if (answer.remember) this.passphrasesToStore.set(file, answer.secret);
        return { data, passphrase: answer.secret };
      }
    }
    memory.declinedKeys.add(file);
    return null;
  }
}
