// Where Hearth keeps its own files on the admin's machine.
import os from 'node:os';
import path from 'node:path';

export function hearthHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEARTH_HOME) return path.resolve(env.HEARTH_HOME);
  const base = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(os.homedir(), '.config');
  return path.join(base, 'hearth');
}
