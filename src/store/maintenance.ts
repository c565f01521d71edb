/**
 * Store housekeeping for the benchmarks: a fresh PostgreSQL database, and the planner's statistics
 * brought up to date after a bulk load.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { StewardError } from '../model/errors.js';
import type { Store } from './engine.js';

/** A database name we can write into DROP/CREATE DATABASE (identifiers cannot be bound as parameters). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Drops the PostgreSQL database `name` (ending its connections) if it exists, creates it empty and
 * returns its URL: `adminUrl` with the database name as its path. `name` must be a plain identifier
 * (letters, digits, _; PostgreSQL folds it to lower case); anything else is refused rather than quoted.
 */
export async function recreatePostgresDatabase(adminUrl: string, name: string): Promise<string> {
  if (!PLAIN_NAME.test(name))
    throw new StewardError('USAGE', `database name "${name}" is not a plain identifier (expected letters, digits and _)`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * PostgreSQL: VACUUM ANALYZE, so a store read right after a bulk load has its visibility map
 * (index-only scans) and planner statistics, as autovacuum would soon give it. SQLite: nothing.
 */
export async function vacuumAnalyze(store: Store): Promise<void> {
  if (store.engine === 'postgres') await sql`vacuum analyze`.execute(store.db);
}

/** Drops the PostgreSQL database `name` (ending its connections) if it exists; `name` as for {@link recreatePostgresDatabase}. */
export async function dropPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  if (!PLAIN_NAME.test(name))
    throw new StewardError('USAGE', `database name "${name}" is not a plain identifier (expected letters, digits and _)`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
