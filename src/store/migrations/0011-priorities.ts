import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Release priorities defined in the store (`steward priorities add|remove|list`, and the web form
 * for leads), beside those of steward.yaml. A priority is a release, a title (unique per release,
 * ignoring case: `title_key` is its lower-case form) and what it covers: blueprints, Gerrit topics
 * and Gerrit search queries, one row each in `priority_items` (kind `blueprint`, `topic` or `query`).
 */
export function priorities(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('priorities')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('release', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('title_key', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .execute();
      await db.schema.createIndex('priorities_release_title').unique().on('priorities').columns(['release', 'title_key']).execute();
      await db.schema
        .createTable('priority_items')
        .addColumn('priority_id', 'integer', (c) => c.notNull().references('priorities.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('priority_items_pk', ['priority_id', 'position'])
        .execute();
    },
  };
}
