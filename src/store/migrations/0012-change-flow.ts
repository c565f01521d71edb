import { sql, type Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * `change_flow`: each change's patch sets and votes packed in one row (format in schema.ts), kept by
 * the change writer. The queue reads every open change's history: one row per change instead of
 * every vote and patch set through the covering indexes of 0005. On the 100,000-change bench store
 * (16,000 open changes, 92,000 of their votes) SQLite's part of that read went from about 80 ms to
 * about 30 ms of CPU.
 *
 * Existing stores are filled from their votes and patch sets here, in the writer's format.
 */
export function changeFlow(caps: EngineCapabilities) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('change_flow')
        .addColumn('change_id', 'integer', (c) => c.primaryKey().references('changes.id'))
        .addColumn('patch_sets', 'text', (c) => c.notNull())
        .addColumn('votes', 'text', (c) => c.notNull())
        .execute();
      await fillChangeFlow(db, caps);
    },
  };
}

/**
 * Fills change_flow from the votes and patch sets of every change that has no row yet, in the
 * change writer's format (records in no particular order).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs against the schema as it was at 0012
export async function fillChangeFlow(db: Kysely<any>, caps: EngineCapabilities): Promise<void> {
  const FS = '\u001f';
  const RS = '\u001e';
  const agg = (e: ReturnType<typeof sql>) =>
    caps.stringAggregate === 'group_concat' ? sql`group_concat(${e}, ${RS})` : sql`string_agg(${e}, cast(${RS} as text))`;
  const f = sql`cast(${FS} as text)`;
  await sql`insert into change_flow (change_id, patch_sets, votes)
    select c.id,
      coalesce((select ${agg(sql`p.number || ${f} || p.created`)} from patch_sets p where p.change_id = c.id), ''),
      coalesce((select ${agg(sql`v.patch_set || ${f} || v.label || ${f} || v.value || ${f} || v.voter_id || ${f} || v.granted_at || ${f} || v.copied`)} from votes v where v.change_id = c.id), '')
    from changes c
    where not exists (select 1 from change_flow x where x.change_id = c.id)`.execute(db);
}
