/**
 * Which branch, pipeline, CI job and Launchpad series names the store holds: the catalogue refuses a report asked for
 * one it does not hold (an empty report would look like a real answer), naming the ones it does.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The kinds of names a report parameter can be checked against. */
export type KnownKind = 'branch' | 'pipeline' | 'job' | 'series';

/**
 * The names in `values` the store holds no row for: branches no change is on; pipelines no CI
 * report or Zuul build ran in. One indexed-or-early-exit probe per name, so a name that exists
 * costs little even on a large store; a missing one costs a scan (the error path only).
 */
export async function missingValues(db: Kysely<Database>, kind: KnownKind, values: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const v of new Set(values)) if (!(await holds(db, kind, v))) missing.push(v);
  return missing;
}

/**
 * Whether some row names `v`: a change on the branch; a CI report or Zuul build in the pipeline; a
 * build of the job (a report's builds are read through the `ci_builds` view, which stops at the
 * first report that names it); a blueprint whose series goal it is, or a bug task on the series.
 */
async function holds(db: Kysely<Database>, kind: KnownKind, v: string): Promise<boolean> {
  const probe = async (
    table: 'changes' | 'ci_reports' | 'ci_builds' | 'zuul_builds' | 'lp_blueprints' | 'lp_bug_tasks',
    column: 'branch' | 'pipeline' | 'job' | 'series_goal' | 'series',
  ) =>
    (await db
      .selectFrom(table)
      .select(sql<number>`1`.as('x'))
      // The column is one the table has: the pairs below are the only calls.
      .where(sql.ref(column), '=', v)
      .limit(1)
      .executeTakeFirst()) !== undefined;
  if (kind === 'branch') return probe('changes', 'branch');
  if (kind === 'pipeline') return (await probe('ci_reports', 'pipeline')) || probe('zuul_builds', 'pipeline');
  if (kind === 'series') return (await probe('lp_blueprints', 'series_goal')) || probe('lp_bug_tasks', 'series');
  return (await probe('zuul_builds', 'job')) || probe('ci_builds', 'job');
}

/** The names of `kind` the store holds, sorted (at most `limit`, for a message). */
export async function listKnownValues(db: Kysely<Database>, kind: KnownKind, limit = 30): Promise<string[]> {
  const rows =
    kind === 'series'
      ? await db
          .selectFrom(
            db
              .selectFrom('lp_blueprints')
              .select('series_goal as v')
              .where('series_goal', 'is not', null)
              .union(db.selectFrom('lp_bug_tasks').select('series as v').where('series', 'is not', null))
              .as('s'),
          )
          .select('s.v')
          .distinct()
          .orderBy('s.v')
          .limit(limit)
          .execute()
      : kind === 'branch'
        ? await db.selectFrom('changes').select('branch as v').distinct().orderBy('v').limit(limit).execute()
        : kind === 'pipeline'
          ? await db
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
              .execute()
          : await db
              .selectFrom(db.selectFrom('ci_builds').select('job as v').union(db.selectFrom('zuul_builds').select('job as v')).as('j'))
              .select('j.v')
              .distinct()
              .orderBy('j.v')
              .limit(limit)
              .execute();
  return rows.map((r) => r.v).filter((v): v is string => typeof v === 'string');
}
