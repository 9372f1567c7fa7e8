// Builds the renderer (renderer/ -> dist/renderer). Relative base so the same files load from
// file:// in Electron and from the browser-mode server; no inline scripts, so the strict CSP
// (script-src 'self') holds. TSX is compiled by Vite's own transformer (automatic JSX runtime).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Keep every asset a file: a data: URL for a script would break the CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
