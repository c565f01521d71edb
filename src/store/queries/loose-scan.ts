/**
 * The distinct values of an indexed column by a loose index scan: one probe of the index per
 * value (`min(col) where col > previous`), instead of a pass over every row. Both engines run it as
 * a recursive query; the column must lead an index for the probes to be cheap.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export async function looseDistinct<T extends string | number>(
  db: Kysely<Database>,
  table: 'changes' | 'ci_reports',
  column: string,
): Promise<T[]> {
  const t = sql.table(table);
  const c = sql.ref(column);
  const r = await sql<{ v: T | null }>`
    with recursive d(v) as (
      select min(${c}) from ${t}
      union all
      select (select min(${c}) from ${t} where ${c} > d.v) from d where d.v is not null
    )
    select v from d where v is not null`.execute(db);
  return r.rows.map((x) => x.v!);
}
