import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * The embargoed vulnerability tracker (docs/security.md).
 *
 * - security_team: the team (web users), who added each member and when.
 * - security_items: one report; its id is random (ids in order would tell an outsider how many
 *   items exist). State, dates, assignee and CVSS are plain; every text (title, description,
 *   project, releases, branches, CVE, pre-disclosure list, advisory) is one sealed JSON object in
 *   `secret` (AES-256-GCM, store/secret-box.ts).
 * - security_transitions: every step, dated and attributed; its note and data sealed.
 * - security_grants: who besides the team may see an item (reporter, fix author, downstream
 *   contact); a revocation keeps the row (revoked_at) for the record.
 * - security_patches: private patches per branch, their content sealed; security_patch_reviews:
 *   the team's votes on them.
 *
 * These tables do not announce data changes (0009): no shared report reads them, and a view cache
 * emptied by an embargoed change would let anyone time it.
 */
/**
 * The tracker's tables. They announce no data change (store/data-version.ts leaves them out of the
 * view cache's version, and migration 0030 drops the triggers an earlier probe added): no cached view
 * reads them, and a cache emptied by an embargoed change would let any reader time it.
 */
export const SECURITY_TRACKER_TABLES: readonly string[] = [
  'security_team',
  'security_items',
  'security_transitions',
  'security_grants',
  'security_patches',
  'security_patch_reviews',
];

export function securityTracker(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  const autoId = (c: ColumnDefinitionBuilder) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('security_team')
        .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
        .addColumn('added_at', big, (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('security_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('received_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('cvss_vector', 'text')
        .addColumn('cvss_score_tenths', 'integer')
        .addColumn('disclosure_date', 'text')
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('security_transitions')
        .addColumn('id', caps.autoIdType, autoId)
        .addColumn('item_id', 'text', (c) => c.notNull().references('security_items.id'))
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('security_transitions_item').on('security_transitions').columns(['item_id', 'at']).execute();
      await db.schema
        .createTable('security_grants')
        .addColumn('id', caps.autoIdType, autoId)
        .addColumn('item_id', 'text', (c) => c.notNull().references('security_items.id'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('granted_at', big, (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', big)
        .addColumn('revoked_by', 'text')
        .execute();
      await db.schema.createIndex('security_grants_user').on('security_grants').columns(['user_id', 'item_id']).execute();
      await db.schema
        .createTable('security_patches')
        .addColumn('id', caps.autoIdType, autoId)
        .addColumn('item_id', 'text', (c) => c.notNull().references('security_items.id'))
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('security_patch_reviews')
        .addColumn('id', caps.autoIdType, autoId)
        .addColumn('patch_id', 'integer', (c) => c.notNull().references('security_patches.id'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('security_items.id'))
        .addColumn('reviewer', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('vote', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
