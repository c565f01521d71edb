/**
 * Opening a store: SQLite (a file, the embedded default) or PostgreSQL (a postgres:// URL), with
 * migrations run on first use. The location comes from the caller (CLI flag or environment read at
 * the entry point); nothing here reads the environment.
 *
 * Each engine's driver (better-sqlite3, pg) and Kysely's migrator are loaded when they are needed,
 * not with this module: a command on a SQLite store never loads pg, and a store whose schema is
 * current never loads the migrator (docs/development.md, "A fast start").
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver, sql } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver, SqliteDialectConfig } from 'kysely';
import { StewardError } from '../model/errors.js';
import type { BulkLoadOptions, EngineCapabilities, EngineName, Store } from './engine.js';
import { migrationList, migrationProvider } from './migrations/index.js';
import { multiRowWriter, sqliteWriter } from './bulk-insert.js';
import type { Database } from './schema.js';

export const SQLITE_CAPS: EngineCapabilities = {
  autoIdType: 'integer',
  bigIntType: 'integer',
  maxParams: 32_000,
  announcesDataChanges: false,
  stringAggregate: 'group_concat',
};
export const POSTGRES_CAPS: EngineCapabilities = {
  autoIdType: 'serial',
  bigIntType: 'bigint',
  maxParams: 65_000,
  announcesDataChanges: true,
  stringAggregate: 'string_agg',
};

export interface OpenStoreOptions {
  /** Run pending migrations (default true). `db info` on a newer store opens without migrating. */
  migrate?: boolean;
  /** How long to wait for a SQLite write lock held by another process, in ms (default 5000). */
  busyTimeoutMs?: number;
  /**
   * Create the store when there is none (default true). Read commands pass false: a mistyped `--db`
   * must not leave an empty store behind and print zeros. With false, a SQLite file must exist and
   * a PostgreSQL database must exist, and either must hold Steward's schema; otherwise a
   * STORE_EMPTY error names the location and the commands that create a store.
   */
  create?: boolean;
  /**
   * A long-lived process (the web server and its view workers) asks for a 64 MB SQLite page cache
   * as bulk loads use: it reads the same indexes and rows again and finds them in it. A command (a
   * fresh process that reads once) gets SQLite's own default, 2 MB (better-sqlite3 builds with
   * 16 MB): measured on the 100,000-change bench store (2026-12-06 13:50–14:05, quiet, 3 runs
   * each), a larger cache made each cold command pay for fresh memory (page faults) instead of
   * reusing the same pages. Wall with 64 / 16 / 2 MB: `db info` 0.60 / 0.35 / 0.28 s, `queue`
   * 1.03 / 0.86 / 0.82 s, `bugs rota` 1.53 / 1.34 / 1.31 s, `reviewers` 0.83 / 0.84 / 0.79 s.
   * No effect on PostgreSQL.
   */
  largePageCache?: boolean;
  /**
   * PostgreSQL: the most connections the store opens at once (default 4, for the web server's
   * concurrent readers). A command that reads once asks for 1: each connection is a new server
   * process (its start and authentication, and its own cold catalogue caches, a few ms of the
   * server's CPU each) and a report's parallel reads of a few ms each gained nothing from more
   * (measured on `security candidates`, `people list`; docs/benchmarks.md). A transaction holds the
   * connection: code inside one must use the transaction, not the store (with one connection a
   * read outside it would wait for the pool's timeout). No effect on SQLite (one connection).
   */
  connections?: number;
}

