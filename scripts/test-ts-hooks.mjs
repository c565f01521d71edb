// Loaded by run-tests.mjs into each test file's process, and by node into each worker thread they
// start (a worker inherits the process's --import): lets node run the TypeScript sources with its own
// type stripping (--experimental-transform-types, which the runner passes too) instead of through
// tsx, and keeps what it compiled in node's compile cache.
//
// - Node strips the types itself, but does not resolve as TypeScript's NodeNext does: an import of
//   './x.js' from a TypeScript file means './x.ts' when that is the file there is. The resolve hook
//   below (synchronous, in the thread itself: no loader thread) tries the .ts first for a relative
//   .js specifier from a .ts file, then the specifier as written.
// - The compile cache (module.enableCompileCache) keeps each module's stripped and compiled code on
//   disk, keyed by its content, for the next process or thread that loads it: without it each one
//   strips and compiles every module again. The folder: STEWARD_TEST_COMPILE_CACHE, else
//   node_modules/.cache/steward-test/compile-cache. It is this process's only: the processes it
//   starts (the CLI, git) do not inherit it.
//
// Why not tsx: tsx transpiles in a loader thread of its own and reads its cache for every module,
// about 0.5 s more CPU per process and per worker thread on this tree's tests (docs/development.md).
import { enableCompileCache, registerHooks } from 'node:module';
import { join } from 'node:path';

enableCompileCache(
  process.env.STEWARD_TEST_COMPILE_CACHE ?? join(import.meta.dirname, '..', 'node_modules', '.cache', 'steward-test', 'compile-cache'),
);

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.endsWith('.js') && specifier.startsWith('.') && context.parentURL?.endsWith('.ts')) {
      try {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      } catch {
        // no such .ts: as written
      }
    }
    return nextResolve(specifier, context);
  },
});
