/**
 * The secondary indexes a first sync into an empty store builds once after its last page instead of
 * row by row: the import's (ingest-writes.ts, DEFERRED_INDEXES), for the same reason — each orders
 * its rows by a key that arrives in random order, so row by row every insert lands on another page
 * of the index. Unlike the import's one transaction, a sync commits page after page and can be killed
 * between two: the indexes it dropped are recorded in `deferred_indexes` (migration 0038) in the
 * transaction that drops them, and built again, and their rows deleted, in the one that builds them.
 * A killed sync therefore leaves them named in the store, and the next sync of that store (resumed
 * or not) keeps them deferred and builds them at its end; so does an import into it
 * (ingest-writes.ts, writeInOneTransaction), in its one transaction. SQLite only (see deferIndexesIfEmpty).
 */
import type { Store } from './engine.js';
import { buildRecordedIndexes, DEFERRED_INDEXES, indexDefinitions } from './ingest-writes.js';

/**
 * Drops the deferred indexes when the store holds no changes yet (nor any deferred already),
 * recording their definitions first, in one transaction.
 *
 * @returns whether the indexes are deferred now: dropped by this call or by an earlier sync that
 *   did not reach its end; false for a store that holds changes (a sync into it writes them row by row).
 */
export async function deferIndexesIfEmpty(store: Store): Promise<boolean> {
  // SQLite only. PostgreSQL runs the syncs of several projects at once: building an index takes a
  // SHARE lock on its table, which waits for another sync's page transaction while that waits for
  // the tables this build has locked already (a deadlock the kill test's two concurrent syncs hit).
  if (store.engine !== 'sqlite') return false;
  return store.db.transaction().execute(async (trx) => {
    if ((await trx.selectFrom('deferred_indexes').select('name').limit(1).execute()).length > 0) return true;
    if ((await trx.selectFrom('patch_sets').select('change_id').limit(1).execute()).length > 0) return false;
    let deferred = false;
    for (const name of DEFERRED_INDEXES) {
      const [definition] = await indexDefinitions(trx, store.engine, [name]);
      if (definition === undefined) continue;
      await trx.insertInto('deferred_indexes').values({ name, definition }).execute();
      await trx.schema.dropIndex(name).execute();
      deferred = true;
    }
    return deferred;
  });
}

/**
 * Builds the indexes recorded in `deferred_indexes` from their definitions and deletes their rows,
 * in one transaction (a sync killed while it runs leaves them deferred, to be built by the next).
 *
 * @returns the number of indexes built (0 when none was deferred).
 */
export async function buildDeferredIndexes(store: Store): Promise<number> {
  return store.db.transaction().execute((trx) => buildRecordedIndexes(trx));
}
