/**
 * Queries that load the flat activity records analysis works on (model/activity.ts).
 * Filters: projects (none = all) and a time window on the act's own time.
 */
import { sql, type Kysely } from 'kysely';
import type { AccountInfo, CiResultCount, ReviewActRecord } from '../../model/activity.js';
import type { ChangeStatus } from '../../model/records.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { looseDistinct } from './loose-scan.js';
import { pack, unpack } from './packed.js';

export interface ActivityFilter {
  projects?: readonly string[];
  /** Inclusive lower bound (epoch ms). */
  since?: number;
  /** Exclusive upper bound (epoch ms). */
  until?: number;
}

export async function loadAccounts(db: Kysely<Database>): Promise<AccountInfo[]> {
  const rows = await db.selectFrom('accounts').select(['id', 'host', 'gerrit_id', 'username', 'name', 'email']).execute();
  return rows.map((r) => ({ id: r.id, host: r.host, gerritId: r.gerrit_id, username: r.username, name: r.name, email: r.email }));
}

export async function listProjects(db: Kysely<Database>): Promise<Array<{ host: string; project: string; changes: number }>> {
  const rows = await db
    .selectFrom('changes')
    .select(['host', 'project', (e) => e.fn.countAll<number>().as('n')])
    .groupBy(['host', 'project'])
    .orderBy('host')
    .orderBy('project')
    .execute();
  return rows.map((r) => ({ host: r.host, project: r.project, changes: Number(r.n) }));
}

/**
 * The overview's change counts over [since, until): changes created in it (opened), merged in it,
 * and abandoned in it (status ABANDONED, its abandonment in the period), each counted by its time
 * index (analysis/overview.ts has the definitions).
 */
export async function loadOverviewChangeCounts(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; since: number; until: number },
): Promise<{ opened: number; merged: number; abandoned: number }> {
  const { since, until } = filter;
  const count = async (column: 'created' | 'merged_at' | 'abandoned_at'): Promise<number> => {
    let q = db
      .selectFrom('changes')
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .where(column, '>=', since)
      .where(column, '<', until);
    if (column === 'abandoned_at') q = q.where('status', '=', 'ABANDONED');
    if (filter.projects?.length) q = q.where('project', 'in', filter.projects);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  return { opened: await count('created'), merged: await count('merged_at'), abandoned: await count('abandoned_at') };
}

/** A change open as of the overview's `now`, as it reads it: its dates, without the texts that name it. */
export interface OpenChangeTimes {
  id: number;
  number: number;
  status: ChangeStatus;
  workInProgress: boolean;
  created: number;
  mergedAt: number | null;
  abandonedAt: number | null;
  /** Its latest patch set created at or before `now` (none: empty). */
  patchSetCreated: number[];
}

const STATUSES: readonly ChangeStatus[] = ['NEW', 'MERGED', 'ABANDONED'];

/**
 * The changes open as of `now` (created by then, neither merged nor abandoned by then), as the
 * overview reads them: each one's patch set times are only its latest patch set created at or
 * before `now` (the only one its waits need), and neither its project nor its subject
 * ({@link loadChangeLabels} reads them for the few the overview lists). The period's counts come
 * from {@link loadOverviewChangeCounts}, not from these. In id order.
 *
 * A change has a merge time only when it is merged and an abandonment time only when it is
 * abandoned (model/packed-changes.ts `changeEndDates`), and a change is new, merged or abandoned
 * (ChangeStatus; a draft is stored as new), so the open ones are: the new ones created by then, read
 * from the status index `changes_flow` alone (not the table; PostgreSQL's index-only scan), the
 * merged ones merged after `now` and the abandoned ones abandoned after it (through their time
 * indexes). Packed in one string: 16,000 rows as objects cost more than the read.
 */
export async function loadOverviewChanges(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; now: number; engine?: EngineName },
): Promise<OpenChangeTimes[]> {
  const { now } = filter;
  const engine = filter.engine ?? 'sqlite';
  const sqlite = engine === 'sqlite';
  const inProjects = filter.projects?.length ? sql`and project in (${sql.join([...filter.projects])})` : sql``;
  // Each open change's latest patch set at or before now: an index probe per change (patch_sets_flow).
  const latest = sql`(select max(p.created) from patch_sets p where p.change_id = c.id and p.created <= ${now})`;
  const indexed = (name: string) => (sqlite ? sql.raw(`indexed by ${name}`) : sql``);
  // "|| ''": the status is not what the merged and abandoned ones are found by.
  const { rows } = await sql<{ packed: string | null }>`
    select ${pack(engine, ['id', 'number', 'status', 'wip', 'created', 'merged_at?', 'abandoned_at?', 'latest?'])} as packed from (
      select id, number, status, wip, created, null as merged_at, null as abandoned_at, ${latest} as latest
      from changes c ${indexed('changes_flow')}
      where status = 'NEW' and created <= ${now} ${inProjects}
      union all
      select id, number, status, wip, created, merged_at, abandoned_at, ${latest}
      from changes c ${indexed('changes_merged_at')}
      where merged_at > ${now} and status || '' = 'MERGED' and created <= ${now} ${inProjects}
      union all
      select id, number, status, wip, created, merged_at, abandoned_at, ${latest}
      from changes c ${indexed('changes_abandoned_at')}
      where abandoned_at > ${now} and status || '' = 'ABANDONED' and created <= ${now} ${inProjects}
    ) x`.execute(db);
  const out: OpenChangeTimes[] = [];
  unpack(rows, 8, (f) => {
    const ps = f.nullableNum(7);
    out.push({
      id: f.num(0),
      number: f.num(1),
      status: f.str(2, STATUSES) as ChangeStatus,
      workInProgress: f.num(3) === 1,
      created: f.num(4),
      mergedAt: f.nullableNum(5),
      abandonedAt: f.nullableNum(6),
      patchSetCreated: ps === null ? [] : [ps],
    });
  });
  return out.sort((a, b) => a.id - b.id);
}

