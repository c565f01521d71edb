/**
 * "Column is one of these ids" per engine, for the loaders that look rows up by id (flow.ts,
 * reviewers.ts, initiatives.ts, review-tally.ts). Helpers only; no query of its own.
 */
import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { EngineName } from '../engine.js';

/**
 * `column` is one of `ids`, as ONE bound value whatever the count: a JSON array read by json_each
 * in SQLite, an array in PostgreSQL (thousands of ids as as many parameters cost the query builder,
 * the driver and the database a node, a value and a plan entry each). PostgreSQL reads the array
 * through a sub-select, which the planner does not open: `= any($1)` with the array's value in hand
 * estimates each of its thousands of elements against the column's statistics (the waits' 26,000
 * ids: 2–13 ms of planning per statement warm, against 0.2 ms; the same index probes either way).
 */
export const ID_LIST: Record<EngineName, (column: string, ids: readonly number[]) => RawBuilder<boolean>> = {
  sqlite: (column, ids) => sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`,
  postgres: (column, ids) => sql<boolean>`${sql.ref(column)} = any(array(select unnest(cast(${pgArrayLiteral(ids)} as bigint[]))))`,
};

/**
 * Integers (ids, bug numbers) as PostgreSQL's array literal, `{1,2,3}`, for a parameter cast to
 * `bigint[]` or `text[]` (then each number's decimal string, as String gives it): the same value node-postgres sends for a
 * JavaScript array, which it builds by escaping and quoting each element (on the bench store about
 * a tenth of the rota's client CPU, for arrays of thousands of ids).
 */
export function pgArrayLiteral(xs: readonly number[]): string {
  return `{${xs.join(',')}}`;
}

/**
 * `column` is one of the ids a sub-query selects: PostgreSQL plans `= any(array(…))` as index probes
 * (the sub-query run once), where `in (select …)` can make it hash or merge-join a whole table or index.
 */
export const IN_SUBQUERY: Record<EngineName, (column: RawBuilder<unknown>, ids: RawBuilder<unknown> | Compilable) => RawBuilder<boolean>> =
  {
    sqlite: (column, ids) => sql<boolean>`${column} in (${ids})`,
    postgres: (column, ids) => sql<boolean>`${column} = any(array(${ids}))`,
  };
