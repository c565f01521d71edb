/**
 * Store housekeeping for the benchmarks: a fresh PostgreSQL database, and the planner's statistics
 * brought up to date after a bulk load.
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { StewardError } from '../model/errors.js';
import type { Store } from './engine.js';

/** A database name we can write into DROP/CREATE DATABASE (identifiers cannot be bound as parameters). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Runs `work` on a client of the server `adminUrl` names, after refusing any of `names` that is not
 * a plain identifier (they are written into DROP/CREATE DATABASE, where no parameter can be bound);
 * returns the URL of the database `names[0]` on that server.
 */
async function onServer(adminUrl: string, names: string[], work: (client: pg.Client) => Promise<void>): Promise<string> {
  for (const n of names)
    if (!PLAIN_NAME.test(n))
      throw new StewardError('USAGE', `database name "${n}" is not a plain identifier (expected letters, digits and _)`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${names[0]}`;
  return u.toString();
}

/**
 * Drops the PostgreSQL database `name` (ending its connections) if it exists, creates it empty and
 * returns its URL: `adminUrl` with the database name as its path. `name` must be a plain identifier
 * (letters, digits, _; PostgreSQL folds it to lower case); anything else is refused rather than quoted.
 */
export async function recreatePostgresDatabase(adminUrl: string, name: string): Promise<string> {
  return onServer(adminUrl, [name], async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
}

/**
 * PostgreSQL: VACUUM ANALYZE, so a store read right after a bulk load has its visibility map
 * (index-only scans) and planner statistics, as autovacuum would soon give it. SQLite: nothing.
 */
export async function vacuumAnalyze(store: Store): Promise<void> {
  if (store.engine === 'postgres') await sql`vacuum analyze`.execute(store.db);
}

/**
 * A scratch copy of a store for a benchmark that writes (users, sessions, the audit log) where the
 * bench store itself must stay as it is. SQLite: the file `from` copied to `to` through SQLite's
 * online backup (consistent even with a -wal beside it; `from` is opened read-only), replacing any
 * `to`. PostgreSQL: the database `name` on the server `adminUrl` names, dropped if it exists and
 * made again with `CREATE DATABASE name TEMPLATE template` (PostgreSQL refuses while another session
 * is connected to the template: retried every 10 s for up to 10 minutes). Returns the copy's location.
 */
export async function copySqliteStore(from: string, to: string): Promise<string> {
  const { default: Sqlite } = await import('better-sqlite3');
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(to + suffix, { force: true });
  const db = new Sqlite(from, { readonly: true, fileMustExist: true });
  try {
    await db.backup(to);
  } finally {
    db.close();
  }
  return to;
}

export async function copyPostgresDatabase(adminUrl: string, template: string, name: string): Promise<string> {
  if (template.toLowerCase() === name.toLowerCase()) throw new StewardError('USAGE', `the copy of ${template} needs another name`);
  return onServer(adminUrl, [name, template], async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (e) {
        // 55006 object_in_use: another session reads the template right now.
        if ((e as { code?: string }).code !== '55006') throw e;
        if (attempt >= 60)
          throw new StewardError(
            'STORE_UNAVAILABLE',
            `cannot copy the PostgreSQL database ${template} to ${name}: other sessions stayed connected to it for 10 minutes`,
            { hint: `PostgreSQL copies a database only while nobody else is connected to it; stop what reads ${template} and run again.` },
            { cause: e },
          );
        await new Promise((r) => setTimeout(r, 10_000));
      }
    }
  });
}

/** Drops the PostgreSQL database `name` (ending its connections) if it exists (a copy {@link copyPostgresDatabase} made, or one {@link recreatePostgresDatabase} made). */
export async function dropPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, [name], async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}
