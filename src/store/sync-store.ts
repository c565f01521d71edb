/**
 * Store side of a live sync: the per-project checkpoint and run in progress, the sync lock, and
 * group membership snapshots. The caller supplies times, process identity and liveness checks;
 * nothing here reads the clock or the environment.
 */
import type { Kysely } from 'kysely';
import type { GroupSnapshot } from '../model/activity.js';
import type { Database, SyncStateTable } from './schema.js';

export type SyncState = Omit<SyncStateTable, 'run_in_progress' | 'run_next_start' | 'run_pages'> & {
  run_in_progress: number;
  run_next_start: number;
  run_pages: number;
};

export async function getSyncState(db: Kysely<Database>, host: string, project: string): Promise<SyncState | null> {
  const row = await db.selectFrom('sync_state').selectAll().where('host', '=', host).where('project', '=', project).executeTakeFirst();
  return row ?? null;
}

export async function listSyncStates(db: Kysely<Database>): Promise<SyncState[]> {
  return db.selectFrom('sync_state').selectAll().orderBy('host').orderBy('project').execute();
}

/** Starts a run (or keeps the one in progress, which is then resumed). Returns the state to follow. */
export async function beginRun(
  db: Kysely<Database>,
  host: string,
  project: string,
  after: number | null,
  now: number,
  restart: boolean,
): Promise<SyncState> {
  const current = await getSyncState(db, host, project);
  if (current?.run_in_progress && !restart) return current;
  const run = {
    run_in_progress: 1,
    run_started_at: now,
    run_after: after,
    run_next_start: 0,
    run_high_water: null,
    run_pages: 0,
    last_error: null,
  };
  if (current) await db.updateTable('sync_state').set(run).where('host', '=', host).where('project', '=', project).execute();
  else
    await db
      .insertInto('sync_state')
      .values({ host, project, checkpoint_updated: null, last_completed_at: null, ...run })
      .execute();
  return (await getSyncState(db, host, project))!;
}

/** Records a stored page; call inside the transaction that stored the page's changes. */
export async function recordPage(
  trx: Kysely<Database>,
  host: string,
  project: string,
  nextStart: number,
  highWater: number | null,
): Promise<void> {
  const cur = await getSyncState(trx, host, project);
  const hw = highWater === null ? (cur?.run_high_water ?? null) : Math.max(highWater, cur?.run_high_water ?? highWater);
  await trx
    .updateTable('sync_state')
    .set({ run_next_start: nextStart, run_high_water: hw, run_pages: (cur?.run_pages ?? 0) + 1 })
    .where('host', '=', host)
    .where('project', '=', project)
    .execute();
}

/** Ends the run: the checkpoint moves to the newest `updated` the run saw (never backwards). */
export async function completeRun(db: Kysely<Database>, host: string, project: string, now: number): Promise<SyncState> {
  const cur = await getSyncState(db, host, project);
  const checkpoint = Math.max(cur?.checkpoint_updated ?? -Infinity, cur?.run_high_water ?? -Infinity);
  await db
    .updateTable('sync_state')
    .set({
      run_in_progress: 0,
      checkpoint_updated: Number.isFinite(checkpoint) ? checkpoint : null,
      last_completed_at: now,
      last_error: null,
    })
    .where('host', '=', host)
    .where('project', '=', project)
    .execute();
  return (await getSyncState(db, host, project))!;
}

export async function recordSyncError(db: Kysely<Database>, host: string, project: string, message: string): Promise<void> {
  await db.updateTable('sync_state').set({ last_error: message }).where('host', '=', host).where('project', '=', project).execute();
}

export interface LockOwner {
  /** Unique per sync process (e.g. hostname:pid:random). */
  owner: string;
  pid: number;
  hostname: string;
}

export interface LockHolder {
  owner: string;
  pid: number;
  hostname: string;
  acquired_at: number;
  heartbeat_at: number;
}

/**
 * Takes the named lock unless a live holder has it. A holder is dead when it is on this machine
 * and its process is gone (`isAlive(pid)` false — e.g. killed with -9), or when its heartbeat is
 * older than `staleAfterMs` (a holder on another machine that stopped). Returns the live holder
 * when the lock is taken.
 */
