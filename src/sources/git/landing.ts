/**
 * When and by what each commit landed on the main branch, from the commit graph alone (pure).
 *
 * The main line is the sequence of commits the branch pointed to, newest first. Git does not record
 * it, so it is reconstructed from the tip: a landing merge (Gerrit's `Merge "…"`, Tarmac's, GitHub's)
 * was made on top of the branch as it was, so its first parent is the previous main-line commit;
 * so is the only parent of an ordinary commit (fast-forwarded or pushed). A merge made by hand that
 * the branch was then moved onto is the exception: "merge trunk into my branch, push the result"
 * leaves the trunk as its *second* parent. There the main line continues with the parent nearest
 * (in first-parent steps) to a landing merge, the first parent on a tie.
 *
 * Each commit then lands with the oldest main-line commit it is reachable from: walking the main
 * line from its oldest end, a main-line commit brings in every ancestor not brought in before.
 * This is `git rev-list M^1..M` along the *reconstructed* main line; taken along the plain first-
 * parent chain, or for every `Merge "…"` commit, it goes wrong on real histories (nova's):
 * - commits Gerrit fast-forwarded onto the branch have no merge of their own: they land by
 *   themselves (kind `direct`), and the next merge's `M^1..M` does not contain them;
 * - a release tag merged into master brings the stable branch's commits *and its own landing
 *   merges* with it: those merges landed on the stable branch, not on master; the commits land on
 *   master with the merge that brought the tag in;
 * - in 2010, "Merge with -core's diverged trunk." had trunk as its second parent: the first-parent
 *   chain wanders down a developer's branch and would count trunk's Tarmac-merged commits into the
 *   developer's merge.
 */
import type { CommitLanding } from '../../model/git.js';
import type { GraphCommit } from './git-log-parser.js';

export interface LandingRules {
  /**
   * Committer names of the systems that merge approved work (case-insensitive). A merge commit
   * with one of these committers, or with a subject like `Merge "…"`, `Merge changes I…` or
   * `Merge pull request #…`, is a landing merge.
   */
  landingCommitters: readonly string[];
}

export const DEFAULT_LANDING_COMMITTERS: readonly string[] = ['Gerrit Code Review', 'Tarmac', 'GitHub', 'Zuul'];

const LANDING_SUBJECT = /^Merge (?:"|changes? I[0-9a-f]{6,}|pull request #\d+)/;

/** Whether `c` is a merge made by the review/CI system (see {@link LandingRules}). */
export function isLandingMerge(c: GraphCommit, rules: LandingRules): boolean {
  if (c.parents.length < 2) return false;
  if (LANDING_SUBJECT.test(c.subject)) return true;
  const name = c.committerName.toLowerCase();
  return rules.landingCommitters.some((n) => n.toLowerCase() === name);
}

/**
 * The landing of every commit reachable from `tip` (see the module comment for the definition).
 * `commits` must hold every commit reachable from `tip`; parents missing from it (a shallow clone)
 * end the walk. Runs in time linear in the number of commits and parent links; no recursion, so
 * histories of any depth are fine.
 *
 * @example computeLandings(graph, 'd0076264…', { landingCommitters: DEFAULT_LANDING_COMMITTERS })
 * // Map { 'd0076264…' => { landedBy: 'd0076264…', landedAt: …, kind: 'merge', mainline: true }, … }
 */
export function computeLandings(commits: Iterable<GraphCommit>, tip: string, rules: LandingRules): Map<string, CommitLanding> {
  const bySha = new Map<string, GraphCommit>();
  for (const c of commits) bySha.set(c.sha, c);
  const landingMerge = new Map<string, boolean>();
  const isLanding = (sha: string): boolean => {
    let v = landingMerge.get(sha);
    if (v === undefined) landingMerge.set(sha, (v = isLandingMerge(bySha.get(sha)!, rules)));
    return v;
  };

  // First-parent steps from a commit to the nearest landing merge (Infinity: none), memoised;
  // computed by walking down and filling the path back up.
  const distance = new Map<string, number>();
  const distanceTo = (start: string): number => {
    const path: string[] = [];
    let x: string | undefined = start;
    let d = Infinity;
    while (x !== undefined) {
      const known = distance.get(x);
      if (known !== undefined) {
        d = known;
        break;
      }
      const c = bySha.get(x);
      if (!c) break;
      if (isLanding(x)) {
        d = 0;
        distance.set(x, 0);
        break;
      }
      path.push(x);
      x = c.parents[0];
    }
    for (let i = path.length - 1; i >= 0; i--) distance.set(path[i]!, (d = d + 1));
    return distance.get(start) ?? d;
  };

  const mainline: string[] = [];
  const onMainline = new Set<string>();
  for (let x: string | undefined = tip; x !== undefined && bySha.has(x) && !onMainline.has(x);) {
    const c: GraphCommit = bySha.get(x)!;
    mainline.push(x);
    onMainline.add(x);
    let next = c.parents[0];
    if (c.parents.length > 1 && !isLanding(x)) {
      let best = Infinity;
      for (const p of c.parents) {
        if (!bySha.has(p)) continue;
        const d = distanceTo(p);
        if (d < best) {
          best = d;
          next = p;
        }
      }
    }
    x = next;
  }

  const out = new Map<string, CommitLanding>();
  const stack: string[] = [];
  for (let i = mainline.length - 1; i >= 0; i--) {
    const m = mainline[i]!;
    const mc = bySha.get(m)!;
    const landing = { landedBy: m, landedAt: mc.committedAt, kind: isLanding(m) ? 'merge' : 'direct' } as const;
    stack.push(m);
    while (stack.length > 0) {
      const y = stack.pop()!;
      if (out.has(y)) continue;
      const yc = bySha.get(y);
      if (!yc) continue;
      out.set(y, { ...landing, mainline: onMainline.has(y) });
      for (const p of yc.parents) if (!out.has(p)) stack.push(p);
    }
  }
  return out;
}
