/**
 * The transactions the ingest pipelines (src/ingest/) write in: a sync's page of changes or builds
 * together with the run's position, an export file's changes, a core group's snapshot. Each
 * function is one transaction, so what it writes is stored whole or not at all; the pipelines
 * decide what to write and when, this module how.
 */
import type { AccountRef } from '../model/records.js';
import type { PackedChanges } from '../model/packed-changes.js';
import type { ZuulBuild } from '../model/ci.js';
import type { LaunchpadRecords } from '../model/bugs.js';
import { AccountResolver } from './account-resolver.js';
import { ensureHost, writeChangeBatch, type WriteCounts } from './change-writer.js';
import type { Store } from './engine.js';
import { sql, type Kysely } from 'kysely';
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

/** The tables an export's changes fill (change-writer.ts), whose secondary indexes a load into an empty store defers. */
const LOADED_TABLES = ['changes', 'patch_sets', 'votes', 'change_flow', 'messages', 'change_files', 'links', 'ci_reports'] as const;

/**
 * The secondary indexes of the loaded tables that a load into an empty store builds once after it,
 * with the statement that creates each: every index that is neither unique (a writer's conflict or
 * look-up may need it) nor led by `change_id` (those grow in insertion order, as change ids do, so
 * row by row costs them little, and deleting a changed change's rows goes through them). The others
 * (a label, a date, a path, a revision first) take each row at a random place in their B-tree:
 * built from the sorted rows after the load, they cost a fraction of it (docs/benchmarks.md).
 */
async function deferrableIndexes(trx: Kysely<Database>, engine: Store['engine']): Promise<Array<{ name: string; sql: string }>> {
  const tables = sql.join(LOADED_TABLES.map((t) => sql.lit(t)));
  const rows =
    engine === 'sqlite'
      ? await sql<{ name: string; sql: string }>`
          select m.name, m.sql from sqlite_master m
           where m.type = 'index' and m.sql is not null and m.tbl_name in (${tables})
             and upper(m.sql) not like 'CREATE UNIQUE%'
             and (select i.name from pragma_index_info(m.name) i where i.seqno = 0) is not 'change_id'
           order by m.name`.execute(trx)
      : await sql<{ name: string; sql: string }>`
          select i.relname as name, pg_get_indexdef(i.oid) as sql
            from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
            join pg_namespace n on n.oid = t.relnamespace
           where n.nspname = current_schema() and t.relname in (${tables}) and not x.indisunique and not x.indisprimary
             and (select a.attname from pg_attribute a where a.attrelid = t.oid and a.attnum = x.indkey[0]) is distinct from 'change_id'
           order by i.relname`.execute(trx);
  return rows.rows;
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
  return store.bulkLoad(() =>
    store.db.transaction().execute(async (trx) => {
      await ensureHost(trx, host.name, host.url);
      // Into an empty store, the indexes that take rows at random places (deferrableIndexes) are
      // built once after the load instead of row by row. In the same transaction, so a failed import
      // leaves them as they were.
      const empty = (await trx.selectFrom('changes').select('id').limit(1).execute()).length === 0;
      const deferred = empty ? await deferrableIndexes(trx, store.engine) : [];
      for (const ix of deferred) await trx.schema.dropIndex(ix.name).execute();
      const resolver = new AccountResolver(trx, host.name, store.bulk);
      const result = await work({
        write: (batch) => writeChangeBatch(trx, resolver, batch, store.bulk),
        get accountsCreated() {
          return resolver.created;
        },
      });
      for (const ix of deferred) await sql.raw(ix.sql).execute(trx);
      return result;
    }),
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
