/**
 * Multi-row inserts for the import hot path. Kysely builds the SQL (no value is ever interpolated);
 * the compiled statement for a given table, column list and row count is cached, and rows are bound
 * as parameters. This keeps 100,000-change imports from spending their time compiling queries.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type TableName = keyof Database;

const cache = new WeakMap<object, Map<string, string>>();

function compiledSql(db: Kysely<Database>, table: TableName, columns: readonly string[], rows: number, returning: readonly string[]): string {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  const key = `${table}|${columns.join(',')}|${rows}|${returning.join(',')}`;
  let text = perDb.get(key);
  if (text === undefined) {
    const row = Object.fromEntries(columns.map((c) => [c, null]));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column list is checked by callers' row builders
    let q: any = db.insertInto(table).values(Array.from({ length: rows }, () => row) as never);
    if (returning.length) q = q.returning(returning);
    text = q.compile().sql as string;
    perDb.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (each an array of values in `columns` order) in as few statements as the engine's
 * parameter limit allows. Returns the `returning` columns of every inserted row when asked.
 */
export async function bulkInsert<R = unknown>(
  db: Kysely<Database>,
  table: TableName,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  maxParams: number,
  returning: readonly string[] = [],
): Promise<R[]> {
  const out: R[] = [];
  if (rows.length === 0) return out;
  const perStatement = Math.max(1, Math.min(500, Math.floor(maxParams / columns.length)));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const text = compiledSql(db, table, columns, chunk.length, returning);
    const params: unknown[] = [];
    for (const r of chunk) for (const v of r) params.push(v);
    const res = await db.executeQuery<R>(CompiledQuery.raw(text, params));
    if (returning.length) out.push(...res.rows);
  }
  return out;
}
