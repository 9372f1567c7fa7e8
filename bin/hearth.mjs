#!/usr/bin/env node
// The `hearth` command: runs the TypeScript CLI (main/cli) through tsx, so a clone works right
// after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
