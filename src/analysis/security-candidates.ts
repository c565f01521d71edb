/**
 * Security team candidates (`steward security candidates`, docs/security-advisories.md
 * "Candidates"): people doing public security work, ranked with their evidence. Pure.
 *
 * Definitions:
 * - a **security change** is a Gerrit change that an advisory's review links name, or that names
 *   as fixed (Closes-Bug, Partial-Bug…) a bug of an advisory or a security bug; it is **public**
 *   from its **disclosure**: the earliest advisory day (00:00 UTC) among those naming it, or the
 *   security bug's `disclosedAt` (null: always public);
 * - a **security area** is a directory (`areaDepth` levels; files at the root do not make one) that
 *   a security change touched: where past vulnerabilities were fixed;
 * - per person in the window [since, until):
 *   - **fixes**: security changes they own, created at or after disclosure (public work, e.g. the
 *     backports), merged in the window (or created in it when not merged);
 *   - **security reviews**: their Code-Review votes on someone else's security change, cast at or
 *     after its disclosure, in the window;
 *   - **area changes**: other changes they own, merged in the window, touching a security area;
 *   - **area reviews**: their Code-Review votes in the window on someone else's change touching a
 *     security area;
 * - **score** = weights.fix × fixes + weights.review × security reviews + weights.areaChange ×
 *   area changes + weights.areaReview × area reviews (defaults 4, 2, 1, 0.5): public security work
 *   first, work near it second. Bots and the people in `exclude` (the security team) are left out;
 *   a person with a score of 0 is not listed. Ties: more fixes, then more security reviews, then the lower account id.
 */
import type { AdvisoryRecord, SecurityBug, SecurityWorkChange } from '../model/advisories.js';
import { areaOf } from './core-candidates.js';

export interface SecurityCandidateWeights {
  fix: number;
  review: number;
  areaChange: number;
  areaReview: number;
}

export const DEFAULT_SECURITY_WEIGHTS: SecurityCandidateWeights = { fix: 4, review: 2, areaChange: 1, areaReview: 0.5 };

export interface SecurityCandidatesOptions {
  since: number;
  until: number;
  /** Directory depth of a security area (default 2: `nova/compute/`). */
  areaDepth: number;
  weights: SecurityCandidateWeights;
  /** How many changes of each kind a candidate's evidence lists (default 10). */
  evidenceLimit: number;
}

export interface SecurityCandidatesInput {
  advisories: readonly AdvisoryRecord[];
  /** Security bugs from the bug tracker (may be empty: the advisories are enough). */
  securityBugs: readonly SecurityBug[];
  changes: readonly SecurityWorkChange[];
  isBot: (accountId: number) => boolean;
  /** Accounts left out: the security team itself. */
  exclude: ReadonlySet<number>;
}

export interface SecurityCandidate {
  accountId: number;
  score: number;
  fixes: number;
  securityReviews: number;
  areaChanges: number;
  areaReviews: number;
  /** The security areas their area work touched, most first. */
  areas: string[];
  /** `project#number` of the changes behind each count (first `evidenceLimit`). */
  evidence: { fixes: string[]; securityReviews: string[]; areaChanges: string[]; areaReviews: string[] };
  /** The advisories their fixes and security reviews relate to. */
  advisories: string[];
  lastActivity: string;
}

export interface SecurityCandidatesResult {
  window: { since: string; until: string };
  weights: SecurityCandidateWeights;
  areaDepth: number;
  /** Security changes found (all time) and the security areas they make. */
  securityChanges: number;
  areas: string[];
  candidates: SecurityCandidate[];
}

const DAY = 86_400_000;

