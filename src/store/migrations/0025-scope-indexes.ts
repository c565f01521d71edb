import { sql, type Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Indexes for an initiative's scope (issue 18), so `steward initiative status` reads the changes a
 * scope names through an index instead of every change of its period:
 *
 * - `change_files_path` (path, change_id): changes touching a file under a path prefix. SQLite compares the
 *   prefix as a range (`path >= P and path < P || U+10FFFF`, binary order); PostgreSQL as
 *   `path LIKE 'P%'`, which needs the pattern operator class (`text_pattern_ops`) to use an index
 *   whatever the database's collation.
 * - `changes_topic` (topic): changes of a Gerrit topic.
 * - `changes_created` (created, project, id): the changes created in a period, from the index alone
 *   (the review-wait comparison's cohort). Without it SQLite read every change's row through
 *   `changes_project_status` (on the 100,000-change bench store about 240 ms of CPU for a
 *   nine-month period; with it about 20 ms).
 *
 * Blueprints and bugs are already indexed (`links_target`, `git_commit_links_target`).
 */
export function scopeIndexes(caps: EngineCapabilities) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      if (caps.stringAggregate === 'string_agg')
        await sql`create index change_files_path on change_files (path text_pattern_ops, change_id)`.execute(db);
      else await db.schema.createIndex('change_files_path').on('change_files').columns(['path', 'change_id']).execute();
      await db.schema.createIndex('changes_topic').on('changes').column('topic').execute();
      await db.schema.createIndex('changes_created').on('changes').columns(['created', 'project', 'id']).execute();
    },
  };
}
