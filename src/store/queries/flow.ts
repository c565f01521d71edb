/**
 * Loaders for the review-flow reports (`steward queue`, `steward waits`, `steward dashboard`): the
 * changes of a scope with their patch sets, votes and, as asked, flow messages, details and files
 * (model/flow.ts).
 *
 * Speed: the queue reads every open change (16,000 in the 100,000-change bench store) within its
 * 250 ms budget. Child rows come back packed, one row per change (`group_concat` in SQLite,
 * `string_agg` in PostgreSQL, side by side below), and are read from the covering indexes of
 * migration 0005; wide columns (subjects, commit messages, message texts) are read only for the
 * changes that need them.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { FlowChange, FlowFile, FlowMessage, FlowMessageEvent, FlowPatchSet, FlowVote, HostInfo } from '../../model/flow.js';
import type { ChangeStatus, Link, LinkKind, MessageKind } from '../../model/records.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';

/** Which changes to load. Times are epoch ms. */
export type FlowScope =
  /** Open at `at`: created at or before it and not merged or abandoned at or before it. */
  | { kind: 'open'; at: number }
  /** Open at some moment of [since, until): created before `until`, not closed before `since`. */
  | { kind: 'active'; since: number; until: number }
  /** Merged in [since, until). */
  | { kind: 'merged'; since: number; until: number }
  | { kind: 'ids'; ids: readonly number[] };

export interface FlowLoadOptions {
  scope: FlowScope;
  projects?: readonly string[];
  branches?: readonly string[];
  /** Only changes whose latest patch set inserts and deletes at most this many lines in all. */
  maxDelta?: number;
  /** Ignore patch sets, votes and messages after this time (replaying the past). Default: none. */
  asOf?: number;
  /**
   * Messages to attach: none; `flow` (comments, CI reports, Gerrit's own messages, with their flow
   * events: what `steward waits` replays); `all` (every message, for dashboard operators).
   */
  messages?: 'none' | 'flow' | 'all';
  /** Subject, topic, hashtags, the TrivialFix flag and links (else subject '' and no links). */
  details?: boolean;
  files?: boolean;
  /** The full latest commit message (dashboards' `message:`). */
  commitMessage?: boolean;
}

type ChangesQuery = SelectQueryBuilder<Database, 'changes', object>;

// One aggregate per engine, side by side: a missing engine fails to compile.
const PACK: Record<EngineName, (expr: RawBuilder<string>) => RawBuilder<string>> = {
  sqlite: (e) => sql<string>`group_concat(${e}, ';')`,
  postgres: (e) => sql<string>`string_agg(${e}, ';')`,
};

const ID_CHUNK = 5000;

type IdsQuery = SelectQueryBuilder<Database, 'changes', { id: number }>;

// "change_id is one of these changes", per engine: PostgreSQL plans `= any(array(…))` as index-only
// probes of the covering indexes, where `in (select …)` makes it merge-join a whole index.
const IN_SCOPE: Record<EngineName, (ids: IdsQuery) => RawBuilder<boolean>> = {
  sqlite: (ids) => sql<boolean>`change_id in (${ids})`,
  postgres: (ids) => sql<boolean>`change_id = any(array(${ids}))`,
};

function scoped(q: ChangesQuery, o: FlowLoadOptions, openAtIsNow: boolean): ChangesQuery {
  const s = o.scope;
  if (s.kind === 'open') {
    q = q.where('changes.created', '<=', s.at);
    q = openAtIsNow
      ? q.where('changes.status', '=', 'NEW')
      : q.where((e) => e.or([e('changes.status', '=', 'NEW'), e('changes.merged_at', '>', s.at), e('changes.abandoned_at', '>', s.at)]));
  } else if (s.kind === 'active') {
    q = q
      .where('changes.created', '<', s.until)
      .where((e) => e.or([e('changes.status', '=', 'NEW'), e('changes.merged_at', '>=', s.since), e('changes.abandoned_at', '>=', s.since)]));
  } else if (s.kind === 'merged') {
    q = q.where('changes.merged_at', '>=', s.since).where('changes.merged_at', '<', s.until);
  } else {
    q = q.where('changes.id', 'in', s.ids.length ? [...s.ids] : [-1]);
  }
  if (o.projects?.length) q = q.where('changes.project', 'in', [...o.projects]);
  if (o.branches?.length) q = q.where('changes.branch', 'in', [...o.branches]);
  if (o.maxDelta !== undefined) q = q.where(sql<number>`changes.insertions + changes.deletions`, '<=', o.maxDelta);
  return q;
}

