/**
 * Reads of the code history (`steward git sync`) and of the code linked to blueprints, for the
 * specs report and anything else that asks "what code implements blueprint X, and when did it
 * land?". A spec's code is every commit and every Gerrit change that names its blueprint in any
 * form (sources/links/blueprint-refs.ts; matching is case-insensitive and whole-name).
 */
import { sql, type Kysely } from 'kysely';
import type { BlueprintRefKind, HistoryColumns, HistoryCommit, LandingKind } from '../../model/git.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { AGGREGATE } from './packed.js';

// Same definition for both sources; store/ may not import sources/, so the refs of Gerrit changes
// are computed by the function the caller passes (sources/links/blueprint-refs.ts blueprintRefs).
export type BlueprintRefsFn = (
  message: string | null | undefined,
  topic: string | null | undefined,
) => ReadonlyArray<{ name: string; kind: BlueprintRefKind }>;

const CHUNK = 400;

function normalise(blueprints: readonly string[]): string[] {
  return [...new Set(blueprints.map((b) => b.trim().toLowerCase()).filter((b) => b !== ''))];
}

/** A commit that names a blueprint. Times are epoch ms. */
export interface BlueprintCommit {
  /** The blueprint (lower-cased), one of the names asked for. */
  blueprint: string;
  /** How the commit names it: implements, partially-implements, related (a Related-Blueprint trailer: related work, not implementation) or mention (commits have no topic). */
  kind: Exclude<BlueprintRefKind, 'topic'>;
  repo: string;
  sha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committedAt: number;
  /** The Gerrit Change-Id trailer (matches BlueprintChange.changeId), or null. */
  changeId: string | null;
  /** The main-line commit that brought it into the branch (the landing merge, or itself). */
  landedBy: string;
  /** When it landed: the commit time of `landedBy`. */
  landedAt: number;
  /** `merge` (a landing merge brought it in) or `direct` (fast-forwarded or pushed; `landedAt` is then the earliest it can have landed). */
  landing: LandingKind;
}

/**
 * The commits that name any of `blueprints` (names compared case-insensitively, whole names), one
 * row per (blueprint, commit), ordered by blueprint, then landing time, then hash. `repo` limits to
 * one synced repository. Only commits on the synced branch are stored, so every row has landed.
 *
 * @example await listBlueprintCommits(db, ['libvirt-virtiofs-attach-manila-shares'])
 * // [{ blueprint: 'libvirt-virtiofs-attach-manila-shares', kind: 'implements', sha: '…', landedAt: …, landing: 'merge', … }]
 */
export async function listBlueprintCommits(
  db: Kysely<Database>,
  blueprints: readonly string[],
  opts: { repo?: string } = {},
): Promise<BlueprintCommit[]> {
  const names = normalise(blueprints);
  const out: BlueprintCommit[] = (await listLinkedCommits(db, names, BLUEPRINT_COMMIT_KINDS, opts)).map(({ target, kind, ...c }) => ({
    blueprint: target,
    kind: kind as BlueprintCommit['kind'],
    ...c,
  }));
  return out.sort((a, b) =>
    a.blueprint < b.blueprint
      ? -1
      : a.blueprint > b.blueprint
        ? 1
        : a.landedAt - b.landedAt || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0),
  );
}

/** A Gerrit change (already in the store from import or sync) that names a blueprint. Times are epoch ms. */
export interface BlueprintChange {
  /** The blueprint (lower-cased), one of the names asked for. */
  blueprint: string;
  /** How the change names it: implements, partially-implements, topic (`bp/NAME`) or mention. */
  kind: BlueprintRefKind;
  /** The store's id of the change (for loading its patch sets, votes and messages). */
  id: number;
  host: string;
  project: string;
  branch: string;
  number: number;
  /** The Change-Id (matches BlueprintCommit.changeId). */
  changeId: string;
  subject: string;
  /** NEW, MERGED or ABANDONED. */
  status: string;
  topic: string | null;
  created: number;
  updated: number;
  /** When it merged (null unless MERGED). */
  mergedAt: number | null;
  /** When it was last abandoned (null unless ABANDONED). */
  abandonedAt: number | null;
}