export async function acquireLock(
  db: Kysely<Database>,
  name: string,
  me: LockOwner,
  now: number,
  staleAfterMs: number,
  isAlive: (pid: number) => boolean,
): Promise<LockHolder | null> {
  // Single statements only, no read-then-write transaction: two syncs starting together must end
  // with one holder and one SYNC_BUSY. A select-then-insert transaction let both see no holder,
  // and the loser failed on the primary key (PostgreSQL) or with SQLITE_BUSY (SQLite) instead.
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await db
      .insertInto('sync_locks')
      .values({ name, owner: me.owner, pid: me.pid, hostname: me.hostname, acquired_at: now, heartbeat_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return null;
    const holder = await db.selectFrom('sync_locks').selectAll().where('name', '=', name).executeTakeFirst();
    if (!holder) continue; // released in between: try again
    if (holder.owner === me.owner) return null;
    const dead = (holder.hostname === me.hostname && !isAlive(holder.pid)) || now - holder.heartbeat_at > staleAfterMs;
    if (!dead) return holder;
    // Only the dead holder's row goes; if another sync took it over first, the next insert loses to it.
    await db.deleteFrom('sync_locks').where('name', '=', name).where('owner', '=', holder.owner).execute();
  }
  const holder = await db.selectFrom('sync_locks').selectAll().where('name', '=', name).executeTakeFirst();
  if (holder && holder.owner !== me.owner) return holder;
  throw new Error(`could not take the sync lock ${name}: it changed hands three times while trying`);
}

export async function heartbeatLock(db: Kysely<Database>, name: string, owner: string, now: number): Promise<void> {
  await db.updateTable('sync_locks').set({ heartbeat_at: now }).where('name', '=', name).where('owner', '=', owner).execute();
}

export async function releaseLock(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db.deleteFrom('sync_locks').where('name', '=', name).where('owner', '=', owner).execute();
}

/**
 * Records the group's membership as seen at `now`: a new dated snapshot when it differs from the
 * latest one, otherwise only the latest snapshot's `checked_at` moves. Returns whether it changed.
 */
export async function recordGroupSnapshot(
  db: Kysely<Database>,
  host: string,
  groupName: string,
  groupUuid: string | null,
  memberIds: readonly number[],
  now: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const latest = await trx
      .selectFrom('group_snapshots')
      .selectAll()
      .where('host', '=', host)
      .where('group_name', '=', groupName)
      .orderBy('taken_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const wanted = [...new Set(memberIds)].sort((a, b) => a - b);
    if (latest) {
      const have = (await trx.selectFrom('group_snapshot_members').select('account_id').where('snapshot_id', '=', latest.id).execute())
        .map((r) => r.account_id)
        .sort((a, b) => a - b);
      if (have.length === wanted.length && have.every((x, i) => x === wanted[i])) {
        await trx.updateTable('group_snapshots').set({ checked_at: now }).where('id', '=', latest.id).execute();
        return false;
      }
    }
    const ins = await trx
      .insertInto('group_snapshots')
      .values({ host, group_name: groupName, group_uuid: groupUuid, taken_at: now, checked_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (wanted.length)
      await trx
        .insertInto('group_snapshot_members')
        .values(wanted.map((account_id) => ({ snapshot_id: ins.id, account_id })))
        .execute();
    return true;
  });
}

/** Every snapshot of a group, oldest first. */
export async function loadGroupSnapshots(db: Kysely<Database>, host: string, groupName: string): Promise<GroupSnapshot[]> {
  const snaps = await db
    .selectFrom('group_snapshots')
    .selectAll()
    .where('host', '=', host)
    .where('group_name', '=', groupName)
    .orderBy('taken_at')
    .orderBy('id')
    .execute();
  if (!snaps.length) return [];
  const members = await db
    .selectFrom('group_snapshot_members')
    .select(['snapshot_id', 'account_id'])
    .where(
      'snapshot_id',
      'in',
      snaps.map((s) => s.id),
    )
    .execute();
  return snaps.map((s) => ({
    takenAt: s.taken_at,
    checkedAt: s.checked_at,
    groupUuid: s.group_uuid,
    memberIds: members
      .filter((m) => m.snapshot_id === s.id)
      .map((m) => m.account_id)
      .sort((a, b) => a - b),
  }));
}
