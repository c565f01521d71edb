import type { Kysely } from 'kysely';
import type { Store } from './engine.js';
import { schemaState } from './open-store.js';
import { DATA_TABLES, type Database } from './schema.js';

export interface StoreInfo {
  engine: string;
  location: string;
  schemaVersion: number;
  latestSchemaVersion: number;
  pendingMigrations: string[];
  rowCounts: Record<string, number>;
}

/** Engine, schema version and row counts per table: what `steward db info` prints. */
export async function storeInfo(store: Store): Promise<StoreInfo> {
  const state = await schemaState(store);
  const rowCounts: Record<string, number> = {};
  if (state.version > 0) {
    for (const t of DATA_TABLES) {
      const r = await store.db
        .selectFrom(t)
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      rowCounts[t] = Number(r.n);
    }
  }
  return {
    engine: store.engine,
    location: store.location,
    schemaVersion: state.version,
    latestSchemaVersion: state.latest,
    pendingMigrations: state.pending,
    rowCounts,
  };
}

/** How many changes the store holds (0 for an empty store: `steward overview --demo-if-empty` fills it). */
export async function countChanges(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('changes')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
