/**
 * Every store test runs against every engine (STYLE.md). SQLite uses a real temporary file;
 * PostgreSQL a fresh database on the server named by STEWARD_TEST_PG (an admin URL, e.g.
 * postgres://root@localhost/postgres?host=/var/run/postgresql), dropped afterwards. Without STEWARD_TEST_PG the
 * PostgreSQL cases are skipped, saying why; .ci/run always sets it.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { EngineName, Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';

export const PG_ADMIN_URL = process.env.STEWARD_TEST_PG;
export const PG_SKIP_REASON = PG_ADMIN_URL
  ? false
  : 'PostgreSQL suite skipped: STEWARD_TEST_PG is not set (e.g. STEWARD_TEST_PG=postgres://root@localhost/postgres?host=/var/run/postgresql); .ci/run starts PostgreSQL and sets it';

export const ENGINES: ReadonlyArray<{ name: EngineName; skip: string | false }> = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: PG_SKIP_REASON },
];

let counter = 0;

/**
 * A new, empty store location of the given engine and a function that removes it. `copyOf`: start
 * from a copy of this store instead (SQLite: a file, closed; PostgreSQL: the name of a database no
 * one is connected to, copied with CREATE DATABASE ... TEMPLATE).
 */
export async function freshLocation(engine: EngineName, copyOf?: string): Promise<{ location: string; cleanup: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'steward-test-'));
    const location = join(dir, 'steward.db');
    if (copyOf) copyFileSync(copyOf, location);
    return { location, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_ADMIN_URL) throw new Error(PG_SKIP_REASON || 'no PostgreSQL');
  const name = `steward_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = adminPool();
  await admin.query(`CREATE DATABASE ${name}${copyOf ? ` TEMPLATE "${copyOf}"` : ''}${await copyStrategy(admin)}`);
  // A test database need not survive a crash of the server: its commits return without waiting
  // for the WAL to reach the disk (this database's setting only; the server's stay as they are).
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    location: u.toString(),
    cleanup: async () => {
      await adminPool().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

let admin: pg.Pool | undefined;

/**
 * The process's one connection to the admin database (STEWARD_TEST_PG), opened at the first use and
 * kept for the next: every test database is made and dropped through it. Each connection is a new
 * server process, whose start and end cost PostgreSQL ~30 ms of CPU (measured at load 15-20 on two
 * cores), about half of what a CREATE DATABASE ... TEMPLATE of the migrated store costs: a
 * connection each for the create and the drop of every test database was a third of the server's
 * CPU per database. The idle connection does not keep the process alive (`allowExitOnIdle`), so a
 * test file ends as before.
 */
function adminPool(): pg.Pool {
  if (!PG_ADMIN_URL) throw new Error(PG_SKIP_REASON || 'no PostgreSQL');
  if (!admin) {
    admin = new pg.Pool({ connectionString: PG_ADMIN_URL, max: 1, idleTimeoutMillis: 0, allowExitOnIdle: true });
    // A dropped idle connection (the server restarted) is replaced at the next query.
    admin.on('error', () => undefined);
  }
  return admin;
}

let strategy: Promise<string> | undefined;

/**
 * How CREATE DATABASE copies its template (every test database is a copy: of template1, of the
 * run's migrated store, of a demo). PostgreSQL 15's default, WAL_LOG, reads and writes each block
 * of the template through shared buffers and the WAL (~0.16 s of the server's CPU for an empty
 * migrated store of ~10 MB, and DROP DATABASE's checkpoint later writes those dirty blocks);
 * FILE_COPY copies the files and costs a checkpoint first (~0.07 s; measured on PostgreSQL 15,
 * fsync off). A checkpoint is cheap only when the server does not flush to disk: FILE_COPY when the
 * server runs with fsync off (the throwaway cluster .ci/run starts), WAL_LOG otherwise, so that a
 * shared server is not made to write everyone's dirty buffers at each copy. Asked once per process.
 */
function copyStrategy(admin: pg.Pool): Promise<string> {
  strategy ??= admin
    .query<{ fsync: string }>(`SELECT current_setting('fsync') AS fsync`)
    .then(({ rows }) => (rows[0]?.fsync === 'off' ? ' STRATEGY FILE_COPY' : ''));
  return strategy;
}

/** The PostgreSQL database name of a store location made by freshLocation. */
export function pgDatabaseName(location: string): string {
  return decodeURIComponent(new URL(location).pathname.slice(1));
}

/** Runs `sql` (a statement that cannot run in a transaction, e.g. CREATE DATABASE) on the admin connection. */
export async function pgAdmin(sql: string): Promise<void> {
  await adminPool().query(sql);
}

/** CREATE DATABASE `name` TEMPLATE `template` on the admin connection, with the strategy of freshLocation's copies. */
export async function pgCopyDatabase(name: string, template: string): Promise<void> {
  const admin = adminPool();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"${await copyStrategy(admin)}`);
}

/**
 * Opens a fresh store (every migration run), runs `fn`, closes and removes it. Under run-tests.mjs
 * the store is a copy of one migrated once per run (demo-cache.ts), not migrated again.
 */
export async function withStore<T>(engine: EngineName, fn: (store: Store, location: string) => Promise<T>): Promise<T> {
  const { location, cleanup } = process.env.STEWARD_TEST_RUN_CACHE
    ? await (await import('./demo-cache.js')).migratedStore(engine)
    : await freshLocation(engine);
  const store = await openStore(location);
  try {
    return await fn(store, location);
  } finally {
    await store.close();
    await cleanup();
  }
}

/**
 * The store's indexes, each as `name: definition` as the engine's catalogue holds it (SQLite's
 * automatic indexes as "(automatic)"), sorted by name; and the names a first sync recorded as
 * deferred, to build at its end (src/store/deferred-indexes.ts).
 */
export async function storeIndexes(store: Store): Promise<{ indexes: string[]; deferred: string[] }> {
  const rows =
    store.engine === 'sqlite'
      ? await sql<{ name: string; def: string | null }>`select name, sql as def from sqlite_master
          where type = 'index' order by name`.execute(store.db)
      : await sql<{ name: string; def: string | null }>`select indexname as name, indexdef as def from pg_indexes
          where schemaname = current_schema() order by indexname`.execute(store.db);
  const deferred = await store.db.selectFrom('deferred_indexes').select('name').orderBy('name').execute();
  return { indexes: rows.rows.map((r) => `${r.name}: ${r.def ?? '(automatic)'}`), deferred: deferred.map((r) => r.name) };
}
