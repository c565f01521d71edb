/**
 * Store side of Launchpad bugs and blueprints (issue 15): writing parsed pages (upserts keyed by
 * self link or bug number) and loading them back as model records, with the Gerrit changes and
 * commits that name each bug (the links table and git_commit_links, filled by the one link rule in
 * sources/links/links.ts).
 */
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { BUG_IMPORTANCES, BUG_STATUSES, INFORMATION_TYPES, isOpenStatus } from '../../model/bugs.js';
import type {
  BacklogData,
  BacklogStates,
  BacklogTagGroup,
  Blueprint,
  Bug,
  TagFixer,
  TargetsData,
  BugsOverview,
  BugChangeRef,
  BugCommitRef,
  BugData,
  BugImportance,
  BugStatus,
  BugTask,
  InformationType,
  LaunchpadRecords,
  RotaBugTask,
  RotaChange,
  RotaData,
  RotaMemberAccount,
  RotaRevert,
} from '../../model/bugs.js';
import type { ReviewActRecord } from '../../model/activity.js';
import type { EngineName } from '../engine.js';
import type { Database, LpBlueprintsTable, LpBugsTable, LpBugTasksTable } from '../schema.js';
import { ID_LIST, pgArrayLiteral } from './id-lists.js';
import { AGGREGATE, FS, pack, packRecord, RS, unpack, unpackIntegers, type Fields } from './packed.js';

const CHANGE_STATUSES = ['MERGED', 'NEW', 'ABANDONED'];
// The columns the rota reads of the window's changes.
const WINDOW_COLUMNS = [
  'c.id',
  'c.host',
  'c.number',
  'c.project',
  'c.status',
  'c.wip',
  'c.owner_id',
  'c.created',
  'c.merged_at',
  'c.insertions',
  'c.deletions',
  'c.subject',
] as const;

const DAY_MS = 86_400_000;

/** Rows a write added, replaced with different content, or found identical. */
export interface LaunchpadWriteCounts {
  new: number;
  updated: number;
  unchanged: number;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function taskRow(t: BugTask): LpBugTasksTable {
  const d = t.dates;
  return {
    self_link: t.selfLink,
    bug: t.bug,
    project: t.project,
    series: t.series,
    status: t.status,
    importance: t.importance,
    assignee: t.assignee,
    milestone: t.milestone,
    title: t.title,
    date_created: d.created,
    date_assigned: d.assigned,
    date_confirmed: d.confirmed,
    date_triaged: d.triaged,
    date_in_progress: d.inProgress,
    date_fix_committed: d.fixCommitted,
    date_fix_released: d.fixReleased,
    date_closed: d.closed,
    date_left_new: d.leftNew,
    date_incomplete: d.incomplete,
    date_left_closed: d.leftClosed,
    date_deferred: d.deferred,
  };
}

export function bugRow(b: Bug): LpBugsTable {
  return {
    id: b.id,
    title: b.title,
    tags: b.tags.join(' '),
    information_type: b.informationType,
    duplicate_of: b.duplicateOf,
    heat: b.heat,
    message_count: b.messageCount,
    owner: b.owner,
    date_created: b.createdAt,
    date_last_updated: b.lastUpdatedAt,
    date_last_message: b.lastMessageAt,
  };
}

export function blueprintRow(b: Blueprint): LpBlueprintsTable {
  return {
    self_link: b.selfLink,
    project: b.project,
    name: b.name,
    title: b.title,
    definition_status: b.definitionStatus,
    implementation_status: b.implementationStatus,
    lifecycle_status: b.lifecycleStatus,
    priority: b.priority,
    series_goal: b.seriesGoal,
    series_goal_accepted: b.seriesGoalAccepted === null ? null : b.seriesGoalAccepted ? 1 : 0,
    milestone: b.milestone,
    assignee: b.assignee,
    date_created: b.createdAt,
    date_started: b.startedAt,
    date_completed: b.completedAt,
  };
}

export function taskFromRow(r: LpBugTasksTable): BugTask {
  return {
    selfLink: r.self_link,
    bug: Number(r.bug),
    project: r.project,
    series: r.series,
    status: r.status as BugStatus,
    importance: r.importance as BugImportance,
    assignee: r.assignee,
    milestone: r.milestone,
    title: r.title,
    dates: {
      created: Number(r.date_created),
      assigned: num(r.date_assigned),
      confirmed: num(r.date_confirmed),
      triaged: num(r.date_triaged),
      inProgress: num(r.date_in_progress),
      fixCommitted: num(r.date_fix_committed),
      fixReleased: num(r.date_fix_released),
      closed: num(r.date_closed),
      leftNew: num(r.date_left_new),
      incomplete: num(r.date_incomplete),
      leftClosed: num(r.date_left_closed),
      deferred: num(r.date_deferred),
    },
  };
}

export function bugFromRow(r: LpBugsTable): Bug {
  return {
    id: Number(r.id),
    title: r.title,
    tags: r.tags === '' ? [] : r.tags.split(' '),
    informationType: r.information_type as InformationType,
    duplicateOf: num(r.duplicate_of),
    heat: Number(r.heat),
    messageCount: Number(r.message_count),
    owner: r.owner,
    createdAt: Number(r.date_created),
    lastUpdatedAt: Number(r.date_last_updated),
    lastMessageAt: num(r.date_last_message),
  };
}

function blueprintFromRow(r: LpBlueprintsTable): Blueprint {
  return {
    selfLink: r.self_link,
    project: r.project,
    name: r.name,
    title: r.title,
    definitionStatus: r.definition_status,
    implementationStatus: r.implementation_status,
    lifecycleStatus: r.lifecycle_status,
    priority: r.priority,
    seriesGoal: r.series_goal,
    seriesGoalAccepted: r.series_goal_accepted === null ? null : Number(r.series_goal_accepted) === 1,
    milestone: r.milestone,
    assignee: r.assignee,
    createdAt: Number(r.date_created),
    startedAt: num(r.date_started),
    completedAt: num(r.date_completed),
  };
}

const sameRow = (a: object, b: object): boolean => {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  return Object.keys(x).every((k) => (x[k] === null || x[k] === undefined ? y[k] == null : String(x[k]) === String(y[k])));
};

// At most 19 columns a row: 200 rows stay under either engine's bound-parameter limit.
const CHUNK = 200;

/**
 * Upserts one table's rows by key inside the caller's transaction: rows whose stored copy differs
 * are replaced (delete, then insert), identical ones are left alone.
 */
async function upsert<T extends 'lp_bug_tasks' | 'lp_bugs' | 'lp_blueprints'>(
  trx: Kysely<Database>,
  table: T,
  key: 'self_link' | 'id',
  rows: ReadonlyArray<Database[T]>,
): Promise<LaunchpadWriteCounts> {
  const counts: LaunchpadWriteCounts = { new: 0, updated: 0, unchanged: 0 };
  // Within one page a later copy of the same key wins.
  const byKey = new Map<string | number, Database[T]>();
  for (const r of rows) byKey.set((r as unknown as Record<string, string | number>)[key]!, r);
  const keys = [...byKey.keys()];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one body for three tables with different keys
  const db = trx as Kysely<any>;
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const stored = (await db
      .selectFrom(table as string)
      .selectAll()
      .where(key, 'in', part)
      .execute()) as Array<Record<string, unknown>>;
    const old = new Map(stored.map((r) => [key === 'id' ? Number(r.id) : (r[key] as string), r]));
    const write: Array<Database[T]> = [];
    const replace: Array<string | number> = [];
    for (const k of part) {
      const row = byKey.get(k)!;
      const prev = old.get(k);
      if (!prev) counts.new++;
      else if (sameRow(row, prev)) {
        counts.unchanged++;
        continue;
      } else {
        counts.updated++;
        replace.push(k);
      }
      write.push(row);
    }
    if (replace.length)
      await db
        .deleteFrom(table as string)
        .where(key, 'in', replace)
        .execute();
    if (write.length)
      await db
        .insertInto(table as string)
        .values(write)
        .execute();
  }
  return counts;
}

/**
 * Writes parsed Launchpad records inside the caller's transaction (see ingest-writes.ts
 * writeLaunchpadPage): tasks, bugs and blueprints upserted by key. Counts are summed over the three.
 */
export async function writeLaunchpadRecords(trx: Kysely<Database>, records: LaunchpadRecords): Promise<LaunchpadWriteCounts> {
  const a = await upsert(trx, 'lp_bug_tasks', 'self_link', records.tasks.map(taskRow));
  const b = await upsert(trx, 'lp_bugs', 'id', records.bugs.map(bugRow));
  const c = await upsert(trx, 'lp_blueprints', 'self_link', records.blueprints.map(blueprintRow));
  return { new: a.new + b.new + c.new, updated: a.updated + b.updated + c.updated, unchanged: a.unchanged + b.unchanged + c.unchanged };
}

/**
 * String order as `localeCompare` gives it (ECMA-402: localeCompare compares as a new
 * Intl.Collator with the same arguments would), with the collator made once: localeCompare makes
 * or looks one up each call, which over the rota's 18,000 changes or the targets' 9,500 fixers
 * costs tens of milliseconds.
 */
const collate = new Intl.Collator().compare;

const BUG_LINK_KINDS = ['closes-bug', 'partial-bug', 'related-bug', 'topic-bug'];
const OPEN_STATUSES = BUG_STATUSES.filter((s) => isOpenStatus(s));
const CLOSED_STATUSES = BUG_STATUSES.filter((s) => !isOpenStatus(s));
// Bug numbers per IN list: under either engine's bound-parameter limit.
const IN_CHUNK = 500;

const chunks = <T>(xs: readonly T[], size = IN_CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, i * size + size));

/**
 * One packed record (packed.ts's field separator) built by one concat_ws, not by a `||` per field
 * (packRecord), each a new string holding the record so far: about a tenth less of the backlog's
 * states statement on PostgreSQL (bench store), a little less on SQLite. None of the fields may be
 * null: concat_ws leaves nulls out.
 */
const concatRecord = (fields: ReadonlyArray<string | RawBuilder<string>>): RawBuilder<string> =>
  sql<string>`concat_ws(${FS}, ${sql.join(fields.map((f) => (typeof f === 'string' ? sql.ref(f) : f)))})`;

