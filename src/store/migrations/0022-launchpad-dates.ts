import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Launchpad dates not stored before (issue 15), and indexes for the bug reports:
 *
 * - lp_bug_tasks.date_left_closed: when the task last left a closed status (Launchpad's own date
 *   of a reopening; `bugs rota`'s "reopened their bug" reads it instead of guessing from the status);
 * - lp_bug_tasks.date_deferred: when the task went Deferred;
 * - lp_bugs.date_last_message: the bug's last comment.
 *
 * Rows stored before keep null until their bug is synced again (`steward bugs sync --full` re-reads every task).
 */
export function launchpadDates(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('lp_bug_tasks').addColumn('date_left_closed', big).execute();
      await db.schema.alterTable('lp_bug_tasks').addColumn('date_deferred', big).execute();
      await db.schema.alterTable('lp_bugs').addColumn('date_last_message', big).execute();
    },
  };
}
