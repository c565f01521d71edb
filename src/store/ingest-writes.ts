/**
 * The transactions the ingest pipelines (src/ingest/) write in: a sync's page of changes or builds
 * together with the run's position, an export file's changes, a core group's snapshot. Each
 * function is one transaction, so what it writes is stored whole or not at all; the pipelines
 * decide what to write and when, this module how.
 */
import { sql, type Kysely } from 'kysely';
import type { AccountRef } from '../model/records.js';
import type { PackedChanges } from '../model/packed-changes.js';
import type { ZuulBuild } from '../model/ci.js';
import type { LaunchpadRecords } from '../model/bugs.js';
import { AccountResolver } from './account-resolver.js';
import { ensureHost, writeChangeBatch, type WriteCounts } from './change-writer.js';
import type { Store } from './engine.js';
import type { Database } from './schema.js';
import { writeZuulBuilds, type ZuulOrigin, type ZuulWriteCounts } from './queries/ci.js';
import { recordGroupSnapshot, recordPage } from './sync-store.js';
import { writeLaunchpadRecords, type LaunchpadWriteCounts } from './queries/bugs.js';

/** Where a sync run stands after a page: the position to resume from and the newest time the page held. */
export interface PagePosition {
  /** sync_state host (a Gerrit host name, or a Zuul tenant's key). */
  host: string;
  project: string;
  /** The start (Gerrit `S=`) or skip (Zuul) of the next page. */
  nextStart: number;
  /** The newest `updated` (Gerrit) or start time (Zuul) on the page, epoch ms; null when none. */
  highWater: number | null;
}

/** Records the host (and its URL when known) in a transaction of its own. */
export async function recordHost(store: Store, name: string, url: string | null): Promise<void> {
  await store.db.transaction().execute((trx) => ensureHost(trx, name, url));
}

/**
 * Stores one page of a Gerrit sync and the run's position in one transaction, so a sync killed
 * after it resumes at the next page. `resolver` is moved to the transaction and back to the
 * store's connection once it committed (its cache is valid from then on).
 *
 * @returns the page's write counts.
 */
export async function writeChangePage(
  store: Store,
  resolver: AccountResolver,
  batch: PackedChanges,
  position: PagePosition,
): Promise<WriteCounts> {
  const counts = await store.db.transaction().execute(async (trx) => {
    resolver.useDb(trx);
    const c = await writeChangeBatch(trx, resolver, batch, store.bulk);
    await recordPage(trx, position.host, position.project, position.nextStart, position.highWater);
    return c;
  });
  resolver.useDb(store.db);
  return counts;
}

/** Writes the batches of one export file: handed to `work`, which calls `write` once per batch. */
export interface FileWriter {
  write(batch: PackedChanges): Promise<WriteCounts>;
  /** Accounts created so far by this file's writes. */
  readonly accountsCreated: number;
}

/**
 * SQLite's page cache while an export file loads into an empty store (store.bulkLoad's default, 64
 * MB, is kept for a load into a store that holds changes). With the random-order indexes deferred,
 * the rows the load writes land at the end of each table and in a few places of each remaining index
 * (ascending ids, dates, few labels and kinds), so half the cache holds what the next rows need: on
 * the 100,000-change bench export, 32 MB took about 40 MB off the import's peak RSS for about 4,000
 * more page reads (of about 310,000 pages written) and no measurable CPU (docs/benchmarks.md).
 */
const BULK_PAGE_CACHE_MB = 32;

/**
 * SQLite's page cache while the deferred indexes are built after the load. The sorter keeps as much
 * as the page cache holds in one sorted run; past that it writes a run and starts the next, on its
 * second thread (store.bulkLoad, indexBuilds). At 8 MB the 100,000-change bench import's largest
 * build (`votes_voter`, 850,000 keys) makes several runs that sort side by side: about half the wall
 * time of 32 MB, which made two, for the same CPU (docs/benchmarks.md).
 */
const INDEX_BUILD_PAGE_CACHE_MB = 8;

/**
 * The secondary indexes an import into an empty store builds once after its load instead of row by
 * row (docs/benchmarks.md, "Sync and import"): each orders its rows by a key that arrives in random
 * order (a revision, a file path, a topic, a voter), so row by row every insert lands on another page of the
 * index, and the index's pages crowd the other tables' pages out of SQLite's page cache.
 */
export const DEFERRED_INDEXES: readonly string[] = ['patch_sets_revision', 'change_files_path', 'changes_topic', 'votes_voter'];

/** The definitions (CREATE INDEX statements) of `names`, as the store holds them, in `names`' order. */
export async function indexDefinitions(trx: Kysely<Database>, engine: Store['engine'], names: readonly string[]): Promise<string[]> {
  const list = sql.join(names.map((n) => sql.lit(n)));
  const query =
    engine === 'sqlite'
      ? sql<IndexDef>`select name, sql as def from sqlite_master where type = 'index' and name in (${list})`
      : sql<IndexDef>`select indexname as name, indexdef as def from pg_indexes
          where schemaname = current_schema() and indexname in (${list})`;
  const byName = new Map((await query.execute(trx)).rows.map((r) => [r.name, r.def]));
  return names.flatMap((n) => byName.get(n) ?? []);
}

