import type { Kysely } from 'kysely';

/**
 * `deferred_indexes`: the secondary indexes a first sync into an empty store dropped, each with its
 * definition (its CREATE INDEX statement as the catalogue held it), until the sync builds them again
 * once after its last page (store/deferred-indexes.ts). Kept in the store rather than in the sync's
 * memory so that a sync killed before the end leaves them named: the next sync of the store, resumed
 * or not, keeps them deferred and builds them at its end. Empty whenever no sync is part-way through
 * a first load.
 */
export function deferredIndexes() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('deferred_indexes')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
