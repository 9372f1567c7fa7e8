// Layering rules, enforced: common imports nothing of ours; preload imports only common;
// main and renderer import common and themselves, never each other. Inside main:
// app, transport -> services -> toolstack, ssh -> common. Inside renderer:
// features -> state -> api -> common; ui imports nothing domain-specific.
import tseslint from 'typescript-eslint';

const restrict = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group, message })) }],
  },
});

const up = ['../', '../../', '../../../', '../../../../'];
const any = (names) => up.flatMap((u) => names.map((n) => `${u}${n}`)).concat(names.map((n) => `**/${n}/**`));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'lab/**', 'test-results/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='child_process'], ImportDeclaration[source.value='node:child_process']",
          message: 'Run host commands through an Executor (main/toolstack/executor.ts), not a local shell.',
        },
      ],
    },
  },
  restrict(['common/**/*.ts'], any(['main', 'renderer', 'preload', 'electron']).concat(['electron', 'node:*', 'react', 'ssh2', 'ws']),
    'common/ is pure TypeScript: no Node, Electron, DOM framework or other layer.'),
  restrict(['preload/**/*.ts'], any(['main', 'renderer']), 'preload imports only common/.'),
  restrict(['main/**/*.ts'], any(['renderer', 'preload']).concat(['react', 'react-dom']), 'main never imports the renderer.'),
  restrict(['renderer/**/*.ts', 'renderer/**/*.tsx'], any(['main', 'preload']).concat(['electron', 'ssh2', 'node:*']),
    'The renderer talks to main only through renderer/api and the contract.'),
  restrict(['main/toolstack/**/*.ts', 'main/ssh/**/*.ts'], any(['services', 'transport', 'app']),
    'toolstack and ssh sit below services: they never import them.'),
  restrict(['main/services/**/*.ts'], any(['transport', 'app']), 'services never import a transport or the Electron app layer.'),
  restrict(['main/{services,toolstack,ssh,transport,demo}/**/*.ts'], ['electron'], 'Only main/app may import electron.'),
  restrict(['renderer/ui/**/*.tsx', 'renderer/ui/**/*.ts'], any(['features', 'state', 'api']), 'ui/ is generic: no domain imports.'),
  restrict(['renderer/api/**/*.ts'], any(['state', 'features']), 'api/ sits below state and features.'),
  restrict(['renderer/state/**/*.ts'], any(['features']), 'state/ sits below features.'),
);
