/**
 * The embargoed vulnerability tracker's store side (migration 0017). Every text goes through a
 * SecretBox: sealed on write, opened on read, with the row it belongs to as associated data. Times
 * come from the caller. Nothing here decides who may see what (service/security-service.ts asks
 * service/authorize.ts); `relationOf` only reports the facts.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { StewardError } from '../../model/errors.js';
import {
  isGrantKind,
  isSecurityState,
  type GrantKind,
  type SecurityGrant,
  type SecurityItem,
  type SecurityItemText,
  type SecurityPatch,
  type SecurityPatchReview,
  type SecurityRelation,
  type SecurityState,
  type SecurityTeamMember,
  type SecurityTransition,
} from '../../model/security.js';
import type { Database } from '../schema.js';
import type { SecretBox } from '../secret-box.js';
import { readMeta, writeMeta } from './meta.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The `meta` key holding the id (a hash, never the key) of the key the tracker is sealed with. */
export const SECURITY_KEY_ID_META = 'security.key_id';

const itemContext = (id: string) => `security item ${id}`;
const transitionContext = (itemId: string) => `security item ${itemId} transition`;
const patchContext = (itemId: string, branch: string) => `security item ${itemId} patch ${branch}`;

const state = (s: string): SecurityState => {
  if (!isSecurityState(s)) throw new StewardError('INTERNAL', `security item state "${s}" in the store is not a known state`);
  return s;
};

/**
 * Checks `box` against the key id the store records; records it when there is none yet. Throws
 * SECURITY_KEY when the store was sealed with another key.
 */
export async function checkSecurityKey(db: Kysely<Database>, box: SecretBox): Promise<void> {
  const stored = await readMeta(db, SECURITY_KEY_ID_META);
  if (stored === undefined) return writeMeta(db, SECURITY_KEY_ID_META, box.keyId);
  if (stored !== box.keyId)
    throw new StewardError(
      'SECURITY_KEY',
      `the security key given (id ${box.keyId}) is not the key this store is sealed with (id ${stored})`,
      {
        hint: 'Give the store’s key in STEWARD_SECURITY_KEY or STEWARD_SECURITY_KEY_FILE; nothing was read or written.',
      },
    );
}

/** A new random item id: 10 characters of base32, e.g. `s7k2m9q4xa`. */
export function newItemId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

// ---- the team ----

/** The team's members, by name (disabled users included: the roster shows them). */
export async function listTeam(db: Db): Promise<Array<SecurityTeamMember & { disabled: boolean }>> {
  const rows = await db
    .selectFrom('security_team as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 'u.name', 't.added_at', 't.added_by', 'u.disabled_at'])
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, name: r.name, addedAt: r.added_at, addedBy: r.added_by, disabled: r.disabled_at !== null }));
}

export async function addTeamMember(db: Db, userId: number, by: string, at: number): Promise<void> {
  await db.insertInto('security_team').values({ user_id: userId, added_at: at, added_by: by }).execute();
}

