/**
 * The store's own notes (table `meta`, one text value per key): for example the demo project's
 * configuration that `steward demo` keeps for reports run without a steward.yaml.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The value stored under `key`, or undefined when there is none. */
export async function readMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores `value` under `key`, replacing any earlier value. */
export async function writeMeta(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
