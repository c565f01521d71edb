/**
 * The git sync (`steward git sync`) for one repository: git → parser → landing → store.
 *
 * - Incremental: the checkpoint is the branch tip last synced. The same tip again: nothing to do.
 *   Otherwise one light pass over the branch's graph (hash, parents, committer, time, subject)
 *   recomputes every landing — cheap, and always consistent with the branch as it is now — and
 *   only commits not yet stored are read in full.
 * - Rewritten branches: commits no longer reachable from the tip are removed, landings that
 *   changed are updated; so a force-pushed branch leaves the store as a fresh sync would.
 * - Whole or nothing: the changes of a sync are applied in one transaction; bad input (not a
 *   repository, no such branch) is refused before anything is written.
 * - Exclusive: a lock per repository name; a second sync of it refuses with SYNC_BUSY.
 */
import type { CommitLanding } from '../model/git.js';
import { StewardError } from '../model/errors.js';
import {
  COMMIT_FORMAT,
  GRAPH_FORMAT,
  GitFormatError,
  parseCommitRecord,
  parseGraphRecord,
  type GraphCommit,
} from '../sources/git/git-log-parser.js';
import { gitRecords, resolveRepository, type ResolvedRepository } from '../sources/git/git-runner.js';
import { computeLandings, type LandingRules } from '../sources/git/landing.js';
import type { Store } from '../store/engine.js';
import { applyGitSync, getGitSyncState, loadStoredLandings, type CommitToStore } from '../store/git-store.js';
import { summariseCodeHistory } from '../store/queries/code-history.js';
import { acquireLock, releaseLock } from '../store/sync-store.js';
import { isProcessAlive, lockOwner } from './sync-lock.js';

export interface GitSyncTarget {
  /** The repository's path (a working tree or a bare repository). */
  path: string;
  /** The branch to sync (default: the branch HEAD points to). */
  branch?: string;
  /** The name to store it under (default: the directory name without `.git`). */
  name?: string;
}

export interface GitSyncOptions {
  clock: () => number;
  rules: LandingRules;
  /** Re-read every commit in full, as on a first sync (landings are recomputed on every sync anyway). */
  full?: boolean;
  /** A lock whose holder has not written a heartbeat for this long is taken over (default 10 min). */
  staleLockMs?: number;
  /**
   * Let a branch that shares less than half of its commits with the history stored under the same
   * name replace it (default false: SOURCE_EMPTY, nothing changed). Without it, another repository,
   * another branch or a shallow clone synced under a name already used cannot wipe that history.
   */
  replace?: boolean;
  /** Progress: commits read in the graph pass, then commits stored. */
  onProgress?: (p: { phase: 'graph' | 'store'; count: number; total: number }) => void;
}

export interface GitSyncResult {
  repo: string;
  path: string;
  branch: string;
  tip: string;
  /** The tip of the previous sync (null on the first). */
  previousTip: string | null;
  /** The branch had not moved: nothing was read or written. */
  upToDate: boolean;
  /** Commits on the branch now. */
  commits: number;
  /** Commits stored by this sync. */
  added: number;
  /** Commits removed because the branch no longer contains them. */
  removed: number;
  /** Stored commits whose landing changed. */
  relanded: number;
  /** Commits on the reconstructed main line, and commits by landing kind. */
  mainline: number;
  landedByMerge: number;
  landedDirect: number;
  durationMs: number;
}

function sameLanding(a: CommitLanding, b: CommitLanding): boolean {
  return a.landedBy === b.landedBy && a.landedAt === b.landedAt && a.kind === b.kind && a.mainline === b.mainline;
}

function formatError(repo: ResolvedRepository, e: unknown): unknown {
  if (e instanceof GitFormatError)
    return new StewardError(
      'GIT_REPOSITORY',
      `git printed a commit record Steward cannot read: ${e.message}`,
      { where: repo.path },
      { cause: e },
    );
  // git ran in a bundle's temporary clone: name the bundle.
  if (e instanceof StewardError && e.details.where === repo.gitPath) e.details.where = repo.path;
  return e;
}