const num = (s: string | undefined): number => Number(s);
const nullableNum = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));

/** Packed rows → change id → flat field list (`width` fields per record). */
function groups(rows: ReadonlyArray<{ change_id: number; packed: string | null }>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of rows) if (r.packed) out.set(Number(r.change_id), r.packed.split(/[;,]/));
  return out;
}

function records<T>(fields: readonly string[] | undefined, width: number, make: (f: readonly string[], i: number) => T): T[] {
  const out: T[] = [];
  if (!fields) return out;
  for (let i = 0; i + width <= fields.length; i += width) out.push(make(fields, i));
  return out;
}

/**
 * Loads the changes of a scope for the flow reports, ordered by store id, with every patch set and
 * vote (up to `asOf`) and, as asked, messages, details and files.
 *
 * @example
 * const changes = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'open', at: Date.now() }, projects: ['openstack/nova'] });
 */
export async function loadFlowChanges(db: Kysely<Database>, engine: EngineName, o: FlowLoadOptions): Promise<FlowChange[]> {
  let openAtIsNow = false;
  if (o.scope.kind === 'open') {
    // When nothing in the store happened after `at`, "open at `at`" is just status NEW (an index).
    const row = await db.selectFrom('changes').select((e) => e.fn.max('updated').as('m')).executeTakeFirst();
    openAtIsNow = row?.m === null || row?.m === undefined || Number(row.m) <= o.scope.at;
  }
  const base = scoped(db.selectFrom('changes'), o, openAtIsNow);
  const cols = ['changes.id', 'changes.host', 'changes.project', 'changes.branch', 'changes.number', 'changes.owner_id', 'changes.wip', 'changes.created', 'changes.updated', 'changes.insertions', 'changes.deletions'] as const;
  const ids = () => scoped(db.selectFrom('changes'), o, openAtIsNow).select('changes.id');
  const inScope = IN_SCOPE[engine];
  const asOf = o.asOf ?? Number.MAX_SAFE_INTEGER;
  const pack = PACK[engine];

  // Three independent reads: PostgreSQL runs them on three connections at once.
  const [rows, psRows, voteRows] = await Promise.all([
    openAtIsNow
      ? // Everything from the covering index: an open change has no merge or abandon time.
        base.select(cols).orderBy('changes.id').execute().then((rs) => rs.map((r) => ({ ...r, status: 'NEW', merged_at: null, abandoned_at: null })))
      : base.select([...cols, 'changes.status', 'changes.merged_at', 'changes.abandoned_at']).orderBy('changes.id').execute(),
    db
      .selectFrom('patch_sets')
      .select(['change_id', pack(sql<string>`cast(number as text) || ',' || cast(created as text)`).as('packed')])
      .where(inScope(ids()))
      .where('created', '<=', asOf)
      .groupBy('change_id')
      .execute(),
    db
      .selectFrom('votes')
      .select([
        'change_id',
        pack(sql<string>`cast(patch_set as text) || ',' || label || ',' || cast(value as text) || ',' || cast(voter_id as text) || ',' || cast(granted_at as text) || ',' || cast(copied as text)`).as('packed'),
      ])
      .where(inScope(ids()))
      .where('granted_at', '<=', asOf)
      .groupBy('change_id')
      .execute(),
  ]);
  const psBy = groups(psRows);
  const votesBy = groups(voteRows);

  const changes: FlowChange[] = rows.map((r) => {
    const patchSets: FlowPatchSet[] = records(psBy.get(r.id), 2, (f, i) => ({ number: num(f[i]), created: num(f[i + 1]) }));
    patchSets.sort((a, b) => a.number - b.number);
    const votes: FlowVote[] = records(votesBy.get(r.id), 6, (f, i) => ({
      patchSet: num(f[i]),
      label: f[i + 1] ?? '',
      value: num(f[i + 2]),
      voterId: num(f[i + 3]),
      at: num(f[i + 4]),
      copied: f[i + 5] === '1',
    }));
    votes.sort((a, b) => a.at - b.at || a.patchSet - b.patchSet || a.voterId - b.voterId || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    return {
      id: r.id,
      host: r.host,
      project: r.project,
      branch: r.branch,
      number: r.number,
      subject: '',
      ownerId: r.owner_id,
      status: r.status as ChangeStatus,
      workInProgress: r.wip === 1,
      created: r.created,
      updated: r.updated,
      mergedAt: r.merged_at,
      abandonedAt: r.abandoned_at,
      topic: null,
      hashtags: [],
      insertions: r.insertions,
      deletions: r.deletions,
      trivialFix: false,
      commitMessage: null,
      patchSets,
      votes,
      messages: [],
      messagesComplete: false,
      files: null,
      links: [],
    };
  });

  if (o.messages === 'flow' || o.messages === 'all') await attachMessages(db, engine, changes, o.messages, asOf);
  if (o.details || o.commitMessage) await attachDetails(db, changes, { commitMessage: o.commitMessage ?? false });
  if (o.files) await attachFiles(db, changes);
  return changes;
}

async function inChunks<T>(ids: readonly number[], fn: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) out.push(...(await fn(ids.slice(i, i + ID_CHUNK))));
  return out;
}

