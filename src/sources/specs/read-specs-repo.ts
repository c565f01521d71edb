/**
 * Reads a specs repository: its main line's history (spec-history.ts), the spec files' titles and
 * blueprint URLs (rst-spec.ts) and its redirects files, into spec records and warnings. Bad files
 * become warnings naming them; the rest of the repository is still read.
 *
 * A spec's blueprint is the first blueprint URL of the repository's own Launchpad project (the
 * project most specs' first URL names: `nova` in nova-specs), else the file name without `.rst`:
 * a spec that mentions an Ironic blueprint in passing is not taken for that blueprint.
 */
import type { SpecRecord, SpecsWarning } from '../../model/specs.js';
import { homeProject, ownBlueprintUrl, parseRstSpec } from './rst-spec.js';
import { parseNameStatusLog, replaySpecHistory, type SpecLineage } from './spec-history.js';
import { LayoutMatcher, parseRedirects, type SpecsLayout } from './spec-layout.js';
import { gitHead, gitListFiles, gitMainLineLog, gitReadBlobs } from './specs-git.js';

export interface SpecsRepoRead {
  head: string;
  headAt: number;
  commits: number;
  specs: SpecRecord[];
  warnings: SpecsWarning[];
}

const stem = (p: string): string =>
  p
    .slice(p.lastIndexOf('/') + 1)
    .replace(/\.rst$/i, '')
    .toLowerCase();

/** Reads the repository at `repo` (a local git checkout or bare clone) by `layout`. */
export async function readSpecsRepo(repo: string, layout: SpecsLayout): Promise<SpecsRepoRead> {
  const { head, at } = await gitHead(repo);
  const matcher = new LayoutMatcher(layout);
  const [log, files] = await Promise.all([gitMainLineLog(repo), gitListFiles(repo)]);
  const commits = parseNameStatusLog(log);

  // Redirects as they are now: OLD → NEW (null when NEW is outside the repository).
  const redirectFiles = files.filter((f) => matcher.isRedirects(f));
  const redirectBlobs = await gitReadBlobs(
    repo,
    redirectFiles.map((f) => `HEAD:${f}`),
  );
  const redirects = new Map<string, string | null>();
  for (const f of redirectFiles) {
    const b = redirectBlobs.get(`HEAD:${f}`);
    if (b) for (const r of parseRedirects(f, b.toString('utf8'))) redirects.set(r.from, r.to);
  }

  const lineages = replaySpecHistory(commits, matcher, redirects);
  // The text of each spec as it is now, or as it was just before it was removed.
  const revOf = (l: SpecLineage): string => (l.removedCommit ? `${l.removedCommit}^:${l.path}` : `HEAD:${l.path}`);
  const blobs = await gitReadBlobs(repo, lineages.map(revOf));

  const parsed = lineages.map((l) => {
    const bytes = blobs.get(revOf(l));
    return bytes ? parseRstSpec(bytes) : null;
  });
  const home = homeProject(parsed);

  const warnings: SpecsWarning[] = [];
  const specs: SpecRecord[] = lineages.map((l, i) => {
    const rst = parsed[i] ?? null;
    const own = rst ? ownBlueprintUrl(rst.blueprintUrls, home) : null;
    if (rst?.invalid) {
      warnings.push({
        kind: 'unreadable-rst',
        file: l.path,
        message: `not valid reStructuredText${rst.invalid.line ? ` (line ${rst.invalid.line})` : ''}: ${rst.invalid.reason}; recorded without a title`,
      });
    } else if (rst && rst.title === null) {
      warnings.push({ kind: 'no-title', file: l.path, message: 'has no title (no section title found); recorded without one' });
    }
    return {
      release: l.release,
      path: l.path,
      firstPath: l.firstPath,
      blueprint: own?.name ?? stem(l.path),
      blueprintUrl: own?.url ?? null,
      title: rst?.title ?? null,
      state: l.removedAt !== null ? 'removed' : l.place,
      approvedAt: l.approvedAt,
      approvedCommit: l.approvedCommit,
      implementedAt: l.implementedAt,
      implementedCommit: l.implementedCommit,
      removedAt: l.removedAt,
      renames: l.renames,
    } satisfies SpecRecord;
  });

  // A blueprint named by several specs of the same release (present now).
  const byKey = new Map<string, SpecRecord[]>();
  for (const s of specs) {
    if (s.state === 'removed') continue;
    const key = `${s.release ?? `(${s.state})`}\u0000${s.blueprint}`;
    const l = byKey.get(key);
    if (l) l.push(s);
    else byKey.set(key, [s]);
  }
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    const where = key.split('\u0000')[0]!;
    for (const s of list) {
      warnings.push({
        kind: 'duplicate-blueprint',
        file: s.path,
        message: `blueprint "${s.blueprint}" is named by ${list.length} specs of ${where}: ${list.map((x) => x.path).join(', ')}; each is kept, and the report counts each`,
      });
    }
  }
  return { head, headAt: at, commits: commits.length, specs, warnings };
}