/** The project and subject of each of the changes `ids` (a few: what the overview lists), by id. */
export async function loadChangeLabels(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, { project: string; subject: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('changes')
    .select(['id', 'project', 'subject'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, { project: r.project, subject: r.subject }]));
}

/**
 * The changes with a negative Workflow or Approved vote before `now` on their latest patch set
 * created before `now` (the queue's current patch set, queue-state.ts `situationAt`): a superset of
 * those the queue calls work in progress by a vote (their final vote there is negative). Read
 * through the (label, value) index, each vote's change's patch sets probed once (patch_sets_flow).
 */
export async function loadNegativeWorkflowChangeIds(db: Kysely<Database>, filter: { now: number }): Promise<Set<number>> {
  const rows = await db
    .selectFrom('votes')
    .select('votes.change_id')
    .distinct()
    .where('votes.label', 'in', ['Workflow', 'Approved'])
    .where('votes.value', '<', 0)
    .where('votes.granted_at', '<', filter.now)
    .where('votes.patch_set', '=', (e) =>
      e
        .selectFrom('patch_sets')
        .select((p) => p.fn.max('patch_sets.number').as('n'))
        .whereRef('patch_sets.change_id', '=', 'votes.change_id')
        .where('patch_sets.created', '<', filter.now),
    )
    .execute();
  return new Set(rows.map((r) => r.change_id));
}

/** Votes (not copied ones) and comment-only review messages in the window. */
export async function loadReviewActs(db: Kysely<Database>, filter: ActivityFilter = {}): Promise<ReviewActRecord[]> {
  let vq = db
    .selectFrom('votes')
    .innerJoin('changes', 'changes.id', 'votes.change_id')
    .select([
      'votes.change_id',
      'changes.project',
      'changes.owner_id',
      'votes.patch_set',
      'votes.voter_id',
      'votes.granted_at',
      'votes.label',
      'votes.value',
      'votes.self_vote',
    ])
    .where('votes.copied', '=', 0);
  if (filter.projects?.length) vq = vq.where('changes.project', 'in', filter.projects);
  if (filter.since !== undefined) vq = vq.where('votes.granted_at', '>=', filter.since);
  if (filter.until !== undefined) vq = vq.where('votes.granted_at', '<', filter.until);

  let cq = db
    .selectFrom('messages')
    .innerJoin('changes', 'changes.id', 'messages.change_id')
    .select(['messages.change_id', 'changes.project', 'changes.owner_id', 'messages.patch_set', 'messages.author_id', 'messages.date'])
    .where('messages.kind', '=', 'comment')
    .where('messages.author_id', 'is not', null)
    .where('messages.patch_set', 'is not', null);
  if (filter.projects?.length) cq = cq.where('changes.project', 'in', filter.projects);
  if (filter.since !== undefined) cq = cq.where('messages.date', '>=', filter.since);
  if (filter.until !== undefined) cq = cq.where('messages.date', '<', filter.until);

  const acts: ReviewActRecord[] = [];
  for (const v of await vq.execute()) {
    acts.push({
      changeId: v.change_id,
      project: v.project,
      changeOwnerId: v.owner_id,
      patchSet: v.patch_set,
      actorId: v.voter_id,
      at: v.granted_at,
      type: 'vote',
      label: v.label,
      value: v.value,
      selfVote: v.self_vote === 1,
    });
  }
  for (const m of await cq.execute()) {
    acts.push({
      changeId: m.change_id,
      project: m.project,
      changeOwnerId: m.owner_id,
      patchSet: m.patch_set!,
      actorId: m.author_id!,
      at: m.date,
      type: 'comment',
      label: null,
      value: null,
      selfVote: m.author_id === m.owner_id,
    });
  }
  return acts;
}

/**
 * The job results reported in [since, until), counted by pipeline, voting and result
 * (analysis/overview.ts countCiResults is the same count over records); the reports read through
 * `ci_reports_window`.
 */
