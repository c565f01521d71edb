#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Node's compile cache keeps the compiled code of every module a command loads (Steward's, Kysely's
// and the rest), so a later run starts without compiling them again. It lives in the user's cache
// folder ($XDG_CACHE_HOME, else ~/.cache) under steward/; NODE_COMPILE_CACHE names another folder
// and NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node reads both). A folder it cannot write costs
// nothing but the cache.
if (!process.env.NODE_COMPILE_CACHE) {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  module.enableCompileCache?.(join(cacheHome, 'steward', 'compile-cache'));
}
// Kysely, yaml and pg bundled into one file each (dist/vendor/, written by `npm run build`): Node
// loads modules one by one, and Kysely's 255 files were about a quarter of a report's start. Without
// the bundles (no esbuild at build time) the packages load as they are.
try {
  const vendor = new URL('../dist/vendor/', import.meta.url);
  const { modules } = JSON.parse(readFileSync(new URL('vendor.json', vendor), 'utf8'));
  const urls = new Map(Object.entries(modules).map(([specifier, file]) => [specifier, new URL(file, vendor).href]));
  module.registerHooks?.({
    resolve: (specifier, context, next) => {
      const url = urls.get(specifier);
      return url ? { url, format: 'module', shortCircuit: true } : next(specifier, context);
    },
  });
} catch {
  // No bundles: nothing to map.
}
// Steward's own modules bundled into a handful of files (dist/bundle/, written by `npm run build`):
// the entry and one chunk per lazily loaded command. Without the bundle (no esbuild at build time,
// or STEWARD_NO_BUNDLE=1 to compare) the compiled modules load one by one.
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry =
  !process.env.STEWARD_NO_BUNDLE && existsSync(fileURLToPath(bundled)) ? bundled : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('steward: the compiled code is missing (dist/). Run `npm run build` (or `npm ci`) first.\n');
  process.exit(70);
}
const { runCli } = await import(entry.href);
await runCli();
