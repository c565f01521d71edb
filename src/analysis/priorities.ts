/**
 * Release priorities (`steward priorities report --release R`): per priority of the release, its
 * changes proposed in the release, how many merged, were abandoned or are still open, the reviews
 * they received, and how long they waited for review compared with the release's other changes.
 * Did being a priority get changes reviewed faster?
 *
 * Definitions (all as of `asOf`: the release day, or `now` while the release is in progress):
 * - A change belongs to a priority when any of its blueprints (Gerrit's `blueprint:NAME`: the
 *   commit message's Implements/Partially-Implements lines or a bp/NAME topic), topics (`topic:T`,
 *   exact) or queries (any Gerrit search query, analysis/gerrit-query) matches it. Blueprints and
 *   topics are evaluated as those queries, so there is one matching rule.
 * - Proposed in the release: created in [release start, asOf). Merged / abandoned: by asOf; open:
 *   neither.
 * - Reviews: human reviews received by asOf (reviews.ts: one person's acts on one patch set).
 * - Wait for review: the time the change spent waiting on reviewers from creation to its merge or
 *   abandonment (`reviewersDays` of `steward waits`, queue-state.ts), for every change proposed in
 *   the release (the cohort): a change still open at asOf has waited at least its time so far and
 *   is censored there, not dropped. Medians are Kaplan–Meier medians on that scale (Greenwood,
 *   log-log band; null when fewer than half have finished waiting); also the waits report's time
 *   to first human and first core review (never reviewed: censored).
 * - Comparison: the priority's median wait minus that of the release's changes in no priority
 *   (`baseline`), and of those of them that implement a blueprint (`featureBaseline`: like for
 *   like), with a seeded 95% bootstrap interval that re-draws whole blueprints (a change with no
 *   blueprint is its own cluster), since changes of one blueprint are alike (flow-inference.ts).
 *   `faster`/`slower` when the interval is on one side of 0; else `inconclusive` (the data cannot
 *   tell — not "no difference"); `too few changes` when either side has fewer than 6 changes or no
 *   median yet.
 *
 * Priorities come from steward.yaml and from the store; when both define the same release and
 * title (ignoring case), steward.yaml's wins and the stored one is listed as shadowed.
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Priority } from '../model/priorities.js';
import type { Timestamp } from '../model/records.js';
import { compileQuery, QueryView, type QueryEnv } from './gerrit-query/evaluate.js';
import { reviewActsOf } from './queue-state.js';
import { extractReviews } from './reviews.js';
import { bootstrapKmMedianPair, timeToEvent, type EventTime, type FollowedTime } from './flow-inference.js';
import { round } from './stats.js';
import { kindOf, type ChangeWaits, type ReleaseCycle } from './waits.js';

export type PriorityVerdict = 'faster' | 'slower' | 'inconclusive' | 'too few changes';

export interface PriorityComparison {
  verdict: PriorityVerdict;
  /** Median wait of the priority minus the baseline's, days (negative: the priority waited less). */
  differenceDays: number | null;
  /** 95% bootstrap interval of the difference (re-drawing blueprints), days. */
  low: number | null;
  high: number | null;
  /** Clusters (blueprints, and changes with none) re-drawn in all, and on each side; re-draws without a median. */
  clusters: number;
  priorityClusters: number;
  baselineClusters: number;
  failed: number;
  /** Why the verdict is `inconclusive` or `too few changes` when the interval alone does not say. */
  reason: string | null;
  /** Baseline median / priority median (2 = the priority waited half as long); null when a median is 0 or missing. */
  speedup: number | null;
  /**
   * Priority median / baseline median (2 = the priority waited twice as long: "2× slower"), with its
   * 95% interval from the same re-draws (of the difference of the medians' logarithms); null when a
   * median is 0 or missing.
   */
  factor: number | null;
  factorLow: number | null;
  factorHigh: number | null;
}