/**
 * The Gerrit changes that name any of `blueprints` in their latest commit message or topic, by the
 * same rule as commits: pass `blueprintRefs` from sources/links/blueprint-refs.ts (store/ may not
 * import sources/). One row per (blueprint, change) with the strongest kind, ordered by blueprint,
 * then creation time, then host and number. `projects` (and `host`) narrow the changes searched.
 *
 * The store is searched once for messages that could name a blueprint at all ("bp", "blueprint",
 * "implement", "+spec/" or a `bp/` topic, any case) and the rule runs on those.
 *
 * @example await listBlueprintChanges(db, ['unified-limits'], blueprintRefs, { projects: ['openstack/nova'] })
 * // [{ blueprint: 'unified-limits', kind: 'topic', number: 712137, status: 'MERGED', mergedAt: …, … }]
 */
export async function listBlueprintChanges(
  db: Kysely<Database>,
  blueprints: readonly string[],
  refsOf: BlueprintRefsFn,
  opts: { projects?: readonly string[]; host?: string } = {},
): Promise<BlueprintChange[]> {
  const wanted = new Set(normalise(blueprints));
  if (wanted.size === 0) return [];
  let q = db
    .selectFrom('changes')
    .select([
      'id',
      'host',
      'project',
      'branch',
      'number',
      'change_key',
      'subject',
      'status',
      'topic',
      'created',
      'updated',
      'merged_at',
      'abandoned_at',
      'commit_message',
    ])
    .where((eb) => {
      const msg = eb.fn<string>('lower', ['commit_message']);
      return eb.or([
        eb(msg, 'like', '%bp%'),
        eb(msg, 'like', '%blueprint%'),
        eb(msg, 'like', '%implement%'),
        eb(msg, 'like', '%+spec/%'),
        eb(eb.fn<string>('lower', ['topic']), 'like', 'bp/%'),
      ]);
    });
  if (opts.projects?.length) q = q.where('project', 'in', [...opts.projects]);
  if (opts.host !== undefined) q = q.where('host', '=', opts.host);
  const out: BlueprintChange[] = [];
  for (const r of await q.execute()) {
    for (const ref of refsOf(r.commit_message, r.topic)) {
      if (!wanted.has(ref.name)) continue;
      out.push({
        blueprint: ref.name,
        kind: ref.kind,
        id: r.id,
        host: r.host,
        project: r.project,
        branch: r.branch,
        number: r.number,
        changeId: r.change_key,
        subject: r.subject,
        status: r.status,
        topic: r.topic,
        created: Number(r.created),
        updated: Number(r.updated),
        mergedAt: r.merged_at == null ? null : Number(r.merged_at),
        abandonedAt: r.abandoned_at == null ? null : Number(r.abandoned_at),
      });
    }
  }
  return out.sort((a, b) =>
    a.blueprint < b.blueprint
      ? -1
      : a.blueprint > b.blueprint
        ? 1
        : a.created - b.created || (a.host < b.host ? -1 : a.host > b.host ? 1 : a.number - b.number),
  );
}

/** A synced repository: its checkpoint and what is stored of it. */
export interface CodeHistorySummary {
  repo: string;
  path: string;
  branch: string;
  tip: string;
  syncedAt: number;
  commits: number;
  mainline: number;
  /** Commits by landing kind. */
  landedByMerge: number;
  landedDirect: number;
  /** First and last landing times (epoch ms), null when empty. */
  firstLandedAt: number | null;
  lastLandedAt: number | null;
}

