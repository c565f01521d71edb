/**
 * Store side of release priorities (`steward priorities add|remove|list`, the web form). Times
 * come from the caller; nothing here reads the clock.
 */
import type { Kysely } from 'kysely';
import type { Priority, PriorityDefinition } from '../model/priorities.js';
import type { Database } from './schema.js';

type Row = { id: number; release: string; title: string; created_at: number; created_by: string | null };

async function withItems(db: Kysely<Database>, rows: readonly Row[]): Promise<Priority[]> {
  if (rows.length === 0) return [];
  const items = await db
    .selectFrom('priority_items')
    .select(['priority_id', 'kind', 'value'])
    .where(
      'priority_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('priority_id')
    .orderBy('position')
    .execute();
  return rows.map((r) => {
    const of = (kind: string): string[] => items.filter((i) => i.priority_id === r.id && i.kind === kind).map((i) => i.value);
    return {
      release: r.release,
      title: r.title,
      blueprints: of('blueprint'),
      topics: of('topic'),
      queries: of('query'),
      origin: 'store' as const,
      id: r.id,
      createdAt: r.created_at,
      createdBy: r.created_by,
    };
  });
}

/**
 * Finds the store-defined priority of `release` titled `title` (both ignoring case), or null.
 */
export async function findStoredPriority(db: Kysely<Database>, release: string, title: string): Promise<Priority | null> {
  const rows = await db
    .selectFrom('priorities')
    .select(['id', 'release', 'title', 'created_at', 'created_by'])
    .where('title_key', '=', title.trim().toLowerCase())
    .execute();
  const row = rows.find((r) => r.release.toLowerCase() === release.toLowerCase());
  return row ? (await withItems(db, [row]))[0]! : null;
}

/**
 * Stores a priority. The caller checks it first (a title not yet used in the release, at least one
 * blueprint, topic or query, queries that parse). Returns it as stored.
 *
 * @example await addStoredPriority(db, { release: 'Kilo', title: 'Cells v2', blueprints: ['cells-v2'], topics: [], queries: [] }, 'alice', now);
 */
export async function addStoredPriority(
  db: Kysely<Database>,
  p: PriorityDefinition,
  createdBy: string | null,
  now: number,
): Promise<Priority> {
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('priorities')
      .values({
        release: p.release,
        title: p.title.trim(),
        title_key: p.title.trim().toLowerCase(),
        created_at: now,
        created_by: createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const items = [
      ...p.blueprints.map((value) => ({ kind: 'blueprint' as const, value })),
      ...p.topics.map((value) => ({ kind: 'topic' as const, value })),
      ...p.queries.map((value) => ({ kind: 'query' as const, value })),
    ].map((it, position) => ({ priority_id: row.id, position, ...it }));
    if (items.length) await trx.insertInto('priority_items').values(items).execute();
    return row.id;
  });
  const rows = await db
    .selectFrom('priorities')
    .select(['id', 'release', 'title', 'created_at', 'created_by'])
    .where('id', '=', id)
    .execute();
  return (await withItems(db, rows))[0]!;
}

/** Removes a store-defined priority by id. Returns whether there was one. */
export async function removeStoredPriority(db: Kysely<Database>, id: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('priority_items').where('priority_id', '=', id).execute();
    const r = await trx.deleteFrom('priorities').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  });
}

/** Every store-defined priority (of one release, ignoring case, when given), by release then creation. */
export async function listStoredPriorities(db: Kysely<Database>, release?: string): Promise<Priority[]> {
  const rows = await db
    .selectFrom('priorities')
    .select(['id', 'release', 'title', 'created_at', 'created_by'])
    .orderBy('release')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return withItems(db, release === undefined ? rows : rows.filter((r) => r.release.toLowerCase() === release.toLowerCase()));
}
