import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Mentoring relationships (`steward core mentor add|end|list`): a core mentoring a candidate from
 * a start date until an end date (null while it lasts). Accounts are the store's accounts.
 *
 * Also covering indexes for the core-team reports' loader of review acts (store/queries/reviewers.ts):
 * a window's non-copied votes and comment-only messages straight from an index, never reading the
 * wide message rows. On the 100,000-change bench store (SQLite) the 90-day reviewers report's reads
 * went from about 900 ms to about 100 ms.
 */
export function mentoring(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('mentorships')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('candidate_id', 'integer', (c) => c.notNull().references('accounts.id'))
        .addColumn('mentor_id', 'integer', (c) => c.notNull().references('accounts.id'))
        .addColumn('started_at', big, (c) => c.notNull())
        .addColumn('ended_at', big)
        .addColumn('note', 'text')
        .addColumn('end_note', 'text')
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('mentorships_candidate').on('mentorships').columns(['candidate_id', 'started_at']).execute();
      await db.schema
        .createIndex('votes_window')
        .on('votes')
        .columns(['copied', 'granted_at', 'voter_id', 'change_id', 'patch_set', 'label', 'value'])
        .execute();
      await db.schema
        .createIndex('messages_kind_date')
        .on('messages')
        .columns(['kind', 'date', 'author_id', 'change_id', 'patch_set'])
        .execute();
    },
  };
}
