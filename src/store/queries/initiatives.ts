/**
 * Reads for initiatives (analysis/initiatives.ts): the commits of the code history that may be in
 * an initiative's scope, and a quick count of what a scope matches (to refuse one that matches
 * nothing). The analysis decides what is in scope; these only narrow what is read.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Bug, BugTask } from '../../model/bugs.js';
import type { FlowChange } from '../../model/flow.js';
import type { TrackedCommit, TrackedScope } from '../../model/initiatives.js';
import type { SpecRecord } from '../../model/specs.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { bugFromRow, taskFromRow } from './bugs.js';
import { ID_LIST } from './id-lists.js';
import { pack, unpackIntegers } from './packed.js';

const CHUNK = 400;
const chunks = <T>(xs: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

// "path starts with P", per engine, through change_files_path (migration 0025): SQLite compares a
// binary range; PostgreSQL a LIKE prefix with the pattern operator class (any collation).
const PATH_UNDER: Record<EngineName, (prefix: string) => ReturnType<typeof sql<boolean>>> = {
  sqlite: (p) => sql<boolean>`(f.path >= ${p} and f.path < ${`${p}\u{10FFFF}`})`,
  postgres: (p) => sql<boolean>`f.path like ${`${p.replace(/[\\%_]/g, (x) => `\\${x}`)}%`}`,
};

/**
 * The changes a scope may name by what the store indexes: a link to one of `targets` (blueprints
 * in lower case, bug numbers; any kind of link — the analysis applies the exact rule), one of
 * `topics`, a file under one of `paths` (prefixes). A superset of what the scope matches, of every
 * time and project (the caller keeps those of its period: {@link periodChanges}). Ids ascending.
 * Each read is one index range (links_target; changes_topic, change_files_path of migration 0025).
 *
 * `byPath`: for each prefix of `paths` as given, the changes with a file under it — exactly the
 * changes whose latest patch set's files `file:"^PREFIX.*"` matches (change_files holds the latest
 * patch set's files, compared byte for byte), so the status needs no files to match a path.
 *
 * `idRange`: only changes with an id in [low, high] (a period's cohort's, {@link cohortExtent}),
 * in every part of the answer.
 *
 * @example await scopeChangeCandidates(db, 'sqlite', { targets: ['cells-v2'], topics: [], paths: ['nova/network/'] })
 */
export async function scopeChangeCandidates(
  db: Kysely<Database>,
  engine: EngineName,
  o: { targets: readonly string[]; topics: readonly string[]; paths: readonly string[]; idRange?: { low: number; high: number } },
): Promise<{ ids: number[]; byPath: Map<string, Set<number>> }> {
  const ids = new Set<number>();
  const low = o.idRange?.low ?? Number.NEGATIVE_INFINITY;
  const high = o.idRange?.high ?? Number.POSITIVE_INFINITY;
  for (const part of chunks([...new Set(o.targets)]))
    for (const r of await db.selectFrom('links').select('change_id').where('target', 'in', part).execute()) {
      const id = Number(r.change_id);
      if (id >= low && id <= high) ids.add(id);
    }
  for (const part of chunks([...new Set(o.topics)]))
    for (const r of await db.selectFrom('changes').select('id').where('topic', 'in', part).execute()) {
      const id = Number(r.id);
      if (id >= low && id <= high) ids.add(id);
    }
  const byPath = new Map<string, Set<number>>();
  for (const p of new Set(o.paths.filter(Boolean))) {
    // Packed: a prefix may cover tens of thousands of files (the bench's driver: 14,500).
    let q = db
      .selectFrom('change_files as f')
      .select(pack(engine, [sql<string>`cast(f.change_id as text)`]).as('packed'))
      .where(PATH_UNDER[engine](p));
    // On the index's entries (path, change_id): the range costs no row.
    if (o.idRange) q = q.where('f.change_id', '>=', o.idRange.low).where('f.change_id', '<=', o.idRange.high);
    const rows = await q.execute();
    const under = new Set<number>(unpackIntegers(rows, 1)[0]);
    for (const id of under) ids.add(id);
    byPath.set(p, under);
  }
  return { ids: [...ids].sort((a, b) => a - b), byPath };
}

/**
 * Id and creation time of every change of `projects` (all when empty) created in [from, until),
 * by creation time, as two columns (`ids[i]` was created at `created[i]`): the period's cohort
 * (what the review-wait comparison samples) and whether review data covers a stall. Read from the
 * index `changes_created` alone (migration 0025), packed into one string and read into two typed
 * arrays (packed.ts unpackIntegers: on the bench store's 51,000 changes of a period, about a
 * quarter of the CPU of one row object per change).
 *
 * @example const { ids, created } = await periodChanges(db, 'sqlite', { projects: [], from, until });
 */