/** What is stored of each synced repository (or of `repo`), by name. */
export async function summariseCodeHistory(db: Kysely<Database>, repo?: string): Promise<CodeHistorySummary[]> {
  let sq = db.selectFrom('git_sync_state').selectAll();
  if (repo !== undefined) sq = sq.where('repo', '=', repo);
  const states = await sq.orderBy('repo').execute();
  const out: CodeHistorySummary[] = [];
  for (const s of states) {
    const agg = await db
      .selectFrom('git_commits')
      .select((eb) => [
        eb.fn.countAll<number>().as('commits'),
        eb.fn.sum<number>('mainline').as('mainline'),
        eb.fn.sum<number>(eb.case().when('landing', '=', 'merge').then(1).else(0).end()).as('merged'),
        eb.fn.min<number>('landed_at').as('first'),
        eb.fn.max<number>('landed_at').as('last'),
      ])
      .where('repo', '=', s.repo)
      .executeTakeFirstOrThrow();
    const commits = Number(agg.commits);
    const merged = Number(agg.merged ?? 0);
    out.push({
      repo: s.repo,
      path: s.path,
      branch: s.branch,
      tip: s.tip,
      syncedAt: Number(s.synced_at),
      commits,
      mainline: Number(agg.mainline ?? 0),
      landedByMerge: merged,
      landedDirect: commits - merged,
      firstLandedAt: agg.first == null ? null : Number(agg.first),
      lastLandedAt: agg.last == null ? null : Number(agg.last),
    });
  }
  return out;
}

/**
 * Every non-merge commit of the synced repositories (or of `repo`), with how it landed, whether a
 * release-tag merge brought it (a backport: the landing that brought it also brought a commit whose
 * subject starts `Merge tag `), and whether it names a bug or a blueprint (the links `steward git
 * sync` stored; all three computed when it stored the commit, migration 0024). Ordered by landing time, then repository and hash.
 *
 * @example await loadHistoryCommits(db, { repo: 'nova' })
 * // [{ repo: 'nova', sha: '…', authorEmail: '…', landedAt: …, landing: 'merge', backport: false, namesBug: true, … }, …]
 */
export async function loadHistoryCommits(db: Kysely<Database>, opts: { repo?: string } = {}): Promise<HistoryCommit[]> {
  // The flags are computed when `steward git sync` stores the commit (migration 0024).
  let q = db
    .selectFrom('git_commits')
    .select(['repo', 'sha', 'author_name', 'author_email', 'authored_at', 'landed_at', 'landing', 'change_id', 'backport', 'names'])
    .where('merge_commit', '=', 0);
  if (opts.repo !== undefined) q = q.where('repo', '=', opts.repo);
  const out: HistoryCommit[] = (await q.execute()).map((r) => ({
    repo: r.repo,
    sha: r.sha,
    authorName: r.author_name,
    authorEmail: r.author_email,
    authoredAt: Number(r.authored_at),
    landedAt: Number(r.landed_at),
    landing: r.landing as LandingKind,
    backport: r.backport === 1,
    namesBug: (r.names & 1) !== 0,
    namesBlueprint: (r.names & 2) !== 0,
    changeId: r.change_id,
  }));
  return out.sort(
    (a, b) => a.landedAt - b.landedAt || (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0),
  );
}

/** The review side of a landed commit: its merged Gerrit change's creation and merge times (epoch ms). */
export interface CommitReviewTimes {
  changeId: string;
  created: number;
  mergedAt: number;
}

/**
 * The merged Gerrit changes in the store whose Change-Id a synced commit carries (the earliest
 * created when several branches or hosts share the Change-Id), keyed by Change-Id. Empty without
 * review data.
 */
export async function loadCommitReviewTimes(db: Kysely<Database>, opts: { repo?: string } = {}): Promise<Map<string, CommitReviewTimes>> {
  let q = db
    .selectFrom('changes as ch')
    .innerJoin('git_commits as c', 'c.change_id', 'ch.change_key')
    .select(['ch.change_key', 'ch.created', 'ch.merged_at'])
    .where('ch.status', '=', 'MERGED')
    .where('ch.merged_at', 'is not', null);
  if (opts.repo !== undefined) q = q.where('c.repo', '=', opts.repo);
  const out = new Map<string, CommitReviewTimes>();
  for (const r of await q.execute()) {
    const created = Number(r.created);
    const prev = out.get(r.change_key);
    if (prev && prev.created <= created) continue;
    out.set(r.change_key, { changeId: r.change_key, created, mergedAt: Number(r.merged_at) });
  }
  return out;
}

