#!/usr/bin/env node
// Build the renderer (Vite) and, for the desktop app, the Electron main and preload (esbuild).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];

export async function buildRenderer() {
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

export async function buildElectron() {
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
  await esbuild({
    ...common,
    entryPoints: [path.join(root, 'main/app/electron-main.ts')],
    outfile: path.join(root, 'dist/electron/main.cjs'),
    format: 'cjs',
    // node-pty is native: loaded from node_modules at run time (rebuilt for Electron's ABI when packaged).
    external: ['electron', 'cpu-features', './crypto/build/Release/sshcrypto.node', 'node-pty'],
  });
  await esbuild({
    ...common,
    entryPoints: [path.join(root, 'preload/index.ts')],
    outfile: path.join(root, 'dist/electron/preload.cjs'),
    format: 'cjs',
    external: ['electron'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (only !== '--electron') await buildRenderer();
  if (only !== '--renderer') await buildElectron();
}
