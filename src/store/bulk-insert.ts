/**
 * Multi-row inserts for the import hot path, one implementation per engine behind one interface.
 *
 * - PostgreSQL: Kysely compiles one multi-row INSERT per (table, columns, row count), cached, and
 *   rows are bound as parameters — few round trips per batch.
 * - SQLite: in-process, so round trips cost nothing, but every statement run crosses from
 *   JavaScript into the driver: cached prepared statements of a few dozen rows each (`insertFlat`)
 *   cost about a fifth less than one statement per row. The SQL text is still built by Kysely. It
 *   runs on the same connection, so it joins the caller's open transaction.
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
  insert<R = unknown>(
    db: Kysely<Database>,
    table: TableName,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
    returning?: readonly string[],
    options?: InsertOptions,
  ): Promise<R[]>;
  /**
   * Inserts rows given as one flat array, `columns.length` values a row (the import's hot path:
   * no array per row).
   */
  insertFlat(db: Kysely<Database>, table: TableName, columns: readonly string[], values: readonly unknown[]): Promise<void>;
  /**
   * Inserts `rows` into a table whose `id` the store assigns, and returns the new ids in the order of
   * `rows`. `key` names a column whose values are unique among `rows` (how PostgreSQL's returned
   * rows are matched back). Must run inside a write transaction.
   */
  insertReturningIds(
    db: Kysely<Database>,
    table: TableName,
    columns: readonly string[],
    rows: readonly (readonly unknown[])[],
    key: string,
  ): Promise<number[]>;
}

export interface InsertOptions {
  /** Skip rows that would violate the unique constraint on these columns (ON CONFLICT … DO NOTHING); they return nothing. */
  skipConflictsOn?: readonly string[];
}

