import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Builds fetched from Zuul's REST API (`steward ci sync`), beside the CI results parsed from
 * review messages (ci_builds). Keyed by Zuul's build UUID, so fetching a build again updates it.
 * `host` is the Gerrit host the build's change lives on: (host, change_number) joins to changes.
 * The sync's checkpoint and lock reuse sync_state and sync_locks under host `zuul:TENANT@ZUULHOST`.
 */
export function zuulBuilds(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('zuul_builds')
        .addColumn('uuid', 'text', (c) => c.primaryKey())
        .addColumn('zuul', 'text', (c) => c.notNull())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('branch', 'text')
        .addColumn('change_number', 'integer')
        .addColumn('patch_set', 'integer')
        .addColumn('ref', 'text')
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('voting', 'integer', (c) => c.notNull())
        .addColumn('start_time', big)
        .addColumn('end_time', big)
        .addColumn('duration_s', 'integer')
        .addColumn('log_url', 'text')
        .addColumn('buildset_uuid', 'text')
        .addColumn('fetched_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('zuul_builds_change').on('zuul_builds').columns(['host', 'change_number', 'patch_set']).execute();
      await db.schema.createIndex('zuul_builds_end').on('zuul_builds').column('end_time').execute();
    },
  };
}
