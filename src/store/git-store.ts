/**
 * Store side of `steward git sync`: the checkpoint per repository, the landings already stored, and
 * one transaction that applies a sync (commits gone from the branch removed, new commits inserted
 * as they stream from git, changed landings updated, checkpoint moved), so a sync is stored whole
 * or not at all. Row types stay here; model/git.ts has the records.
 */
import type { Kysely } from 'kysely';
import type { CommitLanding, GitCommit, LandingKind } from '../model/git.js';
import type { Store } from './engine.js';
import type { Database, GitSyncStateTable } from './schema.js';

export type GitSyncState = GitSyncStateTable;

/** The checkpoint of `repo`, or null before its first sync. */
export async function getGitSyncState(db: Kysely<Database>, repo: string): Promise<GitSyncState | null> {
  return (await db.selectFrom('git_sync_state').selectAll().where('repo', '=', repo).executeTakeFirst()) ?? null;
}

/** Every synced repository's checkpoint, by name. */
export async function listGitSyncStates(db: Kysely<Database>): Promise<GitSyncState[]> {
  return db.selectFrom('git_sync_state').selectAll().orderBy('repo').execute();
}

/** The landing of every stored commit of `repo`, by hash. */
export async function loadStoredLandings(db: Kysely<Database>, repo: string): Promise<Map<string, CommitLanding>> {
  const rows = await db
    .selectFrom('git_commits')
    .select(['sha', 'landed_by', 'landed_at', 'landing', 'mainline'])
    .where('repo', '=', repo)
    .execute();
  const out = new Map<string, CommitLanding>();
  for (const r of rows)
    out.set(r.sha, { landedBy: r.landed_by, landedAt: Number(r.landed_at), kind: r.landing as LandingKind, mainline: r.mainline === 1 });
  return out;
}

/** A commit to store with its landing. */
export interface CommitToStore {
  commit: GitCommit;
  landing: CommitLanding;
}

export interface GitSyncPlan {
  repo: string;
  /** Hashes of stored commits no longer on the branch (a rewritten branch). */
  gone: readonly string[];
  /** Stored commits whose landing changed (the main line was rewritten). */
  relanded: ReadonlyArray<{ sha: string; landing: CommitLanding }>;
  /** The new checkpoint. */
  state: GitSyncStateTable;
}

const COMMIT_COLUMNS = [
  'repo',
  'sha',
  'parents',
  'author_name',
  'author_email',
  'authored_at',
  'committer_name',
  'committer_email',
  'committed_at',
  'subject',
  'message',
  'change_id',
  'mainline',
  'landed_by',
  'landed_at',
  'landing',
  'merge_commit',
  'author_key',
  'names',
] as const;
const BUG_KINDS: ReadonlySet<string> = new Set(['closes-bug', 'partial-bug', 'related-bug']);
const BLUEPRINT_KINDS: ReadonlySet<string> = new Set(['implements', 'partially-implements', 'related', 'mention']);
const LINK_COLUMNS = ['repo', 'sha', 'kind', 'target'] as const;
const BATCH = 500;

/**
 * Applies one sync of `plan.repo` in a single transaction: deletes `gone` commits and their links,
 * inserts the commits `incoming` yields (streamed; inserted in batches as they come), updates
 * `relanded` landings and writes the checkpoint. Returns how many commits were inserted. If
 * `incoming` throws, nothing is written.
 */
export async function applyGitSync(
  store: Store,
  plan: GitSyncPlan,
  incoming: AsyncIterable<CommitToStore>,
  onBatch?: (inserted: number) => void,
): Promise<number> {
  const { repo } = plan;
  return store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < plan.gone.length; i += BATCH) {
      const chunk = plan.gone.slice(i, i + BATCH);
      await trx.deleteFrom('git_commit_links').where('repo', '=', repo).where('sha', 'in', chunk).execute();
      await trx.deleteFrom('git_commits').where('repo', '=', repo).where('sha', 'in', chunk).execute();
    }
    let inserted = 0;
    let rows: unknown[][] = [];
    let links: unknown[][] = [];
    const flush = async (): Promise<void> => {
      if (rows.length === 0) return;
      await store.bulk.insert(trx, 'git_commits', COMMIT_COLUMNS, rows);
      await store.bulk.insert(trx, 'git_commit_links', LINK_COLUMNS, links);
      inserted += rows.length;
      rows = [];
      links = [];
      onBatch?.(inserted);
    };
    for await (const { commit: c, landing: l } of incoming) {
      rows.push([
        repo,
        c.sha,
        c.parents.join(' '),
        c.authorName,
        c.authorEmail,
        c.authoredAt,
        c.committerName,
        c.committerEmail,
        c.committedAt,
        c.subject,
        c.message,
        c.changeId,
        l.mainline ? 1 : 0,
        l.landedBy,
        l.landedAt,
        l.kind,
        c.parents.length > 1 ? 1 : 0,
        c.authorEmail.trim().toLowerCase(),
        // The same kinds the history counts (store/queries/code-history.ts).
        (c.bugs.some((b) => BUG_KINDS.has(b.kind)) ? 1 : 0) + (c.blueprints.some((r) => BLUEPRINT_KINDS.has(r.kind)) ? 2 : 0),
      ]);
      for (const b of c.bugs) links.push([repo, c.sha, b.kind, b.target]);
      // Commits have no topic: their blueprint references are trailers and mentions.
      for (const r of c.blueprints) links.push([repo, c.sha, r.kind, r.name]);
      if (rows.length >= BATCH) await flush();
    }
    await flush();
    for (const { sha, landing: l } of plan.relanded) {
      await trx
        .updateTable('git_commits')
        .set({ landed_by: l.landedBy, landed_at: l.landedAt, landing: l.kind, mainline: l.mainline ? 1 : 0 })
        .where('repo', '=', repo)
        .where('sha', '=', sha)
        .execute();
    }
    // A commit is a backport when its landing brought a release-tag merge: that depends on the other
    // commits of the landing, so it is recomputed for the repository whenever the sync changed it
    // (only the rows whose flag changes are written).
    if (inserted > 0 || plan.gone.length > 0 || plan.relanded.length > 0) {
      const tagLandings = trx
        .selectFrom('git_commits as t')
        .select('t.landed_by')
        .where('t.repo', '=', repo)
        .where('t.subject', 'like', 'Merge tag %');
      await trx
        .updateTable('git_commits')
        .set((eb) => ({ backport: eb.case().when('landed_by', 'in', tagLandings).then(1).else(0).end() }))
        .where('repo', '=', repo)
        .where((eb) => eb('backport', '<>', eb.case().when('landed_by', 'in', tagLandings).then(1).else(0).end()))
        .execute();
    }
    const { repo: _r, ...rest } = plan.state;
    await trx
      .insertInto('git_sync_state')
      .values(plan.state)
      .onConflict((oc) => oc.column('repo').doUpdateSet(rest))
      .execute();
    return inserted;
  });
}
