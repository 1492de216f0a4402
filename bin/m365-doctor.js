#!/usr/bin/env node
// Shim: the CLI is compiled TypeScript, bundled into dist/cli/ (built by `npm ci` through the prepare script).
import { main } from '../dist/cli/main.js';

await main(process.argv);