/** Removes a member; returns whether it was one. */
export async function removeTeamMember(db: Db, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('security_team').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * What user `userId` is to item `itemId`: on the team, and the kind of its live (unrevoked) grant.
 * Asked the same way whether or not the item exists, so the two cases cost the same.
 */
export async function relationOf(db: Db, userId: number, itemId: string): Promise<SecurityRelation> {
  const team = await db.selectFrom('security_team').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  const grant = await db
    .selectFrom('security_grants')
    .select('kind')
    .where('user_id', '=', userId)
    .where('item_id', '=', itemId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  return { team: team !== undefined, grant: grant && isGrantKind(grant.kind) ? grant.kind : null };
}

// ---- items ----

/** An item's plain columns (no text): what lists and the roster use without the key. */
export interface SecurityItemMeta {
  id: string;
  state: SecurityState;
  receivedAt: number;
  updatedAt: number;
  assignee: string | null;
  cvssVector: string | null;
  cvssScore: number | null;
  disclosureDate: string | null;
}

type ItemRow = Awaited<ReturnType<typeof itemRows>>[number];
const itemRows = (db: Db) => db.selectFrom('security_items').selectAll().orderBy('received_at').orderBy('id').execute();

const toMeta = (r: ItemRow): SecurityItemMeta => ({
  id: r.id,
  state: state(r.state),
  receivedAt: r.received_at,
  updatedAt: r.updated_at,
  assignee: r.assignee,
  cvssVector: r.cvss_vector,
  cvssScore: r.cvss_score_tenths === null ? null : r.cvss_score_tenths / 10,
  disclosureDate: r.disclosure_date,
});

/** Every item's plain columns, oldest first. */
export async function listItemMeta(db: Db): Promise<SecurityItemMeta[]> {
  return (await itemRows(db)).map(toMeta);
}

/** The items user `userId` holds a live grant on, and the grant's kind. */
export async function grantedItems(db: Db, userId: number): Promise<Map<string, GrantKind>> {
  const rows = await db
    .selectFrom('security_grants')
    .select(['item_id', 'kind'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  const out = new Map<string, GrantKind>();
  for (const r of rows) if (isGrantKind(r.kind) && !out.has(r.item_id)) out.set(r.item_id, r.kind);
  return out;
}

/** One item's plain columns, or null. */
export async function findItemMeta(db: Db, id: string): Promise<SecurityItemMeta | null> {
  const r = await db.selectFrom('security_items').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toMeta(r) : null;
}

/** One item with its texts opened, or null. */
export async function loadItem(db: Db, box: SecretBox, id: string): Promise<SecurityItem | null> {
  const r = await db.selectFrom('security_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return { ...toMeta(r), text: JSON.parse(box.open(r.secret, itemContext(r.id))) as SecurityItemText };
}

/** Creates an item in state `received` with its first transition and, when given, the reporter's grant. */
export async function createItem(
  db: Kysely<Database>,
  box: SecretBox,
  i: { id: string; at: number; actor: string; text: SecurityItemText; reporterUserId: number | null; note: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('security_items')
      .values({
        id: i.id,
        state: 'received',
        received_at: i.at,
        updated_at: i.at,
        assignee: null,
        cvss_vector: null,
        cvss_score_tenths: null,
        disclosure_date: null,
        secret: box.seal(JSON.stringify(i.text), itemContext(i.id)),
      })
      .execute();
    await trx
      .insertInto('security_transitions')
      .values({
        item_id: i.id,
        at: i.at,
        actor: i.actor,
        from_state: null,
        to_state: 'received',
        secret: box.seal(JSON.stringify({ note: i.note }), transitionContext(i.id)),
      })
      .execute();
    if (i.reporterUserId !== null)
      await trx
        .insertInto('security_grants')
        .values({
          item_id: i.id,
          user_id: i.reporterUserId,
          kind: 'reporter',
          granted_at: i.at,
          granted_by: i.actor,
          revoked_at: null,
          revoked_by: null,
        })
        .execute();
  });
}

/**
 * Moves an item from `from` to `to`, with its changed columns and texts, and records the step.
 * Refuses (SECURITY_TRANSITION) when the item is no longer in `from` (someone moved it meanwhile).
 */
export async function applyTransition(
  db: Kysely<Database>,
  box: SecretBox,
  t: {
    itemId: string;
    from: SecurityState;
    to: SecurityState;
    at: number;
    actor: string;
    note: string;
    data: Record<string, unknown>;
    text?: SecurityItemText;
    cvss?: { vector: string; score: number };
    disclosureDate?: string;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const set: Partial<Record<keyof Database['security_items'], unknown>> = { state: t.to, updated_at: t.at };
    if (t.text) set.secret = box.seal(JSON.stringify(t.text), itemContext(t.itemId));
    if (t.cvss) Object.assign(set, { cvss_vector: t.cvss.vector, cvss_score_tenths: Math.round(t.cvss.score * 10) });
    if (t.disclosureDate) set.disclosure_date = t.disclosureDate;
    const r = await trx
      .updateTable('security_items')
      .set(set as never)
      .where('id', '=', t.itemId)
      .where('state', '=', t.from)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new StewardError('SECURITY_TRANSITION', `the item is no longer in state ${t.from}: someone changed it meanwhile`, {
        hint: 'Show the item again and repeat the step if it still applies.',
      });
    await trx
      .insertInto('security_transitions')
      .values({
        item_id: t.itemId,
        at: t.at,
        actor: t.actor,
        from_state: t.from,
        to_state: t.to,
        secret: box.seal(JSON.stringify({ note: t.note, ...t.data }), transitionContext(t.itemId)),
      })
      .execute();
  });
}

export async function setAssignee(db: Db, itemId: string, assignee: string | null, at: number): Promise<void> {
  await db.updateTable('security_items').set({ assignee, updated_at: at }).where('id', '=', itemId).execute();
}

/** An item's steps, oldest first, with their notes opened. */
export async function listTransitions(db: Db, box: SecretBox, itemId: string): Promise<SecurityTransition[]> {
  const rows = await db.selectFrom('security_transitions').selectAll().where('item_id', '=', itemId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    at: r.at,
    actor: r.actor,
    from: r.from_state === null ? null : state(r.from_state),
    to: state(r.to_state),
    note: String((JSON.parse(box.open(r.secret, transitionContext(r.item_id))) as { note?: unknown }).note ?? ''),
  }));
}

// ---- grants ----

export async function listGrants(db: Db, itemId: string): Promise<SecurityGrant[]> {
  const rows = await db
    .selectFrom('security_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['g.id', 'g.item_id', 'g.user_id', 'u.name', 'g.kind', 'g.granted_at', 'g.granted_by', 'g.revoked_at', 'g.revoked_by'])
    .where('g.item_id', '=', itemId)
    .orderBy('g.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    userId: r.user_id,
    userName: r.name,
    kind: (isGrantKind(r.kind) ? r.kind : 'downstream') as GrantKind,
    grantedAt: r.granted_at,
    grantedBy: r.granted_by,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  }));
}

