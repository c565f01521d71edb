/**
 * The set-up the tracked-work tests share (test/integration/priorities.test.ts and
 * initiatives.test.ts): the demo project's folder as of 2025-06-01 (made once per test run and
 * read only, demo-cache.ts), a working folder, and per engine a fresh store filled by `steward`
 * commands, with the CLI run against it; the import of the demo's export, which both run first, is
 * made once per run and engine and copied.
 *
 * Call {@link useTrackedWorkDemo} at the top level of a test file and {@link useTrackedWorkStore}
 * inside each engine's `describe`: each registers its own `before` and `after`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { EngineName } from '../../src/store/engine.js';
import { runSteward } from './cli.js';
import { cachedStore, demoOutput } from './demo-cache.js';
import { freshLocation } from './stores.js';

/** The demo's clock and size in both tests. */
export const TRACKED_NOW = Date.UTC(2025, 5, 1);
export const TRACKED_DEMO = { seed: 7, changes: 2500, now: TRACKED_NOW };

/** The demo project's folder, its steward.yaml and a working folder; filled in by the `before` it registers. */
export interface TrackedWorkDemo {
  folder: string;
  config: string;
  dir: string;
}

/** Makes (or reuses) the demo folder and a working folder named after `prefix`; removes the working folder after. */
export function useTrackedWorkDemo(prefix: string): TrackedWorkDemo {
  const out: TrackedWorkDemo = { folder: '', config: '', dir: '' };
  let demo: Awaited<ReturnType<typeof demoOutput>> | undefined;
  before(async () => {
    out.dir = mkdtempSync(join(tmpdir(), prefix));
    demo = await demoOutput(
      ['--now', '2025-06-01', '--seed', String(TRACKED_DEMO.seed), '--changes', String(TRACKED_DEMO.changes)],
      TRACKED_NOW,
    );
    out.folder = demo.folder;
    out.config = join(demo.folder, 'steward.yaml');
  });
  after(() => {
    if (out.dir) rmSync(out.dir, { recursive: true, force: true });
    demo?.cleanup();
  });
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed reports
type Json = any;

/** A fresh store of one engine and the CLI against it (`--db` and `--config` added), as of {@link TRACKED_NOW}. */
export interface TrackedWorkStore {
  /** The store's location (set by the `before` registered). */
  readonly location: string;
  run: (args: string[]) => ReturnType<typeof runSteward>;
  /** `args --format json`, which must succeed, parsed. */
  json: (args: string[]) => Promise<Json>;
}

/**
 * A fresh store of `engine` filled by the commands `fill(demoFolder)` lists (each must succeed),
 * removed after.
 *
 * @example const s = useTrackedWorkStore('sqlite', demo, (f) => [['import', join(f, 'demo-rest.json')]]);
 */
export function useTrackedWorkStore(engine: EngineName, demo: TrackedWorkDemo, fill: (folder: string) => string[][]): TrackedWorkStore {
  let location = '';
  let cleanup: (() => Promise<void>) | undefined;
  const run = (args: string[]) => runSteward([...args, '--db', location, '--config', demo.config], { cwd: demo.dir, now: TRACKED_NOW });
  const store: TrackedWorkStore = {
    get location() {
      return location;
    },
    run,
    json: async (args) => {
      const r = await run([...args, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout);
    },
  };
  before(async () => {
    const commands = fill(demo.folder);
    // The first command, `steward import` of the demo's export, is what both files run first: its
    // store is made once per run and engine and copied (demo-cache.ts; the demo folder is the run's
    // one too), and the rest of the commands run on the copy.
    const [first, ...rest] = commands;
    if (first?.[0] === 'import') {
      ({ location, cleanup } = await cachedStore(
        engine,
        `tracked work: steward ${first.join(' ')} --config ${demo.config}`,
        async (loc) => {
          const r = await runSteward([...first, '--db', loc, '--config', demo.config], { cwd: demo.dir, now: TRACKED_NOW });
          assert.equal(r.code, 0, `steward ${first[0]}: ${r.stderr}`);
        },
      ));
    } else ({ location, cleanup } = await freshLocation(engine));
    for (const args of first?.[0] === 'import' ? rest : commands) {
      const r = await run(args);
      assert.equal(r.code, 0, `steward ${args[0]}: ${r.stderr}`);
    }
  });
  after(async () => cleanup?.());
  return store;
}
