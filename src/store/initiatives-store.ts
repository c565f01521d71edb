/**
 * Store side of initiatives (`steward initiative add|edit|remove|note`, the web form for leads):
 * the same shape as the store's priorities (priorities-store.ts), with milestones and notes. Times
 * come from the caller; nothing here reads the clock. The caller checks definitions first
 * (service/initiatives-view.ts); every write is one transaction, so a refused one stores nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import {
  emptyScope,
  SCOPE_KINDS,
  type Initiative,
  type InitiativeDefinition,
  type InitiativeNote,
  type NoteKind,
  type ScopeKind,
  type TrackedScope,
} from '../model/initiatives.js';
import type { Database } from './schema.js';

type Row = {
  id: number;
  name: string;
  title: string;
  goal: string;
  stall_weeks: number | null;
  created_at: number;
  created_by: string | null;
};
const COLUMNS = ['id', 'name', 'title', 'goal', 'stall_weeks', 'created_at', 'created_by'] as const;

async function assemble(db: Kysely<Database>, rows: readonly Row[]): Promise<Initiative[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [milestones, items, notes] = await Promise.all([
    db
      .selectFrom('initiative_milestones')
      .selectAll()
      .where('initiative_id', 'in', ids)
      .orderBy('initiative_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('initiative_items')
      .selectAll()
      .where('initiative_id', 'in', ids)
      .orderBy('initiative_id')
      .orderBy('milestone')
      .orderBy('position')
      .execute(),
    db.selectFrom('initiative_notes').selectAll().where('initiative_id', 'in', ids).orderBy('at').orderBy('id').execute(),
  ]);
  const scopeOf = (id: number, milestone: number): TrackedScope => {
    const s = emptyScope();
    for (const i of items)
      if (i.initiative_id === id && i.milestone === milestone && (SCOPE_KINDS as readonly string[]).includes(i.kind))
        s[i.kind as ScopeKind].push(i.value);
    return s;
  };
  return rows.map((r) => ({
    name: r.name,
    title: r.title,
    goal: r.goal,
    owners: items.filter((i) => i.initiative_id === r.id && i.kind === 'owner').map((i) => i.value),
    scope: scopeOf(r.id, -1),
    milestones: milestones
      .filter((m) => m.initiative_id === r.id)
      .map((m) => ({
        title: m.title,
        release: m.release,
        targetDate: m.target_date === null ? null : Number(m.target_date),
        scope: scopeOf(r.id, m.position),
      })),
    stallWeeks: r.stall_weeks,
    origin: 'store' as const,
    id: r.id,
    createdAt: Number(r.created_at),
    createdBy: r.created_by,
    notes: notes
      .filter((n) => n.initiative_id === r.id)
      .map((n): InitiativeNote => ({
        id: n.id,
        kind: n.kind as NoteKind,
        text: n.text,
        link: n.link,
        at: Number(n.at),
        by: n.by,
        status: n.status === 'resolved' ? 'resolved' : 'open',
        resolvedAt: n.resolved_at === null ? null : Number(n.resolved_at),
        resolvedBy: n.resolved_by,
        resolution: n.resolution,
      })),
  }));
}

async function writeParts(trx: Transaction<Database>, id: number, d: InitiativeDefinition): Promise<void> {
  const items: Array<{ initiative_id: number; milestone: number; position: number; kind: string; value: string }> = [];
  const push = (milestone: number, kind: string, values: readonly string[]): void => {
    for (const value of values)
      items.push({ initiative_id: id, milestone, position: items.filter((x) => x.milestone === milestone).length, kind, value });
  };
  push(-1, 'owner', d.owners);
  for (const k of SCOPE_KINDS) push(-1, k, d.scope[k]);
  d.milestones.forEach((m, position) => {
    for (const k of SCOPE_KINDS) push(position, k, m.scope[k]);
  });
  if (d.milestones.length)
    await trx
      .insertInto('initiative_milestones')
      .values(
        d.milestones.map((m, position) => ({ initiative_id: id, position, title: m.title, release: m.release, target_date: m.targetDate })),
      )
      .execute();
  if (items.length) await trx.insertInto('initiative_items').values(items).execute();
}

/** The stored initiative named `name` (ignoring case), or null. */
export async function findStoredInitiative(db: Kysely<Database>, name: string): Promise<Initiative | null> {
  const rows = await db.selectFrom('initiatives').select(COLUMNS).where('name_key', '=', name.trim().toLowerCase()).execute();
  return rows.length ? (await assemble(db, rows))[0]! : null;
}

/** Every stored initiative, by name. */
export async function listStoredInitiatives(db: Kysely<Database>): Promise<Initiative[]> {
  return assemble(db, await db.selectFrom('initiatives').select(COLUMNS).orderBy('name_key').execute());
}

/**
 * Stores a checked initiative. Returns it as stored.
 *
 * @example await addStoredInitiative(db, { name: 'cells-v2', title: 'Cells v2', … }, 'alice', now);
 */
export async function addStoredInitiative(
  db: Kysely<Database>,
  d: InitiativeDefinition,
  createdBy: string | null,
  now: number,
): Promise<Initiative> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('initiatives')
      .values({
        name: d.name,
        name_key: d.name.toLowerCase(),
        title: d.title,
        goal: d.goal,
        stall_weeks: d.stallWeeks,
        created_at: now,
        created_by: createdBy,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeParts(trx, row.id, d);
  });
  return (await findStoredInitiative(db, d.name))!;
}

/** Replaces a stored initiative's definition (its notes stay). */
export async function replaceStoredInitiative(db: Kysely<Database>, id: number, d: InitiativeDefinition, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('initiatives')
      .set({ name: d.name, name_key: d.name.toLowerCase(), title: d.title, goal: d.goal, stall_weeks: d.stallWeeks, updated_at: now })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('initiative_items').where('initiative_id', '=', id).execute();
    await trx.deleteFrom('initiative_milestones').where('initiative_id', '=', id).execute();
    await writeParts(trx, id, d);
  });
}

/** Removes a stored initiative with its milestones, scope and notes. Returns whether there was one. */
export async function removeStoredInitiative(db: Kysely<Database>, id: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('initiative_notes').where('initiative_id', '=', id).execute();
    await trx.deleteFrom('initiative_items').where('initiative_id', '=', id).execute();
    await trx.deleteFrom('initiative_milestones').where('initiative_id', '=', id).execute();
    const r = await trx.deleteFrom('initiatives').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  });
}

/** Adds a note to a stored initiative. Returns its id. */
export async function addStoredNote(db: Kysely<Database>, initiativeId: number, n: Omit<InitiativeNote, 'id'>): Promise<number> {
  const row = await db
    .insertInto('initiative_notes')
    .values({
      initiative_id: initiativeId,
      kind: n.kind,
      text: n.text,
      link: n.link,
      at: n.at,
      by: n.by,
      status: n.status,
      resolved_at: n.resolvedAt,
      resolved_by: n.resolvedBy,
      resolution: n.resolution,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Marks a note resolved. Returns whether the note (of that initiative) exists. */
export async function resolveStoredNote(
  db: Kysely<Database>,
  initiativeId: number,
  noteId: number,
  r: { at: number; by: string | null; resolution: string | null },
): Promise<boolean> {
  const u = await db
    .updateTable('initiative_notes')
    .set({ status: 'resolved', resolved_at: r.at, resolved_by: r.by, resolution: r.resolution })
    .where('id', '=', noteId)
    .where('initiative_id', '=', initiativeId)
    .executeTakeFirst();
  return Number(u.numUpdatedRows) > 0;
}
