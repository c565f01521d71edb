/**
 * The web server's own bookkeeping writes — sessions and audit-log lines — and the data version
 * the view cache keys its entries on, together, so that the server's own bookkeeping never drops
 * a cached report while every commit of reported data does.
 *
 * - SQLite: one dedicated writable connection. `PRAGMA data_version` changes when ANY OTHER
 *   connection commits (the server's main connection: forms, mentoring, priorities, the security
 *   tracker; other processes: imports, syncs), but not for the connection's own commits. So the
 *   version is read from this connection, and this connection writes only what this module offers:
 *   sessions and audit lines (tables of migration 0009's UNWATCHED_TABLES). Safe by construction: a
 *   writer that forgets this module writes on the main connection and only drops the cache more
 *   often; reported data cannot be written here, since the module exposes no other write.
 *   Its writes never wait on the event loop's thread: busy_timeout is 0 and a write that finds the
 *   store locked (another transaction is open, in this process or another) is retried after a
 *   timer, for up to `busyWaitMs` (then STORE_UNAVAILABLE).
 * - PostgreSQL: the writes go through the store's own pool (migration 0009's triggers do not
 *   announce those tables) and the version is data-version.ts's LISTEN probe.
 *
 * An audit line written in the same transaction as a data change is not bookkeeping: it stays in
 * that transaction (people-service.ts), and its commit moves the version as the change does.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { StewardError } from '../model/errors.js';
import { openDataVersion } from './data-version.js';
import type { Store } from './engine.js';
import { isPostgresLocation } from './open-store.js';
import type { Database } from './schema.js';
import {
  appendAudit,
  createSession,
  deleteSession,
  purgeSessions,
  touchSession,
  type AuditEvent,
  type SessionRecord,
} from './users-store.js';

/** The only writes the web server makes outside its data changes (tables in UNWATCHED_TABLES). */
export interface WebWrites {
  appendAudit(e: AuditEvent): Promise<void>;
  createSession(s: SessionRecord): Promise<void>;
  touchSession(tokenHash: string, at: number): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  purgeSessions(now: number, idleBefore: number): Promise<number>;
}

/** WebWrites with the data version they leave alone. */
export interface WebWritesConnection extends WebWrites {
  /** The store's data version (as data-version.ts's): equal values mean no reported data committed in between. */
  current(): string;
  close(): Promise<void>;
}

/** The writes on the store's own connection (no --auth server, tests, the command line). */
export function directWebWrites(store: Store): WebWrites {
  return writesOn(store.db, (work) => work());
}

function writesOn(db: Kysely<Database>, run: <T>(work: () => Promise<T>) => Promise<T>): WebWrites {
  return {
    appendAudit: (e) => run(() => appendAudit(db, e)),
    createSession: (s) => run(() => createSession(db, s)),
    touchSession: (h, at) => run(() => touchSession(db, h, at)),
    deleteSession: (h) => run(() => deleteSession(db, h)),
    purgeSessions: (now, idle) => run(() => purgeSessions(db, now, idle)),
  };
}

export interface WebWritesOptions {
  /** SQLite: how long a write retries while the store is locked (default 10 s). */
  busyWaitMs?: number;
}

/**
 * Opens the web server's bookkeeping writes and data version for the store at `location` (the real
 * location, with any password), whose open `store` is the server's main connection.
 *
 * @example const w = await openWebWrites('./steward.db', store); const before = w.current();
 */
export async function openWebWrites(location: string, store: Store, o: WebWritesOptions = {}): Promise<WebWritesConnection> {
  if (isPostgresLocation(location)) {
    const version = await openDataVersion(location);
    return { ...directWebWrites(store), current: version.current, close: version.close };
  }
  let conn: BetterSqlite3.Database;
  try {
    conn = new BetterSqlite3(location, { fileMustExist: true });
    conn.pragma('busy_timeout = 0');
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
    conn.pragma('wal_autocheckpoint = 20000');
    conn.pragma('foreign_keys = ON');
  } catch (e) {
    throw new StewardError(
      'STORE_UNAVAILABLE',
      `cannot open a second connection to ${location} for the web server's sessions and audit log`,
      { where: location },
      { cause: e },
    );
  }
  const version = conn.prepare('pragma data_version').pluck();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
  const busyWaitMs = o.busyWaitMs ?? 10_000;
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
      try {
        return await work();
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_BUSY_SNAPSHOT') throw e;
        if (Date.now() - started >= busyWaitMs)
          throw new StewardError(
            'STORE_UNAVAILABLE',
            `${location} stayed locked by another writer for ${busyWaitMs} ms`,
            { where: location, hint: 'An import or sync holds the store; try again when it ends.' },
            { cause: e },
          );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  };
  return {
    ...writesOn(db, run),
    current: () => String(version.get()),
    close: () => db.destroy(),
  };
}