export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** A URL with its password replaced, safe for messages and logs. */
export function redactLocation(location: string): string {
  if (!isPostgresLocation(location)) return location;
  try {
    const u = new URL(location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Opens the store at `location` and brings its schema up to date.
 *
 * @example
 * const store = await openStore('./steward.db');
 * const n = await store.db.selectFrom('changes').select((e) => e.fn.countAll().as('n')).executeTakeFirst();
 * await store.close();
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  const create = options.create !== false;
  const store = isPostgresLocation(location)
    ? await openPostgres(location, create, Math.max(1, Math.floor(options.connections ?? 4)))
    : await openSqlite(location, options.busyTimeoutMs ?? 5000, create, options.largePageCache === true);
  try {
    // One read of the applied migrations decides: a store whose schema is current opens without
    // the migrator (its lock, its transaction — a write lock on SQLite — and its own reads); a
    // store behind is migrated as before; one ahead is refused.
    const applied = await executedMigrations(store);
    if (!create && applied.length === 0) throw noStoreError(store.location, 'it has no Steward schema');
    const known = Object.keys(migrationList(store.caps));
    checkSchemaNotNewer(store, applied, known);
    if (options.migrate !== false && !isCurrent(applied, known)) await migrateStore(store);
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

/**
 * Kysely's SQLite dialect with two changes for a store that several processes write:
 * - transactions start with BEGIN IMMEDIATE, so a transaction takes the write lock up front and
 *   waits (busy_timeout) for another writer, instead of failing with SQLITE_BUSY when it first
 *   reads and then finds the other process committed in between;
 * - migrations run inside a transaction (SQLite's DDL is transactional), so a migration killed
 *   half-way leaves nothing behind and the next run simply runs it again.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class StoreSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

async function openSqlite(path: string, busyTimeoutMs: number, create: boolean, largePageCache: boolean): Promise<Store> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  let database: BetterSqlite3.Database;
  try {
    try {
      database = new BetterSqlite3(path, { fileMustExist: !create });
    } catch (e) {
      if (!create && (e as { code?: string }).code === 'SQLITE_CANTOPEN') throw noStoreError(path, 'the file does not exist', e);
      throw e;
    }
    if (!create) {
      // Refuse a file without Steward's schema before the pragmas below write to it (WAL mode).
      const schema = database.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
      if (!schema) {
        database.close();
        throw noStoreError(path, 'the file has no Steward schema');
      }
    }
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // Checkpoint (copy the WAL into the database file and sync it) every 20,000 pages (~80 MB of
    // WAL) rather than SQLite's default 1,000: a sync commits one page of changes (~1,500 database
    // pages) per transaction, so the default checkpointed, and waited for the disk, after every
    // one — 25-35% of the 50,000-change sync benchmark's time. Durability is unchanged: a
    // committed transaction is in the WAL either way.
    database.pragma('wal_autocheckpoint = 20000');
    database.pragma('foreign_keys = ON');
    database.pragma('temp_store = MEMORY');
    // OpenStoreOptions.largePageCache: a process that reads again (the web server) finds the pages
    // of its indexes and rows in the cache instead of asking the OS for each one again. The cache
    // cannot go stale: SQLite checks the store's change counter (the WAL's index) at every read and
    // drops what another connection has changed.
    // A command: SQLite's own 2 MB (better-sqlite3 builds with 16 MB), reused page after page.
    database.pragma(largePageCache ? 'cache_size = -65536' : 'cache_size = -2000');
  } catch (e) {
    if (e instanceof StewardError) throw e;
    throw storeOpenError('sqlite', path, e);
  }
  const db = new Kysely<Database>({ dialect: new StoreSqliteDialect({ database }) });
  return {
    engine: 'sqlite',
    caps: SQLITE_CAPS,
    db,
    bulk: sqliteWriter(database),
    bulkLoad: (work, options) => sqliteBulkLoad(database, work, options),
    location: path,
    close: () => db.destroy(),
  };
}

/**
 * SQLite set up for a large write on this connection (store.bulkLoad), each setting measured on the
 * 100,000-change bench import:
 *
 * - Foreign keys off. With them on, SQLite keeps a statement journal for every multi-row insert
 *   (a copy of each page the statement touches, so that a failing foreign-key check can undo that
 *   statement alone): with the writer's INSERT OR FAIL (bulk-insert.ts) this took the writer from
 *   about 20 s to about 11.5 s of SQLite time. The writer only names changes it has just inserted
 *   or looked up in the same transaction, so the checks never fire; they stay on for every other
 *   write.
 * - A rollback journal instead of the WAL, when no other connection has the store open: the pages
 *   an import adds are written once, into the database file, instead of once into the WAL and again
 *   when it is checkpointed (about 10% faster). While it runs, other processes cannot open the store
 *   (they wait, then report it busy), as with any SQLite writer in rollback mode; when another
 *   connection is open, the store stays in WAL mode and they keep reading. synchronous = FULL then,
 *   as rollback journals need it to survive a power cut.
 * - A 64 MB page cache (as a long-lived reader asks for it, OpenStoreOptions.largePageCache), for
 *   the report indexes' random inserts; `options.pageCacheMb` for a load that needs less.
 * - With `options.indexBuilds`, temp_store FILE and threads = 2 for SQLite's sorter. With temp_store
 *   MEMORY (every command's setting) SQLite sorts on one thread only, and the sorted runs that
 *   outgrow the page cache go to in-memory files: the four indexes the 100,000-change import
 *   builds after its load took about 2.0 s of CPU that way, 1.7 s with the runs in temporary files
 *   and, with the second thread, about half the wall time (docs/benchmarks.md).
 *
 * Nothing changes inside an open transaction (SQLite ignores these settings there), so `work` runs as
 * it is when one is open. Afterwards each setting gets back the value it had (the journal: WAL, as
 * openSqlite sets it).
 */
async function sqliteBulkLoad<T>(database: BetterSqlite3.Database, work: () => Promise<T>, options: BulkLoadOptions = {}): Promise<T> {
  if (database.inTransaction) return work();
  const saved = (name: string): unknown => database.pragma(name, { simple: true });
  const cacheSize = saved('cache_size');
  const busyTimeout = saved('busy_timeout');
  const synchronous = saved('synchronous');
  const tempStore = saved('temp_store');
  const threads = saved('threads');
  database.pragma('foreign_keys = OFF');
  if (options.indexBuilds) {
    database.pragma('temp_store = FILE');
    database.pragma('threads = 2');
  }
  database.pragma(`cache_size = -${Math.max(1, Math.floor(options.pageCacheMb ?? 64)) * 1024}`);
  let rollbackJournal = false;
  try {
    // Leaving WAL needs the store to itself: try once, without waiting for other connections.
    database.pragma('busy_timeout = 0');
    rollbackJournal = database.pragma('journal_mode = TRUNCATE', { simple: true }) === 'truncate';
    if (rollbackJournal) database.pragma('synchronous = FULL');
  } catch {
    rollbackJournal = false;
  } finally {
    database.pragma(`busy_timeout = ${Number(busyTimeout)}`);
  }
  try {
    return await work();
  } finally {
    if (!database.inTransaction) {
      database.pragma('foreign_keys = ON');
      database.pragma(`cache_size = ${Number(cacheSize)}`);
      database.pragma(`temp_store = ${Number(tempStore)}`);
      database.pragma(`threads = ${Number(threads)}`);
      if (rollbackJournal) {
        try {
          database.pragma('journal_mode = WAL');
          database.pragma(`synchronous = ${Number(synchronous)}`);
        } catch {
          // Another process is reading: the store stays in rollback mode until the next open, which
          // sets WAL again (openSqlite). Nothing is lost either way.
        }
      }
    }
  }
}

/**
 * The session settings Steward asks PostgreSQL for, sent in the start-up packet (no extra round
 * trip): `jit = off`. Steward's statements are reads of a few hundred milliseconds at most whose
 * row estimates are often far off; PostgreSQL's JIT (on by default, above a plan cost of 100,000)
 * then spends more compiling than it saves — seconds for `core idle` on the bench store. A
 * connection URL with its own `options=` parameter, or a PGOPTIONS environment variable, is the
 * operator's choice and is left as it is (docs/configuration.md).
 */
export function postgresSessionOptions(url: string, env: NodeJS.ProcessEnv): { options?: string } {
  if (/[?&]options=/.test(url) || (env.PGOPTIONS ?? '') !== '') return {};
  return { options: '-c jit=off' };
}

async function openPostgres(url: string, create: boolean, connections: number): Promise<Store> {
  const shown = redactLocation(url);
  const { default: pg } = await import('pg');
  // int8 (bigint) columns hold epoch milliseconds and counts: well inside Number's exact range.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: connections,
    types,
    connectionTimeoutMillis: 10_000,
    ...postgresSessionOptions(url, process.env),
  });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (!create && (e as { code?: string } | null)?.code === '3D000') throw noStoreError(shown, 'the database does not exist', e);
    throw storeOpenError('postgres', shown, e);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    caps: POSTGRES_CAPS,
    db,
    bulk: multiRowWriter(POSTGRES_CAPS.maxParams),
    bulkLoad: (work) => work(),
    location: shown,
    close: () => db.destroy(),
  };
}

export function storeOpenError(engine: EngineName, where: string, e: unknown): StewardError {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string } | null)?.code;
  let hint =
    engine === 'sqlite'
      ? 'Check the path given with --db or STEWARD_DB: its folder must exist and be writable.'
      : 'Check the URL given with --db or STEWARD_DB, and that the PostgreSQL server is running and reachable.';
  if (code === 'SQLITE_NOTADB') hint = 'This file is not a SQLite database. Point --db at a Steward store or a new file name.';
  if (code === 'SQLITE_BUSY') hint = 'Another process holds the store locked. Wait for it to finish and run the command again.';
  if (code === '28P01' || code === '28000') hint = 'PostgreSQL refused the credentials in the URL. Check the user name and password.';
  if (code === '3D000') hint = 'The database named in the URL does not exist. Create it (createdb NAME) or fix the URL.';
  // better-sqlite3's compiled addon built for another Node (Node switched after `npm ci`, or built
  // against the wrong headers): the path is not the problem.
  if (code === 'ERR_DLOPEN_FAILED' && /NODE_MODULE_VERSION/.test(msg))
    hint = `better-sqlite3 was compiled for another Node.js version than this one (${process.version}). Rebuild it with this Node: npm rebuild better-sqlite3 (README, "Set up": when Node came from the npm registry's package, export npm_config_nodedir first).`;
  return new StewardError(
    'STORE_UNAVAILABLE',
    `cannot open the ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} store: ${redactSecrets(msg)}`,
    { where, hint },
    { cause: e },
  );
}

