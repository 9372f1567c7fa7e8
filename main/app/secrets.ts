// Secrets the user asked Hearth to remember, encrypted with the OS keychain (Electron's
// safeStorage) before they touch the disk. Nothing is written when encryption is unavailable.
import { safeStorage } from 'electron';
import { promises as fs } from 'node:fs';
import type { SecretStore } from '../ssh/index';
import { writeFileAtomic } from '../services/atomic-file';

export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  static available(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  private async load(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = (await this.load())[key];
    if (!sealed || !safeStorage.isEncryptionAvailable()) return undefined;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('The system keychain is not available, so Hearth will not store this secret.');
    }
    const all = await this.load();
    all[key] = safeStorage.encryptString(value).toString('base64');
    await writeFileAtomic(this.file, JSON.stringify(all));
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    if (!(key in all)) return;
    delete all[key];
    await writeFileAtomic(this.file, JSON.stringify(all));
  }
}
