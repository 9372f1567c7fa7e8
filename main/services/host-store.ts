// The hosts the user added, in one JSON file shared by the app and the `hearth` CLI.
// Passwords and passphrases never go here (see SecretStore).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HostInput } from '../../common/model/index';
import { UserError, describeZodError } from '../../common/rpc/index';
import { writeFileAtomic } from './atomic-file';
import { hearthHome } from './paths';

export const StoredHost = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().optional(),
  port: z.number().optional(),
  user: z.string().optional(),
  sshAlias: z.string().optional(),
  identityFile: z.string().optional(),
  demo: z.boolean().default(false),
});
export type StoredHost = z.infer<typeof StoredHost>;

const StoreFile = z.object({ version: z.literal(1), hosts: z.array(StoredHost) });

export class HostStore {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file = path.join(hearthHome(), 'hosts.json')) {
    this.file = file;
  }

  async list(): Promise<StoredHost[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UserError(`${this.file} is not valid JSON. Fix or remove it; Hearth keeps its host list there.`);
    }
    const parsed = StoreFile.safeParse(json);
    if (!parsed.success) {
      throw new UserError(`${this.file} is not a Hearth host list: ${describeZodError(parsed.error)}`);
    }
    return parsed.data.hosts;
  }

  /** Find a host by id, or by name (names are unique, case-insensitively). */
  async get(idOrName: string): Promise<StoredHost | undefined> {
    const hosts = await this.list();
    return hosts.find((h) => h.id === idOrName) ?? hosts.find((h) => h.name.toLowerCase() === idOrName.toLowerCase());
  }

  add(input: unknown, options: { demo?: boolean } = {}): Promise<StoredHost> {
    return this.mutate((hosts) => {
      const data = parseInput(input);
      assertUniqueName(hosts, data.name);
      const host: StoredHost = { id: randomUUID(), ...data, demo: options.demo ?? false };
      hosts.push(host);
      return host;
    });
  }

  update(id: string, input: unknown): Promise<StoredHost> {
    return this.mutate((hosts) => {
      const data = parseInput(input);
      const index = hosts.findIndex((h) => h.id === id);
      if (index < 0) throw new UserError('That host is no longer in the list.', 'not-found');
      assertUniqueName(hosts, data.name, id);
      const updated: StoredHost = { id, demo: hosts[index].demo, ...data };
      hosts[index] = updated;
      return updated;
    });
  }

  remove(id: string): Promise<StoredHost> {
    return this.mutate((hosts) => {
      const index = hosts.findIndex((h) => h.id === id);
      if (index < 0) throw new UserError('That host is no longer in the list.', 'not-found');
      const [removed] = hosts.splice(index, 1);
      return removed;
    });
  }

  /** Read-modify-write, one at a time, so two quick edits never lose one another. */
  private mutate<T>(change: (hosts: StoredHost[]) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const hosts = await this.list();
      const result = change(hosts);
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, hosts }, null, 2) + '\n');
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function parseInput(input: unknown) {
  const parsed = HostInput.safeParse(input);
  if (!parsed.success) throw new UserError(describeZodError(parsed.error), 'invalid-argument');
  const { name, address, port, user, sshAlias, identityFile } = parsed.data;
  const clean = (s: string | undefined) => (s && s.length > 0 ? s : undefined);
  return { name, address: clean(address), port, user: clean(user), sshAlias: clean(sshAlias), identityFile: clean(identityFile) };
}

function assertUniqueName(hosts: StoredHost[], name: string, exceptId?: string) {
  if (hosts.some((h) => h.id !== exceptId && h.name.toLowerCase() === name.toLowerCase())) {
    throw new UserError(`A host named "${name}" is already in the list. Pick another name.`, 'invalid-argument');
  }
}