interface IndexDef {
  name: string;
  def: string | null;
}

/**
 * Builds the indexes recorded in `deferred_indexes` (migration 0038: those a first sync into an
 * empty store dropped, src/store/deferred-indexes.ts) from their definitions, and deletes their
 * rows, inside `trx`.
 *
 * @returns the number of indexes built (0 when none was recorded).
 */
export async function buildRecordedIndexes(trx: Kysely<Database>): Promise<number> {
  const rows = await trx.selectFrom('deferred_indexes').select(['name', 'definition']).orderBy('name').execute();
  for (const r of rows) await sql.raw(r.definition).execute(trx);
  if (rows.length > 0) await trx.deleteFrom('deferred_indexes').execute();
  return rows.length;
}

/**
 * Runs `work` inside one transaction, with the engine's bulk settings (store.bulkLoad), after
 * recording the host: everything `work` writes through the writer is stored whole or not at all.
 */
export async function writeInOneTransaction<T>(
  store: Store,
  host: { name: string; url: string | null },
  work: (writer: FileWriter) => Promise<T>,
): Promise<T> {
  // Into an empty store, DEFERRED_INDEXES are dropped and built again from their own definitions
  // after the load, in the same transaction (a failed import leaves them as they were), and the load
  // runs with the smaller page cache. (Read before the transaction: another writer in between would
  // only make the load slower, never its result different.)
  const empty = (await store.db.selectFrom('patch_sets').select('change_id').limit(1).execute()).length === 0;
  return store.bulkLoad(
    () =>
      store.db.transaction().execute(async (trx) => {
        await ensureHost(trx, host.name, host.url);
        const deferred = empty ? await indexDefinitions(trx, store.engine, DEFERRED_INDEXES) : [];
        for (const name of empty ? DEFERRED_INDEXES : []) await trx.schema.dropIndex(name).ifExists().execute();
        const resolver = new AccountResolver(trx, host.name, store.bulk);
        const result = await work({
          write: (batch) => writeChangeBatch(trx, resolver, batch, store.bulk),
          get accountsCreated() {
            return resolver.created;
          },
        });
        if (deferred.length > 0 && store.engine === 'sqlite')
          await sql.raw(`pragma cache_size = -${INDEX_BUILD_PAGE_CACHE_MB * 1024}`).execute(trx);
        for (const def of deferred) await sql.raw(def).execute(trx);
        // Indexes a first sync dropped and did not reach the end to build (deferred-indexes.ts) are
        // built here too: an import may be the next write such a store gets.
        await buildRecordedIndexes(trx);
        return result;
      }),
    empty ? { pageCacheMb: BULK_PAGE_CACHE_MB, indexBuilds: true } : {},
  );
}

/**
 * Records a snapshot of a Gerrit group's members (accounts created as needed), when it differs
 * from the last one.
 *
 * @returns the number of members and whether a new snapshot was recorded.
 */
export async function recordGroupMembers(
  store: Store,
  host: string,
  group: { name: string; uuid: string | null },
  members: readonly AccountRef[],
  now: number,
): Promise<{ members: number; changed: boolean }> {
  const ids = await store.db.transaction().execute(async (trx) => {
    const r = new AccountResolver(trx, host, store.bulk);
    await r.ensure(members);
    return members.map((x) => r.idOf(x));
  });
  const changed = await recordGroupSnapshot(store.db, host, group.name, group.uuid, ids, now);
  return { members: ids.length, changed };
}

/** Stores one page of Zuul builds and the run's position in one transaction. */
export async function writeZuulPage(
  store: Store,
  builds: readonly ZuulBuild[],
  origin: ZuulOrigin,
  fetchedAt: number,
  position: PagePosition,
): Promise<ZuulWriteCounts> {
  return store.db.transaction().execute(async (trx) => {
    const c = await writeZuulBuilds(trx, builds, origin, fetchedAt);
    await recordPage(trx, position.host, position.project, position.nextStart, position.highWater);
    return c;
  });
}

/**
 * Stores one page of Launchpad records (a searchTasks page with its bugs, or a blueprints page)
 * and, for a sync, the run's position, in one transaction: a page is stored whole or not at all,
 * and a sync killed after it resumes at the next page.
 */
export async function writeLaunchpadPage(
  store: Store,
  records: LaunchpadRecords,
  position: PagePosition | null,
): Promise<LaunchpadWriteCounts> {
  return store.db.transaction().execute(async (trx) => {
    const c = await writeLaunchpadRecords(trx, records);
    if (position) await recordPage(trx, position.host, position.project, position.nextStart, position.highWater);
    return c;
  });
}