/** A median time with its interval (EventTime of flow-inference.ts). */
export type PriorityMedianCi = EventTime;

export interface PriorityGroupStats {
  proposed: number;
  merged: number;
  abandoned: number;
  open: number;
  reviews: number;
  /** Median time waiting on reviewers, days: Kaplan–Meier, open changes censored at their wait so far. */
  reviewersDays: PriorityMedianCi;
  firstHumanReviewDays: PriorityMedianCi;
  firstCoreReviewDays: PriorityMedianCi;
}

export interface PriorityChange {
  number: number;
  project: string;
  url: string | null;
  status: 'merged' | 'abandoned' | 'open';
  /** Which of the priority's blueprints, topics or queries matched (`blueprint:x`, `topic:y`, the query). */
  matchedBy: string[];
  /** Time waiting on reviewers by the close, or so far while open (then `censored`). */
  reviewersDays: number | null;
  censored: boolean;
  /** The cluster the comparison re-draws: `blueprint:NAME`, or `change:N` for a change with none. */
  cluster: string;
}

export interface PriorityResult extends PriorityGroupStats {
  title: string;
  origin: 'config' | 'store';
  id: number | null;
  createdBy: string | null;
  createdAt: string | null;
  blueprints: string[];
  topics: string[];
  queries: string[];
  vsBaseline: PriorityComparison;
  vsFeatureBaseline: PriorityComparison;
  changes: PriorityChange[];
}

export interface PrioritiesResult {
  release: { name: string; start: string; featureFreeze: string; release: string };
  asOf: string;
  priorities: PriorityResult[];
  /** Every change in at least one priority. */
  allPriorities: PriorityGroupStats & { vsBaseline: PriorityComparison; vsFeatureBaseline: PriorityComparison };
  /** The release's changes in no priority. */
  baseline: PriorityGroupStats;
  /** The release's changes in no priority that implement a blueprint. */
  featureBaseline: PriorityGroupStats;
  /** Stored priorities hidden by a steward.yaml priority of the same release and title. */
  shadowed: Array<{ id: number | null; title: string }>;
  summary: string[];
}

/** Same release and title, ignoring case. */
const keyOf = (p: { release: string; title: string }): string => `${p.release.toLowerCase()}\u0000${p.title.trim().toLowerCase()}`;

/**
 * steward.yaml's priorities, then the stored ones whose release and title it does not define.
 * Returns the stored ones it hides as `shadowed`.
 */
export function mergePriorities(
  fromConfig: readonly Priority[],
  stored: readonly Priority[],
): { priorities: Priority[]; shadowed: Priority[] } {
  const taken = new Set(fromConfig.map(keyOf));
  return {
    priorities: [...fromConfig, ...stored.filter((p) => !taken.has(keyOf(p)))],
    shadowed: stored.filter((p) => taken.has(keyOf(p))),
  };
}

/** The Gerrit queries a priority stands for, each with the label it is reported by. */
export function priorityQueries(p: Pick<Priority, 'blueprints' | 'topics' | 'queries'>): Array<{ label: string; query: string }> {
  const quote = (s: string): string => `"${s.replace(/"/g, '')}"`;
  return [
    ...p.blueprints.map((b) => ({ label: `blueprint:${b}`, query: `blueprint:${quote(b)}` })),
    ...p.topics.map((t) => ({ label: `topic:${t}`, query: `topic:${quote(t)}` })),
    ...p.queries.map((q) => ({ label: q, query: q })),
  ];
}

export interface PrioritiesInput {
  release: ReleaseCycle;
  priorities: readonly Priority[];
  shadowed: readonly Priority[];
  /** Every change created in [release start, asOf), with patch sets, votes, flow messages, details and files. */
  changes: readonly FlowChange[];
  /** `steward waits` rows of the changes created in [release start, asOf), followed to asOf (cohortWaits). */
  waits: readonly ChangeWaits[];
  /** For the queries; `env.now` is asOf. */
  env: QueryEnv;
  hostUrls: ReadonlyMap<string, string | null>;
}

