/**
 * Stores that test setup generates (a demo store takes seconds of CPU), generated once per test run
 * and copied by every test file that asks for the same one.
 *
 * Under scripts/run-tests.mjs (STEWARD_TEST_RUN_CACHE and STEWARD_TEST_RUN_ID set) the first file
 * to ask generates the store and publishes a copy in the run's cache — SQLite: a file in the run's
 * cache folder; PostgreSQL: a database `steward_tpl_<run>_<key>` — and later files start from a copy
 * of that (a file copy, or CREATE DATABASE ... TEMPLATE). One file generates a given store at a time:
 * it holds `store-<key>.lock` in the run's cache (created exclusively, naming its process) while it
 * generates, and the others wait (idle, polling every 50 ms) until it has published
 * (`store-<key>.done`), then copy; if it gave up or died without publishing, the next one
 * generates. The folders the generator wrote
 * into stay in the run's cache until the run ends (the store may name them, e.g. the demo's
 * specs repository), and run-tests.mjs removes the cache and the template databases then.
 * Without run-tests.mjs (`node --test` on a file) every call generates.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineName } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { freshLocation, pgCopyDatabase, pgDatabaseName } from './stores.js';

const RUN_CACHE = process.env.STEWARD_TEST_RUN_CACHE;
const RUN_ID = process.env.STEWARD_TEST_RUN_ID;

export interface CachedStore {
  location: string;
  /** A temporary folder without a steward.yaml (for a cwd); removed by cleanup. */
  dir: string;
  /** The folder `generate` wrote into (read-only for the caller: other files copy the same store). */
  out: string;
  cleanup: () => Promise<void>;
}

/**
 * A store of `engine` as `generate(location, out)` leaves it; `key` names everything `generate`
 * depends on (same key, same store). `out` is a folder `generate` may write into; it lasts as long
 * as the store may be copied.
 */
export async function cachedStore(
  engine: EngineName,
  key: string,
  generate: (location: string, out: string) => Promise<void>,
): Promise<CachedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-web-'));
  let out = join(dir, 'out');
  const withDir = (s: { location: string; cleanup: () => Promise<void> }): CachedStore => ({
    location: s.location,
    dir,
    out,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      await s.cleanup();
    },
  });

  if (!RUN_CACHE || !RUN_ID) {
    const fresh = await freshLocation(engine);
    await generate(fresh.location, out);
    return withDir(fresh);
  }

  const { published, done, lock, outName, hash } = cachePaths(engine, key);
  const publishedOut = () => {
    // Written before `.done` by the generator; a store published without it (by an older version
    // of this helper, in the same run) keeps the default, a folder that does not exist.
    if (existsSync(outName)) out = readFileSync(outName, 'utf8');
  };
  // Wait while another file generates this store; take the lock when no one holds it.
  for (;;) {
    if (existsSync(done)) {
      publishedOut();
      return withDir(await freshLocation(engine, published));
    }
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!holderAlive(lock)) rmSync(lock, { force: true });
    else await sleep(50);
  }

  try {
    if (existsSync(done)) {
      publishedOut();
      return withDir(await freshLocation(engine, published));
    }
    // The generator's folder, named in `store-<key>.out` once it is published.
    out = mkdtempSync(join(RUN_CACHE, `out-${hash}-`));
    writeFileSync(outName, out);
    const fresh = await freshLocation(engine);
    await generate(fresh.location, out);
    await publish(engine, fresh.location, { published, done, lock, outName, hash });
    return withDir(fresh);
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Where the run's cache keeps the store of `engine` and `key` (run-tests.mjs's folder and databases). */
function cachePaths(engine: EngineName, key: string) {
  const hash = createHash('sha256').update(`${engine}\n${key}`).digest('hex').slice(0, 16);
  mkdirSync(RUN_CACHE!, { recursive: true });
  return {
    hash,
    published: engine === 'sqlite' ? join(RUN_CACHE!, `store-${hash}.db`) : `steward_tpl_${RUN_ID}_${hash}`,
    done: join(RUN_CACHE!, `store-${hash}.done`),
    lock: join(RUN_CACHE!, `store-${hash}.lock`),
    outName: join(RUN_CACHE!, `store-${hash}.out`),
  };
}

/** Publishes the closed store at `location` as `paths.published` and marks it done. */
async function publish(engine: EngineName, location: string, paths: ReturnType<typeof cachePaths>): Promise<void> {
  if (engine === 'sqlite') {
    // The generator closed the store: everything is in the one file (no -wal left over).
    if (existsSync(`${location}-wal`)) throw new Error(`cachedStore: ${location}-wal is still there after the store was closed`);
    const staging = `${paths.published}.${process.pid}`;
    copyFileSync(location, staging);
    renameSync(staging, paths.published);
    writeFileSync(paths.done, '');
    return;
  }
  try {
    await pgCopyDatabase(paths.published, pgDatabaseName(location));
    writeFileSync(paths.done, '');
  } catch (e) {
    // 42P04: published already (by a run of an older version of this helper); 55006: a
    // connection of the generator had not quite gone yet (the next file generates again).
    // Either way this file has its store.
    const code = (e as { code?: string }).code ?? '';
    if (code === '42P04') writeFileSync(paths.done, '');
    else if (code !== '55006') throw e;
  }
}