const WIP_UPLOAD_TAG = 'autogenerated:gerrit:newWipPatchSet';

/**
 * Attaches messages to `changes` (replacing what they had), ascending by seq:
 * - `flow`: comments, CI reports and Gerrit's own messages, plus uploads that set the WIP flag;
 * - `all`: every message;
 * - `comments`: comment-only review messages;
 * - `rechecks`: only comments that ask CI to run again.
 * Each message's flow event is read from its text (see FlowMessageEvent). `messagesComplete` is
 * set for `flow` and `all`.
 */
export async function attachMessages(
  db: Kysely<Database>,
  engine: EngineName,
  changes: FlowChange[],
  mode: 'flow' | 'all' | 'comments' | 'rechecks',
  asOf = Number.MAX_SAFE_INTEGER,
): Promise<void> {
  const pack = PACK[engine];
  const byId = new Map(changes.map((c) => [c.id, c]));
  const ids = [...byId.keys()];
  const kinds: MessageKind[] | null = mode === 'all' ? null : mode === 'flow' ? ['comment', 'ci-report', 'system'] : ['comment'];

  // Index-only: who, when, what kind.
  const plain = mode === 'rechecks' ? [] : await inChunks(ids, (chunk) => {
    let q = db
      .selectFrom('messages')
      .select([
        'change_id',
        pack(sql<string>`cast(seq as text) || ',' || coalesce(cast(patch_set as text), '') || ',' || coalesce(cast(author_id as text), '') || ',' || cast(date as text) || ',' || kind`).as('packed'),
      ])
      .where('change_id', 'in', chunk)
      .where('date', '<=', asOf);
    if (kinds) q = q.where('kind', 'in', kinds);
    return q.groupBy('change_id').execute();
  });

  // Events need the text (or tag): only the few messages that can carry one.
  const events = mode === 'comments' ? [] : await inChunks(ids, (chunk) => {
    let q = db
      .selectFrom('messages')
      .select([
        'change_id',
        'seq',
        'kind',
        'patch_set',
        'author_id',
        'date',
        sql<string>`case
          when kind = 'system' and text like ${'%Set Work In Progress%'} then 'wip-on'
          when kind = 'system' and text like ${'%Set Ready For Review%'} then 'wip-off'
          when kind = 'upload' and tag = ${WIP_UPLOAD_TAG} then 'wip-on'
          when kind = 'system' and text like ${'Abandoned%'} then 'abandoned'
          when kind = 'system' and text like ${'Restored%'} then 'restored'
          when kind = 'comment' and (lower(text) like ${'recheck%'} or lower(text) like ${'%\nrecheck%'}) then 'recheck'
          else '' end`.as('event'),
      ])
      .where('change_id', 'in', chunk)
      .where('date', '<=', asOf);
    if (mode === 'rechecks') q = q.where('kind', '=', 'comment').where(sql<string>`lower(text)`, 'like', '%recheck%');
    else q = q.where((e) => e.or([e('kind', '=', 'system'), e.and([e('kind', '=', 'upload'), e('tag', '=', WIP_UPLOAD_TAG)]), e.and([e('kind', '=', 'comment'), e(sql<string>`lower(text)`, 'like', '%recheck%')])]));
    return q.execute();
  });

  const eventOf = new Map<string, FlowMessageEvent>();
  const extra = new Map<number, FlowMessage[]>();
  for (const e of events) {
    const ev = (e.event || null) as FlowMessageEvent;
    if (mode === 'rechecks') {
      if (ev !== 'recheck') continue;
      let l = extra.get(e.change_id);
      if (!l) extra.set(e.change_id, (l = []));
      l.push({ seq: e.seq, patchSet: e.patch_set, authorId: e.author_id, at: e.date, kind: e.kind as MessageKind, event: ev });
      continue;
    }
    if (ev) eventOf.set(`${e.change_id}:${e.seq}`, ev);
    if (e.kind === 'upload' && mode === 'flow' && ev === 'wip-on') {
      let l = extra.get(e.change_id);
      if (!l) extra.set(e.change_id, (l = []));
      l.push({ seq: e.seq, patchSet: e.patch_set, authorId: e.author_id, at: e.date, kind: 'upload', event: ev });
    }
  }

  const plainBy = groups(plain);
  for (const c of changes) {
    const list: FlowMessage[] = mode === 'rechecks'
      ? []
      : records(plainBy.get(c.id), 5, (f, i) => {
          const seq = num(f[i]);
          return { seq, patchSet: nullableNum(f[i + 1]), authorId: nullableNum(f[i + 2]), at: num(f[i + 3]), kind: (f[i + 4] ?? 'comment') as MessageKind, event: eventOf.get(`${c.id}:${seq}`) ?? null };
        });
    list.push(...(extra.get(c.id) ?? []));
    const merged = mode === 'rechecks' || mode === 'comments' ? [...c.messages.filter((m) => !list.some((x) => x.seq === m.seq)), ...list] : list;
    merged.sort((a, b) => a.seq - b.seq);
    c.messages = merged;
    if (mode === 'flow' || mode === 'all') c.messagesComplete = true;
  }
}

