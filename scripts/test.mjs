#!/usr/bin/env node
// `npm test` runs every test: unit, the real sshd, the real Xen lab under QEMU, and the
// browser end-to-end suite. `npm run test:fast` is the inner loop: types, lint, unit tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const mode = process.argv[2] ?? 'all';
const totals = { pass: 0, fail: 0, skipped: 0 };
const timings = [];

function findTests(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(findTests(full));
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(full);
  }
  return out;
}

function step(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  timings.push({ step: name, seconds: Math.round((Date.now() - started) / 100) / 10 });
  if (result.status !== 0) {
    console.log(`${name} failed (exit ${result.status ?? result.signal}).`);
    totals.fail += 1;
    return false;
  }
  return true;
}

/** Run one group of test files with node's test runner, echoing its output and counting. */
function runTests(name, files, { concurrency = 1 } = {}) {
  if (files.length === 0) return Promise.resolve(true);
  const started = Date.now();
  console.log(`\n=== ${name}: ${files.length} file(s)`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('close', (code) => {
      // The runner's own summary lines ("ℹ pass 12"); the last of each is the total.
      const count = (label) => {
        const all = [...output.matchAll(new RegExp(`^\\S*\\s*${label} (\\d+)$`, 'gm'))];
        return all.length ? Number(all[all.length - 1][1]) : 0;
      };
      const pass = count('pass');
      const fail = count('fail') + count('cancelled');
      const skipped = count('skipped') + count('todo');
      totals.pass += pass;
      totals.fail += fail;
      totals.skipped += skipped;
      if (code !== 0 && fail === 0) totals.fail += 1;
      timings.push({ step: name, seconds: Math.round((Date.now() - started) / 100) / 10 });
      resolve(code === 0);
    });
  });
}

function finish() {
  console.log('\nTimings (s):', JSON.stringify(timings));
  console.log(`${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
  process.exit(totals.fail > 0 ? 1 : 0);
}

const tsx = path.join(root, 'node_modules', '.bin');
const bin = (name) => path.join(tsx, name);

step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
if (existsSync('node_modules/electron/electron.d.ts')) {
  step('typecheck (Electron layer)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.electron.json']);
} else {
  console.log('\nThe Electron package is not installed here (its binary cannot be downloaded), so the thin Electron layer (main/app, preload) is not type-checked; esbuild still bundles it.');
}
step('lint', bin('eslint'), ['.']);
await runTests('unit tests', findTests('tests/unit'), { concurrency: 2 });

if (mode === 'fast') finish();

if (!ensureSystemDeps()) {
  totals.fail += 1;
  finish();
}
step('build renderer', process.execPath, ['scripts/build.mjs', '--renderer']);
const labBuilt = step('lab build (cached by its inputs)', 'bash', ['lab/build.sh']);
// A suite needs the real Xen lab when it uses the lab harness; the rest need only local parts.
const needsLab = (file) => /lab\/harness/.test(readFileSync(file, 'utf8'));
const integration = findTests('tests/integration');
await runTests('integration: real sshd and loopback servers', integration.filter((f) => !needsLab(f)));
const e2e = findTests('tests/e2e');
if (labBuilt) {
  await runTests('lab: real Xen 4.17 under QEMU', [...findTests('tests/lab'), ...integration.filter(needsLab)]);
  await runTests('end-to-end: Chromium + browser mode', e2e);
} else {
  console.log('The lab image did not build, so the tests that need the real Xen host did not run.');
  await runTests('end-to-end: Chromium + browser mode (no lab)', e2e.filter((f) => !needsLab(f)));
}
spawnSync('bash', ['lab/down.sh', '--all'], { stdio: 'inherit' });
finish();