export async function addGrant(db: Db, g: { itemId: string; userId: number; kind: GrantKind; at: number; by: string }): Promise<void> {
  await db
    .insertInto('security_grants')
    .values({ item_id: g.itemId, user_id: g.userId, kind: g.kind, granted_at: g.at, granted_by: g.by, revoked_at: null, revoked_by: null })
    .execute();
}

/** Revokes every live grant of `userId` on the item; returns how many. */
export async function revokeGrants(db: Db, itemId: string, userId: number, at: number, by: string): Promise<number> {
  const r = await db
    .updateTable('security_grants')
    .set({ revoked_at: at, revoked_by: by })
    .where('item_id', '=', itemId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- patches ----

export async function addPatch(
  db: Kysely<Database>,
  box: SecretBox,
  p: { itemId: string; branch: string; author: string; at: number; content: string },
): Promise<number> {
  const r = await db
    .insertInto('security_patches')
    .values({
      item_id: p.itemId,
      branch: p.branch,
      author: p.author,
      at: p.at,
      secret: box.seal(p.content, patchContext(p.itemId, p.branch)),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listPatches(db: Db, box: SecretBox, itemId: string): Promise<SecurityPatch[]> {
  const rows = await db.selectFrom('security_patches').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    branch: r.branch,
    author: r.author,
    at: r.at,
    content: box.open(r.secret, patchContext(r.item_id, r.branch)),
  }));
}

export async function addPatchReview(
  db: Db,
  r: { patchId: number; itemId: string; reviewer: string; at: number; vote: 1 | -1 },
): Promise<void> {
  await db
    .insertInto('security_patch_reviews')
    .values({ patch_id: r.patchId, item_id: r.itemId, reviewer: r.reviewer, at: r.at, vote: r.vote })
    .execute();
}

export async function listPatchReviews(db: Db, itemId?: string): Promise<SecurityPatchReview[]> {
  let q = db.selectFrom('security_patch_reviews').selectAll();
  if (itemId !== undefined) q = q.where('item_id', '=', itemId);
  return (await q.orderBy('id').execute()).map((r) => ({
    id: r.id,
    patchId: r.patch_id,
    itemId: r.item_id,
    reviewer: r.reviewer,
    at: r.at,
    vote: r.vote > 0 ? 1 : -1,
  }));
}

/** Everything the roster counts, without any text: steps, patches (no content), reviews. */
export async function securityActivity(db: Db): Promise<{
  transitions: Array<{ itemId: string; at: number; actor: string; from: SecurityState | null; to: SecurityState }>;
  patches: Array<{ id: number; itemId: string; branch: string; author: string; at: number }>;
  reviews: SecurityPatchReview[];
  grants: Array<{ itemId: string; grantedBy: string; at: number }>;
}> {
  const t = await db
    .selectFrom('security_transitions')
    .select(['item_id', 'at', 'actor', 'from_state', 'to_state'])
    .orderBy('at')
    .orderBy('id')
    .execute();
  const p = await db.selectFrom('security_patches').select(['id', 'item_id', 'branch', 'author', 'at']).orderBy('id').execute();
  return {
    transitions: t.map((r) => ({
      itemId: r.item_id,
      at: r.at,
      actor: r.actor,
      from: r.from_state === null ? null : state(r.from_state),
      to: state(r.to_state),
    })),
    patches: p.map((r) => ({ id: r.id, itemId: r.item_id, branch: r.branch, author: r.author, at: r.at })),
    reviews: await listPatchReviews(db),
    // The reporter's grant comes with the report itself: it is no one's work.
    grants: (
      await db
        .selectFrom('security_grants')
        .select(['item_id', 'granted_by', 'granted_at'])
        .where('kind', '!=', 'reporter')
        .orderBy('id')
        .execute()
    ).map((r) => ({
      itemId: r.item_id,
      grantedBy: r.granted_by,
      at: r.granted_at,
    })),
  };
}

/**
 * Re-seals every sealed text with `next` in one transaction and records its key id; a failure
 * (a text that does not open with `current`) leaves the store as it was. Returns how many texts.
 */
export async function rotateSecurityKey(db: Kysely<Database>, current: SecretBox, next: SecretBox): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let n = 0;
    for (const r of await trx.selectFrom('security_items').select(['id', 'secret']).execute()) {
      const c = itemContext(r.id);
      await trx
        .updateTable('security_items')
        .set({ secret: next.seal(current.open(r.secret, c), c) })
        .where('id', '=', r.id)
        .execute();
      n++;
    }
    for (const r of await trx.selectFrom('security_transitions').select(['id', 'item_id', 'secret']).execute()) {
      const c = transitionContext(r.item_id);
      await trx
        .updateTable('security_transitions')
        .set({ secret: next.seal(current.open(r.secret, c), c) })
        .where('id', '=', r.id)
        .execute();
      n++;
    }
    for (const r of await trx.selectFrom('security_patches').select(['id', 'item_id', 'branch', 'secret']).execute()) {
      const c = patchContext(r.item_id, r.branch);
      await trx
        .updateTable('security_patches')
        .set({ secret: next.seal(current.open(r.secret, c), c) })
        .where('id', '=', r.id)
        .execute();
      n++;
    }
    await writeMeta(trx, SECURITY_KEY_ID_META, next.keyId);
    return n;
  });
}

