// Layering, enforced (see ARCHITECTURE.md): common imports nothing of ours; preload imports
// only common; main and renderer import common and themselves, never each other. Inside main:
// app, transport -> services -> toolstack, ssh -> common; only main/app (and the IPC transport)
// touch electron. Inside renderer: features -> state -> api -> common; ui is generic.
// Each file matches exactly one layer below, so no rule silently replaces another.
import tseslint from 'typescript-eslint';

const folder = (...names) => names.flatMap((n) => [`**/${n}`, `**/${n}/**`]);
const packages = (...names) => names;

const MAIN_ONLY = [...folder('renderer', 'preload'), ...packages('react', 'react-dom', 'zustand')];
const NO_ELECTRON = packages('electron');
const RENDERER_ONLY = [...folder('main', 'preload'), ...packages('electron', 'ssh2', 'ws', 'node:*', 'fs', 'path', 'child_process')];

const layers = [
  { files: ['common/**'], forbid: [...folder('main', 'renderer', 'preload'), ...packages('electron', 'react', 'ssh2', 'ws', 'node:*', 'zustand')], why: 'common/ is pure TypeScript: nothing of Node, Electron, the DOM framework or another layer.' },
  { files: ['preload/**'], forbid: folder('main', 'renderer'), why: 'preload imports only common/.' },
  { files: ['main/app/**', 'main/transport/ipc.ts'], forbid: MAIN_ONLY, why: 'main never imports the renderer or preload.' },
  { files: ['main/transport/**'], ignores: ['main/transport/ipc.ts'], forbid: [...MAIN_ONLY, ...NO_ELECTRON, ...folder('app')], why: 'Only main/app and the IPC transport touch electron.' },
  { files: ['main/services/**'], forbid: [...MAIN_ONLY, ...NO_ELECTRON, ...folder('transport', 'app')], why: 'services sit below transports and the Electron app.' },
  { files: ['main/toolstack/**', 'main/ssh/**', 'main/demo/**'], forbid: [...MAIN_ONLY, ...NO_ELECTRON, ...folder('services', 'transport', 'app', 'cli')], why: 'toolstack, ssh and demo sit below services.' },
  { files: ['main/cli/**'], forbid: [...MAIN_ONLY, ...NO_ELECTRON, ...folder('transport', 'app')], why: 'The CLI shares services, never a window.' },
  { files: ['main/*.ts'], forbid: [...MAIN_ONLY, ...NO_ELECTRON], why: 'The composition root runs under plain Node too.' },
  { files: ['renderer/ui/**'], forbid: [...RENDERER_ONLY, ...folder('features', 'state', 'api')], why: 'ui/ is generic: no domain imports.' },
  { files: ['renderer/api/**'], forbid: [...RENDERER_ONLY, ...folder('features', 'state')], why: 'api/ sits below state and features.' },
  { files: ['renderer/state/**'], forbid: [...RENDERER_ONLY, ...folder('features')], why: 'state/ sits below features.' },
  { files: ['renderer/**'], ignores: ['renderer/ui/**', 'renderer/api/**', 'renderer/state/**'], forbid: RENDERER_ONLY, why: 'The renderer talks to main only through renderer/api and the contract.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'lab/**', 'test-results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
  },
  ...layers.map(({ files, ignores, forbid, why }) => ({
    files: files.map((f) => (f.endsWith('**') ? `${f}/*.{ts,tsx}` : f)),
    ...(ignores ? { ignores: ignores.map((f) => (f.endsWith('**') ? `${f}/*.{ts,tsx}` : f)) } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbid, message: why }] }] },
  })),
  {
    files: ['common/**/*.ts', 'main/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['main/cli/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^(node:)?child_process$/]",
          message: 'Host commands go through an Executor (main/toolstack/executor.ts) and the quoting builder, never a local shell.',
        },
      ],
    },
  },
);
