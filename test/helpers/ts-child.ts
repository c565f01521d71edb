/**
 * How a test starts a TypeScript file of this tree in a child process: node with the arguments that
 * scripts/run-tests.mjs gives the test files themselves — node's own type stripping, the resolve
 * hook for './x.js' meaning './x.ts' and node's compile cache (scripts/test-ts-hooks.mjs) — so that
 * a child costs what a test process costs to start, not tsx's extra ~0.5 s of CPU, and a child's
 * worker threads inherit the same. `spawn(process.execPath, [...TS_NODE_ARGS, file, ...args])`.
 */
import { fileURLToPath } from 'node:url';

export const TS_NODE_ARGS: readonly string[] = [
  '--experimental-transform-types',
  '--disable-warning=ExperimentalWarning',
  '--import',
  fileURLToPath(new URL('../../scripts/test-ts-hooks.mjs', import.meta.url)),
];
