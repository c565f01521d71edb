/**
 * Which branch and pipeline names the store holds: the catalogue refuses a report asked for one
 * it does not hold (an empty report would look like a real answer), naming the ones it does.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The kinds of names a report parameter can be checked against. */
export type KnownKind = 'branch' | 'pipeline';

/**
 * The names in `values` the store holds no row for: branches no change is on; pipelines no CI
 * report or Zuul build ran in. One indexed-or-early-exit probe per name, so a name that exists
 * costs little even on a large store; a missing one costs a scan (the error path only).
 */
export async function missingValues(db: Kysely<Database>, kind: KnownKind, values: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const v of new Set(values)) {
    const hit =
      kind === 'branch'
        ? await db
            .selectFrom('changes')
            .select(sql<number>`1`.as('x'))
            .where('branch', '=', v)
            .limit(1)
            .executeTakeFirst()
        : ((await db
            .selectFrom('ci_reports')
            .select(sql<number>`1`.as('x'))
            .where('pipeline', '=', v)
            .limit(1)
            .executeTakeFirst()) ??
          (await db
            .selectFrom('zuul_builds')
            .select(sql<number>`1`.as('x'))
            .where('pipeline', '=', v)
            .limit(1)
            .executeTakeFirst()));
    if (!hit) missing.push(v);
  }
  return missing;
}

/** The names of `kind` the store holds, sorted (at most `limit`, for a message). */
export async function listKnownValues(db: Kysely<Database>, kind: KnownKind, limit = 30): Promise<string[]> {
  const rows =
    kind === 'branch'
      ? await db.selectFrom('changes').select('branch as v').distinct().orderBy('v').limit(limit).execute()
      : await db
          .selectFrom(
            db
              .selectFrom('ci_reports')
              .select('pipeline as v')
              .where('pipeline', 'is not', null)
              .union(db.selectFrom('zuul_builds').select('pipeline as v'))
              .as('p'),
          )
          .select('p.v')
          .distinct()
          .orderBy('p.v')
          .limit(limit)
          .execute();
  return rows.map((r) => r.v).filter((v): v is string => typeof v === 'string');
}