/**
 * Computes the priorities report. Pure. Throws the gerrit-query QueryError of a query it cannot
 * evaluate (the caller says which priority it belongs to: see {@link priorityQueries}).
 */
export function computePriorities(input: PrioritiesInput, now: Timestamp): PrioritiesResult {
  const { release, env } = input;
  const asOf = Math.min(release.release, now);
  const inRelease = input.changes.filter((c) => c.created >= release.start && c.created < asOf);
  const waitsOf = new Map(input.waits.map((w) => [`${w.project}\u0000${w.number}`, w]));
  const views = inRelease.map((c) => new QueryView(c, { ...env, now: asOf }));
  const reviewsOf = new Map<number, number>();
  for (const c of inRelease) {
    const { reviews } = extractReviews(reviewActsOf(c), env.flow.isBot);
    reviewsOf.set(c.id, reviews.filter((r) => r.at < asOf).length);
  }

  const matchesPer = input.priorities.map((p) => {
    const compiled = priorityQueries(p).map((q) => ({ label: q.label, compiled: compileQuery(q.query, { ...env, now: asOf }) }));
    const hits = new Map<number, string[]>();
    for (const v of views) {
      const by = compiled.filter((q) => q.compiled.matches(v)).map((q) => q.label);
      if (by.length) hits.set(v.change.id, by);
    }
    return hits;
  });
  const inAny = new Set<number>();
  for (const m of matchesPer) for (const id of m.keys()) inAny.add(id);

  const statusOf = (c: FlowChange): PriorityChange['status'] =>
    c.mergedAt !== null && c.mergedAt < asOf
      ? 'merged'
      : c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt < asOf
        ? 'abandoned'
        : 'open';
  const waitOf = (c: FlowChange): ChangeWaits | undefined => waitsOf.get(`${c.project}\u0000${c.number}`);
  const clusterOf = (c: FlowChange): string => {
    const bp = c.links.find((l) => l.kind === 'implements' || l.kind === 'partially-implements' || l.kind === 'topic-blueprint');
    return bp ? `blueprint:${bp.target.toLowerCase()}` : `change:${c.number}`;
  };
  const reviewerWait = (c: FlowChange): FollowedTime | null => {
    const w = waitOf(c);
    return w ? { days: w.reviewersDays, event: statusOf(c) !== 'open', cluster: clusterOf(c) } : null;
  };
  const reviewTime = (c: FlowChange, which: 'firstHumanReviewDays' | 'firstCoreReviewDays'): FollowedTime | null => {
    const w = waitOf(c);
    if (!w || w.reviewFollowDays === null) return null;
    return { days: w[which] ?? w.reviewFollowDays, event: w[which] !== null, cluster: clusterOf(c) };
  };
  const present = <T>(xs: Array<T | null>): T[] => xs.filter((x): x is T => x !== null);
  const waitsList = new Map<PriorityGroupStats, FollowedTime[]>();
  const stats = (list: readonly FlowChange[]): PriorityGroupStats => {
    const waits = present(list.map(reviewerWait));
    const out: PriorityGroupStats = {
      proposed: list.length,
      merged: list.filter((c) => statusOf(c) === 'merged').length,
      abandoned: list.filter((c) => statusOf(c) === 'abandoned').length,
      open: list.filter((c) => statusOf(c) === 'open').length,
      reviews: list.reduce((n, c) => n + (reviewsOf.get(c.id) ?? 0), 0),
      reviewersDays: timeToEvent(waits),
      firstHumanReviewDays: timeToEvent(present(list.map((c) => reviewTime(c, 'firstHumanReviewDays')))),
      firstCoreReviewDays: timeToEvent(present(list.map((c) => reviewTime(c, 'firstCoreReviewDays')))),
    };
    waitsList.set(out, waits);
    return out;
  };
  let seed = 0;
  const vs = (g: PriorityGroupStats, base: PriorityGroupStats): PriorityComparison =>
    compare(waitsList.get(g) ?? [], waitsList.get(base) ?? [], ++seed);
  const others = inRelease.filter((c) => !inAny.has(c.id));
  const baseline = stats(others);
  const featureBaseline = stats(others.filter((c) => kindOf(c) === 'feature'));

  const results: PriorityResult[] = input.priorities.map((p, i) => {
    const hits = matchesPer[i]!;
    const list = inRelease.filter((c) => hits.has(c.id));
    const s = stats(list);
    return {
      title: p.title,
      origin: p.origin,
      id: p.id,
      createdBy: p.createdBy,
      createdAt: p.createdAt === null ? null : new Date(p.createdAt).toISOString(),
      blueprints: [...p.blueprints],
      topics: [...p.topics],
      queries: [...p.queries],
      ...s,
      vsBaseline: vs(s, baseline),
      vsFeatureBaseline: vs(s, featureBaseline),
      changes: list.map((c) => ({
        number: c.number,
        project: c.project,
        url: changeUrl(input.hostUrls.get(c.host), c.project, c.number),
        status: statusOf(c),
        matchedBy: hits.get(c.id)!,
        reviewersDays: waitOf(c)?.reviewersDays ?? null,
        censored: statusOf(c) === 'open',
        cluster: clusterOf(c),
      })),
    };
  });
  const all = stats(inRelease.filter((c) => inAny.has(c.id)));
  const iso = (t: number): string => new Date(t).toISOString();
  const out: PrioritiesResult = {
    release: { name: release.name, start: iso(release.start), featureFreeze: iso(release.featureFreeze), release: iso(release.release) },
    asOf: iso(asOf),
    priorities: results,
    allPriorities: { ...all, vsBaseline: vs(all, baseline), vsFeatureBaseline: vs(all, featureBaseline) },
    baseline,
    featureBaseline,
    shadowed: input.shadowed.map((p) => ({ id: p.id, title: p.title })),
    summary: [],
  };
  out.summary = prioritiesSummary(out);
  return out;
}