export async function loadCiResultCounts(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; since: number; until: number },
): Promise<CiResultCount[]> {
  // The window's reports, their jobs counted here (countReportJobs): unpacking each report's list
  // in the database (json_each / json_array_elements) costs about twice as much. The changes are
  // joined only to filter by project: every report names a stored change (a foreign key), and the
  // join alone doubled the read of the 52,000 reports of the bench store's 90 days.
  let q = db
    .selectFrom('ci_reports')
    .select(['ci_reports.pipeline', 'ci_reports.jobs'])
    .where('ci_reports.reported_at', '>=', filter.since)
    .where('ci_reports.reported_at', '<', filter.until);
  if (filter.projects?.length) {
    const projects = filter.projects;
    q = q.where('ci_reports.change_id', 'in', (e) => e.selectFrom('changes').select('changes.id').where('changes.project', 'in', projects));
  }
  // pipeline → voting → result → runs.
  const counts = new Map<string | null, Map<boolean, Map<string, number>>>();
  for (const r of await q.execute()) {
    let byVoting = counts.get(r.pipeline);
    if (!byVoting) counts.set(r.pipeline, (byVoting = new Map()));
    const add = (result: string, voting: boolean): void => {
      let byResult = byVoting.get(voting);
      if (!byResult) byVoting.set(voting, (byResult = new Map()));
      byResult.set(result, (byResult.get(result) ?? 0) + 1);
    };
    if (!countReportJobs(r.jobs, add))
      for (const [, result, voting] of JSON.parse(r.jobs) as Array<[string, string, unknown]>) add(result, voting === 1);
  }
  const out: CiResultCount[] = [];
  for (const [pipeline, byVoting] of counts)
    for (const [voting, byResult] of byVoting) for (const [result, runs] of byResult) out.push({ pipeline, voting, result, runs });
  return out;
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const OPEN = 91; // [
const CLOSE = 93; // ]
const BACKSLASH = 92;

/**
 * Calls `add(result, voting)` for each job of a ci_reports row's `jobs` text (schema.ts: a JSON
 * list of `[job, result, voting, duration, log URL]`) as the change writer writes it — compact
 * JSON, voting 0 or 1 — without JSON.parse building every job's list and strings (the overview's
 * CI line reads about 260,000 jobs in 90 days of the bench store: 4× less CPU than parsing).
 * Returns false, having called `add` for nothing, when the text is not in that form (spaces, as
 * PostgreSQL's json_agg wrote it in migration 0013; an escaped result; another voting value): the
 * caller then parses it.
 */
export function countReportJobs(text: string, add: (result: string, voting: boolean) => void): boolean {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== OPEN) return false;
  // First pass checks the form and remembers where each result is; the second calls add.
  const found: number[] = [];
  let i = 1;
  if (text.charCodeAt(i) === CLOSE) return i + 1 === n;
  for (;;) {
    if (text.charCodeAt(i) !== OPEN || text.charCodeAt(i + 1) !== QUOTE) return false;
    // The job's name: a string, skipped (escapes and all).
    i += 2;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) break;
    }
    if (text.charCodeAt(i + 1) !== COMMA || text.charCodeAt(i + 2) !== QUOTE) return false;
    // The result: a string without escapes.
    const start = i + 3;
    let end = start;
    for (; end < n; end++) {
      const c = text.charCodeAt(end);
      if (c === QUOTE) break;
      if (c === BACKSLASH) return false;
    }
    const v = text.charCodeAt(end + 2);
    const after = text.charCodeAt(end + 3);
    if (text.charCodeAt(end + 1) !== COMMA || (v !== 48 && v !== 49) || (after !== COMMA && after !== CLOSE)) return false;
    found.push(start, end, v - 48);
    // The rest of the job: numbers, null and strings up to its closing bracket.
    i = end + 3;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        for (i++; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === BACKSLASH) i++;
          else if (d === QUOTE) break;
        }
      } else if (c === CLOSE) break;
      else if (c === OPEN) return false;
      else if (c !== COMMA && !(c >= 48 && c <= 57) && c !== 45 && c !== 46 && !(c >= 97 && c <= 122)) return false;
    }
    if (i >= n) return false;
    // After the job: another one, or the end of the list.
    const next = text.charCodeAt(i + 1);
    if (next === CLOSE) {
      if (i + 2 !== n) return false;
      break;
    }
    if (next !== COMMA) return false;
    i += 2;
  }
  for (let k = 0; k < found.length; k += 3) add(text.slice(found[k]!, found[k + 1]!), found[k + 2] === 1);
  return true;
}

/** Every account that has posted a CI build report (used to treat CI systems as bots). */
export async function loadCiReporterIds(db: Kysely<Database>): Promise<number[]> {
  // A loose scan of ci_reports_reporter (one probe per reporter) instead of a pass over every report.
  return looseDistinct<number>(db, 'ci_reports', 'reporter_id');
}

/**
 * The project names of {@link listProjects}, in its order (by host, then name; each name once),
 * without counting changes (a full pass over them): the hosts by a loose scan of the (host, number)
 * index, and with one host the names by a loose scan of the (project, status) index.
 */
export async function listProjectNamesByHost(db: Kysely<Database>): Promise<string[]> {
  const hosts = await looseDistinct<string>(db, 'changes', 'host');
  if (hosts.length > 1) return [...new Set((await listProjects(db)).map((p) => p.project))];
  return looseDistinct<string>(db, 'changes', 'project');
}
