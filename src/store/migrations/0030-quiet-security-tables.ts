import { sql, type Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';
import { SECURITY_TRACKER_TABLES } from './0017-security-tracker.js';

/**
 * PostgreSQL: the security tracker's tables stop announcing data changes. Migration 0017 meant them
 * to stay quiet, but the data-version probe (store/data-version.ts) added migration 0009's
 * statement trigger to every table it did not know as unwatched, the tracker's included, so a
 * transition emptied every reader's view cache — a change anyone could time. The probe now leaves
 * them out; this drops the triggers it added before. SQLite has no such triggers: nothing to do.
 */
export function quietSecurityTables(caps: EngineCapabilities) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      if (caps.stringAggregate !== 'string_agg') return;
      for (const table of SECURITY_TRACKER_TABLES)
        await sql`drop trigger if exists ${sql.id(`${table}_data_changed`)} on ${sql.id(table)}`.execute(db);
    },
  };
}
