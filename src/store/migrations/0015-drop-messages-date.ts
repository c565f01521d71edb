import type { Kysely } from 'kysely';

/**
 * `messages_date` (date) is served by `messages_kind_date` (kind, date, …) for every query Steward
 * runs: each one that filters messages by date also names their kinds (checked with EXPLAIN QUERY
 * PLAN over the test suite: only a bare count(*) used it). Every import and sync paid a B-tree insert
 * per message for it, at a random place in a 21 MB index on the 100,000-change bench store.
 */
export function dropMessagesDate() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('messages_date').execute();
    },
  };
}
