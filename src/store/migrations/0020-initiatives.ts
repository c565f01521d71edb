import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';
import { announceDataChanges } from './0009-web-accounts.js';

/**
 * Initiatives defined in the store (`steward initiative add|edit|remove|note`, the web form for
 * leads): tracked work across releases (model/initiatives.ts), of which a release priority (0011) is
 * the one-release case.
 *
 * - initiatives: a name (unique ignoring case: `name_key`), title, goal, stall threshold in weeks
 *   (null: the default), who created it and when, when last edited.
 * - initiative_milestones: in due order (`position` from 0): title, release (calendar name) and/or
 *   target date.
 * - initiative_items: the scope and the owners, one row per value: `milestone` −1 for the
 *   initiative's own (and its owners, kind `owner`), else the milestone's position; `kind` is a
 *   scope kind (`blueprints`, `specs`, `topics`, `queries`, `bugs`, `bugTags`, `commitPatterns`,
 *   `paths`) or `owner`.
 * - initiative_notes: questions, decisions and feedback, dated, attributed, open or resolved.
 */
export function initiatives(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('initiatives')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('goal', 'text', (c) => c.notNull())
        .addColumn('stall_weeks', 'integer')
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('initiative_milestones')
        .addColumn('initiative_id', 'integer', (c) => c.notNull().references('initiatives.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('release', 'text')
        .addColumn('target_date', big)
        .addPrimaryKeyConstraint('initiative_milestones_pk', ['initiative_id', 'position'])
        .execute();
      await db.schema
        .createTable('initiative_items')
        .addColumn('initiative_id', 'integer', (c) => c.notNull().references('initiatives.id').onDelete('cascade'))
        .addColumn('milestone', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('initiative_items_pk', ['initiative_id', 'milestone', 'position'])
        .execute();
      await db.schema
        .createTable('initiative_notes')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('initiative_id', 'integer', (c) => c.notNull().references('initiatives.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('link', 'text')
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('by', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('resolved_at', big)
        .addColumn('resolved_by', 'text')
        .addColumn('resolution', 'text')
        .execute();
      await db.schema.createIndex('initiative_notes_initiative').on('initiative_notes').columns(['initiative_id', 'at']).execute();
      if (caps.announcesDataChanges)
        for (const t of ['initiatives', 'initiative_milestones', 'initiative_items', 'initiative_notes']) await announceDataChanges(db, t);
    },
  };
}
