import type { Kysely } from 'kysely';

/**
 * `ci_reports_window` (reported_at, change_id): the CI reports of a period through an index (issue
 * 20). Every CI report (`steward ci …`) and the overview's CI line read the reports of their window;
 * without it both engines read all of `ci_reports` (422,000 rows holding 2.2 million job results on
 * the 100,000-change bench store) to find the 90 days' 50,000.
 */
export function ciWindowIndex() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('ci_reports_window').on('ci_reports').columns(['reported_at', 'change_id']).execute();
    },
  };
}
