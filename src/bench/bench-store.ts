/**
 * The bench store every phase after the import reads (run.ts builds it once): the SQLite file, the
 * PostgreSQL admin URL when one is given and the database the import filled, and the options the
 * bench export was generated with (its configuration: core team, bots).
 */
import type { DemoOptions } from '../demo/demo-project.js';

export interface BenchStore {
  sqlitePath: string;
  /** STEWARD_BENCH_PG or STEWARD_TEST_PG: an admin URL of the PostgreSQL server, when given. */
  pgAdmin: string | undefined;
  /** The PostgreSQL bench database (BENCH_PG_DB, default steward_bench). */
  pgDb: string;
  demo: DemoOptions;
}

/** The PostgreSQL bench database's location on the server `pgAdmin` names. */
export function pgLocation(pgAdmin: string, pgDb: string): string {
  const u = new URL(pgAdmin);
  u.pathname = `/${pgDb}`;
  return u.toString();
}

/** The bench store's locations, SQLite first, then PostgreSQL when an admin URL is given. */
export function benchLocations(sqlitePath: string, pgAdmin: string | undefined, pgDb: string): string[] {
  return pgAdmin ? [sqlitePath, pgLocation(pgAdmin, pgDb)] : [sqlitePath];
}
