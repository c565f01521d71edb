import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';
import { announceDataChanges } from './0009-web-accounts.js';

/**
 * Bugs and blueprints from Launchpad (`steward bugs sync|import`, issue 15):
 *
 * - lp_bug_tasks: one row per bug task (a bug on a project or one of its series), keyed by its
 *   self link; status, importance, assignee, milestone and every date Launchpad keeps.
 * - lp_bugs: one row per bug: information type, duplicate, heat, message count, tags (one space
 *   between, as Launchpad forbids spaces in tags), dates.
 * - lp_blueprints: one row per blueprint (Launchpad "specification"), keyed by its self link.
 *
 * Rows are replaced whole when a newer copy arrives; a sync's checkpoint lives in sync_state.
 */
export function launchpad(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('lp_bug_tasks')
        .addColumn('self_link', 'text', (c) => c.primaryKey())
        .addColumn('bug', 'integer', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('series', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('importance', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('milestone', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('date_created', big, (c) => c.notNull())
        .addColumn('date_assigned', big)
        .addColumn('date_confirmed', big)
        .addColumn('date_triaged', big)
        .addColumn('date_in_progress', big)
        .addColumn('date_fix_committed', big)
        .addColumn('date_fix_released', big)
        .addColumn('date_closed', big)
        .addColumn('date_left_new', big)
        .addColumn('date_incomplete', big)
        .execute();
      await db.schema.createIndex('lp_bug_tasks_bug').on('lp_bug_tasks').column('bug').execute();
      await db.schema.createIndex('lp_bug_tasks_project').on('lp_bug_tasks').columns(['project', 'status']).execute();
      await db.schema
        .createTable('lp_bugs')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('information_type', 'text', (c) => c.notNull())
        .addColumn('duplicate_of', 'integer')
        .addColumn('heat', 'integer', (c) => c.notNull())
        .addColumn('message_count', 'integer', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('date_created', big, (c) => c.notNull())
        .addColumn('date_last_updated', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('lp_blueprints')
        .addColumn('self_link', 'text', (c) => c.primaryKey())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('definition_status', 'text', (c) => c.notNull())
        .addColumn('implementation_status', 'text', (c) => c.notNull())
        .addColumn('lifecycle_status', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('series_goal', 'text')
        .addColumn('milestone', 'text')
        .addColumn('assignee', 'text')
        .addColumn('date_created', big, (c) => c.notNull())
        .addColumn('date_started', big)
        .addColumn('date_completed', big)
        .execute();
      await db.schema.createIndex('lp_blueprints_name').on('lp_blueprints').columns(['project', 'name']).execute();
      if (caps.announcesDataChanges) {
        for (const table of ['lp_bug_tasks', 'lp_bugs', 'lp_blueprints']) await announceDataChanges(db, table);
      }
    },
  };
}
