import { sql, type Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/** The PostgreSQL channel on which data changes are announced (store/data-version.ts listens). */
export const DATA_CHANGED_CHANNEL = 'steward_data_changed';

/**
 * Tables whose writes do not change any report: the web's own accounts, sessions and audit log,
 * the sync lock's heartbeat, and the migrator's bookkeeping. Every other table is watched.
 */
export const UNWATCHED_TABLES: readonly string[] = [
  'users',
  'user_sessions',
  'audit_log',
  'sync_locks',
  'kysely_migration',
  'kysely_migration_lock',
];

/**
 * PostgreSQL only: announce on DATA_CHANGED_CHANNEL, when the writing transaction commits, that
 * `table` changed. Statement-level, so a bulk insert of thousands of rows announces once; NOTIFY
 * folds duplicates within a transaction and is delivered only on commit, so a listener never
 * hears of data it cannot yet read. A migration that adds a table holding reported data calls this.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
export async function announceDataChanges(db: Kysely<any>, table: string): Promise<void> {
  await sql`create trigger ${sql.id(`${table}_data_changed`)} after insert or update or delete or truncate on ${sql.id(table)}
    for each statement execute function steward_data_changed()`.execute(db);
}

/**
 * Web access (`steward serve --auth`, `steward user …`): local user accounts, their sessions and
 * an audit log of security-relevant events.
 *
 * - users: a name (lower case, unique), a role (text, so later roles need no migration), a
 *   versioned password hash (web/auth/password.ts: `$scrypt$v=1$…`, parameters inside, so they can
 *   change without a migration), when created, when disabled (null while active).
 * - user_sessions: only the SHA-256 of the session token is stored (a leaked store gives no
 *   usable cookie), with its user, creation, absolute expiry and last use.
 * - audit_log: who did what to what, from where, when (logins, failed logins, logouts, user and
 *   role changes, data changes made from the web). Never a password or a token. Later issues
 *   (an embargoed security tracker) add their events here.
 *
 * On PostgreSQL it also installs the data-change announcements (see announceDataChanges) on every
 * table that holds reported data, which lets the web's view cache drop stale views at once.
 */
export function webAccounts(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('password_changed_at', big, (c) => c.notNull())
        .addColumn('disabled_at', big)
        .execute();

      await db.schema
        .createTable('user_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('expires_at', big, (c) => c.notNull())
        .addColumn('last_seen_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('user_sessions_user').on('user_sessions').column('user_id').execute();
      await db.schema.createIndex('user_sessions_expires').on('user_sessions').column('expires_at').execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        // The acting user; null for an anonymous actor (a failed login) or the command line.
        .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
        .addColumn('actor', 'text')
        // What the event is about: a user name, "mentorship 12", "priority …".
        .addColumn('subject', 'text')
        .addColumn('ip', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        // JSON object with event-specific facts (old and new role, reason of a refusal).
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

      if (caps.announcesDataChanges) {
        await sql
          .raw(
            `create function steward_data_changed() returns trigger language plpgsql as $$
          begin perform pg_notify('${DATA_CHANGED_CHANNEL}', ''); return null; end $$`,
          )
          .execute(db);
        const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
        for (const { table_name } of tables.rows) {
          if (!UNWATCHED_TABLES.includes(table_name)) await announceDataChanges(db, table_name);
        }
      }
    },
  };
}