export async function periodChanges(
  db: Kysely<Database>,
  engine: EngineName,
  o: { projects: readonly string[]; from: number; until: number },
): Promise<{ ids: Float64Array; created: Float64Array }> {
  let q = db
    .selectFrom('changes')
    .select(pack(engine, ['created', 'id']).as('packed'))
    .where('created', '>=', o.from)
    .where('created', '<', o.until);
  // In SQLite a unary + keeps the project out of the index choice: with it, the planner may prefer
  // changes_project_status and read every row of a large project; the project is then checked on
  // the entries of changes_created, which holds it. PostgreSQL plans from its statistics.
  if (o.projects.length) q = q.where(PROJECT_NOT_INDEXED[engine], 'in', [...new Set(o.projects)]);
  const [created, ids] = unpackIntegers(await q.execute(), 2) as [Float64Array, Float64Array];
  // Neither aggregate promises the index's order: sorted here when it is not.
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++)
    sorted = created[i - 1]! < created[i]! || (created[i - 1] === created[i] && ids[i - 1]! < ids[i]!);
  if (sorted) return { ids, created };
  const order = Array.from(ids, (_, i) => i).sort((a, b) => created[a]! - created[b]! || ids[a]! - ids[b]!);
  return { ids: Float64Array.from(order, (i) => ids[i]!), created: Float64Array.from(order, (i) => created[i]!) };
}

const PROJECT_NOT_INDEXED: Record<EngineName, RawBuilder<string>> = {
  sqlite: sql<string>`+project`,
  postgres: sql<string>`project`,
};

/** "and the project is one of `projects`" (nothing when empty), kept out of SQLite's index choice as in {@link periodChanges}. */
function projectCondition(engine: EngineName, projects: readonly string[]): RawBuilder<unknown> {
  if (!projects.length) return sql``;
  return sql` and ${PROJECT_NOT_INDEXED[engine]} in (${sql.join([...new Set(projects)])})`;
}

/**
 * How many changes of `projects` (all when empty) were created in [from, until), with their lowest
 * and highest store ids (null when none): the size of a period's cohort without reading it, and
 * the range its ids are in. One aggregate over the index `changes_created` (migration 0025).
 *
 * @example const { count, lowId, highId } = await cohortExtent(db, 'sqlite', { projects: [], from, until });
 */
export async function cohortExtent(
  db: Kysely<Database>,
  engine: EngineName,
  o: { projects: readonly string[]; from: number; until: number },
): Promise<{ count: number; lowId: number | null; highId: number | null }> {
  const { rows } = await sql<{ n: number | string; lo: number | string | null; hi: number | string | null }>`
    select count(*) as n, min(id) as lo, max(id) as hi from changes
    where created >= ${o.from} and created < ${o.until}${projectCondition(engine, o.projects)}`.execute(db);
  const r = rows[0];
  const num = (x: number | string | null | undefined): number | null => (x === null || x === undefined ? null : Number(x));
  return { count: Number(r?.n ?? 0), lowId: num(r?.lo), highId: num(r?.hi) };
}

/**
 * Of `ids`, the changes of `projects` (all when empty) created in [from, until), ascending.
 *
 * @example await changesCreatedIn(db, 'sqlite', [12, 40, 41], { projects: [], from, until })
 */
export async function changesCreatedIn(
  db: Kysely<Database>,
  engine: EngineName,
  ids: readonly number[],
  o: { projects: readonly string[]; from: number; until: number },
): Promise<number[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ packed: string | null }>`
    select ${pack(engine, [sql<string>`cast(id as text)`])} as packed from changes
    where ${ID_LIST[engine]('id', ids)} and created >= ${o.from} and created < ${o.until}${projectCondition(engine, o.projects)}`.execute(
    db,
  );
  return Array.from(unpackIntegers(rows, 1)[0]!).sort((a, b) => a - b);
}

/**
 * Fills the subject and topic of `changes`: what an initiative's status shows of the changes its
 * scope names, and what `topic:` reads. (The scope's other queries without Gerrit queries —
 * blueprint:, bug:, file: — read links and files; nothing reads hashtags or the TrivialFix flag,
 * which flow.ts attachDetails also reads, the latter from every commit message.)
 */