/** Fills subject, topic, hashtags, the TrivialFix flag and links (and the commit message when asked). */
export async function attachDetails(db: Kysely<Database>, changes: FlowChange[], o: { commitMessage: boolean }): Promise<void> {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const ids = [...byId.keys()];
  const rows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('changes')
      .select([
        'id',
        'subject',
        'topic',
        'hashtags',
        sql<number>`case when commit_message like ${'%TrivialFix%'} then 1 else 0 end`.as('trivial_fix'),
        ...(o.commitMessage ? (['commit_message'] as const) : []),
      ])
      .where('id', 'in', chunk)
      .execute(),
  );
  for (const r of rows) {
    const c = byId.get(r.id)!;
    c.subject = r.subject;
    c.topic = r.topic;
    try {
      const h: unknown = JSON.parse(r.hashtags);
      c.hashtags = Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      c.hashtags = [];
    }
    // A "TrivialFix" line, not the word anywhere (Gerrit's commit-message footer convention).
    const full = (r as { commit_message?: string }).commit_message;
    c.trivialFix = Number(r.trivial_fix) === 1 && (full === undefined || /^\s*TrivialFix\s*$/m.test(full));
    if (full !== undefined) c.commitMessage = full;
  }
  const links = await inChunks(ids, (chunk) => db.selectFrom('links').select(['change_id', 'kind', 'target']).where('change_id', 'in', chunk).execute());
  for (const l of links) byId.get(l.change_id)?.links.push({ kind: l.kind as LinkKind, target: l.target } satisfies Link);
}