/** Whether the process named in `lock` is still running (a lock just being written counts as held). */
function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return false; // gone already
  }
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An empty store of `engine` with every migration run: under run-tests.mjs a copy of one migrated
 * once per run (running the migrations costs ~0.1–0.3 s of CPU per store, more on PostgreSQL's
 * side); otherwise a fresh one, migrated.
 */
export async function migratedStore(engine: EngineName): Promise<{ location: string; cleanup: () => Promise<void> }> {
  return cachedStore(engine, 'an empty store, migrated', async (location) => {
    const store = await openStore(location);
    await store.close();
  });
}

/**
 * A store of `engine` filled by `steward demo ARGS --db STORE --out OUT --quiet` run at `now` in a
 * folder without a steward.yaml (the demo's exports, its steward.yaml, specs repository and
 * advisories in `out`; the store names them). Under run-tests.mjs generated once per run and
 * copied (`cachedStore`), so files asking for the same demo share it; `out` is then shared too:
 * read it, do not write into it.
 */
export async function importedDemo(engine: EngineName, args: string[], now: number): Promise<CachedStore> {
  return cachedStore(engine, `steward demo ${args.join(' ')} at ${now}`, async (location, out) => {
    const { runSteward } = await import('./cli.js');
    const cwd = mkdtempSync(join(tmpdir(), 'steward-demo-'));
    try {
      const r = await runSteward(['demo', ...args, '--db', location, '--out', out, '--quiet'], { cwd, now });
      if (r.code !== 0) throw new Error(`steward demo ${args.join(' ')} failed: ${r.stderr}`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}

/**
 * The folder `steward demo ARGS --out FOLDER --no-import` writes (the demo's exports, steward.yaml,
 * its specs repository), made at `now`. Under run-tests.mjs it is the folder of {@link importedDemo}
 * on SQLite for the same ARGS and `now`, shared by the run: `steward demo --db` writes the same files
 * before it imports them (and a `security.key` beside them), and the run makes that demo for
 * `specs-demo`, `security-advisories-demo` and `web-initiatives` anyway, so the folder is not
 * generated a second time (~5 s of CPU). Callers only read it (they import from it, sync its specs
 * repository). Otherwise a new folder, which `cleanup` removes.
 */
export async function demoOutput(args: string[], now: number): Promise<{ folder: string; cleanup: () => void }> {
  if (RUN_CACHE && RUN_ID) {
    const imported = await importedDemo('sqlite', args, now);
    // The copy of the store is not read; its removal (a SQLite file) is synchronous.
    return { folder: imported.out, cleanup: () => void imported.cleanup() };
  }
  const make = async (folder: string) => {
    const { runSteward } = await import('./cli.js');
    const cwd = mkdtempSync(join(tmpdir(), 'steward-demo-'));
    try {
      const r = await runSteward(['demo', ...args, '--out', folder, '--no-import', '--quiet'], { cwd, now });
      if (r.code !== 0) throw new Error(`steward demo ${args.join(' ')} failed: ${r.stderr}`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  };
  const dir = mkdtempSync(join(tmpdir(), 'steward-demo-out-'));
  await make(join(dir, 'demo'));
  return { folder: join(dir, 'demo'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The time of the default demo that `defaultDemo` gives (2026-11-01, midnight UTC). */
export const DEMO_NOW = Date.UTC(2026, 10, 1);
/**
 * The cache key of the default demo (`steward demo` without size options: seed 42, 5,000 changes,
 * 12 months) at DEMO_NOW, as `npm start` (`overview --demo-if-empty`) leaves it in an empty SQLite
 * store.
 */
export const DEFAULT_DEMO_KEY =
  'npm start: overview --demo-if-empty --now 2026-11-01 in a folder without steward.yaml (the default demo into ./steward.db)';

/** The file in a default demo's `out` that holds what its `npm start` command printed. */
const NPM_START_RESULT = 'npm-start.json';

/**
 * A SQLite store holding the default demo at DEMO_NOW, made by `npm start`: `steward overview
 * --demo-if-empty --now 2026-11-01` run in an empty folder (`out`) without steward.yaml, which
 * generates the demo into the default store ./steward.db (the demo's folder `steward-demo` beside
 * it) and prints the overview; `location` is a copy of that store. What the command printed is
 * kept (`npmStartResult`). Under run-tests.mjs made once per run, by the first file that asks
 * (cli.test.ts, ci-cli.test.ts and empty-store.test.ts read it), and copied.
 */
export async function defaultDemo(): Promise<CachedStore> {
  return cachedStore('sqlite', DEFAULT_DEMO_KEY, async (location, out) => {
    const { runSteward } = await import('./cli.js');
    mkdirSync(out, { recursive: true });
    const r = await runSteward(['overview', '--demo-if-empty', '--now', '2026-11-01'], { cwd: out, now: DEMO_NOW });
    writeFileSync(join(out, NPM_START_RESULT), JSON.stringify(r));
    if (r.code !== 0) throw new Error(`steward overview --demo-if-empty --now 2026-11-01 failed: ${r.stderr}`);
    copyFileSync(join(out, 'steward.db'), location);
  });
}

/** What `npm start` printed when it made the default demo `store` (defaultDemo): exit code, stdout, stderr. */
export function npmStartResult(store: CachedStore): { code: number; stdout: string; stderr: string } {
  return JSON.parse(readFileSync(join(store.out, NPM_START_RESULT), 'utf8')) as { code: number; stdout: string; stderr: string };
}