/**
 * No store where a read command looked: it does not create one (an empty store would print zeros
 * as if they were the answer), and names the commands that do.
 */
function noStoreError(where: string, why: string, cause?: unknown): StewardError {
  return new StewardError(
    'STORE_EMPTY',
    `no Steward store here: ${why}`,
    {
      where,
      hint: 'Check --db or STEWARD_DB. Reports do not create a store; fill one with `steward import FILE`, `steward sync` or `steward demo`.',
    },
    cause === undefined ? undefined : { cause },
  );
}

/** pg error messages can echo the connection string; never let a password through. */
function redactSecrets(message: string): string {
  return message.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}

async function executedMigrations(store: Store): Promise<string[]> {
  try {
    const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
    return r.rows.map((x) => x.name);
  } catch {
    return [];
  }
}

/** Whether every migration this version knows has run (and no other: see checkSchemaNotNewer). */
function isCurrent(applied: readonly string[], known: readonly string[]): boolean {
  const done = new Set(applied);
  return applied.length === known.length && known.every((n) => done.has(n));
}

function checkSchemaNotNewer(store: Store, applied: readonly string[], knownNames: readonly string[]): void {
  const known = new Set(knownNames);
  const unknown = applied.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new StewardError(
      'STORE_VERSION',
      `the store was written by a newer version of Steward (it has schema migrations this version does not know: ${unknown.join(', ')})`,
      { where: store.location, hint: 'Upgrade Steward, or point --db at another store. Nothing was changed.' },
    );
  }
}

/** Runs pending migrations; safe to call again (a no-op when up to date). Returns the names run. */
export async function migrateStore(store: Store): Promise<string[]> {
  const { Migrator } = await import('kysely/migration');
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.caps) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    if (error instanceof StewardError) throw error;
    const busy = (error as { code?: string }).code === 'SQLITE_BUSY';
    throw new StewardError(
      busy ? 'STORE_UNAVAILABLE' : 'STORE_MIGRATION',
      busy
        ? 'the store is locked by another process'
        : `migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        where: store.location,
        hint: busy
          ? 'Wait for the other Steward process to finish and run the command again.'
          : 'The store was left at the last successful migration. Report this with --debug output.',
      },
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface SchemaState {
  version: number;
  latest: number;
  applied: string[];
  pending: string[];
}

export async function schemaState(store: Store): Promise<SchemaState> {
  const all = Object.keys(migrationList(store.caps));
  const applied = await executedMigrations(store);
  return { version: applied.length, latest: all.length, applied, pending: all.filter((n) => !applied.includes(n)) };
}