/** Fills the files of the latest patch set. */
export async function attachFiles(db: Kysely<Database>, changes: FlowChange[]): Promise<void> {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const rows = await inChunks([...byId.keys()], (chunk) =>
    db
      .selectFrom('change_files')
      .select(['change_id', 'path', 'insertions', 'deletions'])
      .where('change_id', 'in', chunk)
      .execute(),
  );
  for (const c of changes) c.files = [];
  for (const r of rows) byId.get(r.change_id)?.files!.push({ path: r.path, insertions: r.insertions, deletions: r.deletions } satisfies FlowFile);
  for (const c of changes) c.files!.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Every stored host with its web URL. */
export async function loadHosts(db: Kysely<Database>): Promise<HostInfo[]> {
  return (await db.selectFrom('hosts').select(['name', 'url']).orderBy('name').execute()).map((h) => ({ name: h.name, url: h.url }));
}

/**
 * Accounts that ever voted Verified +2 or −2: the CI that gates merging (third-party CI systems
 * vote ±1 at most). A loose scan of the votes (label, value, voter_id) index: one probe per voter.
 */
export async function loadGatingCiCandidates(db: Kysely<Database>): Promise<number[]> {
  const out = new Set<number>();
  for (const value of [2, -2]) {
    const r = await sql<{ id: number | null }>`
      with recursive v(id) as (
        select min(voter_id) from votes where label = ${'Verified'} and value = ${value}
        union all
        select (select min(voter_id) from votes where label = ${'Verified'} and value = ${value} and voter_id > v.id) from v where v.id is not null
      )
      select id from v where id is not null`.execute(db);
    for (const row of r.rows) out.add(Number(row.id));
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Every account that ever posted a CI build report (Steward counts them as bots), by a loose scan
 * of the ci_builds (reporter_id) index: one probe per reporter instead of a pass over every build.
 */
export async function loadCiReporters(db: Kysely<Database>): Promise<number[]> {
  const r = await sql<{ id: number | null }>`
    with recursive rep(id) as (
      select min(reporter_id) from ci_builds
      union all
      select (select min(reporter_id) from ci_builds where reporter_id > rep.id) from rep where rep.id is not null
    )
    select id from rep where id is not null`.execute(db);
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
}

/**
 * Creation times of every change of each owner in the projects (all time), ascending: tells a
 * newcomer's first changes from a regular's.
 */
export async function loadOwnerHistory(db: Kysely<Database>, projects: readonly string[] = []): Promise<Map<number, number[]>> {
  let q = db.selectFrom('changes').select(['owner_id', 'created']);
  if (projects.length) q = q.where('project', 'in', [...projects]);
  const out = new Map<number, number[]>();
  for (const r of await q.execute()) {
    let l = out.get(r.owner_id);
    if (!l) out.set(r.owner_id, (l = []));
    l.push(r.created);
  }
  for (const l of out.values()) l.sort((a, b) => a - b);
  return out;
}

/** The projects in the store, by a loose scan of the (project, status) index. */
export async function listProjectNames(db: Kysely<Database>): Promise<string[]> {
  const r = await sql<{ p: string | null }>`
    with recursive proj(p) as (
      select min(project) from changes
      union all
      select (select min(project) from changes where project > proj.p) from proj where proj.p is not null
    )
    select p from proj where p is not null`.execute(db);
  return r.rows.map((x) => x.p!);
}
