import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Specs read from a specs repository (`steward specs sync`): one row per spec per release it was
 * approved for (see model/specs.ts), and one row describing the last sync (repository, HEAD,
 * warnings). A sync replaces both wholesale: the repository's history is the source of truth and
 * is re-read in full (a second for nova-specs).
 */
export function specs(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('specs')
        .addColumn('id', caps.autoIdType, (c) => c.primaryKey())
        .addColumn('release', 'text')
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('first_path', 'text', (c) => c.notNull())
        .addColumn('blueprint', 'text', (c) => c.notNull())
        .addColumn('blueprint_url', 'text')
        .addColumn('title', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('approved_at', big, (c) => c.notNull())
        .addColumn('approved_commit', 'text', (c) => c.notNull())
        .addColumn('implemented_at', big)
        .addColumn('implemented_commit', 'text')
        .addColumn('removed_at', big)
        .addColumn('renames', 'text', (c) => c.notNull())
        .addUniqueConstraint('specs_lineage', ['first_path', 'approved_commit'])
        .execute();
      await db.schema.createIndex('specs_release').on('specs').columns(['release', 'blueprint']).execute();
      await db.schema.createIndex('specs_blueprint').on('specs').column('blueprint').execute();
      await db.schema
        .createTable('specs_sync')
        .addColumn('repo', 'text', (c) => c.primaryKey())
        .addColumn('head', 'text', (c) => c.notNull())
        .addColumn('head_at', big, (c) => c.notNull())
        .addColumn('synced_at', big, (c) => c.notNull())
        .addColumn('commits', 'integer', (c) => c.notNull())
        .addColumn('warnings', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
