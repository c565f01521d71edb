/**
 * Multi-row inserts for the import hot path, one implementation per engine behind one interface.
 *
 * - PostgreSQL: Kysely compiles one multi-row INSERT per (table, columns, row count), cached, and
 *   rows are bound as parameters — few round trips per batch.
 * - SQLite: in-process, so round trips cost nothing; a cached single-row prepared statement run
 *   once per row is the fastest path better-sqlite3 offers and allocates no giant parameter arrays.
 *   The SQL text is still built by Kysely. It runs on the same connection, so it joins the
 *   caller's open transaction.
 *
 * No value is ever interpolated into SQL.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export type TableName = keyof Database;

export interface BulkWriter {
  /**
   * Inserts `rows` (each an array of values in `columns` order). Returns the `returning` columns of
   * every inserted row, in no guaranteed order (match them back by a natural key).
   */
  insert<R = unknown>(db: Kysely<Database>, table: TableName, columns: readonly string[], rows: readonly (readonly unknown[])[], returning?: readonly string[], options?: InsertOptions): Promise<R[]>;
}

export interface InsertOptions {
  /** Skip rows that would violate the unique constraint on these columns (ON CONFLICT … DO NOTHING); they return nothing. */
  skipConflictsOn?: readonly string[];
}

function insertSql(db: Kysely<Database>, table: TableName, columns: readonly string[], rows: number, returning: readonly string[], options: InsertOptions = {}): string {
  const row = Object.fromEntries(columns.map((c) => [c, null]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column list is checked by the callers' row builders
  let q: any = db.insertInto(table).values(Array.from({ length: rows }, () => row) as never);
  const target = options.skipConflictsOn;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's conflict builder typed by table
  if (target?.length) q = q.onConflict((oc: any) => oc.columns(target).doNothing());
  if (returning.length) q = q.returning(returning);
  return q.compile().sql as string;
}

/** PostgreSQL (and any engine): multi-row statements within the parameter limit. */
export function multiRowWriter(maxParams: number): BulkWriter {
  const cache = new Map<string, string>();
  return {
    async insert<R>(db: Kysely<Database>, table: TableName, columns: readonly string[], rows: readonly (readonly unknown[])[], returning: readonly string[] = [], options: InsertOptions = {}): Promise<R[]> {
      const out: R[] = [];
      const perStatement = Math.max(1, Math.min(1000, Math.floor(maxParams / columns.length)));
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const key = `${table}|${columns.join(',')}|${chunk.length}|${returning.join(',')}|${options.skipConflictsOn?.join(',') ?? ''}`;
        let text = cache.get(key);
        if (text === undefined) cache.set(key, (text = insertSql(db, table, columns, chunk.length, returning, options)));
        const params: unknown[] = [];
        for (const r of chunk) for (const v of r) params.push(v);
        const res = await db.executeQuery<R>(CompiledQuery.raw(text, params));
        if (returning.length) for (const r of res.rows) out.push(r);
      }
      return out;
    },
  };
}

/** SQLite: cached single-row prepared statements on the store's own connection. */
export function sqliteWriter(raw: BetterSqlite3.Database): BulkWriter {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    async insert<R>(db: Kysely<Database>, table: TableName, columns: readonly string[], rows: readonly (readonly unknown[])[], returning: readonly string[] = [], options: InsertOptions = {}): Promise<R[]> {
      const key = `${table}|${columns.join(',')}|${returning.join(',')}|${options.skipConflictsOn?.join(',') ?? ''}`;
      let stmt = cache.get(key);
      if (!stmt) cache.set(key, (stmt = raw.prepare(insertSql(db, table, columns, 1, returning, options))));
      const out: R[] = [];
      if (returning.length) {
        for (const r of rows) {
          const got = stmt.get(r as unknown[]) as R | undefined;
          if (got !== undefined) out.push(got);
        }
      }
      else for (const r of rows) stmt.run(r as unknown[]);
      return out;
    },
  };
}