export async function attachSubjects(db: Kysely<Database>, engine: EngineName, changes: FlowChange[]): Promise<void> {
  if (changes.length === 0) return;
  const byId = new Map(changes.map((c) => [c.id, c]));
  const { rows } = await sql<{ id: number | string; subject: string; topic: string | null }>`
    select id, subject, topic from changes where ${ID_LIST[engine]('id', [...byId.keys()])}`.execute(db);
  for (const r of rows) {
    const c = byId.get(Number(r.id))!;
    c.subject = r.subject;
    c.topic = r.topic;
  }
}

/**
 * Creation times that stand for every change of `projects` (all when empty) created in
 * [from, until) wherever the question is "was any change created in this window?" for windows of
 * at least `span` ms: the first and last creation of each stretch of less than `span`, stretches
 * found one after another (the first creation at or after the previous stretch's start + `span`).
 * Ascending; the period's first and last creation are among them, and between two consecutive
 * times more than `span` apart no change was created. So a window of `span` or more holds one of
 * these times exactly when it holds a creation. A few index seeks per stretch (a recursive query
 * over `changes_created`), where reading every creation of a busy period costs tens of milliseconds.
 *
 * @example await creationMarks(db, 'sqlite', { projects: [], from, until, span: 90 * 86_400_000 })
 */