function insertSql(
  db: Kysely<Database>,
  table: TableName,
  columns: readonly string[],
  rows: number,
  returning: readonly string[],
  options: InsertOptions = {},
  orFail = false,
): string {
  const row = Object.fromEntries(columns.map((c) => [c, null]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column list is checked by the callers' row builders
  let q: any = db.insertInto(table).values(Array.from({ length: rows }, () => row) as never);
  if (orFail) q = q.orFail();
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
    async insert<R>(
      db: Kysely<Database>,
      table: TableName,
      columns: readonly string[],
      rows: readonly (readonly unknown[])[],
      returning: readonly string[] = [],
      options: InsertOptions = {},
    ): Promise<R[]> {
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
    async insertFlat(db: Kysely<Database>, table: TableName, columns: readonly string[], values: readonly unknown[]): Promise<void> {
      const width = columns.length;
      const perStatement = Math.max(1, Math.min(1000, Math.floor(maxParams / width)));
      for (let i = 0; i < values.length; i += perStatement * width) {
        const params = values.slice(i, i + perStatement * width);
        const rows = params.length / width;
        const key = `${table}|${columns.join(',')}|${rows}||`;
        let text = cache.get(key);
        if (text === undefined) cache.set(key, (text = insertSql(db, table, columns, rows, [])));
        await db.executeQuery(CompiledQuery.raw(text, params));
      }
    },
    async insertReturningIds(
      db: Kysely<Database>,
      table: TableName,
      columns: readonly string[],
      rows: readonly (readonly unknown[])[],
      key: string,
    ): Promise<number[]> {
      const returned = await this.insert<Record<string, unknown> & { id: number }>(db, table, columns, rows, ['id', key]);
      const idOf = new Map(returned.map((r) => [r[key], r.id]));
      const at = columns.indexOf(key);
      return rows.map((r) => {
        const id = idOf.get(r[at]);
        if (id === undefined) throw new Error(`no id returned for ${table}.${key} = ${String(r[at])}`);
        return id;
      });
    },
  };
}

/**
 * SQLite: cached prepared statements on the store's own connection.
 *
 * Inside a transaction, `insertFlat` runs INSERT OR FAIL: a row that breaks a constraint stops the
 * statement (and the caller's transaction, which rolls back) as a plain INSERT would, but SQLite no
 * longer keeps a statement journal to undo the statement's earlier rows alone, a copy of every page
 * the statement touches. Outside a transaction a statement commits on its own, so there it stays a
 * plain INSERT (a failing one must leave nothing behind).
 */
export function sqliteWriter(raw: BetterSqlite3.Database): BulkWriter {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const statement = (db: Kysely<Database>, table: TableName, columns: readonly string[], rows: number): BetterSqlite3.Statement => {
    const orFail = raw.inTransaction;
    const key = `${table}|${columns.join(',')}|${rows}||${orFail ? 'fail' : ''}`;
    let stmt = cache.get(key);
    if (!stmt) cache.set(key, (stmt = raw.prepare(insertSql(db, table, columns, rows, [], {}, orFail))));
    return stmt;
  };
  const lookups = new Map<string, BetterSqlite3.Statement>();
  const lookup = (sqlText: string): BetterSqlite3.Statement => {
    let stmt = lookups.get(sqlText);
    if (!stmt) lookups.set(sqlText, (stmt = raw.prepare(sqlText).pluck()));
    return stmt;
  };
  return {
    async insertFlat(db: Kysely<Database>, table: TableName, columns: readonly string[], values: readonly unknown[]): Promise<void> {
      const width = columns.length;
      const total = values.length / width;
      if (total === 0) return;
      // Rows per statement: enough to make the call overhead small, few enough that one statement's
      // SQL and bound values stay small.
      const perStatement = Math.max(1, Math.floor(256 / width));
      const full = statement(db, table, columns, perStatement);
      const step = perStatement * width;
      let i = 0;
      // The values go as arguments, not as one array: better-sqlite3 binds arguments as they are,
      // where it reads an array's elements one by one through V8's property look-up (a quarter of
      // the statement's cost for in-memory rows; about 5% of the writer on the bench import).
      for (; i + step <= values.length; i += step) full.run(...values.slice(i, i + step));
      if (i < values.length) statement(db, table, columns, (values.length - i) / width).run(...values.slice(i));
    },
    // The ids are given, not returned row by row: inside the write transaction nobody else inserts,
    // so the next ids are known. Above both the largest id and AUTOINCREMENT's high-water mark
    // (sqlite_sequence), so an id once used is never used again, as AUTOINCREMENT promises.
    async insertReturningIds(
      db: Kysely<Database>,
      table: TableName,
      columns: readonly string[],
      rows: readonly (readonly unknown[])[],
    ): Promise<number[]> {
      if (rows.length === 0) return [];
      const seq = lookup('select seq from sqlite_sequence where name = ?').get(table) as number | undefined;
      const max = lookup(`select max(id) from "${table}"`).get() as number | null;
      const base = Math.max(seq ?? 0, max ?? 0);
      const ids = rows.map((_, i) => base + 1 + i);
      const values: unknown[] = [];
      for (let i = 0; i < rows.length; i++) values.push(ids[i], ...rows[i]!);
      await this.insertFlat(db, table, ['id', ...columns], values);
      return ids;
    },
    async insert<R>(
      db: Kysely<Database>,
      table: TableName,
      columns: readonly string[],
      rows: readonly (readonly unknown[])[],
      returning: readonly string[] = [],
      options: InsertOptions = {},
    ): Promise<R[]> {
      const key = `${table}|${columns.join(',')}|${returning.join(',')}|${options.skipConflictsOn?.join(',') ?? ''}`;
      let stmt = cache.get(key);
      if (!stmt) cache.set(key, (stmt = raw.prepare(insertSql(db, table, columns, 1, returning, options))));
      const out: R[] = [];
      if (returning.length) {
        for (const r of rows) {
          const got = stmt.get(r as unknown[]) as R | undefined;
          if (got !== undefined) out.push(got);
        }
      } else for (const r of rows) stmt.run(r as unknown[]);
      return out;
    },
  };
}