/**
 * The priority's median wait against a baseline's (see the module comment): waits are the
 * changes' times waiting on reviewers, open ones censored; `seed` fixes the re-draws.
 */
export function compare(priority: readonly FollowedTime[], base: readonly FollowedTime[], seed = 1, replicates = 1000): PriorityComparison {
  const { draws, ...comparison } = compareDrawn(priority, base, seed, replicates);
  void draws;
  return comparison;
}

/** {@link compare}, with the re-draws' differences (for their Monte Carlo error). */
export function compareDrawn(
  priority: readonly FollowedTime[],
  base: readonly FollowedTime[],
  seed = 1,
  replicates = 1000,
): PriorityComparison & { draws: number[] } {
  // The re-draws without building the samples, the difference's and the factor's (the logarithm of
  // the medians) from the same seeded draws in one pass (bootstrapKmMedianPair): the same results as
  // bootstrapDifference with kmMedianPoint and with its logarithm, in a fraction of the time.
  const { difference: d, logRatio: ratio } = bootstrapKmMedianPair(priority, base, { seed, replicates, clusteredBy: 'blueprint' });
  const speedup = d.first !== null && d.second !== null && d.first > 0 ? round(d.second / d.first, 1) : null;
  const exp = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : round(Math.exp(x), 2));
  const factor = d.first !== null && d.second !== null && d.first > 0 && d.second > 0 ? round(d.first / d.second, 2) : null;
  const priorityClusters = new Set(priority.map((x) => x.cluster)).size;
  const baselineClusters = new Set(base.map((x) => x.cluster)).size;
  const base0 = {
    differenceDays: d.difference,
    low: d.low,
    high: d.high,
    clusters: d.clusters,
    priorityClusters,
    baselineClusters,
    failed: d.failed,
    speedup,
    factor,
    factorLow: exp(ratio?.low),
    factorHigh: exp(ratio?.high),
  };
  if (priority.length < 6 || base.length < 6)
    return {
      verdict: 'too few changes',
      ...base0,
      reason: `fewer than 6 changes on a side (${priority.length} and ${base.length})`,
      draws: d.values,
    };
  if (d.difference === null)
    return {
      verdict: 'too few changes',
      ...base0,
      reason: 'fewer than half of a side have finished waiting: no median yet',
      draws: d.values,
    };
  let reason: string | null = null;
  if (d.verdict === 'inconclusive' && d.failed > replicates / 10) {
    reason = `${d.failed} of ${replicates} re-draws had no median for a side (the priority's changes are in ${priorityClusters} blueprint${priorityClusters === 1 ? '' : 's'} or lone changes, the baseline's in ${baselineClusters}): too few independent clusters to tell`;
  } else if (d.verdict === 'inconclusive') reason = 'the interval spans 0';
  return {
    verdict: d.verdict === 'below' ? 'faster' : d.verdict === 'above' ? 'slower' : 'inconclusive',
    ...base0,
    reason,
    draws: d.values,
  };
}