/** The link kinds by which a commit names a blueprint. */
const BLUEPRINT_COMMIT_KINDS = ['implements', 'partially-implements', 'related', 'mention'] as const;

/** A commit of the synced code history linked to a target (a blueprint, a bug) by a kind of the link rule. Times are epoch ms. */
export interface LinkedCommit extends Omit<BlueprintCommit, 'blueprint' | 'kind'> {
  /** The blueprint name or bug number the link names, as stored. */
  target: string;
  /** The link's kind (`implements`, `closes-bug`, …: sources/links/links.ts). */
  kind: string;
}

/**
 * The one join of commit links to commits: every commit of the synced history whose stored links
 * (`git_commit_links`) name one of `targets` with one of `kinds`, one row per (target, kind,
 * commit), in no particular order. `repo` limits to one repository. Used for blueprints
 * (listBlueprintCommits) and for the bugs advisories name (queries/advisories.ts).
 *
 * @example await listLinkedCommits(db, ['1234567'], ['closes-bug', 'partial-bug'])
 * // [{ target: '1234567', kind: 'closes-bug', repo: 'nova', sha: '…', landedAt: …, … }]
 */
export async function listLinkedCommits(
  db: Kysely<Database>,
  targets: readonly string[],
  kinds: readonly string[],
  opts: { repo?: string } = {},
): Promise<LinkedCommit[]> {
  const wanted = [...new Set(targets)];
  const out: LinkedCommit[] = [];
  for (let i = 0; i < wanted.length; i += CHUNK) {
    let q = db
      .selectFrom('git_commit_links as l')
      .innerJoin('git_commits as c', (j) => j.onRef('c.repo', '=', 'l.repo').onRef('c.sha', '=', 'l.sha'))
      .select([
        'l.target',
        'l.kind',
        'c.repo',
        'c.sha',
        'c.subject',
        'c.author_name',
        'c.author_email',
        'c.authored_at',
        'c.committed_at',
        'c.change_id',
        'c.landed_by',
        'c.landed_at',
        'c.landing',
      ])
      .where('l.target', 'in', wanted.slice(i, i + CHUNK))
      .where('l.kind', 'in', [...kinds]);
    if (opts.repo !== undefined) q = q.where('l.repo', '=', opts.repo);
    for (const r of await q.execute())
      out.push({
        target: r.target,
        kind: r.kind,
        repo: r.repo,
        sha: r.sha,
        subject: r.subject,
        authorName: r.author_name,
        authorEmail: r.author_email,
        authoredAt: Number(r.authored_at),
        committedAt: Number(r.committed_at),
        changeId: r.change_id,
        landedBy: r.landed_by,
        landedAt: Number(r.landed_at),
        landing: r.landing as LandingKind,
      });
  }
  return out;
}

// Field and row separators of the packed reads: control characters no name or address holds.
const FS = '\u001f';
const RS = '\u001e';

/**
 * How each engine hands over the non-merge commits as one packed text, in landing-time order:
 * per commit its landing time, author date, flags (HISTORY_FLAGS), author key and name (and
 * Change-Id) — one value built by the database instead of one JavaScript object per row. Both read
 * only the covering index `git_commits_people` (migration 0024) unless the Change-Ids are asked for.
 */
const HISTORY_PACKERS: Record<EngineName, (withChangeIds: boolean) => ReturnType<typeof sql<string | null>>> = {
  // SQLite: concatenated in the order of the covering index's scan (landing time); an ORDER BY inside
  // group_concat would sort every row again. The reader checks the order and sorts if it is not.
  sqlite: (ids) =>
    sql<
      string | null
    >`group_concat(landed_at || char(31) || authored_at || char(31) || (backport + (CASE WHEN landing = 'direct' THEN 2 ELSE 0 END) + names * 4) || char(31) || author_key || char(31) || author_name${ids ? sql` || char(31) || coalesce(change_id, '')` : sql``}, char(30))`,
  postgres: (ids) =>
    sql<
      string | null
    >`string_agg(concat_ws(chr(31), landed_at, authored_at, backport + (CASE WHEN landing = 'direct' THEN 2 ELSE 0 END) + names * 4, author_key, author_name${ids ? sql`, coalesce(change_id, '')` : sql``}), chr(30) ORDER BY landed_at, author_key)`,
};

