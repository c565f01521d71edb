/**
 * Stores that test setup generates (a demo store takes seconds of CPU), generated once per test run
 * and copied by every test file that asks for the same one.
 *
 * Under scripts/run-tests.mjs (STEWARD_TEST_RUN_CACHE and STEWARD_TEST_RUN_ID set) the first file
 * to ask generates the store and publishes a copy in the run's cache — SQLite: a file in the run's
 * cache folder; PostgreSQL: a database `steward_tpl_<run>_<key>` — and later files start from a copy
 * of that (a file copy, or CREATE DATABASE ... TEMPLATE). Files generating the same store at the same
 * time both do; the last to publish wins, and the copies are equal. The folders the generator wrote
 * into stay in the run's cache until the run ends (the store may name them, e.g. the demo's
 * specs repository), and run-tests.mjs removes the cache and the template databases then.
 * Without run-tests.mjs (`node --test` on a file) every call generates.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EngineName } from '../../src/store/engine.js';
import { freshLocation, PG_ADMIN_URL, pgAdmin, pgDatabaseName } from './stores.js';

const RUN_CACHE = process.env.STEWARD_TEST_RUN_CACHE;
const RUN_ID = process.env.STEWARD_TEST_RUN_ID;

export interface CachedStore {
  location: string;
  /** A temporary folder without a steward.yaml (for a cwd); removed by cleanup. */
  dir: string;
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
  const withDir = (s: { location: string; cleanup: () => Promise<void> }): CachedStore => ({
    location: s.location,
    dir,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      await s.cleanup();
    },
  });

  if (!RUN_CACHE || !RUN_ID) {
    const fresh = await freshLocation(engine);
    await generate(fresh.location, join(dir, 'out'));
    return withDir(fresh);
  }

  const hash = createHash('sha256').update(`${engine}\n${key}`).digest('hex').slice(0, 16);
  const published = engine === 'sqlite' ? join(RUN_CACHE, `store-${hash}.db`) : `steward_tpl_${RUN_ID}_${hash}`;
  if (engine === 'sqlite' ? existsSync(published) : await pgDatabaseExists(published))
    return withDir(await freshLocation(engine, published));

  mkdirSync(RUN_CACHE, { recursive: true });
  const out = mkdtempSync(join(RUN_CACHE, `out-${hash}-`));
  const fresh = await freshLocation(engine);
  await generate(fresh.location, out);
  if (engine === 'sqlite') {
    // The generator closed the store: everything is in the one file (no -wal left over).
    if (existsSync(`${fresh.location}-wal`))
      throw new Error(`cachedStore: ${fresh.location}-wal is still there after the store was closed`);
    const staging = `${published}.${process.pid}`;
    copyFileSync(fresh.location, staging);
    renameSync(staging, published);
  } else {
    try {
      await pgAdmin(`CREATE DATABASE "${published}" TEMPLATE "${pgDatabaseName(fresh.location)}"`);
    } catch (e) {
      // 42P04: another file published it first; 55006: a connection of the generator had not quite
      // gone yet (the next file generates again). Either way this file has its store.
      if (!['42P04', '55006'].includes((e as { code?: string }).code ?? '')) throw e;
    }
  }
  return withDir(fresh);
}

async function pgDatabaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}
