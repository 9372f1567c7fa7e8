// `npm run bench`: every bench/*.ts module's figures as one JSON object. Each module measures
// its subject against a baseline in the same run and reports ratios: these machines are shared
// and noisy, so absolute times mean little and no test asserts one.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };
for (const file of modules) {
  const started = Date.now();
  try {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: () => Promise<Record<string, unknown>> };
    results[file.replace(/\.ts$/, '')] = { ...(await mod.default()), seconds: Math.round((Date.now() - started) / 100) / 10 };
  } catch (error) {
    results[file.replace(/\.ts$/, '')] = { error: error instanceof Error ? error.message : String(error) };
  }
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
