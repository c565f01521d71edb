/**
 * What differs between the engines, as capability flags rather than `if (postgres)` branches
 * scattered through the code (STYLE.md: dialects as adapters).
 */
import type { Kysely } from 'kysely';
import type { BulkWriter } from './bulk-insert.js';
import type { Database } from './schema.js';

export type EngineName = 'sqlite' | 'postgres';

export interface EngineCapabilities {
  /** Column type of an auto-incrementing integer primary key. */
  readonly autoIdType: 'integer' | 'serial';
  /** Column type for epoch-millisecond times and other values beyond 32 bits. */
  readonly bigIntType: 'integer' | 'bigint';
  /** Most bound parameters one statement may carry. */
  readonly maxParams: number;
  /** The aggregate that joins strings with a separator. */
  readonly stringAggregate: 'group_concat' | 'string_agg';
  /**
   * Data changes are announced to listeners on commit (PostgreSQL: statement triggers and
   * LISTEN/NOTIFY, migration 0009). Without it (SQLite) a second connection's `data_version` tells.
   */
  readonly announcesDataChanges: boolean;
}

export interface Store {
  readonly engine: EngineName;
  readonly caps: EngineCapabilities;
  readonly db: Kysely<Database>;
  /** The engine's fastest way to insert many rows (used by imports and syncs). */
  readonly bulk: BulkWriter;
  /**
   * Runs `work` (which opens its own transactions) with the engine set up for a large write such as
   * an import; settings are put back afterwards, whether `work` succeeds or fails. SQLite: see
   * open-store.ts sqliteBulkLoad. PostgreSQL: runs `work` as it is.
   */
  bulkLoad<T>(work: () => Promise<T>, options?: BulkLoadOptions): Promise<T>;
  /** Where the store is, for messages (file path, or the URL without its password). */
  readonly location: string;
  close(): Promise<void>;
}

/** How store.bulkLoad sets the engine up (SQLite only; PostgreSQL ignores them). */
export interface BulkLoadOptions {
  /**
   * SQLite's page cache during the load, in MB (default 64). A load that writes its rows at the ends
   * of its tables and indexes, or in a few places of them (the Gerrit import into an empty store,
   * its random-order indexes built after: store/ingest-writes.ts), needs less than one that inserts
   * at random places of large indexes.
   */
  pageCacheMb?: number;
  /**
   * The work ends with CREATE INDEX runs over the tables it loaded (default false). SQLite's sorter
   * then spills what outgrows the page cache to temporary files rather than to memory (temp_store
   * FILE) and sorts and merges those runs on a second thread (threads = 2): the import's deferred
   * indexes, built after its parser has finished and left a core free (store/ingest-writes.ts).
   */
  indexBuilds?: boolean;
}
