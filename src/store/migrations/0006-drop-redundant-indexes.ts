import type { Kysely } from 'kysely';

/**
 * Indexes made redundant by the covering indexes of 0003 and 0005: `votes_change` is a prefix of
 * `votes_flow`, and `votes_time` is served by `votes_window` for every windowed query. Each index
 * costs every import and sync a B-tree insert per vote.
 */
export function dropRedundantIndexes() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.dropIndex('votes_change').execute();
      await db.schema.dropIndex('votes_time').execute();
    },
  };
}
