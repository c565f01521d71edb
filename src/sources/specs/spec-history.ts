/**
 * Specs through a repository's history: when each was added under a release (its approval),
 * moved to implemented/, renamed, moved elsewhere or deleted. Pure: the git runner
 * (specs-git.ts) supplies the main line's commits with their file changes.
 */
import type { SpecRename } from '../../model/specs.js';
import type { LayoutMatcher, PathClass, SpecPlace } from './spec-layout.js';

/** One file change of a commit against its first parent (`git log --name-status`). */
export interface FileChange {
  /** A, M, D, R (renamed, `from` set), C (copied, `from` set), T. */
  status: string;
  path: string;
  from?: string;
}

/** A commit on the main line (first parent), oldest first. */
export interface LogCommit {
  hash: string;
  /** Committer time, epoch ms: when the change reached the main line. */
  at: number;
  changes: FileChange[];
}

/** One spec of one release (or of the backlog/abandoned directories) through its history. */
export interface SpecLineage {
  release: string | null;
  place: SpecPlace;
  path: string;
  firstPath: string;
  approvedAt: number;
  approvedCommit: string;
  implementedAt: number | null;
  implementedCommit: string | null;
  /** When the file was deleted, moved out of the layout or to another release; null while it is there. */
  removedAt: number | null;
  removedCommit: string | null;
  renames: SpecRename[];
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Parses `git log --first-parent --diff-merges=first-parent -M --name-status -z
 * --format=%x1e%H %ct %P` output (oldest first when run with --reverse).
 */
export function parseNameStatusLog(out: string): LogCommit[] {
  const commits: LogCommit[] = [];
  for (const chunk of out.split('\x1e')) {
    if (!chunk) continue;
    const headEnd = chunk.indexOf('\0');
    const head = (headEnd < 0 ? chunk : chunk.slice(0, headEnd)).trim();
    const [hash, ct] = head.split(' ');
    if (!hash || !ct) continue;
    const tokens =
      headEnd < 0
        ? []
        : chunk
            .slice(headEnd + 1)
            .split('\0')
            .map((t) => t.replace(/^\n/, ''));
    const changes: FileChange[] = [];
    for (let i = 0; i < tokens.length;) {
      const status = tokens[i++]!;
      if (!status) continue;
      const kind = status[0]!;
      if (kind === 'R' || kind === 'C') {
        const from = tokens[i++] ?? '';
        const path = tokens[i++] ?? '';
        changes.push({ status: kind, path, from });
      } else {
        changes.push({ status: kind, path: tokens[i++] ?? '' });
      }
    }
    commits.push({ hash, at: Number(ct) * 1000, changes });
  }
  return commits;
}

const sameRelease = (a: PathClass, b: PathClass): boolean =>
  a.release !== null ? a.release === b.release && (b.place === 'approved' || b.place === 'implemented') : b.release === null;

/**
 * Replays the main line's file changes and returns every spec lineage, in order of approval.
 *
 * - Added under a release (approved/, the flat release directory, or implemented/ directly): a new
 *   spec approved at that commit (added under implemented/: implemented at the same time).
 * - Renamed within the same release: the same spec; approved/ → implemented/ sets its implemented
 *   time (implemented/ → approved/ clears it); a changed file name is recorded as a rename.
 * - Backlog ↔ abandoned: the same spec, its place updated.
 * - Renamed to another release, between a release and the backlog, or out of the layout: the old
 *   spec ends there (removed) and, when the new path is a spec, a new one starts (approved then),
 *   its rename list beginning with the move.
 * - Deleted: the spec ends (removed). A deletion and an addition in the same commit that a
 *   redirects file (`redirects`, OLD → NEW) pairs up count as a rename.
 */
export function replaySpecHistory(
  commits: readonly LogCommit[],
  layout: LayoutMatcher,
  redirects: ReadonlyMap<string, string | null> = new Map(),
): SpecLineage[] {
  const all: SpecLineage[] = [];
  const live = new Map<string, SpecLineage>();

  const start = (path: string, cls: PathClass, c: LogCommit, movedFrom?: string): void => {
    if (live.has(path)) return;
    const l: SpecLineage = {
      release: cls.release,
      place: cls.place,
      path,
      firstPath: path,
      approvedAt: c.at,
      approvedCommit: c.hash,
      implementedAt: cls.place === 'implemented' ? c.at : null,
      implementedCommit: cls.place === 'implemented' ? c.hash : null,
      removedAt: null,
      removedCommit: null,
      renames: movedFrom ? [{ from: movedFrom, to: path, at: c.at, commit: c.hash }] : [],
    };
    live.set(path, l);
    all.push(l);
  };
  const end = (l: SpecLineage, c: LogCommit): void => {
    l.removedAt = c.at;
    l.removedCommit = c.hash;
    live.delete(l.path);
  };
  const move = (from: string, to: string, c: LogCommit): void => {
    const l = live.get(from);
    const ct = layout.classify(to);
    if (!l) {
      if (ct) start(to, ct, c);
      return;
    }
    const cf: PathClass = { place: l.place, release: l.release };
    if (ct && sameRelease(cf, ct)) {
      live.delete(from);
      if (ct.place === 'implemented' && l.implementedAt === null) {
        l.implementedAt = c.at;
        l.implementedCommit = c.hash;
      } else if (ct.place === 'approved' && l.place === 'implemented') {
        l.implementedAt = null;
        l.implementedCommit = null;
      }
      if (baseName(from) !== baseName(to)) l.renames.push({ from, to, at: c.at, commit: c.hash });
      l.place = ct.place;
      l.path = to;
      live.set(to, l);
      return;
    }
    end(l, c);
    if (ct) start(to, ct, c, from);
  };

  for (const c of commits) {
    // Deletions a redirect pairs with an addition of the same commit are renames.
    const added = new Set(c.changes.filter((f) => f.status === 'A').map((f) => f.path));
    const paired = new Map<string, string>();
    for (const f of c.changes) {
      if (f.status !== 'D') continue;
      const to = redirects.get(f.path);
      if (to && added.has(to)) paired.set(f.path, to);
    }
    const pairedTargets = new Set(paired.values());
    for (const [from, to] of paired) move(from, to, c);
    for (const f of c.changes) {
      if (f.status === 'R') move(f.from!, f.path, c);
    }
    for (const f of c.changes) {
      if ((f.status === 'A' || f.status === 'C') && !pairedTargets.has(f.path)) {
        const cls = layout.classify(f.path);
        if (cls) start(f.path, cls, c);
      } else if (f.status === 'D' && !paired.has(f.path)) {
        const l = live.get(f.path);
        if (l) end(l, c);
      }
    }
  }
  return all;
}
