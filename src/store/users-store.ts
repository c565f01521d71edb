/**
 * Store side of web access (migration 0009): users, sessions and the audit log. Times come from the
 * caller; nothing here reads the clock, hashes passwords or makes tokens (web/auth/ does).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';

export interface UserRecord {
  id: number;
  name: string;
  role: string;
  passwordHash: string;
  createdAt: number;
  passwordChangedAt: number;
  disabledAt: number | null;
}

export interface SessionRecord {
  tokenHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

export interface AuditEvent {
  at: number;
  event: string;
  actorId: number | null;
  actor: string | null;
  subject: string | null;
  ip: string | null;
  outcome: 'ok' | 'refused' | 'failed';
  /** Event-specific facts; never a secret. */
  detail?: Record<string, unknown>;
}

type UserRow = Selectable<Database['users']>;

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
  disabledAt: r.disabled_at,
});

/**
 * Creates a user. Returns null when the name is taken (names are unique, compared in lower case).
 *
 * @example await createUser(db, { name: 'ann', role: 'lead', passwordHash: await hashPassword(pw) }, now);
 */
export async function createUser(
  db: Kysely<Database>,
  u: { name: string; role: string; passwordHash: string },
  now: number,
): Promise<UserRecord | null> {
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('name', '=', u.name.toLowerCase()).executeTakeFirst();
    if (taken) return null;
    const row = await trx
      .insertInto('users')
      .values({
        name: u.name.toLowerCase(),
        role: u.role,
        password_hash: u.passwordHash,
        created_at: now,
        password_changed_at: now,
        disabled_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  });
}

/** The user named `name` (any case), or null. */
export async function findUserByName(db: Kysely<Database>, name: string): Promise<UserRecord | null> {
  const row = await db.selectFrom('users').selectAll().where('name', '=', name.toLowerCase()).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** Every user, by name. */
export async function listUsers(db: Kysely<Database>): Promise<UserRecord[]> {
  return (await db.selectFrom('users').selectAll().orderBy('name').execute()).map(toUser);
}

/** Changes a user's role. Returns false when there is no such user. */
export async function setUserRole(db: Kysely<Database>, id: number, role: string): Promise<boolean> {
  const r = await db.updateTable('users').set({ role }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Disables (at `at`) or re-enables (`at` null) a user. Disabling also ends every session of the
 * user, in the same transaction, so no open browser keeps access.
 */
export async function setUserDisabled(db: Kysely<Database>, id: number, at: number | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ disabled_at: at }).where('id', '=', id).execute();
    if (at !== null) await trx.deleteFrom('user_sessions').where('user_id', '=', id).execute();
  });
}

/**
 * Replaces a user's password hash. With `endSessions`, every session of the user ends too (a
 * password change after a suspected leak must lock the thief out).
 */
export async function setUserPassword(
  db: Kysely<Database>,
  id: number,
  passwordHash: string,
  now: number,
  opts: { endSessions: boolean },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', id).execute();
    if (opts.endSessions) await trx.deleteFrom('user_sessions').where('user_id', '=', id).execute();
  });
}

/** Stores a new session (the token's hash only). */
export async function createSession(db: Kysely<Database>, s: SessionRecord): Promise<void> {
  await db
    .insertInto('user_sessions')
    .values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt, last_seen_at: s.lastSeenAt })
    .execute();
}

/** The session with this token hash and its user, or null. Expiry is the caller's to judge. */
export async function findSession(db: Kysely<Database>, tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  const row = await db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.token_hash', 's.user_id', 's.created_at as s_created_at', 's.expires_at', 's.last_seen_at'])
    .select(['u.id', 'u.name', 'u.role', 'u.password_hash', 'u.created_at', 'u.password_changed_at', 'u.disabled_at'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    session: {
      tokenHash: row.token_hash,
      userId: row.user_id,
      createdAt: row.s_created_at,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
    },
    user: toUser(row),
  };
}

/** Records that the session was used at `at`. */
export async function touchSession(db: Kysely<Database>, tokenHash: string, at: number): Promise<void> {
  await db.updateTable('user_sessions').set({ last_seen_at: at }).where('token_hash', '=', tokenHash).execute();
}

/** Ends one session (logout). */
export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Removes sessions past their absolute expiry or idle since before `idleBefore`. Returns how many. */
export async function purgeSessions(db: Kysely<Database>, now: number, idleBefore: number): Promise<number> {
  const r = await db
    .deleteFrom('user_sessions')
    .where((e) => e.or([e('expires_at', '<=', now), e('last_seen_at', '<', idleBefore)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The number of live sessions per user id. */
export async function countSessions(db: Kysely<Database>, now: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('user_sessions')
    .select(['user_id', (e) => e.fn.countAll<number>().as('n')])
    .where('expires_at', '>', now)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

/** Appends an event to the audit log. */
export async function appendAudit(db: Kysely<Database>, e: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      event: e.event,
      actor_id: e.actorId,
      actor: e.actor,
      subject: e.subject,
      ip: e.ip,
      outcome: e.outcome,
      detail: e.detail ? JSON.stringify(e.detail) : null,
    })
    .execute();
}

export interface AuditFilter {
  limit: number;
  /** An event name, or a family: `login` also matches `login.failed`, `login.locked`. */
  event?: string;
  actor?: string;
  subject?: string;
  outcome?: string;
  /** Events at or after (epoch ms). */
  since?: number;
  /** Events before (epoch ms). */
  until?: number;
  /** Leave out this event family (`security.item` hides security.item.* from readers not on the security team). */
  hideFamily?: string;
}

/** The newest `limit` audit events that match, newest first. */
export async function listAudit(db: Kysely<Database>, opts: AuditFilter): Promise<Array<AuditEvent & { id: number }>> {
  let q = db.selectFrom('audit_log').selectAll();
  if (opts.event) {
    const family = opts.event;
    // A prefix compared as text (no LIKE: `_` in a name must not match any character).
    q = q.where((eb) => eb.or([eb('event', '=', family), eb(sql<string>`substr(event, 1, ${family.length + 1})`, '=', `${family}.`)]));
  }
  if (opts.hideFamily) {
    const hidden = opts.hideFamily;
    q = q.where((eb) => eb.and([eb('event', '!=', hidden), eb(sql<string>`substr(event, 1, ${hidden.length + 1})`, '!=', `${hidden}.`)]));
  }
  if (opts.actor) q = q.where('actor', '=', opts.actor);
  if (opts.subject) q = q.where('subject', '=', opts.subject);
  if (opts.outcome) q = q.where('outcome', '=', opts.outcome);
  if (opts.since !== undefined) q = q.where('at', '>=', opts.since);
  if (opts.until !== undefined) q = q.where('at', '<', opts.until);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    event: r.event,
    actorId: r.actor_id,
    actor: r.actor,
    subject: r.subject,
    ip: r.ip,
    outcome: r.outcome as AuditEvent['outcome'],
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : undefined,
  }));
}
