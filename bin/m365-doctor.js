#!/usr/bin/env node
// Shim: the CLI is compiled TypeScript in dist/ (built by `npm ci` through the prepare script).
import { main } from '../dist/src/cli/main.js';

await main(process.argv);
