import { sql, type Kysely } from 'kysely';
import type { Store } from './engine.js';
import { schemaState, type SchemaState } from './open-store.js';
import { DATA_TABLES, type Database } from './schema.js';

export interface StoreInfo {
  engine: string;
  location: string;
  schemaVersion: number;
  latestSchemaVersion: number;
  pendingMigrations: string[];
  rowCounts: Record<string, number>;
  /** The tables (and views) whose count in rowCounts is an estimate (see storeInfo); empty when every count is exact. */
  estimated: string[];
}

/** Above this many rows a PostgreSQL table's count is its planner estimate, unless exact counts were asked for. */
const ESTIMATE_ABOVE = 10_000;
/** How many CI reports the CI builds' count samples (their mean number of jobs). */
const CI_SAMPLE = 1_000;

/**
 * Engine, schema version and row counts per table: what `steward db info` prints.
 *
 * `exact` (the default here; `steward db info --exact`) counts every row. Without it the counts
 * that cost a full read are estimated (docs/commands.md):
 * - `ci_builds` is a view over the CI reports' packed jobs (migration 0013): counting it parses
 *   every report (0.7 s of CPU on SQLite, 4.7 s on PostgreSQL for the 100,000-change bench store).
 *   Beyond CI_SAMPLE reports, it is the reports' count times their mean number of jobs in a sample
 *   (SQLite: CI_SAMPLE reports spread evenly over the row ids; PostgreSQL: a 1% block sample).
 * - PostgreSQL counts a table by reading all of it; a table its statistics put above
 *   ESTIMATE_ABOVE rows gets that estimate (`pg_class.reltuples`, kept by VACUUM and ANALYZE, which
 *   the import and sync run). SQLite counts through the table's smallest index: exact and cheap.
 */
export async function storeInfo(store: Store, options: { exact?: boolean } = {}): Promise<StoreInfo> {
  const exact = options.exact ?? true;
  const state = await schemaState(store);
  const rowCounts: Record<string, number> = {};
  const estimated: string[] = [];
  if (state.version > 0) {
    const planned = exact || store.engine !== 'postgres' ? new Map<string, number>() : await plannerCounts(store.db);
    for (const t of DATA_TABLES) {
      if (t === 'ci_builds' && !exact) continue;
      const guess = planned.get(t);
      if (guess !== undefined && guess > ESTIMATE_ABOVE) {
        rowCounts[t] = guess;
        estimated.push(t);
        continue;
      }
      rowCounts[t] = await countRows(store.db, t);
    }
    if (!exact) {
      const reports = rowCounts.ci_reports ?? 0;
      const mean = reports > CI_SAMPLE ? await sampledJobsPerReport(store) : null;
      if (mean === null) rowCounts.ci_builds = await countRows(store.db, 'ci_builds');
      else {
        rowCounts.ci_builds = Math.round(reports * mean);
        estimated.push('ci_builds');
      }
      // Keep the order of DATA_TABLES.
      const ordered: Record<string, number> = {};
      for (const t of DATA_TABLES) ordered[t] = rowCounts[t]!;
      return info(store, state, ordered, estimated);
    }
  }
  return info(store, state, rowCounts, estimated);
}

function info(store: Store, state: SchemaState, rowCounts: Record<string, number>, estimated: string[]): StoreInfo {
  return {
    engine: store.engine,
    location: store.location,
    schemaVersion: state.version,
    latestSchemaVersion: state.latest,
    pendingMigrations: state.pending,
    rowCounts,
    estimated,
  };
}

async function countRows(db: Kysely<Database>, table: (typeof DATA_TABLES)[number]): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** PostgreSQL's estimate of each table's rows (reltuples; -1, left out, for a table never vacuumed or analysed). */
async function plannerCounts(db: Kysely<Database>): Promise<Map<string, number>> {
  const r = await sql<{ name: string; n: number }>`select c.relname as name, c.reltuples::float8 as n from pg_class c
    where c.relkind = 'r' and c.relnamespace = to_regnamespace(current_schema())::oid and c.relname = any(${[...DATA_TABLES]})`.execute(db);
  return new Map(r.rows.filter((x) => Number(x.n) >= 0).map((x) => [x.name, Math.round(Number(x.n))]));
}

/** The mean number of jobs per CI report in a sample, or null when the sample is empty. */
async function sampledJobsPerReport(store: Store): Promise<number | null> {
  if (store.engine === 'postgres') {
    const r = await sql<{ mean: number | null }>`select avg(json_array_length(jobs::json))::float8 as mean
      from ci_reports tablesample system (1) repeatable (0)`.execute(store.db);
    const mean = r.rows[0]?.mean;
    return mean === null || mean === undefined ? null : Number(mean);
  }
  const span = await sql<{ lo: number | null; hi: number | null }>`select min(rowid) as lo, max(rowid) as hi from ci_reports`.execute(
    store.db,
  );
  const { lo, hi } = span.rows[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null) return null;
  const ids = new Set<number>();
  for (let i = 0; i < CI_SAMPLE; i++) ids.add(Math.round(Number(lo) + ((Number(hi) - Number(lo)) * i) / (CI_SAMPLE - 1)));
  const r = await sql<{ mean: number | null }>`select avg(json_array_length(jobs)) as mean from ci_reports
    where rowid in (${sql.join([...ids])})`.execute(store.db);
  const mean = r.rows[0]?.mean;
  return mean === null || mean === undefined ? null : Number(mean);
}

/** How many changes the store holds (0 for an empty store: `steward overview --demo-if-empty` fills it). */
export async function countChanges(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('changes')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
