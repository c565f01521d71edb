#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('steward: the compiled code is missing (dist/). Run `npm run build` (or `npm ci`) first.\n');
  process.exit(70);
}
const { runCli } = await import(entry.href);
await runCli();