/**
 * The non-merge commits of the synced repositories (or of `repo`) as columns in landing-time order
 * (model/git.ts HistoryColumns): what `steward history` and the specs report's git-alone answer
 * read. `withChangeIds` adds each commit's Change-Id (for the review side; read from the table).
 *
 * @example const cols = await loadHistoryColumns(store.db, store.engine, { repo: 'nova' });
 * // { length: 33972, landedAt: Float64Array [...], author: Int32Array [...], authors: [{ key: 'ann@example.org', name: 'Ann' }, …], … }
 */
export async function loadHistoryColumns(
  db: Kysely<Database>,
  engine: EngineName,
  opts: { repo?: string; withChangeIds?: boolean } = {},
): Promise<HistoryColumns> {
  const ids = opts.withChangeIds === true;
  const commits = db
    .selectFrom('git_commits')
    .select(['landed_at', 'authored_at', 'backport', 'landing', 'names', 'author_key', 'author_name'])
    .$if(ids, (qb) => qb.select('change_id'))
    .where('merge_commit', '=', 0)
    .$if(opts.repo !== undefined, (qb) => qb.where('repo', '=', opts.repo!))
    .orderBy('landed_at');
  const packed =
    (await db.selectFrom(commits.as('c')).select(HISTORY_PACKERS[engine](ids).as('packed')).executeTakeFirst())?.packed ?? null;
  const rows = packed ? packed.split(RS) : [];
  const n = rows.length;
  const cols: HistoryColumns = {
    length: n,
    landedAt: new Float64Array(n),
    authoredAt: new Float64Array(n),
    author: new Int32Array(n),
    flags: new Uint8Array(n),
    authors: [],
    changeId: ids ? [] : null,
  };
  const authors = cols.authors as Array<{ key: string; name: string }>;
  const index = new Map<string, Map<string, number>>();
  for (let i = 0; i < n; i++) {
    const f = rows[i]!.split(FS);
    cols.landedAt[i] = Number(f[0]);
    cols.authoredAt[i] = Number(f[1]);
    cols.flags[i] = Number(f[2]);
    const key = f[3]!;
    const name = f[4]!;
    let byName = index.get(key);
    if (!byName) index.set(key, (byName = new Map()));
    let a = byName.get(name);
    if (a === undefined) {
      byName.set(name, (a = authors.length));
      authors.push({ key, name });
    }
    cols.author[i] = a;
    if (ids) (cols.changeId as Array<string | null>).push(f[5] ? f[5] : null);
  }
  return inLandingOrder(cols);
}

/** The columns in landing-time order: as they are when the engine kept the subquery's order, else sorted. */
function inLandingOrder(cols: HistoryColumns): HistoryColumns {
  let sorted = true;
  for (let i = 1; i < cols.length && sorted; i++) sorted = cols.landedAt[i - 1]! <= cols.landedAt[i]!;
  if (sorted) return cols;
  const order = Array.from({ length: cols.length }, (_, i) => i).sort((a, b) => cols.landedAt[a]! - cols.landedAt[b]! || a - b);
  return {
    length: cols.length,
    landedAt: Float64Array.from(order, (i) => cols.landedAt[i]!),
    authoredAt: Float64Array.from(order, (i) => cols.authoredAt[i]!),
    author: Int32Array.from(order, (i) => cols.author[i]!),
    flags: Uint8Array.from(order, (i) => cols.flags[i]!),
    authors: cols.authors,
    changeId: cols.changeId ? order.map((i) => cols.changeId![i]!) : null,
  };
}