/** The candidates, best first. See the module's definitions. */
export function computeSecurityCandidates(input: SecurityCandidatesInput, options: SecurityCandidatesOptions): SecurityCandidatesResult {
  const disclosedByBug = new Map<string, { at: number; advisory: string | null }>();
  const disclosedByNumber = new Map<number, { at: number; advisory: string }>();
  const earlier = <K>(m: Map<K, { at: number; advisory: string | null }>, k: K, v: { at: number; advisory: string | null }): void => {
    const old = m.get(k);
    if (!old || v.at < old.at) m.set(k, v);
  };
  for (const r of input.advisories) {
    const at = Date.parse(`${r.advisory.date}T00:00:00Z`);
    for (const b of r.facts.bugs)
      if (b.tracker === 'launchpad' && b.bug !== null) earlier(disclosedByBug, b.bug, { at, advisory: r.advisory.id });
    for (const v of r.facts.reviews)
      if (v.number !== null)
        earlier(disclosedByNumber as Map<number, { at: number; advisory: string | null }>, v.number, { at, advisory: r.advisory.id });
  }
  for (const b of input.securityBugs) earlier(disclosedByBug, b.bug, { at: b.disclosedAt ?? Number.NEGATIVE_INFINITY, advisory: null });

  // Security changes with their disclosure (earliest of what names them) and advisories.
  const security = new Map<number, { at: number; advisories: Set<string> }>();
  for (const c of input.changes) {
    const hits = [...c.bugs.map((b) => disclosedByBug.get(b)), disclosedByNumber.get(c.number)].filter((h) => h !== undefined);
    if (hits.length === 0) continue;
    security.set(c.id, {
      at: Math.min(...hits.map((h) => h.at)),
      advisories: new Set(hits.flatMap((h) => (h.advisory === null ? [] : [h.advisory]))),
    });
  }
  const rules = { prefixes: [] as string[], depth: options.areaDepth };
  const areasOf = (c: SecurityWorkChange): string[] => [...new Set(c.files.map((f) => areaOf(f, rules)))].filter((a) => a !== '/');
  const securityAreas = new Set<string>();
  for (const c of input.changes) if (security.has(c.id)) for (const a of areasOf(c)) securityAreas.add(a);

  interface Acc {
    fixes: string[];
    securityReviews: string[];
    areaChanges: string[];
    areaReviews: string[];
    areas: Map<string, number>;
    advisories: Set<string>;
    last: number;
  }
  const people = new Map<number, Acc>();
  const acc = (id: number): Acc | null => {
    if (input.isBot(id) || input.exclude.has(id)) return null;
    let a = people.get(id);
    if (!a)
      people.set(
        id,
        (a = { fixes: [], securityReviews: [], areaChanges: [], areaReviews: [], areas: new Map(), advisories: new Set(), last: 0 }),
      );
    return a;
  };
  const inWindow = (t: number | null): t is number => t !== null && t >= options.since && t < options.until;
  const ref = (c: SecurityWorkChange): string => `${c.project}#${c.number}`;

  for (const c of input.changes) {
    const sec = security.get(c.id);
    if (sec) {
      const when = c.mergedAt ?? (c.status === 'ABANDONED' ? null : c.created);
      if (c.created >= sec.at && inWindow(when)) {
        const a = acc(c.ownerId);
        if (a) {
          a.fixes.push(ref(c));
          for (const x of sec.advisories) a.advisories.add(x);
          a.last = Math.max(a.last, when);
        }
      }
      const seen = new Set<number>();
      for (const v of c.reviews) {
        if (v.accountId === c.ownerId || seen.has(v.accountId) || v.at < sec.at || !inWindow(v.at)) continue;
        const a = acc(v.accountId);
        if (!a) continue;
        seen.add(v.accountId);
        a.securityReviews.push(ref(c));
        for (const x of sec.advisories) a.advisories.add(x);
        a.last = Math.max(a.last, v.at);
      }
      continue;
    }
    const touched = areasOf(c).filter((x) => securityAreas.has(x));
    if (touched.length === 0) continue;
    const note = (a: Acc): void => {
      for (const t of touched) a.areas.set(t, (a.areas.get(t) ?? 0) + 1);
    };
    if (c.mergedAt !== null && inWindow(c.mergedAt)) {
      const a = acc(c.ownerId);
      if (a) {
        a.areaChanges.push(ref(c));
        note(a);
        a.last = Math.max(a.last, c.mergedAt);
      }
    }
    const seen = new Set<number>();
    for (const v of c.reviews) {
      if (v.accountId === c.ownerId || seen.has(v.accountId) || !inWindow(v.at)) continue;
      const a = acc(v.accountId);
      if (!a) continue;
      seen.add(v.accountId);
      a.areaReviews.push(ref(c));
      note(a);
      a.last = Math.max(a.last, v.at);
    }
  }

  const w = options.weights;
  const lim = (l: string[]): string[] => l.slice(0, options.evidenceLimit);
  const candidates: SecurityCandidate[] = [...people.entries()]
    .map(([accountId, a]) => ({
      accountId,
      score:
        w.fix * a.fixes.length +
        w.review * a.securityReviews.length +
        w.areaChange * a.areaChanges.length +
        w.areaReview * a.areaReviews.length,
      fixes: a.fixes.length,
      securityReviews: a.securityReviews.length,
      areaChanges: a.areaChanges.length,
      areaReviews: a.areaReviews.length,
      areas: [...a.areas.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([k]) => k),
      evidence: {
        fixes: lim(a.fixes),
        securityReviews: lim(a.securityReviews),
        areaChanges: lim(a.areaChanges),
        areaReviews: lim(a.areaReviews),
      },
      advisories: [...a.advisories].sort(),
      lastActivity: new Date(a.last).toISOString(),
    }))
    .filter((c) => c.score > 0)
    .sort((x, y) => y.score - x.score || y.fixes - x.fixes || y.securityReviews - x.securityReviews || x.accountId - y.accountId);
  return {
    window: { since: new Date(options.since).toISOString(), until: new Date(options.until).toISOString() },
    weights: w,
    areaDepth: options.areaDepth,
    securityChanges: security.size,
    areas: [...securityAreas].sort(),
    candidates,
  };
}

/** The default window of the candidates report: the 180 days before `now`. */
export function defaultCandidatesWindow(now: number): { since: number; until: number } {
  return { since: now - 180 * DAY, until: now };
}