export async function creationMarks(
  db: Kysely<Database>,
  engine: EngineName,
  o: { projects: readonly string[]; from: number; until: number; span: number },
): Promise<number[]> {
  const inProjects = projectCondition(engine, o.projects);
  const { rows } = await sql<{ lo: number | string; hi: number | string }>`
    with recursive stretch(p) as (
      select min(created) from changes where created >= ${o.from} and created < ${o.until}${inProjects}
      union all
      select (select min(created) from changes where created >= stretch.p + ${o.span} and created < ${o.until}${inProjects})
      from stretch where stretch.p is not null
    )
    select p as lo,
      (select max(created) from changes where created >= stretch.p and created < stretch.p + ${o.span} and created < ${o.until}${inProjects}) as hi
    from stretch where p is not null`.execute(db);
  const out: number[] = [];
  for (const r of rows) {
    out.push(Number(r.lo));
    if (Number(r.hi) !== Number(r.lo)) out.push(Number(r.hi));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Launchpad's bugs (and their tasks) with one of `numbers` or carrying one of `tags` (Launchpad's
 * tags: one space between), or null when the store holds no bug data at all (`steward bugs sync`).
 */
export async function loadScopeBugs(
  db: Kysely<Database>,
  o: { numbers: readonly string[]; tags: readonly string[] },
): Promise<{ tasks: BugTask[]; bugs: Bug[] } | null> {
  const any = await db.selectFrom('lp_bugs').select('id').limit(1).execute();
  if (any.length === 0) return null;
  const ids = new Set<number>(o.numbers.map(Number).filter(Number.isSafeInteger));
  const tags = [...new Set(o.tags.map((t) => t.toLowerCase()))];
  if (tags.length) {
    // A tag is a whole word of the space-separated list: narrowed by LIKE, then checked exactly.
    for (const t of tags)
      for (const r of await db
        .selectFrom('lp_bugs')
        .select(['id', 'tags'])
        .where(sql<boolean>`lower(tags) like ${`%${t.replace(/[\\%_]/g, '')}%`}`)
        .execute())
        if (r.tags.toLowerCase().split(' ').includes(t)) ids.add(Number(r.id));
  }
  const bugs: Bug[] = [];
  const tasks: BugTask[] = [];
  for (const part of chunks([...ids])) {
    for (const r of await db.selectFrom('lp_bugs').selectAll().where('id', 'in', part).execute()) bugs.push(bugFromRow(r));
    for (const r of await db.selectFrom('lp_bug_tasks').selectAll().where('bug', 'in', part).execute()) tasks.push(taskFromRow(r));
  }
  return { tasks, bugs };
}

/**
 * Commits landed in [since, until] that name one of `blueprints` or `bugs` (git_commit_links), or,
 * with `withPatterns`, every commit landed then (the commit patterns are matched by the analysis),
 * each with its links. Ordered by landing, then hash.
 *
 * @example await loadScopeCommits(db, { blueprints: ['cells-v2'], bugs: [], withPatterns: false, since, until })
 */
export async function loadScopeCommits(
  db: Kysely<Database>,
  o: { blueprints: readonly string[]; bugs: readonly string[]; withPatterns: boolean; since: number; until: number },
): Promise<TrackedCommit[]> {
  const keys = new Set<string>();
  const rows: Array<{
    repo: string;
    sha: string;
    subject: string;
    message: string;
    author_name: string;
    author_email: string;
    landed_at: number;
  }> = [];
  const cols = ['c.repo', 'c.sha', 'c.subject', 'c.message', 'c.author_name', 'c.author_email', 'c.landed_at'] as const;
  const take = (list: typeof rows): void => {
    for (const r of list) {
      const k = `${r.repo}\u0000${r.sha}`;
      if (!keys.has(k)) {
        keys.add(k);
        rows.push(r);
      }
    }
  };
  if (o.withPatterns) {
    take(
      await db
        .selectFrom('git_commits as c')
        .select(cols)
        .where('c.landed_at', '>=', o.since)
        .where('c.landed_at', '<=', o.until)
        .execute(),
    );
  } else {
    const targets = [...new Set([...o.blueprints.map((b) => b.toLowerCase()), ...o.bugs])];
    for (const part of chunks(targets))
      take(
        await db
          .selectFrom('git_commit_links as l')
          .innerJoin('git_commits as c', (j) => j.onRef('c.repo', '=', 'l.repo').onRef('c.sha', '=', 'l.sha'))
          .select(cols)
          .where('l.target', 'in', part)
          .where('c.landed_at', '>=', o.since)
          .where('c.landed_at', '<=', o.until)
          .execute(),
      );
  }
  const links = new Map<string, Array<{ kind: string; target: string }>>();
  const shas = [...new Set(rows.map((r) => r.sha))];
  for (const part of chunks(shas))
    for (const l of await db.selectFrom('git_commit_links').select(['repo', 'sha', 'kind', 'target']).where('sha', 'in', part).execute()) {
      const k = `${l.repo}\u0000${l.sha}`;
      const list = links.get(k) ?? [];
      list.push({ kind: l.kind, target: l.target });
      links.set(k, list);
    }
  return rows
    .map((r) => ({
      repo: r.repo,
      sha: r.sha,
      subject: r.subject,
      message: r.message,
      authorName: r.author_name,
      authorEmail: r.author_email,
      landedAt: Number(r.landed_at),
      links: links.get(`${r.repo}\u0000${r.sha}`) ?? [],
    }))
    .sort((a, b) => a.landedAt - b.landedAt || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
}

/**
 * How many changes, commits and specs the scopes name by what the store indexes: blueprints and
 * specs (links), topics, bugs, paths. Queries and commit patterns are not evaluated here: a scope
 * with any counts as matching (the status says when they match nothing). 0: nothing at all.
 */
export async function countScopeEvidence(
  db: Kysely<Database>,
  scopes: readonly TrackedScope[],
  specs: readonly SpecRecord[],
): Promise<number> {
  if (scopes.some((s) => s.queries.length + s.commitPatterns.length > 0)) return 1;
  const tags = [...new Set(scopes.flatMap((s) => s.bugTags))];
  if (tags.length) {
    const bugs = await loadScopeBugs(db, { numbers: [], tags });
    // Without bug data a tag cannot be checked: taken as given (the status says it cannot tell).
    if (bugs === null || bugs.bugs.length > 0) return bugs === null ? 1 : bugs.bugs.length;
  }
  const specNames = new Set(scopes.flatMap((s) => s.specs.map((x) => x.toLowerCase())));
  const named = specs.filter((s) =>
    [
      s.blueprint,
      s.path
        .split('/')
        .pop()!
        .replace(/\.rst$/i, ''),
      s.firstPath
        .split('/')
        .pop()!
        .replace(/\.rst$/i, ''),
    ].some((n) => specNames.has(n.toLowerCase())),
  );
  let n = named.length;
  const blueprints = [...new Set([...scopes.flatMap((s) => s.blueprints), ...named.map((s) => s.blueprint)].map((b) => b.toLowerCase()))];
  const bugs = [...new Set(scopes.flatMap((s) => s.bugs))];
  const targets = [...blueprints, ...bugs];
  for (const part of chunks(targets)) {
    if (n) return n;
    const a = await db.selectFrom('links').select('change_id').where('target', 'in', part).limit(1).execute();
    const b = await db.selectFrom('git_commit_links').select('sha').where('target', 'in', part).limit(1).execute();
    n += a.length + b.length;
  }
  const topics = [...new Set(scopes.flatMap((s) => s.topics))];
  for (const part of chunks(topics)) {
    if (n) return n;
    n += (await db.selectFrom('changes').select('id').where('topic', 'in', part).limit(1).execute()).length;
  }
  for (const p of new Set(scopes.flatMap((s) => s.paths))) {
    if (n) return n;
    n += (
      await db
        .selectFrom('change_files')
        .select('change_id')
        .where('path', 'like', `${p.replace(/^\/+/, '').replace(/[%_]/g, '')}%`)
        .limit(1)
        .execute()
    ).length;
  }
  return n;
}