/**
 * Each author's non-merge, non-backport commits per span of time: `bounds` (epoch ms, ascending)
 * cut time into spans — span 0 before bounds[0], span k from bounds[k-1] (inclusive) to bounds[k]
 * (exclusive), span bounds.length after the last — and the database counts per (author key, span).
 * The electorate's counts per release come from these few thousand rows, not from every commit.
 */
export async function loadAuthorSpans(
  db: Kysely<Database>,
  bounds: readonly number[],
  opts: { repo?: string } = {},
): Promise<Array<{ authorKey: string; span: number; commits: number }>> {
  const span = bounds.length
    ? sql<number>`CASE ${sql.join(
        bounds.map((b, k) => sql`WHEN landed_at < ${b} THEN ${sql.lit(k)}`),
        sql` `,
      )} ELSE ${sql.lit(bounds.length)} END`
    : sql<number>`0`;
  let q = db
    .selectFrom('git_commits')
    .select((eb) => ['author_key', span.as('span'), eb.fn.countAll<number>().as('n')])
    .where('merge_commit', '=', 0)
    .where('backport', '=', 0)
    .groupBy(['author_key', sql`span`]);
  if (opts.repo !== undefined) q = q.where('repo', '=', opts.repo);
  return (await q.execute()).map((r) => ({ authorKey: r.author_key, span: Number(r.span), commits: Number(r.n) }));
}

/** A landed non-merge, non-backport commit: its author key, hash, repository and landing time. */
export interface LandedCommit {
  repo: string;
  sha: string;
  authorKey: string;
  landedAt: number;
}

/** The non-merge, non-backport commits that landed in [since, until), by landing time then hash. */
export async function loadLandedCommits(db: Kysely<Database>, since: number, until: number): Promise<LandedCommit[]> {
  const rows = await db
    .selectFrom('git_commits')
    .select(['repo', 'sha', 'author_key', 'landed_at'])
    .where('merge_commit', '=', 0)
    .where('backport', '=', 0)
    .where('landed_at', '>=', since)
    .where('landed_at', '<', until)
    .orderBy('landed_at')
    .orderBy('sha')
    .execute();
  return rows.map((r) => ({ repo: r.repo, sha: r.sha, authorKey: r.author_key, landedAt: Number(r.landed_at) }));
}

/** The first and last landing of the non-merge, non-backport commits (epoch ms; null when none), and how many there are. */
export async function landedRange(db: Kysely<Database>): Promise<{ first: number | null; last: number | null; commits: number }> {
  const r = await db
    .selectFrom('git_commits')
    .select((eb) => [
      eb.fn.min<number>('landed_at').as('first'),
      eb.fn.max<number>('landed_at').as('last'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where('merge_commit', '=', 0)
    .where('backport', '=', 0)
    .executeTakeFirst();
  return { first: r?.first == null ? null : Number(r.first), last: r?.last == null ? null : Number(r.last), commits: Number(r?.n ?? 0) };
}

/**
 * The non-merge, non-backport commits that landed in [since, until) per author key (the address
 * trimmed and lower-cased), grouped in the database from the covering index of migration 0024; with
 * each one's landing time (epoch ms, unordered) when `times` is asked for.
 */
export async function loadLandedCommitCounts(
  db: Kysely<Database>,
  w: { since: number; until: number; engine: EngineName; times?: boolean },
): Promise<Array<{ authorKey: string; n: number; times: number[] | null }>> {
  const rows = await db
    .selectFrom('git_commits')
    .select(['author_key', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(!!w.times, (q) => q.select(AGGREGATE[w.engine](sql<string>`cast(${sql.ref('landed_at')} as text)`, ',').as('times')))
    .where('merge_commit', '=', 0)
    .where('landed_at', '>=', w.since)
    .where('landed_at', '<', w.until)
    .where('backport', '=', 0)
    .groupBy('author_key')
    .execute();
  return rows.map((r) => {
    const t = (r as { times?: string | null }).times;
    return { authorKey: r.author_key, n: Number(r.n), times: w.times ? (t ? t.split(',').map(Number) : []) : null };
  });
}
