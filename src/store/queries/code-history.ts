/**
 * Reads of the code history (`steward git sync`) and of the code linked to blueprints, for the
 * specs report and anything else that asks "what code implements blueprint X, and when did it
 * land?". A spec's code is every commit and every Gerrit change that names its blueprint in any
 * form (sources/links/blueprint-refs.ts; matching is case-insensitive and whole-name).
 */
import type { Kysely } from 'kysely';
import type { BlueprintRefKind, HistoryCommit, LandingKind } from '../../model/git.js';
import type { Database } from '../schema.js';

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

const BUG_LINK_KINDS = ['closes-bug', 'partial-bug', 'related-bug'];
const BLUEPRINT_LINK_KINDS = ['implements', 'partially-implements', 'related', 'mention'];

/**
 * Every non-merge commit of the synced repositories (or of `repo`), with how it landed, whether a
 * release-tag merge brought it (a backport: the landing that brought it also brought a commit whose
 * subject starts `Merge tag `), and whether it names a bug or a blueprint (the links `steward git
 * sync` stored). Ordered by landing time, then repository and hash.
 *
 * @example await loadHistoryCommits(db, { repo: 'nova' })
 * // [{ repo: 'nova', sha: '…', authorEmail: '…', landedAt: …, landing: 'merge', backport: false, namesBug: true, … }, …]
 */
export async function loadHistoryCommits(db: Kysely<Database>, opts: { repo?: string } = {}): Promise<HistoryCommit[]> {
  // Every query here is answered from indexes (git_commits_history, 0019; the links' key).
  let tq = db.selectFrom('git_commits').select(['repo', 'landed_by']).distinct().where('subject', 'like', 'Merge tag %');
  let lq = db
    .selectFrom('git_commit_links')
    .select(['repo', 'sha', 'kind'])
    .where('kind', 'in', [...BUG_LINK_KINDS, ...BLUEPRINT_LINK_KINDS]);
  let q = db
    .selectFrom('git_commits')
    .select(['repo', 'sha', 'author_name', 'author_email', 'authored_at', 'landed_at', 'landed_by', 'landing', 'change_id'])
    .where('parents', 'not like', '% %');
  if (opts.repo !== undefined) {
    tq = tq.where('repo', '=', opts.repo);
    lq = lq.where('repo', '=', opts.repo);
    q = q.where('repo', '=', opts.repo);
  }
  const [tags, links, rows] = await Promise.all([tq.execute(), lq.execute(), q.execute()]);
  const tagLandings = new Set(tags.map((r) => `${r.repo}\u0000${r.landed_by}`));
  const bugs = new Set<string>();
  const blueprints = new Set<string>();
  for (const l of links) (BUG_LINK_KINDS.includes(l.kind) ? bugs : blueprints).add(`${l.repo}\u0000${l.sha}`);
  const out: HistoryCommit[] = rows.map((r) => {
    const k = `${r.repo}\u0000${r.sha}`;
    return {
      repo: r.repo,
      sha: r.sha,
      authorName: r.author_name,
      authorEmail: r.author_email,
      authoredAt: Number(r.authored_at),
      landedAt: Number(r.landed_at),
      landing: r.landing as LandingKind,
      backport: tagLandings.has(`${r.repo}\u0000${r.landed_by}`),
      namesBug: bugs.has(k),
      namesBlueprint: blueprints.has(k),
      changeId: r.change_id,
    };
  });
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
