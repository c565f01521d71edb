import type { Kysely } from 'kysely';

/**
 * Indexes for reports over a window of a long history (issue 20): a 90-day report on a two-year
 * project reads the window's rows through an index, not every row.
 *
 * - `patch_sets_created` (created, change_id): the changes with a patch set uploaded since a time
 *   (reviewstats' reviewers, `loadApprovalRecords`). Without it both engines scanned every patch
 *   set (`patch_sets_flow` leads with change_id).
 */
export function windowIndexes() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('patch_sets_created').on('patch_sets').columns(['created', 'change_id']).execute();
    },
  };
}