/** Field k when it is an integer's own decimal text (as `cast(n as text)` writes it: no sign but a minus, no leading zero), else null. */
function canonicalInteger(f: Fields, k: number): number | null {
  const s = f.s;
  let i = f.from[k]!;
  const end = f.to[k]!;
  const negative = i < end && s.charCodeAt(i) === 45;
  if (negative) i++;
  if (i >= end || end - i > 15 || (s.charCodeAt(i) === 48 && end - i > 1)) return null;
  let n = 0;
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/**
 * Reads that do not depend on each other: at once on PostgreSQL, each on one of the pool's
 * connections (the server works on them side by side, and the client reads one's rows while the
 * server works on another's); one after another on SQLite, whose reads are synchronous on its one
 * connection (the same order as before).
 */
async function reads<T extends readonly unknown[]>(engine: EngineName, fns: { readonly [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (engine === 'postgres') return (await Promise.all(fns.map((f) => f()))) as unknown as T;
  const out: unknown[] = [];
  for (const f of fns) out.push(await f());
  return out as unknown as T;
}

/** The tasks of `projects` (all when empty), of the bugs `bugs` when given, ordered by bug and self link. */
async function loadTasks(
  db: Kysely<Database>,
  projects: readonly string[],
  bugs: readonly number[] | null,
  engine?: EngineName,
): Promise<BugTask[]> {
  const inProjects = new Set(projects);
  const one = async (part: readonly number[] | null) => {
    let q = db.selectFrom('lp_bug_tasks').selectAll();
    // By bug, the projects are filtered here: with both in SQL, SQLite chose the project index and
    // read every task of the project for each chunk of bugs.
    if (part) q = q.where(bugIn(engine, 'bug', part));
    else if (projects.length) q = q.where('project', 'in', projects);
    const rows = await q.execute();
    return (part && projects.length ? rows.filter((r) => inProjects.has(r.project)) : rows).map(taskFromRow);
  };
  const tasks = bugs === null ? await one(null) : (await Promise.all(bugChunks(engine, bugs).map(one))).flat();
  return tasks.sort((a, b) => a.bug - b.bug || (a.selfLink < b.selfLink ? -1 : a.selfLink > b.selfLink ? 1 : 0));
}

/**
 * Bug numbers (or other integer ids: bugIn) as one statement takes them: all at once, as ONE bound
 * value (id-lists.ts ID_LIST: a JSON array read by json_each in SQLite, an array in PostgreSQL).
 * On SQLite IN lists of 500 bound values cost the query builder, the driver and SQLite's prepare a
 * node, a value and a plan entry each, and a statement per 500 (the rota's and backlog's look-ups:
 * about a fifth of their SQL time on the bench store); the plans are the same index probes. With
 * the engine not known (loadBugData called without it), IN lists of 500, which both engines take.
 */
const bugChunks = (engine: EngineName | undefined, bugs: readonly number[]): Array<readonly number[]> =>
  engine ? (bugs.length ? [bugs] : []) : chunks(bugs);
const bugIn = (engine: EngineName | undefined, column: string, part: readonly number[]): RawBuilder<boolean> =>
  engine ? ID_LIST[engine](column, part) : sql<boolean>`${sql.ref(column)} in (${sql.join(part)})`;

/** The bug records `ids`, ordered by number. */
async function loadBugs(db: Kysely<Database>, ids: readonly number[], engine?: EngineName): Promise<Bug[]> {
  const out: Bug[] = [];
  for (const part of bugChunks(engine, [...new Set(ids)]))
    out.push(
      ...(
        await db
          .selectFrom('lp_bugs')
          .selectAll()
          .where(bugIn(engine, 'id', part))
          .execute()
      ).map(bugFromRow),
    );
  return out.sort((a, b) => a.id - b.id);
}

/**
 * Up to this many bugs, PostgreSQL looks each up in the links' index (loadChangeRefs); above, it
 * hashes them against every link. Index probes cost per bug, the hash join about the same whatever
 * the count: on the bench store 24,000 bugs probed cost more than twice the hash join, 1,900 a third less.
 */
const PROBED_TARGETS = 5000;

/**
 * The Gerrit changes naming `bugs` (every bug when null) by `kinds`, with why each abandoned one was
 * abandoned (the abandon message's text after Gerrit's "Abandoned" line), ordered by bug, host,
 * number and kind.
 */
async function loadChangeRefs(
  db: Kysely<Database>,
  bugs: readonly number[] | null,
  kinds: readonly string[] = BUG_LINK_KINDS,
  engine: EngineName = 'sqlite',
): Promise<BugChangeRef[]> {
  const one = async (part: readonly number[] | null) => {
    let q = db
      .selectFrom('links as l')
      .innerJoin('changes as c', 'c.id', 'l.change_id')
      .leftJoin('accounts as a', 'a.id', 'c.owner_id')
      .select([
        'l.target',
        'l.kind',
        'c.id',
        'c.host',
        'c.number',
        'c.project',
        'c.branch',
        'c.status',
        'a.username',
        'a.name',
        'c.subject',
        'c.created',
        'c.updated',
        'c.merged_at',
        'c.abandoned_at',
        'c.insertions',
        'c.deletions',
        'c.hashtags',
        'c.topic',
      ])
      .where('l.kind', 'in', kinds);
    if (part)
      q =
        engine === 'postgres'
          ? part.length <= PROBED_TARGETS
            ? // Up to a few thousand bugs, each looked up in the links' (target, kind) index (`= any`
              // of an array PostgreSQL does not open, as ID_LIST): the backlog's 1,900 bugs and the
              // targets' 800 on the bench store, a third less of the server's CPU than the hash join below.
              q.where(sql<boolean>`${sql.ref('l.target')} = any(array(select unnest(cast(${pgArrayLiteral(part)} as text[]))))`)
            : // More: one array, unnested, which PostgreSQL joins to the links by hash (one pass over
              // them). With an IN list it filtered every link against the list in each chunk (about
              // 100 ms of the server's a chunk of 500 bugs on the bench store, four chunks for the backlog).
              q.where('l.target', 'in', sql<string>`(select unnest(cast(${pgArrayLiteral(part)} as text[])))`)
          : // One JSON array of the targets (as bugIn), each looked up in the (target, kind) index.
            q.where('l.target', 'in', sql<string>`(select value from json_each(${JSON.stringify(part.map(String))}))`);
    return q.execute();
  };
  const rows = bugs === null ? await one(null) : bugs.length ? await one(bugs) : [];
  const changes: BugChangeRef[] = [];
  const abandonedIds: number[] = [];
  for (const r of rows) {
    if (r.status === 'ABANDONED') abandonedIds.push(r.id);
    changes.push({
      bug: Number(r.target),
      kind: r.kind,
      host: r.host,
      number: Number(r.number),
      project: r.project,
      branch: r.branch,
      status: r.status,
      owner: r.username ?? r.name ?? null,
      subject: r.subject,
      created: Number(r.created),
      updated: Number(r.updated),
      mergedAt: num(r.merged_at),
      abandonedAt: num(r.abandoned_at),
      insertions: Number(r.insertions),
      deletions: Number(r.deletions),
      hashtags: JSON.parse(r.hashtags) as string[],
      topic: r.topic,
      abandonReason: null,
    });
  }
  const reasons = new Map<string, string>();
  for (const part of chunks([...new Set(abandonedIds)])) {
    const ms = await db
      .selectFrom('messages as m')
      .innerJoin('changes as c', 'c.id', 'm.change_id')
      .select(['c.host', 'c.number', 'm.text', 'm.seq'])
      .where('m.change_id', 'in', part)
      .where('m.text', 'like', 'Abandoned%')
      .orderBy('m.seq')
      .execute();
    for (const m of ms) {
      const why = m.text.replace(/^Abandoned\s*/, '').trim();
      if (why) reasons.set(`${m.host}/${m.number}`, why.slice(0, 300));
    }
  }
  for (const c of changes) c.abandonReason = reasons.get(`${c.host}/${c.number}`) ?? null;
  return changes.sort((a, b) => a.bug - b.bug || collate(a.host, b.host) || a.number - b.number || collate(a.kind, b.kind));
}

/**
 * Loads the bug data of `projects` (Launchpad project names; all when empty): their tasks, the
 * bugs of those tasks, blueprints, and every Gerrit change and commit that names one of the bugs.
 * Every row: the reports read less (loadBacklogData, loadTargetsData, `bugs` below).
 *
 * With `refs: false` only the tasks and their bugs (no blueprints, changes or commits); with `bugs`,
 * only the tasks and bug records of those bug numbers (what the rota reads: the bugs its changes name).
 *
 * @example const data = await loadBugData(store.db, ['nova']);
 */
export async function loadBugData(
  db: Kysely<Database>,
  projects: readonly string[] = [],
  opts: { refs?: boolean; bugs?: readonly number[]; engine?: EngineName } = {},
): Promise<BugData> {
  const tasks = await loadTasks(db, projects, opts.bugs ?? null, opts.engine);
  const wanted = new Set(tasks.map((t) => t.bug));
  const bugs = opts.bugs
    ? await loadBugs(db, [...wanted], opts.engine)
    : (await db.selectFrom('lp_bugs').selectAll().orderBy('id').execute()).map(bugFromRow).filter((b) => wanted.has(b.id));
  if (opts.refs === false) return { tasks, bugs, blueprints: [], changes: [], commits: [] };
  let bq = db.selectFrom('lp_blueprints').selectAll();
  if (projects.length) bq = bq.where('project', 'in', projects);
  const blueprints = (await bq.orderBy('project').orderBy('name').execute()).map(blueprintFromRow);
  const changes = (await loadChangeRefs(db, null)).filter((c) => wanted.has(c.bug));

  const commitRows = await db
    .selectFrom('git_commit_links as l')
    .innerJoin('git_commits as g', (j) => j.onRef('g.repo', '=', 'l.repo').onRef('g.sha', '=', 'l.sha'))
    .select(['l.target', 'l.kind', 'g.repo', 'g.sha', 'g.subject', 'g.committed_at', 'g.change_id', 'g.mainline'])
    .where('l.kind', 'in', BUG_LINK_KINDS)
    .execute();
  const commits: BugCommitRef[] = [];
  for (const r of commitRows) {
    const bug = Number(r.target);
    if (!wanted.has(bug)) continue;
    commits.push({
      bug,
      kind: r.kind,
      repo: r.repo,
      sha: r.sha,
      subject: r.subject,
      committedAt: Number(r.committed_at),
      changeKey: r.change_id,
      mainline: Number(r.mainline) === 1,
    });
  }
  commits.sort((a, b) => a.bug - b.bug || a.sha.localeCompare(b.sha) || a.kind.localeCompare(b.kind));
  return { tasks, bugs, blueprints, changes, commits };
}

/**
 * What `bugs backlog` reads (analysis/bugs-backlog.ts), for the project tasks of `projects` (all when
 * empty) filed by `now`, duplicates left out:
 * - every task's state: status, importance, five dates, whether its bug is restricted, and the tags
 *   of open bugs — a few narrow columns in one pass instead of whole rows — less the closed tasks
 *   with no date from `since` on (the earliest time the report looks at: its first week, its cohort);
 * - the projects of every task filed by `now`;
 * - the full records, with the changes naming them (Closes-Bug, Partial-Bug, bug/N topic: the lists
 *   read no Related-Bug change), of the bugs the lists may name only: the open In Progress bugs and
 *   the open bugs a merged Closes-Bug or bug/N-topic change names.
 *
 * The same as analysis/bugs-common.ts backlogDataFrom over loadBugData (a test holds them equal).
 * On PostgreSQL the lists' bugs are found by a statement of their own, and with the projects read
 * beside the states on the pool's other connections (reads).
 *
 * @example const data = await loadBacklogData(store.db, store.engine, ['nova'], { now: Date.now(), since: Date.now() - 365 * 86_400_000 });
 */
export async function loadBacklogData(
  db: Kysely<Database>,
  engine: EngineName,
  projects: readonly string[],
  { now, since }: { now: number; since: number },
): Promise<BacklogData> {
  // The states as columns of numbers (bugs-common.ts's definitions of when a task left New, was
  // closed and fixed, in SQL), packed into one string (packed.ts) and read without a record object
  // or a string each: about 37,000 on the bench store.
  const code = (column: string, values: readonly string[]) =>
    sql<string>`case ${sql.ref(column)} ${sql.join(
      values.map((v, i) => sql`when ${v} then ${sql.lit(i)}`),
      sql` `,
    )} else -1 end`;
  const isOpen = sql<boolean>`${sql.ref('t.status')} in (${sql.join(OPEN_STATUSES)})`;
  const closedAt = sql<number>`case when ${isOpen} then null else coalesce(${sql.ref('t.date_fix_committed')}, ${sql.ref('t.date_fix_released')}, ${sql.ref('t.date_closed')}, ${sql.ref('t.date_created')}) end`;
  const leftNewAt = sql<number>`case when ${sql.ref('t.status')} = 'New' then null else coalesce(${sql.ref('t.date_left_new')}, ${closedAt}) end`;
  const fixed = sql<string>`case when coalesce(${sql.ref('t.date_fix_committed')}, ${sql.ref('t.date_fix_released')}) is null then 0 else 1 end`;
  // On SQLite, projects that hold every stored task filter nothing and are left out: SQLite then
  // reads the tasks in their table's order instead of each through the (project, status) index
  // (about a third less CPU for the 50,000 tasks of the bench store). The probe reads that index alone.
  const statesProjects = (
    engine === 'sqlite' && projects.length
      ? await db.selectFrom('lp_bug_tasks').select('project').where('project', 'not in', projects).limit(1).executeTakeFirst()
      : true
  )
    ? projects
    : [];
  const counted = <Q extends SelectQueryBuilder<Database & { t: LpBugTasksTable; b: LpBugsTable }, 't' | 'b', object>>(x: Q): Q =>
    (statesProjects.length ? x.where('t.project', 'in', statesProjects) : x)
      .where('t.series', 'is', null)
      .where('b.duplicate_of', 'is', null)
      .where('t.date_created', '<=', now) as Q;
  // The open tasks whose bug has tags (the areas), in the same pass: its code, type, importance,
  // creation and tags (last: tags hold no record separator, see below).
  const tagged = sql<string>`case when ${isOpen} and ${sql.ref('b.tags')} <> '' then ${concatRecord(['b.information_type', 't.importance', 't.date_created', 'b.tags'])} end`;
  const q = counted(
    db
      .selectFrom('lp_bug_tasks as t')
      .leftJoin('lp_bugs as b', 'b.id', 't.bug')
      .select([
        AGGREGATE[engine](
          concatRecord([
            't.bug',
            code('t.status', BUG_STATUSES),
            code('t.importance', BUG_IMPORTANCES),
            sql<string>`coalesce(${code('b.information_type', INFORMATION_TYPES)}, -1)`,
            't.date_created',
            sql<string>`coalesce(${leftNewAt}, -1)`,
            sql<string>`coalesce(${closedAt}, -1)`,
            fixed,
          ]),
        ).as('packed'),
        AGGREGATE[engine](tagged).as('tagged'),
      ]),
  )
    // A closed task none of whose dates is after `since` counts nowhere in the report: left out.
    .where((eb) =>
      eb.or([
        eb('t.status', 'in', OPEN_STATUSES),
        eb('t.date_created', '>=', since),
        eb('t.date_fix_committed', '>=', since),
        eb('t.date_fix_released', '>=', since),
        eb('t.date_closed', '>=', since),
      ]),
    );
  const readStates = async () => {
    const rows = await q.execute();
    // In no order: the backlog only counts them (ordering 37,000 rows cost more than reading them).
    const [bug, status, importance, informationType, created, leftNew, closed, fixedCol] = unpackIntegers(rows, 8);
    const states: BacklogStates = {
      bug: bug!,
      status: status!,
      importance: importance!,
      informationType: informationType!,
      created: created!,
      leftNewAt: leftNew!,
      closedAt: closed!,
      fixed: fixedCol!,
    };
    // Grouped by tags, type and importance. Launchpad's tags are lowercase words: a tags string with
    // a record separator (none in practice) would be cut, as every packed read's last field.
    const groups = new Map<string, BacklogTagGroup[]>();
    const openTags: BacklogTagGroup[] = [];
    unpack(
      rows.map((r) => ({ packed: r.tagged })),
      4,
      (f) => {
        const tags = f.str(3);
        const type = f.str(0, INFORMATION_TYPES) as InformationType;
        const importance = f.str(1, BUG_IMPORTANCES) as BugImportance;
        let list = groups.get(tags);
        if (!list) groups.set(tags, (list = []));
        let g = list.find((x) => x.informationType === type && x.importance === importance);
        if (!g) {
          list.push((g = { tags, informationType: type, importance, created: [] }));
          openTags.push(g);
        }
        g.created.push(f.num(2));
      },
    );
    return { states, openTags };
  };
  // The full records of the bugs the lists may name, with the changes naming them.
  const readListed = async (listed: Iterable<number>) => {
    const bugNumbers = [...listed].sort((a, b) => a - b);
    const [tasks, bugs, changes] = await reads(engine, [
      () => loadTasks(db, projects, bugNumbers, engine),
      () => loadBugs(db, bugNumbers, engine),
      // Not Related-Bug: the lists read no related change (about a quarter of the bench store's links).
      () => loadChangeRefs(db, bugNumbers, ['closes-bug', 'partial-bug', 'topic-bug'], engine),
    ] as const);
    return { tasks, bugs, changes };
  };
  // The projects with a task that counts: one probe each, which stops at the first such task
  // (a distinct over every task read them all).
  const readProjects = async () => {
    const candidates = projects.length
      ? [...new Set(projects)]
      : (await db.selectFrom('lp_bug_tasks').select('project').distinct().execute()).map((r) => r.project);
    const projectNames: string[] = [];
    for (const project of candidates) {
      const hit = await db
        .selectFrom('lp_bug_tasks as t')
        .leftJoin('lp_bugs as b', 'b.id', 't.bug')
        .select('t.bug')
        .where('t.project', '=', project)
        .where('t.series', 'is', null)
        .where('b.duplicate_of', 'is', null)
        .where('t.date_created', '<=', now)
        .limit(1)
        .executeTakeFirst();
      if (hit) projectNames.push(project);
    }
    return projectNames.sort();
  };
  // Open bugs a merged change closes (Closes-Bug, a bug/N topic). Its merge time is not asked
  // here: a merged change without one lists a bug the analysis then leaves out (it reads only fixes
  // with a merge time), and without that column PostgreSQL finds the merged changes in the
  // changes_flow index alone instead of reading 69,000 rows of the changes table (bench store).
  const mergedFix = sql`l.kind in (${sql.join(['closes-bug', 'topic-bug'])})`;
  if (engine === 'postgres') {
    // On PostgreSQL the lists' bugs are found apart from the states, on another of the pool's
    // connections while the states are read: the In Progress bugs and the open bugs with a merged
    // fix, of the open project tasks (duplicates and tasks filed after `now` too, which the
    // analysis leaves out of its lists: the same lists). The links of the fix's kinds are hashed
    // against the open tasks' bug numbers (as text, the links' target: joined by number PostgreSQL
    // sorted both sides by text) and each link found is then looked up by the change's primary key
    // (a lateral sub-query with a limit, run per link: joined, it hashed all 69,000 merged changes
    // of the bench store for its 4,600 links).
    const inProjects = projects.length ? sql` and t.project in (${sql.join(projects)})` : sql``;
    const readListedBugs = async () =>
      (
        await sql<{ bug: string }>`select l.target as bug from links as l
          inner join lateral (select 1 as one from changes as c where c.id = l.change_id and c.status = 'MERGED' limit 1) as c on true
          where ${mergedFix} and l.target in (select cast(t.bug as text) from lp_bug_tasks as t
            where t.series is null and t.status in (${sql.join(OPEN_STATUSES)})${inProjects})
          union select cast(t.bug as text) from lp_bug_tasks as t where t.series is null and t.status = 'In Progress'${inProjects}`.execute(
          db,
        )
      ).rows.map((r) => Number(r.bug));
    const [{ states, openTags }, listed, projectNames] = await Promise.all([
      readStates(),
      readListedBugs().then(readListed),
      readProjects(),
    ]);
    return { projects: projectNames, states, openTags, listed };
  }
  const { states, openTags } = await readStates();
  const listed = new Set<number>();
  const IN_PROGRESS = BUG_STATUSES.indexOf('In Progress');
  for (let k = 0; k < states.bug.length; k++) if (states.status[k] === IN_PROGRESS) listed.add(states.bug[k]!);
  // On SQLite the merged change is read from the changes_flow index (status, id, …), after the
  // links (CROSS JOIN keeps that order): by primary key it read each linked change's wide row.
  // Each task's links are found by target alone, their kind checked on the row (the unary +): with
  // the kinds in the (target, kind) index's look-up SQLite sought once per kind and task (about a
  // quarter less of the statement's CPU on the bench store, 32 -> 24 ms). Projects that hold every
  // stored task are left out as in the states: SQLite then walks the tasks in bug order, the
  // distinct without a temporary B-tree (24 -> 21 ms).
  const fixes = await sql<{ bug: number }>`select distinct t.bug from lp_bug_tasks as t
    inner join links as l on l.target = cast(t.bug as text)
    cross join changes as c indexed by changes_flow on c.status = 'MERGED' and c.id = l.change_id
    where t.series is null and t.status in (${sql.join(OPEN_STATUSES)})
      and +l.kind in (${sql.join(['closes-bug', 'topic-bug'])})${statesProjects.length ? sql` and t.project in (${sql.join(statesProjects)})` : sql``}`.execute(
    db,
  );
  for (const r of fixes.rows) listed.add(Number(r.bug));
  const listedData = await readListed(listed);
  return { projects: await readProjects(), states, openTags, listed: listedData };
}

/**
 * What the rota reads of the bugs `bugs` (analysis/bugs-rota.ts): their project tasks on `projects`
 * (all when empty), duplicates left out, each as its importance, when it last left a closed status
 * and whether its bug is restricted — four columns packed, not whole task and bug records. The same
 * as rotaBugTasksFrom over loadBugData (a test holds them equal).
 *
 * @example await loadRotaBugs(store.db, store.engine, ['nova'], [1234, 5678])
 */
export async function loadRotaBugs(
  db: Kysely<Database>,
  engine: EngineName,
  projects: readonly string[],
  bugs: readonly number[],
): Promise<RotaBugTask[]> {
  const out: RotaBugTask[] = [];
  const inProjects = new Set(projects);
  const known = [...inProjects];
  for (const part of bugChunks(engine, [...new Set(bugs)])) {
    const rows = await db
      .selectFrom('lp_bug_tasks as t')
      .leftJoin('lp_bugs as b', 'b.id', 't.bug')
      .select(
        pack(engine, [
          't.bug',
          't.importance',
          't.date_left_closed?',
          sql<string>`coalesce(${sql.ref('b.information_type')}, 'Public')`,
          't.project',
        ]).as('packed'),
      )
      .where(bugIn(engine, 't.bug', part))
      .where('t.series', 'is', null)
      .where('b.duplicate_of', 'is', null)
      .execute();
    // The projects are filtered here, as loadTasks does (SQLite chose the project index otherwise).
    unpack(rows, 5, (f) => {
      if (projects.length && !inProjects.has(f.str(4, known))) return;
      out.push({
        bug: f.num(0),
        importance: f.str(1, BUG_IMPORTANCES) as BugImportance,
        leftClosed: f.nullableNum(2),
        restricted: !f.is(3, 'Public'),
      });
    });
  }
  return out;
}

/**
 * What `bugs targets` reads (analysis/bugs-targets.ts) for `projects` (all when empty):
 * - the open project tasks of `highImportances`, their bug records and those of the bugs that are
 *   duplicates of them, and the changes naming them (not Related-Bug);
 * - who fixed bugs of each tag, counted from two narrow reads (not whole records): per bug's tags
 *   and owner's name, the closed project tasks filed by `now` and fixed (Fix Committed, else Fix
 *   Released) within `fixersDays` before it, whose bug a merged change of that owner names
 *   (Closes-Bug, Partial-Bug, a bug/N topic: a link target that is the bug number's own text) —
 *   once per task and name, as targetsDataFrom counts in memory (a test holds them equal).
 *
 * On PostgreSQL the independent reads run at once on the pool's connections (reads).
 *
 * @example await loadTargetsData(store.db, ['nova'], { now, highImportances: ['Critical', 'High'], fixersDays: 730 }, store.engine)
 */
export async function loadTargetsData(
  db: Kysely<Database>,
  projects: readonly string[],
  o: { now: number; highImportances: readonly BugImportance[]; fixersDays: number },
  engine: EngineName,
): Promise<TargetsData> {
  // The candidates: the high bugs, then their tasks, their and their duplicates' records and the
  // changes naming them (reads), beside the fixers' count below on PostgreSQL (reads).
  const readCandidates = async () => {
    let hq = db
      .selectFrom('lp_bug_tasks')
      .select('bug')
      .distinct()
      .where('series', 'is', null)
      .where('status', 'in', OPEN_STATUSES)
      .where('importance', 'in', o.highImportances.length ? o.highImportances : ['-'])
      .where('date_created', '<=', o.now);
    if (projects.length) hq = hq.where('project', 'in', projects);
    const high = (await hq.execute()).map((r) => Number(r.bug)).sort((a, b) => a - b);
    const [tasks, bugs, changes] = await reads(engine, [
      async () => (await loadTasks(db, projects, high, engine)).filter((t) => t.series === null),
      async () => {
        const dupIds: number[] = [];
        for (const part of bugChunks(engine, high))
          for (const r of await db
            .selectFrom('lp_bugs')
            .select('id')
            .where(bugIn(engine, 'duplicate_of', part))
            .execute())
            dupIds.push(Number(r.id));
        return loadBugs(db, [...high, ...dupIds], engine);
      },
      () => loadChangeRefs(db, high, ['closes-bug', 'partial-bug', 'topic-bug'], engine),
    ] as const);
    return { tasks, bugs, changes };
  };

  // Who fixed bugs of each tag, in two reads joined here: the fixed project tasks' bugs and tags,
  // and the bug and owner of every merged change of the fix's kinds (both packed). As one
  // statement (tasks → bugs → links → changes, distinct per task and owner, grouped in SQL) the
  // server joined the links to the tasks by text — PostgreSQL sorted both sides, SQLite looked each
  // task's links up — and hashed the 25,000 pairs: on the bench store about 125 ms of PostgreSQL's
  // CPU and 105 ms of SQLite's, against 20 + 40 and 18 + 33 ms for the two reads (PostgreSQL
  // runs them at once). On SQLite the merged change and its owner are read from the changes_flow
  // index (status, id, …, owner_id, …) after the link (CROSS JOIN keeps that order): by primary
  // key SQLite read each linked change's wide row. PostgreSQL already reads changes_flow alone.
  const changesJoin =
    engine === 'postgres'
      ? sql`inner join changes as c on c.id = l.change_id`
      : sql`cross join changes as c indexed by changes_flow on c.status = 'MERGED' and c.id = l.change_id`;
  const readFixers = async (): Promise<TagFixer[]> => {
    const [taskRows, linkRows] = await reads(engine, [
      async () =>
        (
          await sql<{ packed: string | null }>`select ${AGGREGATE[engine](concatRecord(['t.bug', 'b.tags']))} as packed
          from lp_bug_tasks as t
          inner join lp_bugs as b on b.id = t.bug
          where t.series is null and b.duplicate_of is null and b.tags <> ''
            and t.status in (${sql.join(CLOSED_STATUSES)})
            and t.date_created <= ${o.now}
            and coalesce(t.date_fix_committed, t.date_fix_released) >= ${o.now - o.fixersDays * DAY_MS}${
              projects.length ? sql` and t.project in (${sql.join(projects)})` : sql``
            }`.execute(db)
        ).rows,
      async () =>
        (
          await sql<{ packed: string | null }>`select ${AGGREGATE[engine](concatRecord(['l.target', 'c.owner_id']))} as packed
          from links as l ${changesJoin}
          where l.kind in (${sql.join(['closes-bug', 'partial-bug', 'topic-bug'])}) and c.status = 'MERGED'`.execute(db)
        ).rows,
    ] as const);
    // The fixed tasks per bug (tags last: they hold no separator, see loadBacklogData), each bug
    // with a dense index and its tags' index: the pairs below are counted under numbers, not
    // strings built and hashed per pair (on the bench store 36,000 pairs, 9,500 counts).
    const tagList: string[] = [];
    const tagIndex = new Map<string, number>();
    const fixedBugs = new Map<number, { index: number; tag: number; tasks: number }>();
    unpack(taskRows, 2, (f) => {
      const bug = f.num(0);
      const b = fixedBugs.get(bug);
      if (b) {
        b.tasks++;
        return;
      }
      const tags = f.str(1);
      let tag = tagIndex.get(tags);
      if (tag === undefined) tagIndex.set(tags, (tag = tagList.push(tags) - 1));
      fixedBugs.set(bug, { index: fixedBugs.size, tag, tasks: 1 });
    });
    // The merged changes' (bug, owner) of those bugs: a target names a bug as the SQL join did,
    // the bug number's own decimal text.
    const linkBugs: number[] = [];
    const linkOwners: number[] = [];
    unpack(linkRows, 2, (f) => {
      const bug = canonicalInteger(f, 0);
      if (bug === null || !fixedBugs.has(bug)) return;
      linkBugs.push(bug);
      linkOwners.push(f.num(1));
    });
    // The owners' names (username, else name; none or empty: not counted), each name once.
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    const ownerName = new Map<number, number>();
    const owners = [...new Set(linkOwners)];
    if (owners.length)
      for (const a of await db.selectFrom('accounts').select(['id', 'username', 'name']).where(ID_LIST[engine]('id', owners)).execute()) {
        const name = a.username ?? a.name;
        if (!name) continue;
        let k = nameIndex.get(name);
        if (k === undefined) nameIndex.set(name, (k = names.push(name) - 1));
        ownerName.set(Number(a.id), k);
      }
    // Once per task and name: a bug's tasks once per name among its merged changes' owners.
    const W = names.length;
    const seen = new Set<number>();
    const counts = new Map<number, number>();
    for (let k = 0; k < linkBugs.length; k++) {
      const w = ownerName.get(linkOwners[k]!);
      if (w === undefined) continue;
      const b = fixedBugs.get(linkBugs[k]!)!;
      const pair = b.index * W + w;
      if (seen.has(pair)) continue;
      seen.add(pair);
      const key = b.tag * W + w;
      counts.set(key, (counts.get(key) ?? 0) + b.tasks);
    }
    // Ordered as localeCompare orders (COLLATE): by name, then tags. Each distinct name and tags
    // ranked once, strings the collator holds equal ranked equal, so the sort compares numbers
    // in the same order (9,500 rows on the bench store: 130,000 collator calls otherwise).
    const rank = (xs: readonly string[]) => {
      const order = xs.map((_, i) => i).sort((i, j) => collate(xs[i]!, xs[j]!));
      const r = new Int32Array(xs.length);
      order.forEach((i, k) => (r[i] = k > 0 && collate(xs[order[k - 1]!]!, xs[i]!) === 0 ? r[order[k - 1]!]! : k));
      return r;
    };
    const nameRank = rank(names);
    const tagRank = rank(tagList);
    return [...counts.keys()]
      .sort((x, y) => nameRank[x % W]! - nameRank[y % W]! || tagRank[Math.floor(x / W)]! - tagRank[Math.floor(y / W)]!)
      .map((key) => ({ tags: tagList[Math.floor(key / W)]!.split(' '), who: names[key % W]!, fixes: counts.get(key)! }));
  };
  const [candidates, fixers] = await reads(engine, [readCandidates, readFixers] as const);
  return { candidates, fixers };
}

/** Stored row counts, for `bugs sync` summaries and `db info`. */
export async function countLaunchpadRows(db: Kysely<Database>): Promise<{ tasks: number; bugs: number; blueprints: number }> {
  const c = async (t: 'lp_bug_tasks' | 'lp_bugs' | 'lp_blueprints') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { tasks: await c('lp_bug_tasks'), bugs: await c('lp_bugs'), blueprints: await c('lp_blueprints') };
}

/**
 * The stored blueprints (`steward bugs sync` from all_specifications) of `projects` (empty: all),
 * by project and name; only those whose series goal is `series` when given.
 *
 * @example await loadBlueprints(store.db, { projects: ['nova'], series: 'zed' })
 */
export async function loadBlueprints(
  db: Kysely<Database>,
  o: { projects: readonly string[]; series?: string | null },
): Promise<Blueprint[]> {
  let q = db.selectFrom('lp_blueprints').selectAll();
  if (o.projects.length) q = q.where('project', 'in', [...o.projects]);
  const rows = (await q.orderBy('project').orderBy('name').execute()).map(blueprintFromRow);
  return o.series ? rows.filter((b) => b.seriesGoal === o.series) : rows;
}

// In SQLite a unary + keeps the status out of the index choice for the merged changes of the
// window: with it, the planner read every merged change through changes_flow (status, …) and
// checked its merge time in the table; without, it reads the window's through changes_merged_at
// (on the bench store 18,000 rows instead of about 80,000). PostgreSQL plans from its statistics.
const STATUS_NOT_INDEXED: Record<EngineName, RawBuilder<string>> = {
  sqlite: sql<string>`+${sql.ref('c.status')}`,
  postgres: sql<string>`${sql.ref('c.status')}`,
};

// Change ids per IN list in the rota's reads: a few queries over the window's 20,000 changes
// rather than forty (both engines take 5,000 bound parameters; SQLite up to 32,766, PostgreSQL 65,535).
const ROTA_CHUNK = 5000;

/**
 * What the rota report reads (issue 15): Gerrit changes merged since `since`, and open ones with a
 * delta ≤ `maxLines` (small ones, with files, the trivial tag and their approver), the bugs each names,
 * and the reviewing acts of the rota `members` (Gerrit usernames) since `reviewsSince` (their accounts too).
 *
 * @example await loadRotaData(store.db, store.engine, { since, reviewsSince, maxLines: 30, tag: 'TrivialFix', members: ['alice'] })
 */
export async function loadRotaData(
  db: Kysely<Database>,
  engine: EngineName,
  o: {
    since: number;
    reviewsSince: number;
    maxLines: number;
    tag: string;
    members: readonly string[];
    projects?: readonly string[];
    /** The trivial path's never-paths: read only the files under them (default: every file of the small changes). */
    neverPaths?: readonly string[];
    /**
     * The report's time: with it, the merged changes of the window larger than `maxLines` are counted
     * in SQL (RotaData.large: merged by `until`, naming a bug, naming a bug that left a closed status
     * later, its tasks on `lpProjects`), not listed — except reverts and the changes they revert.
     */
    until?: number;
    /** The first merge time counted with `until` (the report's first week; default `since`). */
    from?: number;
    /** The Launchpad projects whose tasks say whether a bug reopened (empty: all). */
    lpProjects?: readonly string[];
    /**
     * Called on PostgreSQL with the bugs the changes name, in order, as soon as they are known (the
     * rest still being read), so that their tasks (loadRotaBugs) can be read side by side.
     */
    onBugs?: (bugs: readonly number[]) => void;
  },
): Promise<RotaData> {
  // Packed into one string (packed.ts): about 22,000 changes on the bench store, where a row object
  // each cost twice the read. The subject is the record's last field, so only a record separator in
  // it could cut the record: such a subject (none in practice) is read apart, by id.
  const rsInSubject =
    engine === 'postgres'
      ? sql<boolean>`strpos(${sql.ref('c.subject')}, ${RS}) > 0`
      : sql<boolean>`instr(${sql.ref('c.subject')}, ${RS}) > 0`;
  const deltaSql = sql<number>`${sql.ref('c.insertions')} + ${sql.ref('c.deletions')}`;
  // The trivial tag's line is tested on the small changes' commit messages that hold its text at all
  // (found in SQL, case-insensitively as the line is). On SQLite the window's record tells which (the
  // row at hand, not each of the 9,000 small changes looked up again by id: the tag's read 13–35 →
  // 2.5–11 ms, the window's +10 ms) and only those messages are read. On PostgreSQL the look-up
  // stays (ILIKE) beside the other reads: in the window the test cost about what the look-ups save
  // (the window 30 → 52 ms, the tag's read 32 → 3 ms, min of 9), on the path every other read waits
  // for. A tag with characters beyond ASCII is tested on every small change's message (SQLite
  // folds the case of ASCII only).
  const likeTag = /^[\x20-\x7e]+$/.test(o.tag) ? `%${o.tag.replace(/[\\%_]/g, '\\$&')}%` : null;
  const tagLike = (column: RawBuilder<string>) =>
    sql<boolean>`${column} ${sql.raw(engine === 'postgres' ? 'ilike' : 'like')} ${likeTag} escape '\\'`;
  const tagInWindow = engine === 'sqlite' && likeTag !== null;
  const holdsTag = tagInWindow
    ? sql<string>`case when ${deltaSql} <= ${o.maxLines} and ${tagLike(sql.ref('c.commit_message'))} then '1' else '0' end`
    : sql<string>`case when ${deltaSql} <= ${o.maxLines} then '1' else '0' end`;
  // The record alone too, for the window's one pass below; its tag field as an expression, or (the
  // window on PostgreSQL) the column its parts computed it into.
  const recordOf = (tagField: RawBuilder<string>) =>
    packRecord([
      // The window's columns but its subject (last, below), the merge time empty when null.
      ...WINDOW_COLUMNS.filter((c) => c !== 'c.subject').map((c) => (c === 'c.merged_at' ? 'c.merged_at?' : c)),
      tagField,
      sql<string>`case when ${rsInSubject} then '1' else '0' end`,
      sql<string>`case when ${rsInSubject} then '' else ${sql.ref('c.subject')} end`,
    ]);
  const packedRecord = recordOf(holdsTag);
  const packed = AGGREGATE[engine](packedRecord).as('packed');
  // Open changes only when small enough for the trivial path (the queue): the report reads no other.
  const smallOpen = (eb: ExpressionBuilder<{ c: Database['changes'] }, 'c'>) =>
    eb.and([eb('c.status', '=', 'NEW'), eb(sql<number>`${sql.ref('c.insertions')} + ${sql.ref('c.deletions')}`, '<=', o.maxLines)]);
  const inProjects = <Q extends SelectQueryBuilder<{ c: Database['changes'] }, 'c', object>>(x: Q): Q =>
    o.projects?.length ? (x.where('c.project', 'in', o.projects) as Q) : x;
  const summarize = o.until !== undefined;
  // With `until`, the window's merged changes too large for the trivial path (and no revert) are not
  // listed but counted in the same pass (one walk over the window's rows, not two): each merged
  // from `from` to `until`, whether it names a bug (as the listed ones' numeric targets), and whether
  // one of its bugs' project tasks left a closed status after it merged, packed as (id, 0/1, 0/1).
  // A link's target is a bug number (the links' rule: digits only, at most 15), the bug it names,
  // and a task of that bug that left a closed status after the change merged (a reopened bug: the
  // project's own task, not a duplicate's): written once, for the EXISTS below and PostgreSQL's
  // lateral read of the window's large changes.
  const numericTarget =
    engine === 'postgres'
      ? sql`l.target ~ '^[0-9]{1,15}$'`
      : sql`l.target <> '' and l.target not glob '*[^0-9]*' and length(l.target) <= 15`;
  const targetBug = sql`case when ${numericTarget} then cast(l.target as ${sql.raw(engine === 'postgres' ? 'bigint' : 'integer')}) end`;
  const lp = o.lpProjects ?? [];
  const reopenedTask = sql`t.series is null and b.duplicate_of is null and t.date_left_closed > c.merged_at${
    // On SQLite a unary + keeps the (project, status) index out: the tasks are found by bug.
    lp.length ? sql` and ${sql.raw(engine === 'postgres' ? '' : '+')}t.project in (${sql.join(lp)})` : sql``
  }`;
  // A change's links of some kinds: on SQLite a unary + keeps the kind out of the links' (change_id,
  // kind, …) index, which SQLite otherwise entered once per kind listed (three seeks a change
  // instead of one; a change has a link or two): on the bench store the window's read 77–125 →
  // 60–81 ms and its links' 11–24 → 7.5–10 ms (min of 9, better-sqlite3, load 7–9).
  const linkKind = sql.raw(engine === 'sqlite' ? '+l.kind' : 'l.kind');
  const bugLink = (kinds: readonly string[]) =>
    sql<boolean>`exists (select 1 from links l where l.change_id = c.id and ${linkKind} in (${sql.join(kinds)}) and ${numericTarget})`;
  const reopened = sql<boolean>`exists (select 1 from links l join lp_bug_tasks t on t.bug = ${targetBug} left join lp_bugs b on b.id = t.bug where l.change_id = c.id and ${linkKind} in (${sql.join(RAW_BUG_KINDS)}) and ${reopenedTask})`;
  const isListed = sql<boolean>`(${sql.ref('c.status')} <> 'MERGED' or ${deltaSql} <= ${o.maxLines} or ${sql.ref('c.subject')} like 'Revert "%')`;
  const largeRecord = sql<string>`case when not ${isListed} and ${sql.ref('c.merged_at')} >= ${o.from ?? o.since} and ${sql.ref('c.merged_at')} <= ${o.until ?? 0} then ${packRecord(
    [
      'c.id',
      sql<string>`case when ${bugLink(RAW_BUG_KINDS)} then '1' else '0' end`,
      sql<string>`case when ${reopened} then '1' else '0' end`,
    ],
  )} end`;
  // On PostgreSQL the window reads the listed changes only and the count is a statement of its own:
  // in one pass its plan's cost (the two look-ups estimated for every row of the window) crossed
  // the server's JIT threshold, and compiling cost more than the second walk saves (about 250 ms).
  const onePass = summarize && engine === 'sqlite';
  const listedMerged = (eb: ExpressionBuilder<{ c: Database['changes'] }, 'c'>) =>
    summarize && !onePass ? eb.or([eb(deltaSql, '<=', o.maxLines), eb('c.subject', 'like', 'Revert "%')]) : eb.lit(true);
  const windowSelect = onePass
    ? [
        AGGREGATE[engine](sql<string>`case when ${isListed} then ${packedRecord} end`).as('packed'),
        AGGREGATE[engine](largeRecord).as('large'),
      ]
    : [packed];
  const window =
    engine === 'postgres'
      ? // The two parts apart, each through its index (status; merged_at): with their OR PostgreSQL
        // read the whole table (about 130 ms of the server's on the bench store, in a scan that
        // never stays in its buffers), apart about 30 ms.
        db
          .selectFrom(
            inProjects(
              db
                .selectFrom('changes as c')
                .select([...WINDOW_COLUMNS, holdsTag.as('holds_tag')])
                .where(smallOpen),
            )
              .unionAll(
                inProjects(
                  db
                    .selectFrom('changes as c')
                    .select([...WINDOW_COLUMNS, holdsTag.as('holds_tag')])
                    .where('c.status', '=', 'MERGED')
                    .where('c.merged_at', '>=', o.since)
                    .where(listedMerged),
                ),
              )
              .as('c'),
          )
          // The tag's field computed in the parts (a test of the message there would not carry the
          // message through the union for every row: that doubled the statement's time).
          .select(AGGREGATE[engine](recordOf(sql<string>`${sql.ref('c.holds_tag')}`)).as('packed'))
      : inProjects(
          db
            .selectFrom('changes as c')
            .select(windowSelect)
            .where((eb) =>
              eb.or([smallOpen(eb), eb.and([eb(STATUS_NOT_INDEXED[engine], '=', 'MERGED'), eb('c.merged_at', '>=', o.since)])]),
            ),
        );
  const byId = new Map<number, RotaChange>();
  const ownerOf = new Map<number, number>();
  const cut: number[] = [];
  /** The small changes whose commit message holds the trivial tag's text. */
  const holdTag: number[] = [];
  const hosts: string[] = [];
  const projectNames: string[] = [];
  const readRows = (rows: Array<{ packed: string | null }>) =>
    unpack(rows, 14, (f) => {
      const id = f.num(0);
      const host = f.str(1, hosts);
      if (!hosts.includes(host)) hosts.push(host);
      const project = f.str(3, projectNames);
      if (!projectNames.includes(project)) projectNames.push(project);
      if (f.is(12, '1')) cut.push(id);
      if (f.is(11, '1')) holdTag.push(id);
      ownerOf.set(id, f.num(6));
      byId.set(id, {
        host,
        number: f.num(2),
        project,
        subject: f.str(13),
        status: f.str(4, CHANGE_STATUSES),
        wip: f.num(5) === 1,
        owner: null,
        created: f.num(7),
        mergedAt: f.nullableNum(8),
        delta: f.num(9) + f.num(10),
        bugs: [],
        files: [],
        tagged: false,
        approver: null,
      });
    });
  // The changes merged since `since` too large for the trivial path, as the window leaves them out.
  const mergedLarge = <Q extends SelectQueryBuilder<{ c: Database['changes'] }, 'c', object>>(x: Q): Q =>
    inProjects(
      x.where(STATUS_NOT_INDEXED[engine], '=', 'MERGED').where('c.merged_at', '>=', o.since).where(deltaSql, '>', o.maxLines) as Q,
    );
  /**
   * (PostgreSQL, with `until`.) The window's large merged changes counted (all, or those of `only`):
   * each change's bug links read once, in a lateral sub-query that tells both (names a bug: a
   * numeric target; reopened: one of those bugs' tasks left a closed status after the merge), as
   * bugLink and reopened define them: the two EXISTS walked the links twice (about a sixth of the
   * statement's server CPU on the bench store).
   */
  const countLarge = async (only?: readonly number[]): Promise<NonNullable<RotaData['large']>> => {
    const linksOf = sql<{ fix: boolean | null; reopened: boolean | null }>`(select bool_or(${numericTarget}) as fix, bool_or(exists (
        select 1 from lp_bug_tasks t left join lp_bugs b on b.id = t.bug where t.bug = ${targetBug} and ${reopenedTask})) as reopened
        from links l where l.change_id = c.id and l.kind in (${sql.join(RAW_BUG_KINDS)}))`.as('x');
    let lq = mergedLarge(
      db
        .selectFrom('changes as c')
        .leftJoinLateral(linksOf, (j) => j.onTrue())
        .select([
          sql<number | string>`count(*)`.as('merged'),
          sql<number | string | null>`sum(case when ${sql.ref('x.fix')} then 1 else 0 end)`.as('fixes'),
          sql<number | string | null>`sum(case when ${sql.ref('x.reopened')} then 1 else 0 end)`.as('reopened'),
        ]),
    )
      .where('c.merged_at', '>=', o.from ?? o.since)
      .where('c.merged_at', '<=', o.until!)
      .where('c.subject', 'not like', 'Revert "%');
    if (only) lq = lq.where('c.id', 'in', only);
    const n = await lq.executeTakeFirstOrThrow();
    return { merged: Number(n.merged), bugFixes: Number(n.fixes ?? 0), reopened: Number(n.reopened ?? 0) };
  };
  // The members' accounts, then their reviewing acts of the window on changes they do not own —
  // votes that are not copies, through the (copied, granted_at, voter_id, …) index, and comment-only
  // review messages, through the (kind, date, author_id, …) index — for analysis/reviews.ts to group
  // into reviews as every other report does. Their changes' project and owner are added below.
  const readMembers = async () => {
    const accounts: RotaMemberAccount[] = o.members.length
      ? (
          await db
            .selectFrom('accounts')
            .select(['id', 'host', 'gerrit_id', 'username', 'name', 'email'])
            .where('username', 'in', [...o.members])
            .orderBy('id')
            .execute()
        ).map((a) => ({ id: a.id, host: a.host, gerritId: a.gerrit_id, username: a.username!, name: a.name, email: a.email }))
      : [];
    // The acts as columns (no object an act before the acts themselves): act k on change[k], patch
    // set patchSet[k], by actor[k] at at[k]; the first `votes` of them votes of labels[label[k]]
    // and value[k], the others comment-only messages.
    const cols = { change: [] as number[], patchSet: [] as number[], actor: [] as number[], at: [] as number[] };
    const label: number[] = [];
    const value: number[] = [];
    const labels = ['Code-Review', 'Workflow', 'Verified'];
    const read = { accounts, ...cols, label, value, labels, votes: 0 };
    if (!accounts.length) return read;
    const ids = accounts.map((a) => a.id);
    // The votes packed into one string (packed.ts): about 19,000 on the bench store, where a row
    // object each cost more than the read. Read alone, then their changes' project and owner: from
    // the window's changes when there, else looked up by id (joined in SQL, PostgreSQL hashed all
    // 100,000 changes of the bench store for them, about 150 ms of the server's).
    const packedVote = pack(engine, ['v.change_id', 'v.patch_set', 'v.voter_id', 'v.granted_at', 'v.label', 'v.value']).as('packed');
    const vq =
      engine === 'sqlite'
        ? // Each member's votes through votes_voter (migration 0036), the members one after another (a
          // CROSS JOIN keeps SQLite's order): with the members as an IN list, SQLite (no statistics)
          // rated votes_window (copied, granted_at, …) the same and walked all 221,000 votes of the
          // window for the members' 19,000 on the bench store (about 30 ms against 8). The partial
          // index is taken only for its literal condition (`copied = 0`, not a bound value). The
          // order of the votes is not the analysis's concern: analysis/reviews.ts orders acts by time.
          db
            .selectFrom(sql<{ value: number }>`json_each(${JSON.stringify(ids)})`.as('m'))
            .crossJoin('votes as v')
            .select(packedVote)
            .where(sql<boolean>`${sql.ref('v.voter_id')} = ${sql.ref('m.value')} and ${sql.ref('v.copied')} = 0`)
            .where('v.granted_at', '>=', o.reviewsSince)
        : db
            .selectFrom('votes as v')
            .select(packedVote)
            .where('v.copied', '=', 0)
            .where('v.granted_at', '>=', o.reviewsSince)
            .where('v.voter_id', 'in', ids);
    // The comment-only review messages packed, read alone as the votes (joined to the changes in
    // SQL, PostgreSQL ran the 1,200 look-ups in a parallel worker).
    const mq = db
      .selectFrom('messages as m')
      .select(pack(engine, ['m.change_id', 'm.patch_set', 'm.author_id', 'm.date']).as('packed'))
      .where('m.kind', '=', 'comment')
      .where('m.date', '>=', o.reviewsSince)
      .where('m.author_id', 'in', ids)
      .where('m.patch_set', 'is not', null);
    const [voteRows, commentRows] = await Promise.all([vq.execute(), mq.execute()]);
    const add = (f: Fields) => {
      read.change.push(f.num(0));
      read.patchSet.push(f.num(1));
      read.actor.push(f.num(2));
      read.at.push(f.num(3));
    };
    unpack(voteRows, 6, (f) => {
      add(f);
      const name = f.str(4, labels);
      let l = labels.indexOf(name);
      if (l < 0) l = labels.push(name) - 1;
      label.push(l);
      value.push(f.num(5));
    });
    read.votes = read.change.length;
    unpack(commentRows, 4, add);
    return read;
  };
  // On PostgreSQL, reads that do not depend on each other start together, each on its own
  // connection of the pool (the server runs them side by side): the count of the large changes less
  // those the reverts add to the list (counted apart below), and the members' acts. SQLite
  // (better-sqlite3) answers synchronously: its reads run one after another, in the order below.
  const sideBySide = engine === 'postgres';
  const allLarge = summarize && !onePass ? countLarge() : null;
  const members = sideBySide ? readMembers() : null;
  // Awaited later: a failure of the window's read first must not leave them unhandled.
  void allLarge?.catch(() => undefined);
  void members?.catch(() => undefined);
  const windowRows = (await window.execute()) as Array<{ packed: string | null; large?: string | null }>;
  readRows(windowRows);
  /** The window's large merged changes counted (with `until`): id, names a bug (0/1), reopened one (0/1). */
  const largeRows: number[] = [];
  if (onePass)
    unpack(
      windowRows.map((r) => ({ packed: r.large ?? null })),
      3,
      (f) => largeRows.push(f.num(0), f.num(1), f.num(2)),
    );
  // Reverts: merged `Revert "…"` changes, and the change whose patch set is the commit they name;
  // then, with `until`, the large merged changes they revert (by number, else by subject) read too.
  const reverts = await loadRotaReverts(db, byId, o);
  let large: Promise<RotaData['large']> = Promise.resolve(undefined);
  if (summarize) {
    // The listed changes' numbers by host (a string key a change cost more than the look-ups).
    const listedBy = new Map<string, Set<number>>();
    for (const c of byId.values()) {
      const ns = listedBy.get(c.host);
      if (ns) ns.add(c.number);
      else listedBy.set(c.host, new Set([c.number]));
    }
    const listed = (host: string, n: number) => listedBy.get(host)?.has(n) === true;
    const extra: number[] = [];
    // The reverted ones by host and number (the (host, number) index), each host apart.
    const namedBy = new Map<string, Set<number>>();
    for (const r of reverts)
      if (r.reverted && !listed(r.reverted.host, r.reverted.number))
        namedBy.set(r.reverted.host, (namedBy.get(r.reverted.host) ?? new Set()).add(r.reverted.number));
    for (const [host, numbers] of namedBy)
      for (const part of chunks([...numbers], ROTA_CHUNK))
        for (const r of await mergedLarge(
          db.selectFrom('changes as c').select('c.id').where('c.host', '=', host).where('c.number', 'in', part),
        ).execute())
          extra.push(r.id);
    const unresolved = reverts.filter((r) => !r.reverted);
    const keys = new Set(unresolved.map((r) => `${r.host}\u0000${r.project}\u0000${r.subject}`));
    for (const part of chunks([...new Set(unresolved.map((r) => r.subject))], ROTA_CHUNK))
      for (const r of await mergedLarge(
        db.selectFrom('changes as c').select(['c.id', 'c.host', 'c.number', 'c.project', 'c.subject']).where('c.subject', 'in', part),
      ).execute())
        if (keys.has(`${r.host}\u0000${r.project}\u0000${r.subject}`) && !listed(r.host, Number(r.number))) extra.push(r.id);
    const extras = [...new Set(extra)];
    // The others counted, as the window read them: not the reverts listed (as the window's LIKE
    // read them), nor the reverted ones read after.
    if (onePass) {
      const extraSet = new Set(extras);
      const n = { merged: 0, bugFixes: 0, reopened: 0 };
      for (let k = 0; k < largeRows.length; k += 3) {
        if (extraSet.has(largeRows[k]!)) continue;
        n.merged++;
        n.bugFixes += largeRows[k + 1]!;
        n.reopened += largeRows[k + 2]!;
      }
      large = Promise.resolve(n);
    } else {
      // (Here on PostgreSQL only.) All of them counted less the reverted ones' own count, by the same SQL.
      const less = extras.length ? countLarge(extras) : null;
      void less?.catch(() => undefined);
      large = Promise.all([allLarge!, less]).then(([all, x]) =>
        x ? { merged: all.merged - x.merged, bugFixes: all.bugFixes - x.bugFixes, reopened: all.reopened - x.reopened } : all,
      );
    }
    void large.catch(() => undefined);
    for (const part of chunks(extras, ROTA_CHUNK))
      readRows(await db.selectFrom('changes as c').select(packed).where('c.id', 'in', part).execute());
  }
  const ids = [...byId.keys()];
  const small = ids.filter((id) => byId.get(id)!.delta <= o.maxLines);
  const tagLine = new RegExp(`^\\s*${o.tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'im');
  // Ids as one statement takes them: one bound value on both engines (bugIn: with thousands of
  // bound values a statement, binding and planning cost more than the look-ups).
  const idParts = (xs: readonly number[]): Array<readonly number[]> => bugChunks(engine, xs);
  // The window's changes known, what is read of them does not depend on each other either: their
  // cut subjects, owners, bug links, the small ones' commit messages, files and approvers, and the
  // members' acts' changes the window lacks (on PostgreSQL all started at once).
  const cutSubjects = async () => {
    for (const part of chunks(cut, ROTA_CHUNK))
      for (const r of await db.selectFrom('changes').select(['id', 'subject']).where('id', 'in', part).execute())
        byId.get(r.id)!.subject = r.subject;
  };
  // The owners' names, once an account.
  const owners = async () => {
    const ownerIds = [...new Set(ownerOf.values())];
    const ownerName = new Map<number, string | null>();
    for (const part of chunks(ownerIds, ROTA_CHUNK))
      for (const a of await db.selectFrom('accounts').select(['id', 'username', 'name']).where('id', 'in', part).execute())
        ownerName.set(a.id, a.username ?? a.name ?? null);
    for (const [id, c] of byId) c.owner = ownerName.get(ownerOf.get(id)!) ?? null;
  };
  const bugLinks = async () => {
    for (const part of idParts(ids)) {
      const links = await db
        .selectFrom('links as l')
        .select(['l.change_id', 'l.target'])
        .where(bugIn(engine, 'l.change_id', part))
        .where(sql<boolean>`${linkKind} in (${sql.join(RAW_BUG_KINDS)})`)
        .execute();
      for (const l of links) {
        const c = byId.get(l.change_id)!;
        const n = Number(l.target);
        if (Number.isSafeInteger(n) && !c.bugs.includes(n)) c.bugs.push(n);
      }
    }
    if (sideBySide && o.onBugs) {
      const named = new Set<number>();
      for (const c of byId.values()) for (const b of c.bugs) named.add(b);
      o.onBugs([...named].sort((x, y) => x - y));
    }
  };
  const tagged = async (part: readonly number[]) => {
    let mq = db
      .selectFrom('changes')
      .select(['id', 'commit_message'])
      .where(bugIn(engine, 'id', part));
    if (likeTag && !tagInWindow) mq = mq.where(tagLike(sql.ref('commit_message')));
    const rows = await mq.execute();
    for (const m of rows) byId.get(m.id)!.tagged = tagLine.test(m.commit_message);
  };
  // The files packed (path last; a path holding the record separator read apart): with
  // `neverPaths`, only the files under them (none when it is empty, as by default), the only
  // files the trivial test looks at.
  const files = async (part: readonly number[]) => {
    const cutFiles: number[] = [];
    const rsInPath =
      engine === 'postgres' ? sql<boolean>`strpos(${sql.ref('path')}, ${RS}) > 0` : sql<boolean>`instr(${sql.ref('path')}, ${RS}) > 0`;
    const underNever = o.neverPaths
      ? sql<boolean>`(${sql.join(
          o.neverPaths.length
            ? o.neverPaths.map(
                (p) =>
                  sql`${sql.raw(engine === 'postgres' ? 'left' : 'substr')}(${sql.ref('path')}, ${sql.raw(engine === 'postgres' ? '' : '1, ')}length(cast(${p} as text))) = ${p}`,
              )
            : [sql`1 = 0`],
          sql` or `,
        )})`
      : null;
    if (!o.neverPaths || o.neverPaths.length) {
      let fq = db
        .selectFrom('change_files')
        .select(
          pack(engine, [
            'change_id',
            sql<string>`case when ${rsInPath} then '1' else '0' end`,
            sql<string>`case when ${rsInPath} then '' else ${sql.ref('path')} end`,
          ]).as('packed'),
        )
        .where(bugIn(engine, 'change_id', part));
      if (underNever) fq = fq.where(underNever);
      unpack(await fq.execute(), 3, (f) => {
        if (f.is(1, '1')) cutFiles.push(f.num(0));
        else byId.get(f.num(0))!.files.push(f.str(2));
      });
    }
    if (cutFiles.length) {
      let cq = db
        .selectFrom('change_files')
        .select(['change_id', 'path'])
        .where('change_id', 'in', [...new Set(cutFiles)])
        .where(rsInPath);
      if (underNever) cq = cq.where(underNever);
      for (const f of await cq.execute()) byId.get(f.change_id)!.files.push(f.path);
    }
  };
  /** Change → the account that approved it. */
  const approverOf = new Map<number, number>();
  // The Workflow +1 and Code-Review +2 votes of these changes, by change: the label and value
  // tested as one expression no index holds (with the two columns compared apart, SQLite chose the
  // (label, value) index and read every such vote of the store per chunk, 0.6 s a chunk on the
  // bench store). Merged ones only: the report reads who approved the trivial fixes that merged.
  // Packed (change, voter, time, whether Workflow): the voter of the last Workflow +1, else of the
  // last Code-Review +2, is picked here (a later vote of the same time wins, as in time order).
  const approvals = async (part: readonly number[]) => {
    const merged = part.filter((id) => byId.get(id)!.status === 'MERGED');
    const votes = await db
      .selectFrom('votes as v')
      .select(
        pack(engine, [
          'v.change_id',
          'v.voter_id',
          'v.granted_at',
          sql<string>`case when ${sql.ref('v.label')} = 'Workflow' then '1' else '0' end`,
        ]).as('packed'),
      )
      .where(bugIn(engine, 'v.change_id', merged.length ? merged : [-1]))
      .where(
        engine === 'postgres'
          ? // PostgreSQL finds the votes by change whatever the test: compared apart, no string built a vote.
            (eb) =>
              eb.or([
                eb.and([eb('v.label', '=', 'Workflow'), eb('v.value', '=', 1)]),
                eb.and([eb('v.label', '=', 'Code-Review'), eb('v.value', '=', 2)]),
              ])
          : (eb) => eb(sql<string>`${sql.ref('v.label')} || ':' || ${sql.ref('v.value')}`, 'in', ['Workflow:1', 'Code-Review:2']),
      )
      .execute();
    const lastWorkflow = new Map<number, { at: number; voter: number }>();
    const lastReview = new Map<number, { at: number; voter: number }>();
    unpack(votes, 4, (f) => {
      const change = f.num(0);
      const at = f.num(2);
      const last = f.is(3, '1') ? lastWorkflow : lastReview;
      const prev = last.get(change);
      if (!prev || at >= prev.at) last.set(change, { at, voter: f.num(1) });
    });
    for (const [change, v] of lastReview) if (!lastWorkflow.has(change)) approverOf.set(change, v.voter);
    for (const [change, v] of lastWorkflow) approverOf.set(change, v.voter);
  };
  const smallParts = idParts(small);
  const approvers = async () => {
    await Promise.all(smallParts.map(approvals));
    // The approvers' names, once an account (a vote whose voter has no account is not counted).
    const voterName = new Map<number, string | null>();
    for (const part of chunks([...new Set(approverOf.values())], ROTA_CHUNK))
      for (const a of await db.selectFrom('accounts').select(['id', 'username', 'name']).where('id', 'in', part).execute())
        voterName.set(a.id, a.username ?? a.name ?? null);
    for (const [change, voter] of approverOf) if (voterName.has(voter)) byId.get(change)!.approver = voterName.get(voter)!;
  };
  const acts: ReviewActRecord[] = [];
  let accounts: RotaMemberAccount[] = [];
  const memberActs = async () => {
    const read = await (members ?? readMembers());
    accounts = read.accounts;
    const { change, patchSet, actor, at, label, value, labels } = read;
    // The acts' changes the window lacks, looked up (packed as the window: on the bench store
    // 9,000 changes, where a row object each cost more than the read).
    const missing = new Set<number>();
    for (let k = 0; k < change.length; k++) if (!byId.has(change[k]!)) missing.add(change[k]!);
    const missingOwner = new Map<number, number>();
    const missingProject = new Map<number, string>();
    for (const part of idParts([...missing]))
      unpack(
        await db
          .selectFrom('changes as c')
          .select(pack(engine, ['c.id', 'c.owner_id', 'c.project']).as('packed'))
          .where(bugIn(engine, 'c.id', part))
          .execute(),
        3,
        (f) => {
          const project = f.str(2, projectNames);
          if (!projectNames.includes(project)) projectNames.push(project);
          missingOwner.set(f.num(0), f.num(1));
          missingProject.set(f.num(0), project);
        },
      );
    const projectSet = o.projects?.length ? new Set(o.projects) : null;
    for (let k = 0; k < change.length; k++) {
      const id = change[k]!;
      const c = byId.get(id);
      const owner = c ? ownerOf.get(id)! : missingOwner.get(id);
      // As a join would: an act on a change the store lacks, or by the change's owner, is no review.
      if (owner === undefined || owner === actor[k]) continue;
      const project = c ? c.project : missingProject.get(id)!;
      if (projectSet && !projectSet.has(project)) continue;
      const vote = k < read.votes;
      acts.push({
        changeId: id,
        project,
        changeOwnerId: owner,
        patchSet: patchSet[k]!,
        actorId: actor[k]!,
        at: at[k]!,
        type: vote ? 'vote' : 'comment',
        label: vote ? labels[label[k]!]! : null,
        value: vote ? value[k]! : null,
        selfVote: false,
      });
    }
  };
  const rest: Array<() => Promise<void>> = [
    cutSubjects,
    owners,
    bugLinks,
    ...idParts(holdTag).map((part) => () => tagged(part)),
    ...smallParts.map((part) => () => files(part)),
    approvers,
    memberActs,
  ];
  await reads(engine, rest);
  const counted = await large;
  // By host (ranked once: the collator compares the few hosts, not every pair) and number.
  const hostOrder = [...new Set(hosts)].sort(collate);
  const hostRank = new Map(hostOrder.map((h) => [h, hostOrder.findIndex((x) => collate(x, h) === 0)]));
  const changes = [...byId.values()].sort((a, b) => hostRank.get(a.host)! - hostRank.get(b.host)! || a.number - b.number);
  for (const c of changes) {
    c.bugs.sort((a, b) => a - b);
    c.files.sort();
  }
  return counted ? { changes, accounts, acts, reverts, large: counted } : { changes, accounts, acts, reverts };
}

const RAW_BUG_KINDS = ['closes-bug', 'partial-bug', 'topic-bug'];

/** The rota's reverts (loadRotaData): of the merged changes in `byId`, and from the code history since `o.since`. */
async function loadRotaReverts(
  db: Kysely<Database>,
  byId: ReadonlyMap<number, RotaChange>,
  o: { since: number; projects?: readonly string[] },
): Promise<RotaRevert[]> {
  const ids = [...byId.keys()];
  // Reverts: merged `Revert "…"` changes, and the change whose patch set is the commit they name.
  const reverts: RotaRevert[] = [];
  const revertIds = ids.filter((id) => byId.get(id)!.status === 'MERGED' && byId.get(id)!.subject.startsWith('Revert "'));
  for (let i = 0; i < revertIds.length; i += 500) {
    const part = revertIds.slice(i, i + 500);
    for (const m of await db.selectFrom('changes').select(['id', 'commit_message']).where('id', 'in', part).execute()) {
      const c = byId.get(m.id)!;
      const sha = /This reverts commit ([0-9a-f]{7,40})/.exec(m.commit_message)?.[1] ?? null;
      let reverted: RotaRevert['reverted'] = null;
      if (sha) {
        // Through patch_sets_revision (migration 0033): a short SHA as the range of revisions it
        // begins (revisions are lowercase hex, all below 'g'), kept to the LIKE that defines it.
        const hit = await db
          .selectFrom('patch_sets as p')
          .innerJoin('changes as x', 'x.id', 'p.change_id')
          .select(['x.host', 'x.number'])
          .where(
            sha.length === 40
              ? (eb) => eb('p.revision', '=', sha)
              : (eb) => eb.and([eb('p.revision', '>=', sha), eb('p.revision', '<', `${sha}g`), eb('p.revision', 'like', `${sha}%`)]),
          )
          .where('x.host', '=', c.host)
          .executeTakeFirst();
        if (hit) reverted = { host: hit.host, number: Number(hit.number) };
      }
      reverts.push({
        host: c.host,
        number: c.number,
        project: c.project,
        subject: c.subject.slice(8, -1),
        mergedAt: c.mergedAt!,
        reverted,
      });
    }
  }
  // Reverts from the code history: `Revert "…"` commits landed since `since` whose "This reverts
  // commit SHA" names a commit of the same repository that carries a Gerrit Change-Id. A revert
  // that went through Gerrit is found above too; the analysis counts a reverted change once.
  const revertCommits = await db
    .selectFrom('git_commits')
    .select(['repo', 'sha', 'subject', 'message', 'landed_at', 'change_id'])
    .where('subject', 'like', 'Revert "%')
    .where('landed_at', '>=', o.since)
    .execute();
  const gerritReverts = new Set(reverts.map((r) => `${r.host}/${r.number}`));
  for (const r of revertCommits) {
    const named = /This reverts commit ([0-9a-f]{7,40})/.exec(r.message)?.[1];
    if (!named) continue;
    const target = await db
      .selectFrom('git_commits')
      .select(['change_id'])
      .where('repo', '=', r.repo)
      .where(named.length === 40 ? (eb) => eb('sha', '=', named) : (eb) => eb('sha', 'like', `${named}%`))
      .executeTakeFirst();
    if (!target?.change_id) continue;
    let cq = db
      .selectFrom('changes')
      .select(['host', 'number', 'project'])
      .where('change_key', '=', target.change_id)
      .where('status', '=', 'MERGED');
    if (o.projects?.length) cq = cq.where('project', 'in', o.projects);
    const hit = await cq.orderBy('merged_at').executeTakeFirst();
    if (!hit) continue;
    // The revert's own Gerrit change, when it went through Gerrit (same Change-Id), is already listed.
    const own = r.change_id
      ? await db.selectFrom('changes').select(['host', 'number']).where('change_key', '=', r.change_id).executeTakeFirst()
      : undefined;
    if (own && gerritReverts.has(`${own.host}/${Number(own.number)}`)) continue;
    reverts.push({
      host: hit.host,
      number: own ? Number(own.number) : null,
      sha: r.sha,
      project: hit.project,
      subject: r.subject.slice(8, -1),
      mergedAt: Number(r.landed_at),
      reverted: { host: hit.host, number: Number(hit.number) },
    });
  }
  reverts.sort((a, b) => a.host.localeCompare(b.host) || (a.number ?? 0) - (b.number ?? 0) || (a.sha ?? '').localeCompare(b.sha ?? ''));
  return reverts;
}

/**
 * The overview's bugs line: open, untriaged (New) and In Progress bugs with no open or merged
 * change naming them, counted in SQL over the public project tasks of `projects` (all when empty)
 * filed by `now`, duplicates left out — the backlog's open bugs less its restricted ones.
 *
 * @example await loadBugsOverview(store.db, ['nova'], Date.now()) // { projects: ['nova'], counts: 'public', open: 812, … }
 */
export async function loadBugsOverview(db: Kysely<Database>, projects: readonly string[], now: number): Promise<BugsOverview> {
  const open = BUG_STATUSES.filter((s) => isOpenStatus(s));
  let q = db
    .selectFrom('lp_bug_tasks as t')
    .innerJoin('lp_bugs as b', 'b.id', 't.bug')
    .where('t.series', 'is', null)
    .where('t.status', 'in', open)
    .where('b.information_type', '=', 'Public')
    .where('b.duplicate_of', 'is', null)
    // As the backlog counts them: the bugs filed by `now`, in their status as stored.
    .where('t.date_created', '<=', now);
  if (projects.length) q = q.where('t.project', 'in', projects);
  const row = await q
    .select((eb) => [
      eb.fn.countAll<number | string>().as('open'),
      eb.fn.sum<number | string | null>(eb.case().when('t.status', '=', 'New').then(1).else(0).end()).as('untriaged'),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(
              eb.and([
                eb('t.status', '=', 'In Progress'),
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom('links as l')
                      .innerJoin('changes as c', 'c.id', 'l.change_id')
                      .select('l.change_id')
                      .where('l.target', '=', sql<string>`cast(${sql.ref('t.bug')} as text)`)
                      .where('l.kind', 'in', ['closes-bug', 'partial-bug', 'topic-bug'])
                      .where('c.status', 'in', ['NEW', 'MERGED']),
                  ),
                ),
              ]),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('idle'),
    ])
    .executeTakeFirstOrThrow();
  const projectRows = projects.length
    ? [...projects]
    : (await db.selectFrom('lp_bug_tasks').select('project').distinct().orderBy('project').execute()).map((r) => r.project);
  return {
    projects: projectRows,
    counts: 'public',
    open: Number(row.open),
    untriaged: Number(row.untriaged ?? 0),
    inProgressNoOpenChange: Number(row.idle ?? 0),
  };
}