// ---- intake from Launchpad ----

/** A Launchpad bug of a security information type the tracker may take in (its text in plain, as the bug sync stored it). */
export interface SecurityIntakeBug {
  id: number;
  title: string;
  informationType: string;
  owner: string | null;
  /** When it was reported on Launchpad, epoch ms. */
  createdAt: number;
  /** The Launchpad projects it has a task on (series tasks left out), by name. */
  projects: string[];
}

/** Launchpad's information types whose bugs are under embargo: the tracker takes them in (`steward security intake`). */
export const EMBARGOED_BUG_TYPES = ['Private Security', 'Embargoed'] as const;

/** The stored Launchpad bugs of an embargoed information type, oldest first, with their projects. */
export async function listEmbargoedBugs(db: Db): Promise<SecurityIntakeBug[]> {
  const bugs = await db
    .selectFrom('lp_bugs')
    .select(['id', 'title', 'information_type', 'owner', 'date_created'])
    .where('information_type', 'in', [...EMBARGOED_BUG_TYPES])
    .orderBy('date_created')
    .orderBy('id')
    .execute();
  if (bugs.length === 0) return [];
  const projects = new Map<number, string[]>();
  const ids = bugs.map((b) => b.id);
  for (let i = 0; i < ids.length; i += 400)
    for (const t of await db
      .selectFrom('lp_bug_tasks')
      .select(['bug', 'project'])
      .where('bug', 'in', ids.slice(i, i + 400))
      .where('series', 'is', null)
      .orderBy('project')
      .execute())
      projects.set(t.bug, [...new Set([...(projects.get(t.bug) ?? []), t.project])]);
  return bugs.map((b) => ({
    id: b.id,
    title: b.title,
    informationType: b.information_type,
    owner: b.owner,
    createdAt: Number(b.date_created),
    projects: projects.get(b.id) ?? [],
  }));
}
