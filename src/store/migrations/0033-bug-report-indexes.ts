import type { Kysely } from 'kysely';

/**
 * `patch_sets_revision` (revision): the change a `Revert "…"` names by its commit ("This reverts
 * commit SHA"), which `steward bugs rota` looks up for each revert of its window (issue 15). Without
 * it both engines read all of `patch_sets` for each revert (294,000 rows on the 100,000-change bench
 * store, about 110 ms a revert in SQLite).
 */
export function bugReportIndexes() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('patch_sets_revision').on('patch_sets').column('revision').execute();
    },
  };
}