/** Syncs one repository's branch into the store. Throws StewardError (nothing written) on bad input. */
export async function syncGitRepository(store: Store, target: GitSyncTarget, opts: GitSyncOptions): Promise<GitSyncResult> {
  const t0 = opts.clock();
  const repo = await resolveRepository(target.path, target.branch);
  const name = target.name ?? repo.defaultName;
  const lockName = `git:${name}`;
  const me = lockOwner();
  let holder;
  try {
    holder = await acquireLock(store.db, lockName, me, opts.clock(), opts.staleLockMs ?? 600_000, isProcessAlive);
  } catch (e) {
    repo.cleanup();
    throw e;
  }
  if (holder) {
    repo.cleanup();
    throw new StewardError(
      'SYNC_BUSY',
      `another sync of git repository "${name}" is running (process ${holder.pid} on ${holder.hostname}, since ${new Date(holder.acquired_at).toISOString()})`,
      {
        where: repo.path,
        hint: 'Wait for it to finish, then run the command again. A sync that died is taken over automatically.',
      },
    );
  }
  try {
    const previous = await getGitSyncState(store.db, name);
    const base = { repo: name, path: repo.path, branch: repo.branch, tip: repo.tip, previousTip: previous?.tip ?? null };
    if (previous && previous.tip === repo.tip && previous.branch === repo.branch && !opts.full) {
      const [stored] = await summariseCodeHistory(store.db, name);
      return {
        ...base,
        upToDate: true,
        commits: previous.commits,
        added: 0,
        removed: 0,
        relanded: 0,
        mainline: stored?.mainline ?? 0,
        landedByMerge: stored?.landedByMerge ?? 0,
        landedDirect: stored?.landedDirect ?? 0,
        durationMs: opts.clock() - t0,
      };
    }

    // The graph of the whole branch, light: about a second for nova's 62,000 commits.
    const graph: GraphCommit[] = [];
    try {
      for await (const rec of gitRecords(repo.gitPath, ['log', `--format=${GRAPH_FORMAT}`, repo.tip, '--'])) {
        graph.push(parseGraphRecord(rec));
        if (graph.length % 5000 === 0) opts.onProgress?.({ phase: 'graph', count: graph.length, total: 0 });
      }
    } catch (e) {
      throw formatError(repo, e);
    }
    const landings = computeLandings(graph, repo.tip, opts.rules);
    const storedNow = await loadStoredLandings(store.db, name);
    const removed = [...storedNow.keys()].filter((sha) => !landings.has(sha));
    if (!opts.replace && removed.length * 2 > storedNow.size) {
      throw new StewardError(
        'SOURCE_EMPTY',
        `branch ${repo.branch} (tip ${repo.tip.slice(0, 12)}) does not contain ${removed.length} of the ${storedNow.size} commits stored as repository "${name}"${previous ? ` (last synced from ${previous.path}, branch ${previous.branch})` : ''}: this looks like another repository, another branch or a shallow clone, so the stored history was kept and nothing was changed`,
        {
          where: repo.path,
          hint: 'Check --repo and --branch; store this history under another name with --name, or run again with --replace to replace the stored one.',
        },
      );
    }
    // --full: everything stored goes and every commit is read again, in the same transaction.
    const stored = opts.full ? new Map<string, CommitLanding>() : storedNow;
    const gone = opts.full ? [...storedNow.keys()] : removed;
    const relanded: Array<{ sha: string; landing: CommitLanding }> = [];
    const fresh: string[] = [];
    for (const [sha, l] of landings) {
      const had = stored.get(sha);
      if (!had) fresh.push(sha);
      else if (!sameLanding(had, l)) relanded.push({ sha, landing: l });
    }

    const incoming = async function* (): AsyncGenerator<CommitToStore> {
      if (fresh.length === 0) return;
      // First sync: walk the branch. Later: exactly the new commits, named on standard input.
      const args =
        stored.size === 0
          ? ['log', `--format=${COMMIT_FORMAT}`, repo.tip, '--']
          : ['log', '--no-walk=unsorted', '--stdin', `--format=${COMMIT_FORMAT}`];
      const input = stored.size === 0 ? undefined : fresh.join('\n') + '\n';
      let count = 0;
      try {
        for await (const rec of gitRecords(repo.gitPath, args, input)) {
          const commit = parseCommitRecord(rec);
          const landing = landings.get(commit.sha);
          if (!landing)
            throw new StewardError('GIT_REPOSITORY', `git listed commit ${commit.sha}, which is not on branch ${repo.branch}`, {
              where: repo.path,
            });
          count += 1;
          yield { commit, landing };
        }
      } catch (e) {
        throw formatError(repo, e);
      }
      // Checked while the transaction is open, so a short read stores nothing.
      if (count !== fresh.length) {
        throw new StewardError(
          'GIT_REPOSITORY',
          `git printed ${count} of the ${fresh.length} new commits of branch ${repo.branch}; nothing was stored`,
          { where: repo.path, hint: 'Check the repository with `git fsck`, then run the command again.' },
        );
      }
    };
    const added = await applyGitSync(
      store,
      {
        repo: name,
        gone,
        relanded,
        state: { repo: name, path: repo.path, branch: repo.branch, tip: repo.tip, commits: landings.size, synced_at: opts.clock() },
      },
      incoming(),
      (n) => opts.onProgress?.({ phase: 'store', count: n, total: fresh.length }),
    );
    let mainline = 0;
    let merged = 0;
    for (const l of landings.values()) {
      if (l.mainline) mainline += 1;
      if (l.kind === 'merge') merged += 1;
    }
    return {
      ...base,
      upToDate: false,
      commits: landings.size,
      added,
      removed: removed.length,
      relanded: relanded.length,
      mainline,
      landedByMerge: merged,
      landedDirect: landings.size - merged,
      durationMs: opts.clock() - t0,
    };
  } finally {
    await releaseLock(store.db, lockName, me.owner).catch(() => undefined);
    repo.cleanup();
  }
}
