import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Live sync bookkeeping: a checkpoint and the run in progress per host and project, the lock
 * that keeps two syncs of one project apart, and dated snapshots of Gerrit group membership
 * (the core team's history).
 */
export function syncState(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('sync_state')
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        // Newest `updated` seen by the last completed run: the next run asks for after:(this − overlap).
        .addColumn('checkpoint_updated', big)
        .addColumn('last_completed_at', big)
        // The run in progress (1) or none (0); a killed run is resumed from run_next_start.
        .addColumn('run_in_progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('run_started_at', big)
        .addColumn('run_after', big)
        .addColumn('run_next_start', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('run_high_water', big)
        .addColumn('run_pages', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addPrimaryKeyConstraint('sync_state_pk', ['host', 'project'])
        .execute();

      await db.schema
        .createTable('sync_locks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('acquired_at', big, (c) => c.notNull())
        .addColumn('heartbeat_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('group_snapshots')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('group_name', 'text', (c) => c.notNull())
        .addColumn('group_uuid', 'text')
        .addColumn('taken_at', big, (c) => c.notNull())
        // The snapshot stays valid until a later one; checked_at says when it was last confirmed.
        .addColumn('checked_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('group_snapshots_group_time').on('group_snapshots').columns(['host', 'group_name', 'taken_at']).execute();

      await db.schema
        .createTable('group_snapshot_members')
        .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('group_snapshots.id'))
        .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id'))
        .addPrimaryKeyConstraint('group_snapshot_members_pk', ['snapshot_id', 'account_id'])
        .execute();
    },
  };
}