const days = (m: PriorityMedianCi): string =>
  m.median === null
    ? 'not reached (fewer than half have finished waiting)'
    : `${m.median} d${m.low !== null ? ` (95% CI ${m.low}–${m.high ?? 'longer than we can tell'})` : ''}`;

/** Plain sentences: one per priority, answering "was it reviewed faster?". */
export function prioritiesSummary(r: PrioritiesResult): string[] {
  if (r.priorities.length === 0)
    return [`${r.release.name} has no priorities (steward.yaml \`priorities\` or \`steward priorities add\`).`];
  const out: string[] = [];
  const b = r.baseline.reviewersDays;
  out.push(
    `Baseline: the ${r.baseline.proposed} changes of ${r.release.name} in no priority waited a median ${days(b)} on reviewers (${r.baseline.open} still open at ${r.asOf.slice(0, 10)}, censored at their wait so far); those implementing a blueprint ${days(r.featureBaseline.reviewersDays)}.`,
  );
  for (const p of r.priorities) {
    const m = p.reviewersDays;
    const v = p.vsBaseline;
    const head = `"${p.title}": ${p.proposed} changes proposed, ${p.merged} merged, ${p.open} open; ${p.reviews} reviews; waited a median ${days(m)} on reviewers`;
    const diff = `difference ${v.differenceDays} d, 95% CI ${v.low} to ${v.high}, re-drawing ${v.clusters} blueprints and lone changes, ${v.priorityClusters} of them the priority's`;
    const verdict =
      v.verdict === 'too few changes'
        ? `too few changes (${m.n}) or no median yet: cannot say whether it was reviewed faster`
        : v.verdict === 'inconclusive'
          ? `inconclusive against the rest (${diff}; ${v.reason}): the data cannot tell whether it was reviewed faster or slower`
          : `${v.verdict} than the rest${v.speedup !== null && v.verdict === 'faster' ? ` (${v.speedup}× faster)` : ''}${v.verdict === 'slower' && v.factor !== null ? ` (waited ${v.factor}× as long, 95% CI ${v.factorLow ?? '?'}–${v.factorHigh ?? '?'}×)` : ''} (${diff})`;
    const like = p.vsFeatureBaseline.verdict !== v.verdict ? `; against feature changes alone: ${p.vsFeatureBaseline.verdict}` : '';
    out.push(`${head}: ${verdict}${like}.`);
  }
  if (r.shadowed.length)
    out.push(
      `steward.yaml overrides ${r.shadowed.length} stored priorit${r.shadowed.length === 1 ? 'y' : 'ies'} of the same title: ${r.shadowed.map((s) => `"${s.title}"`).join(', ')}.`,
    );
  return out;
}
