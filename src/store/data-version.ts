/**
 * The store's data version: a value that changes whenever a transaction that changed reported data
 * commits, in this process or any other (an import, a sync, a mentoring change). The web's view
 * cache keys its entries on it.
 *
 * - SQLite: a second, read-only connection's `PRAGMA data_version`, which changes when any other
 *   connection commits. Reading it costs microseconds, so it is read on every request. (SQLite cannot
 *   say which table changed: writes to the web's sessions and audit log count too. `steward serve`
 *   therefore uses store/web-writes.ts, which writes those through the very connection it reads the
 *   version from, whose own commits do not move it.)
 * - PostgreSQL: migration 0009's statement triggers NOTIFY on every table holding reported data; a
 *   dedicated connection LISTENs and counts the notifications. NOTIFY is delivered on commit, so the
 *   version never moves before the data can be read. Opening the probe first adds the trigger to any
 *   table a later migration created without one, so no table is forgotten.
 *
 * Reading the version before computing a view and storing the view under that version is then
 * safe: a commit that the computation may have missed moves the version after it was read.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { isPostgresLocation } from './open-store.js';
import { DATA_CHANGED_CHANNEL, UNWATCHED_TABLES } from './migrations/0009-web-accounts.js';
import { SECURITY_TRACKER_TABLES } from './migrations/0017-security-tracker.js';

export interface DataVersion {
  /** The current version; equal values mean no data committed in between. */
  current(): string;
  close(): Promise<void>;
}

/**
 * Opens a probe of the data version of the store at `location` (the real location, with any
 * password: the probe needs its own connection). The store must exist and be migrated.
 *
 * @example const v = await openDataVersion('./steward.db'); const before = v.current();
 */
export async function openDataVersion(location: string): Promise<DataVersion> {
  return isPostgresLocation(location) ? openPostgresVersion(location) : openSqliteVersion(location);
}

function openSqliteVersion(path: string): DataVersion {
  const conn = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  const stmt = conn.prepare('pragma data_version').pluck();
  return {
    current: () => String(stmt.get()),
    close: async () => void conn.close(),
  };
}

async function openPostgresVersion(url: string): Promise<DataVersion> {
  let generation = 0;
  let notifications = 0;
  let client: pg.Client | null = null;
  let closed = false;
  // A lost connection may have missed notifications: every reconnection is a new generation, so
  // views cached before it are dropped.
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', () => void notifications++);
    c.on('error', () => {
      generation++;
      client = null;
      if (!closed) setTimeout(() => void connect().catch(() => undefined), 1000).unref();
    });
    await c.connect();
    if (generation === 0) await watchNewTables(c);
    await c.query(`listen ${DATA_CHANGED_CHANNEL}`);
    generation++;
    client = c;
  };
  await connect();
  return {
    // While disconnected nothing can be trusted: a fresh value every time means no cache hits.
    current: () => (client ? `${generation}.${notifications}` : `down.${generation}.${notifications++}`),
    close: async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** Adds the data-change trigger (migration 0009's) to every watched table of the schema that lacks it. */
async function watchNewTables(c: pg.Client): Promise<void> {
  const r = await c.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind = 'r'
       and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = c.relname || '_data_changed')`,
  );
  for (const { relname } of r.rows) {
    if (UNWATCHED_TABLES.includes(relname) || SECURITY_TRACKER_TABLES.includes(relname)) continue;
    const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await c.query(
      `create or replace trigger ${id(`${relname}_data_changed`)} after insert or update or delete or truncate on ${id(relname)} for each statement execute function steward_data_changed()`,
    );
  }
}
