#!/usr/bin/env node
// `npm start`: the desktop app. Where the Electron runtime is missing or cannot start (as on
// machines that cannot download its binary), say so in one line and serve the same UI in
// browser mode on 127.0.0.1 behind a random token. `npm run serve` goes to browser mode directly.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron, buildRenderer } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const browserOnly = process.argv.includes('--browser');
const require = createRequire(import.meta.url);

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = statSync(full);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(full) : stat.mtimeMs);
  }
  return newest;
}

async function ensureRenderer() {
  const built = path.join(root, 'dist/renderer/index.html');
  const sources = Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'common')));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) await buildRenderer();
}

function serveBrowser() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'main/browser.ts'), ...process.argv.slice(2).filter((a) => a !== '--browser')], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** The path of the Electron binary, or why there is none. */
function electronBinary() {
  try {
    const binary = require('electron');
    if (typeof binary !== 'string' || !existsSync(binary)) return { error: 'its binary is not installed' };
    return { binary };
  } catch (error) {
    return { error: /Cannot find module/.test(String(error)) ? 'the electron package is not installed' : String(error.message ?? error).split('\n')[0] };
  }
}

await ensureRenderer();
if (browserOnly) {
  serveBrowser();
} else {
  const found = electronBinary();
  if (!found.binary) {
    console.log(`Electron cannot start here (${found.error}); serving Hearth in browser mode instead.`);
    serveBrowser();
  } else {
    await buildElectron();
    const started = Date.now();
    const child = spawn(found.binary, [path.join(root, 'dist/electron/main.cjs')], { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('exit', (code, signal) => {
      const quick = Date.now() - started < 5000;
      if (code !== 0 && quick) {
        const reason = (stderr.trim().split('\n').pop() || `exit ${code ?? signal}`).slice(0, 160);
        console.log(`Electron cannot start here (${reason}); serving Hearth in browser mode instead.`);
        serveBrowser();
      } else {
        process.exit(code ?? 0);
      }
    });
  }
}
