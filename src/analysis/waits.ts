/**
 * Where the time went and why (`steward waits`): the cohort of changes CREATED in the period
 * [since, until), each followed from its creation to `now` — merged, abandoned, or still open
 * (censored: we know only that it has not ended yet). Nothing is drawn from the changes that
 * happened to close in the period (those are the quick ones of the late weeks and the old ones of
 * the early weeks, which made artefacts of release phase and core load).
 *
 * - Split of each change's life so far by what it waited on (queue-state.ts; "approved, waiting
 *   to merge" counts as waiting on CI, the gate) and its time to the first human and to the first
 *   core review (reviews.ts; core at the time of the review), from the first moment it was not
 *   work in progress; a change never reviewed is censored at the end of its follow-up.
 * - Describing (flow-inference.ts): the share merged by day since creation, abandonment a
 *   competing outcome (Aalen–Johansen cumulative incidence, band clustered by owner), and the time
 *   by which half merged with its 95% interval; Kaplan–Meier medians (Greenwood, log-log band) of
 *   the time to first human and first core review. Per factor level, the same.
 * - Why (waits-model.ts): a Cox model of the time to merge, and one of the time to first core
 *   review, with the factors together, errors clustered by owner; a factor is declared associated
 *   when its Benjamini–Hochberg adjusted p-value is below 0.05; the proportional-hazards check.
 *   Beside the hazard ratio, the difference in days between the named level's and the reference's
 *   median time to merge with a seeded bootstrap over owners (`inconclusive` when it spans 0).
 * - Factors (of each change):
 *   - `size`: lines inserted + deleted by the latest patch set; in the model as log₂(lines + 1)
 *     (per doubling), described in buckets XS ≤ 10, S ≤ 50, M ≤ 200, L ≤ 1000, XL;
 *   - `area`: the directory (at most `areaDepth` levels, default 3) holding most of the changed
 *     lines, leaving out tests, docs and release notes when the change has other files; areas
 *     with fewer than max(20, 2% of the cohort) changes, or beyond the most common `topAreas`
 *     (default 12), are "other", which is never the reference and never the area named;
 *   - `author`: `bot`; `core` (owner in the core team at creation); `newcomer` (the change is
 *     among the owner's first `newcomerChanges`, default 3, to the projects); else `regular`;
 *   - `kind`: `trivial` (TrivialFix line), `bug fix` (Closes-Bug, Partial-Bug, bug/N topic),
 *     `feature` (a blueprint), else `other`;
 *   - `branch`: the branch name (the most common six; others "other");
 *   - `release phase`: created before the feature freeze of its release cycle, between the freeze
 *     and the release, or outside any configured cycle;
 *   - `core load`: changes waiting on reviewers per core reviewer, averaged over the week the change
 *     became ready for review (bandwidth.ts), split into thirds (low, medium, high); "unknown" when
 *     the change was never ready or no core team is configured;
 *   - `patch sets` (1, 2, 3–4, 5–9, 10+) is a consequence of review (each new patch set restarts
 *     the wait), a mediator: described, never in the model.
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import { weeklyFlow, type FlowReplay, type WeekFlow } from './bandwidth.js';
import {
  bootstrapDifference,
  cramersV,
  ABANDONED,
  MERGED,
  mergeIncidenceOf,
  mergeMedianPoint,
  timeToEventOf,
  type EventTime,
  type FollowedChange,
  type MedianDifferenceResult,
  type MergeIncidence,
} from './flow-inference.js';
import { fixedBugs, weekStart } from './queue-trivial.js';
import { changeReviews, replayFlow, type FlowContext, type Replay } from './queue-state.js';
import type { Review } from './reviews.js';
import { DAY_MS, round } from './stats.js';
import {
  CATCH_ALL,
  fitFactorModel,
  rateWords,
  type FactorModel,
  type FactorTest,
  type ModelFactorSpec,
  type ModelRow,
} from './waits-model.js';

export interface ReleaseCycle {
  name: string;
  start: Timestamp;
  featureFreeze: Timestamp;
  release: Timestamp;
}

export interface WaitsInput {
  /** Every change open at some moment of the period, with flow messages; those created in it with details and files. */
  changes: readonly FlowChange[];
  ctx: FlowContext;
  /** The core team at a time, or null when none is configured. */
  coreAt: (t: Timestamp) => ReadonlySet<number> | null;
  /** Creation times of each owner's changes (all time), ascending. */
  ownerHistory: ReadonlyMap<number, readonly Timestamp[]>;
  releases: readonly ReleaseCycle[];
  hostUrls: ReadonlyMap<string, string | null>;
  /** Configured areas of the tree (path prefixes, steward.yaml `coreRules.areas`); a file outside them counts by its directory. */
  areaPrefixes?: readonly string[];
}

export interface WaitsOptions {
  since: Timestamp;
  until: Timestamp;
  now: Timestamp;
  areaDepth?: number;
  topAreas?: number;
  newcomerChanges?: number;
  /** Bootstrap re-draws for the differences in days (default 1000; 0 leaves the intervals out). */
  bootstrapReplicates?: number;
}

export const FACTORS = ['size', 'area', 'author', 'kind', 'branch', 'release phase', 'core load', 'patch sets'] as const;
export type FactorName = (typeof FACTORS)[number];
/** The factors in the models; `patch sets` is a mediator and only described. */
export const MODEL_FACTORS: readonly FactorName[] = ['size', 'area', 'author', 'kind', 'branch', 'release phase', 'core load'];
/** How the models take the factors: size as log₂(lines + 1), the others as levels. */
export const MODEL_SPECS: readonly ModelFactorSpec[] = MODEL_FACTORS.map((f) =>
  f === 'size' ? { name: f, kind: 'numeric', unit: 'per doubling of lines changed' } : { name: f, kind: 'categorical' },
);

export interface ChangeWaits {
  number: number;
  project: string;
  branch: string;
  url: string | null;
  ownerId: number;
  /** As of `now`. */
  outcome: 'merged' | 'abandoned' | 'open';
  created: string;
  /** Merge or abandonment, null while open. */
  closed: string | null;
  /** Days from creation to the merge, the abandonment, or `now` (open: censored there). */
  followDays: number;
  reviewersDays: number;
  authorDays: number;
  ciDays: number;
  wipDays: number;
  /** Abandoned and later restored: time spent abandoned. */
  abandonedDays: number;
  /** Days from the first moment out of WIP to the review; null when none came by the end of follow-up. */
  firstHumanReviewDays: number | null;
  firstCoreReviewDays: number | null;
  /** Days from the first moment out of WIP to the end of follow-up (where a missing review is censored); null when never out of WIP. */
  reviewFollowDays: number | null;
  factors: Record<FactorName, string>;
  /** log₂(lines + 1), the size in the model. */
  logSize: number;
}

export interface GroupStats {
  group: string;
  /** Changes of the cohort in the group. */
  n: number;
  /** Share merged by day (abandonment competing), and the time by which half merged. */
  toMerge: MergeIncidence;
  firstHumanReview: EventTime;
  firstCoreReview: EventTime | null;
}

export interface FactorResult {
  factor: FactorName;
  /** `model`: in the Cox models; `mediator`: a consequence of review, described only. */
  role: 'model' | 'mediator';
  /** Why the factor is missing, partial or described only, when it is. */
  note: string | null;
  groups: GroupStats[];
  /** The factor's test in the model of the time to merge, and of the time to first core review. */
  merge: FactorTest | null;
  firstCoreReview: FactorTest | null;
  /** Median time to merge of the merge model's named level minus the reference's, with a bootstrap over owners. */
  difference: (MedianDifferenceResult & { group: string; reference: string }) | null;
}

export interface WaitsReport {
  period: { since: string; until: string };
  now: string;
  cohort: { total: number; merged: number; abandoned: number; open: number; neverReady: number };
  /** Sums over the cohort's lives so far, in days, and shares of them. */
  totals: {
    followDays: number;
    reviewersDays: number;
    authorDays: number;
    ciDays: number;
    wipDays: number;
    shares: { reviewers: number; author: number; ci: number; wip: number };
  };
  overall: { toMerge: MergeIncidence; firstHumanReview: EventTime; firstCoreReview: EventTime | null };
  models: { merge: FactorModel | null; firstCoreReview: FactorModel | null };
  factors: FactorResult[];
  /** Cramér's V between each pair of factors (size in buckets), largest first. */
  overlaps: Array<{ factors: [FactorName, FactorName]; cramersV: number }>;
  coreLoadThresholds: { low: number; high: number } | null;
  summary: string[];
  changes: ChangeWaits[];
  /** The weekly series the core-load factor is read from (also `--bandwidth`). */
  weeks: WeekFlow[];
}

export function sizeBucket(lines: number): string {
  if (lines <= 10) return 'XS (≤10 lines)';
  if (lines <= 50) return 'S (11–50)';
  if (lines <= 200) return 'M (51–200)';
  if (lines <= 1000) return 'L (201–1000)';
  return 'XL (>1000)';
}

export function patchSetBucket(n: number): string {
  if (n <= 1) return '1';
  if (n === 2) return '2';
  if (n <= 4) return '3–4';
  if (n <= 9) return '5–9';
  return '10+';
}

const SIDE_PATH = /(^|\/)(tests?|doc|docs|releasenotes|api-ref)\//;

/**
 * The area holding most changed lines (each file counts its lines + 1): the longest configured
 * prefix a file's path starts with, else its directory cut to `depth` levels. Tests, docs and
 * release notes count only when the change touches nothing else.
 */
export function areaOf(
  files: ReadonlyArray<{ path: string; insertions: number; deletions: number }>,
  depth = 3,
  prefixes: readonly string[] = [],
): string {
  if (files.length === 0) return '(no files)';
  let pool = files.filter((f) => !SIDE_PATH.test(f.path));
  if (pool.length === 0) pool = [...files];
  const keys: string[] = [];
  const lines: number[] = [];
  for (const f of pool) {
    let key: string | undefined;
    for (const p of prefixes) if (f.path.startsWith(p) && (key === undefined || p.length > key.length)) key = p;
    if (key === undefined) {
      let cut = -1;
      for (let level = 0, i = f.path.indexOf('/'); i >= 0 && level < depth; level++, i = f.path.indexOf('/', i + 1)) cut = i;
      key = cut >= 0 ? f.path.slice(0, cut + 1) : '(top level)';
    }
    const k = keys.indexOf(key);
    if (k < 0) {
      keys.push(key);
      lines.push(f.insertions + f.deletions + 1);
    } else lines[k]! += f.insertions + f.deletions + 1;
  }
  let best = 0;
  for (let k = 1; k < keys.length; k++) if (lines[k]! > lines[best]! || (lines[k] === lines[best] && keys[k]! < keys[best]!)) best = k;
  return keys[best]!;
}

export function kindOf(c: FlowChange): string {
  if (c.trivialFix) return 'trivial';
  if (fixedBugs(c).length) return 'bug fix';
  if (c.links.some((l) => l.kind === 'implements' || l.kind === 'partially-implements' || l.kind === 'topic-blueprint')) return 'feature';
  return 'other';
}

/**
 * Whether the report computes a change's factors: it was created in the period (the cohort). Only
 * these need their details and files; the others open in the period count only in the weekly flow.
 */
export function needsFactors(c: FlowChange, opts: Pick<WaitsOptions, 'since' | 'until' | 'now'>): boolean {
  return c.created >= opts.since && c.created < opts.until && c.created <= opts.now;
}

interface CohortRow {
  c: FlowChange;
  replay: Replay;
  w: ChangeWaits;
  /** Days from creation to ready, null when never ready. */
  readyDays: number | null;
}

interface Prepared {
  rows: CohortRow[];
  weeks: WeekFlow[];
  thresholds: { low: number; high: number } | null;
}

function prepare(input: WaitsInput, opts: WaitsOptions): Prepared {
  const { since, until, now } = opts;
  const horizon = Math.min(now, until);
  const { ctx } = input;
  const replays: Array<FlowReplay & { reviews: Review[] }> = input.changes
    .filter((c) => c.created < horizon)
    .map((c) => {
      const { reviews, earliestAct } = changeReviews(c, ctx.isBot);
      return { change: c, replay: replayFlow(c, ctx, now), reviews, earliestAct };
    });
  const weeks = weeklyFlow(
    replays.map((r) => ({ change: r.change, replay: clip(r.replay, horizon), reviews: r.reviews, earliestAct: r.earliestAct })),
    ctx,
    input.coreAt,
    since,
    horizon,
  );

  const weekAt = (t: Timestamp) =>
    weeks.length && t >= since && t < horizon ? weeks[Math.floor((weekStart(t) - weekStart(since)) / (7 * DAY_MS))] : undefined;
  // Core load per week: average queue per core member.
  const loadOfWeek = new Map<string, number>();
  for (const w of weeks) if (w.cores) loadOfWeek.set(w.week, w.queueAverage / w.cores);
  const loads = [...loadOfWeek.values()].sort((a, b) => a - b);
  const thresholds =
    loads.length >= 3 ? { low: loads[Math.floor(loads.length / 3)]!, high: loads[Math.floor((2 * loads.length) / 3)]! } : null;
  const newcomerN = opts.newcomerChanges ?? 3;
  const areaDepth = opts.areaDepth ?? 3;

  const rows: CohortRow[] = replays
    .filter((r) => needsFactors(r.change, opts))
    .map(({ change: c, replay, reviews }) => {
      const ready = replay.segments.find((s) => s.phase !== 'wip' && s.phase !== 'closed');
      const readyAt = ready ? ready.from : null;
      const cores = input.coreAt(c.created);
      const history = input.ownerHistory.get(c.ownerId) ?? [];
      const rank = countBelow(history, c.created);
      const author = ctx.isBot(c.ownerId) ? 'bot' : cores?.has(c.ownerId) ? 'core' : rank < newcomerN ? 'newcomer' : 'regular';
      const cycle = input.releases.find((r) => r.start <= c.created && c.created < r.release);
      const phase =
        input.releases.length === 0
          ? 'unknown'
          : !cycle
            ? 'outside release cycles'
            : c.created < cycle.featureFreeze
              ? 'before feature freeze'
              : 'feature freeze to release';
      let coreLoad = 'unknown';
      if (thresholds && readyAt !== null) {
        const wk = weekAt(readyAt);
        const load = wk ? loadOfWeek.get(wk.week) : undefined;
        if (load !== undefined) coreLoad = load <= thresholds.low ? 'low' : load <= thresholds.high ? 'medium' : 'high';
      }
      const psCount = c.patchSets.filter((p) => p.created < replay.stop || p.created === c.created).length;
      const merged = c.mergedAt !== null && c.mergedAt <= now;
      const abandoned = !merged && c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt <= now;
      const end = merged ? c.mergedAt! : abandoned ? c.abandonedAt! : now;
      const sum = { reviewers: 0, author: 0, ci: 0, approved: 0, wip: 0, closed: 0 };
      for (const s of replay.segments) sum[s.phase] += s.to - s.from;
      const seen = reviews.filter((x) => x.at <= end);
      const firstHuman = seen[0];
      const firstCore = seen.find((x) => input.coreAt(x.at)?.has(x.reviewerId));
      const delay = (at: Timestamp | undefined): number | null =>
        at === undefined || readyAt === null ? null : round(Math.max(0, at - readyAt) / DAY_MS, 2);
      const lines = c.insertions + c.deletions;
      const w: ChangeWaits = {
        number: c.number,
        project: c.project,
        branch: c.branch,
        url: changeUrl(input.hostUrls.get(c.host), c.project, c.number),
        ownerId: c.ownerId,
        outcome: merged ? 'merged' : abandoned ? 'abandoned' : 'open',
        created: new Date(c.created).toISOString(),
        closed: merged || abandoned ? new Date(end).toISOString() : null,
        followDays: round((end - c.created) / DAY_MS, 2) ?? 0,
        reviewersDays: round(sum.reviewers / DAY_MS, 2) ?? 0,
        authorDays: round(sum.author / DAY_MS, 2) ?? 0,
        ciDays: round((sum.ci + sum.approved) / DAY_MS, 2) ?? 0,
        wipDays: round(sum.wip / DAY_MS, 2) ?? 0,
        abandonedDays: round(sum.closed / DAY_MS, 2) ?? 0,
        firstHumanReviewDays: delay(firstHuman?.at),
        firstCoreReviewDays: cores === null ? null : delay(firstCore?.at),
        reviewFollowDays: readyAt === null ? null : round(Math.max(0, end - readyAt) / DAY_MS, 2),
        factors: {
          size: sizeBucket(lines),
          area: areaOf(c.files ?? [], areaDepth, input.areaPrefixes ?? []),
          author,
          kind: kindOf(c),
          branch: c.branch,
          'release phase': phase,
          'core load': coreLoad,
          'patch sets': patchSetBucket(psCount),
        },
        logSize: Math.log2(lines + 1),
      };
      return { c, replay, w, readyDays: readyAt === null ? null : (readyAt - c.created) / DAY_MS };
    });

  // Collapse rare areas and branches into "other" (by frequency in the cohort).
  const keepTop = (factor: FactorName, k: number, atLeast = 1): void => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.w.factors[factor], (counts.get(r.w.factors[factor]) ?? 0) + 1);
    const top = new Set(
      [...counts.entries()]
        .filter(([, n]) => n >= atLeast)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, k)
        .map(([g]) => g),
    );
    for (const r of rows) if (!top.has(r.w.factors[factor])) r.w.factors[factor] = 'other';
  };
  // Areas: each with at least max(20, 2% of the cohort) changes keeps its name (at most
  // `topAreas`, default 12, the most common first); smaller ones are "other". A fixed "top 8" hid a
  // slow area of 45 changes behind busier ones.
  keepTop('area', opts.topAreas ?? 12, Math.max(20, Math.ceil(0.02 * rows.length)));
  keepTop('branch', 6);
  rows.sort((a, b) => a.w.number - b.w.number);
  return { rows, weeks, thresholds };
}

/**
 * Each change of the cohort (created in [since, until)) followed to `now`: its split, its first
 * reviews and its factors. Pure; the per-change part of {@link computeWaits} (priorities use it).
 */
export function cohortWaits(input: WaitsInput, opts: WaitsOptions): ChangeWaits[] {
  return prepare(input, opts).rows.map((r) => r.w);
}

const followed = (w: ChangeWaits): FollowedChange => ({ days: w.followDays, outcome: w.outcome, cluster: w.ownerId });

/** The merge incidence of `list` (mergeIncidenceOf), its columns read from the changes. */
function toMerge(list: readonly ChangeWaits[], maxDays: number): MergeIncidence {
  const n = list.length;
  const days = new Float64Array(n);
  const outcome = new Uint8Array(n);
  const owners = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const w = list[i]!;
    days[i] = w.followDays;
    outcome[i] = w.outcome === 'merged' ? MERGED : w.outcome === 'abandoned' ? ABANDONED : 0;
    owners[i] = w.ownerId;
  }
  return mergeIncidenceOf(days, outcome, owners, maxDays);
}

/**
 * The time to the first (core) review of the changes ever out of WIP: the review's delay, else
 * censored at the end of their follow-up. The times are gathered as two columns (timeToEventOf),
 * not as an object per change.
 */
function reviewTimes(list: readonly ChangeWaits[], which: 'firstHumanReviewDays' | 'firstCoreReviewDays'): EventTime {
  let events = 0;
  let censored = 0;
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!;
    if (w.reviewFollowDays === null) continue;
    if (w[which] !== null) events++;
    else censored++;
  }
  const eventTimes = new Float64Array(events);
  const censorTimes = new Float64Array(censored);
  for (let i = 0, e = 0, c = 0; i < list.length; i++) {
    const w = list[i]!;
    if (w.reviewFollowDays === null) continue;
    const d = w[which];
    if (d !== null) eventTimes[e++] = d;
    else censorTimes[c++] = w.reviewFollowDays;
  }
  return timeToEventOf(eventTimes, censorTimes);
}

/** Computes the waits report. Pure: details and files are read only from the changes {@link needsFactors} picks. */
export function computeWaits(input: WaitsInput, opts: WaitsOptions): WaitsReport {
  const { since, until, now } = opts;
  const { rows, weeks, thresholds } = prepare(input, opts);
  const cohort = rows.map((r) => r.w);
  const haveCore = input.coreAt(since) !== null || cohort.some((w) => w.firstCoreReviewDays !== null);
  const maxDays = Math.max(1, Math.ceil((now - since) / DAY_MS));

  const describe = (list: readonly ChangeWaits[], group: string): GroupStats => ({
    group,
    n: list.length,
    toMerge: toMerge(list, maxDays),
    firstHumanReview: reviewTimes(list, 'firstHumanReviewDays'),
    firstCoreReview: haveCore ? reviewTimes(list, 'firstCoreReviewDays') : null,
  });

  const notes = new Map<FactorName, string>();
  if (!thresholds) notes.set('core load', input.coreAt(since) === null ? 'no core team is configured' : 'fewer than 3 weeks in the period');
  if (input.releases.length === 0) notes.set('release phase', 'no releases are configured (steward.yaml `releases`)');
  if (input.coreAt(since) === null) notes.set('author', 'no core team is configured: owners are newcomers or regulars only');
  notes.set('patch sets', 'a consequence of review (each new patch set restarts the wait), so a mediator: described, not in the models');

  const specs = MODEL_SPECS;
  const modelRow = (w: ChangeWaits, days: number, event: boolean): ModelRow => ({
    days,
    event,
    owner: w.ownerId,
    // The change's own levels: the model reads only its factors' (`patch sets` is not one).
    levels: w.factors,
    numeric: { size: w.logSize },
  });
  // One reference level per factor for both models: the cohort's largest level that is not a catch-all.
  const references: Record<string, string> = {};
  for (const f of MODEL_FACTORS) {
    const counts = new Map<string, number>();
    for (const w of cohort) if (!CATCH_ALL.has(w.factors[f])) counts.set(w.factors[f], (counts.get(w.factors[f]) ?? 0) + 1);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (top) references[f] = top[0];
  }
  const mergeModel = fitFactorModel(
    cohort.map((w) => modelRow(w, w.followDays, w.outcome === 'merged')),
    specs,
    references,
  );
  const coreRows = haveCore
    ? cohort
        .filter((w) => w.reviewFollowDays !== null)
        .map((w) => modelRow(w, w.firstCoreReviewDays ?? w.reviewFollowDays!, w.firstCoreReviewDays !== null))
    : [];
  const coreModel = haveCore ? fitFactorModel(coreRows, specs, references) : null;

  const factors: FactorResult[] = FACTORS.map((factor, fi) => {
    // The cohort split by level in one pass (each level's changes in cohort order).
    const byLevel = new Map<string, ChangeWaits[]>();
    for (const w of cohort) {
      const list = byLevel.get(w.factors[factor]);
      if (list) list.push(w);
      else byLevel.set(w.factors[factor], [w]);
    }
    const names = [...byLevel.keys()].sort();
    const groups = names.map((g) => describe(byLevel.get(g)!, g));
    const merge = mergeModel?.factors.find((t) => t.factor === factor) ?? null;
    const firstCoreReview = coreModel?.factors.find((t) => t.factor === factor) ?? null;
    let difference: FactorResult['difference'] = null;
    if (merge && merge.kind === 'categorical' && merge.named) {
      const a = (byLevel.get(merge.named.level) ?? []).map(followed);
      const b = (byLevel.get(merge.reference) ?? []).map(followed);
      difference = {
        group: merge.named.level,
        reference: merge.reference,
        ...bootstrapDifference(a, b, mergeMedianPoint, { seed: 1000 + fi, replicates: opts.bootstrapReplicates, clusteredBy: 'owner' }),
      };
    }
    const omitted = mergeModel?.omitted.find((o) => o.factor === factor);
    const note = notes.get(factor) ?? (omitted ? `not in the model: ${omitted.reason}` : null);
    return { factor, role: factor === 'patch sets' ? 'mediator' : 'model', note, groups, merge, firstCoreReview, difference };
  });

  const overlaps: WaitsReport['overlaps'] = [];
  for (let i = 0; i < MODEL_FACTORS.length; i++) {
    for (let j = i + 1; j < MODEL_FACTORS.length; j++) {
      const a = MODEL_FACTORS[i]!;
      const b = MODEL_FACTORS[j]!;
      const v = cramersV(
        cohort.map((w) => w.factors[a]),
        cohort.map((w) => w.factors[b]),
      );
      if (v !== null) overlaps.push({ factors: [a, b], cramersV: round(v, 2)! });
    }
  }
  overlaps.sort((x, y) => y.cramersV - x.cramersV);

  const sum = (k: 'followDays' | 'reviewersDays' | 'authorDays' | 'ciDays' | 'wipDays') =>
    round(
      cohort.reduce((s, x) => s + x[k], 0),
      1,
    ) ?? 0;
  const totals = {
    followDays: sum('followDays'),
    reviewersDays: sum('reviewersDays'),
    authorDays: sum('authorDays'),
    ciDays: sum('ciDays'),
    wipDays: sum('wipDays'),
  };
  const share = (x: number) => (totals.followDays > 0 ? (round(x / totals.followDays, 3) ?? 0) : 0);
  const all = describe(cohort, 'all');
  const report: WaitsReport = {
    period: { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
    now: new Date(now).toISOString(),
    cohort: {
      total: cohort.length,
      merged: cohort.filter((x) => x.outcome === 'merged').length,
      abandoned: cohort.filter((x) => x.outcome === 'abandoned').length,
      open: cohort.filter((x) => x.outcome === 'open').length,
      neverReady: cohort.filter((x) => x.reviewFollowDays === null).length,
    },
    totals: {
      ...totals,
      shares: {
        reviewers: share(totals.reviewersDays),
        author: share(totals.authorDays),
        ci: share(totals.ciDays),
        wip: share(totals.wipDays),
      },
    },
    overall: { toMerge: all.toMerge, firstHumanReview: all.firstHumanReview, firstCoreReview: all.firstCoreReview },
    models: { merge: mergeModel, firstCoreReview: coreModel },
    factors,
    overlaps,
    coreLoadThresholds: thresholds ? { low: round(thresholds.low, 2) ?? 0, high: round(thresholds.high, 2) ?? 0 } : null,
    summary: [],
    changes: cohort,
    weeks,
  };
  report.summary = waitsSummary(report);
  return report;
}

/** How many of the ascending `sorted` are below x (binary search). */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Cuts a replay at `t` (the bandwidth series stops at the period's end). */
function clip(r: Replay, t: Timestamp): Replay {
  if (r.stop <= t) return r;
  return { ...r, stop: t, segments: r.segments.filter((s) => s.from < t).map((s) => (s.to > t ? { ...s, to: t } : s)) };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** "4.2 d (95% CI 3.9–4.6)", "more than 30 d" and the like, for a time to an event. */
export function eventTimeWords(e: EventTime, followDays?: number): string {
  if (e.median === null) return `not reached: fewer than half by the end of follow-up${followDays ? ` (${followDays} d)` : ''}`;
  const ci = e.low === null ? '' : e.high === null ? ` (95% CI ${e.low} d to longer than we can tell)` : ` (95% CI ${e.low}–${e.high})`;
  return `${e.median} d${ci}`;
}

/** "p = 0.012" or "p < 0.0001". */
export const pWords = (p: number): string => (p < 0.0001 ? 'p < 0.0001' : `p = ${round(p, 4)}`);

/** One sentence for a declared factor of a model. */
function declaredWords(t: FactorTest, event: string, diff: FactorResult['difference']): string {
  const n = t.named;
  let head: string;
  if (!n || n.hazardRatio === null) head = `${t.factor}: associated (adjusted ${pWords(t.adjustedP)})`;
  else if (t.kind === 'numeric')
    head = `${t.factor}: ${t.reference}, associated with ${rateWords(n.hazardRatio, event)} (hazard ratio ${n.hazardRatio}, 95% CI ${n.lower}–${n.upper}; adjusted ${pWords(t.adjustedP)})`;
  else if (n.lower !== null && n.upper !== null && n.lower <= 1 && n.upper >= 1)
    head = `${t.factor}: associated as a whole (factor adjusted ${pWords(t.adjustedP)}), but no single named level differs clearly from "${t.reference}" (the largest group) — the difference lies with the catch-all or is spread over several levels; the largest, "${n.level}", has hazard ratio ${n.hazardRatio} (95% CI ${n.lower}–${n.upper}, which includes 1)`;
  else
    head = `${t.factor}: "${n.level}" associated with ${rateWords(n.hazardRatio, event)} than "${t.reference}" (the largest group; hazard ratio ${n.hazardRatio}, 95% CI ${n.lower}–${n.upper}; factor adjusted ${pWords(t.adjustedP)})`;
  if (diff && diff.difference !== null) {
    head +=
      diff.verdict === 'inconclusive'
        ? `; median time to merge ${diff.first} d vs ${diff.second} d, difference inconclusive (95% CI ${diff.low ?? '?'} to ${diff.high ?? '?'} d, bootstrap over owners)`
        : `; median time to merge ${diff.first} d vs ${diff.second} d: ${diff.difference} d (95% CI ${diff.low}–${diff.high}, bootstrap over owners)`;
  } else if (diff && diff.first === null && t.kind === 'categorical')
    head += `; fewer than half of "${diff.group}" merged by now, so no median to compare`;
  if (t.proportionalHazardsFails)
    head += ` — the association changes over a change's life (proportional-hazards check ${pWords(t.proportionalHazardsP!)}), so the ratio is an average over the follow-up`;
  return head;
}

function modelWords(m: FactorModel | null, label: string, event: string, factors: readonly FactorResult[]): string[] {
  if (!m) return [`${label}: too few events to fit a model of the factors together.`];
  if (m.factors.length === 0) return [`${label}: the model could not be fitted (${m.omitted.map((o) => o.reason).join('; ')}).`];
  const out: string[] = [];
  // Largest association first: the named level's |log hazard ratio| (per doubling for size).
  const size = (t: FactorTest) => (t.named?.hazardRatio ? Math.abs(Math.log(t.named.hazardRatio)) : 0);
  const declared = m.factors.filter((t) => t.declared).sort((a, b) => size(b) - size(a) || a.adjustedP - b.adjustedP);
  const head = `${label}, all factors together (Cox model of ${m.n} changes, ${m.events} events, errors clustered by ${m.owners} owners; Benjamini–Hochberg across ${m.factors.length} factors):`;
  if (declared.length === 0) out.push(`${head} no factor is associated beyond chance.`);
  else {
    out.push(`${head} ${declared.length} associated.`);
    declared.forEach((t) =>
      out.push(
        `${t.factor === declared[0]!.factor ? 'Largest association' : 'Also'} — ${declaredWords(t, event, event === 'merging' ? (factors.find((f) => f.factor === t.factor)?.difference ?? null) : null)}.`,
      ),
    );
  }
  const rest = m.factors.filter((t) => !t.declared);
  if (rest.length)
    out.push(
      `Inconclusive (the data cannot tell; not evidence of no association): ${rest.map((t) => `${t.factor} (adjusted ${pWords(t.adjustedP)})`).join(', ')}.`,
    );
  return out;
}

/** Plain sentences: the cohort, how fast it moved, and which factors are associated with slower merging or first core review. */
export function waitsSummary(r: WaitsReport): string[] {
  const out: string[] = [];
  const c = r.cohort;
  if (c.total === 0) return ['No change was created in the period.'];
  out.push(
    `${c.total} changes created from ${r.period.since.slice(0, 10)} to ${r.period.until.slice(0, 10)}, followed to ${r.now.slice(0, 10)}: ${c.merged} merged, ${c.abandoned} abandoned, ${c.open} still open (counted as "not yet", censored). Of their time so far, ${pct(r.totals.shares.reviewers)} was spent waiting on reviewers, ${pct(r.totals.shares.author)} on authors, ${pct(r.totals.shares.ci)} on CI and ${pct(r.totals.shares.wip)} in work in progress.`,
  );
  const m = r.overall.toMerge;
  const lastAbandoned = m.points.at(-1)?.abandoned ?? 0;
  out.push(
    `Half had merged within ${eventTimeWords(m)} of creation (abandonment counted as a competing outcome: ${pct(lastAbandoned)} abandoned by the end of follow-up).`,
  );
  const fh = r.overall.firstHumanReview;
  const fc = r.overall.firstCoreReview;
  out.push(
    `First human review: median ${eventTimeWords(fh)} from the first moment out of work in progress (${fh.n - fh.events} of ${fh.n} not reviewed yet, censored)${fc ? `; first core review ${eventTimeWords(fc)} (${fc.n - fc.events} without one, censored)` : ''}.`,
  );
  out.push(...modelWords(r.models.merge, 'Time to merge', 'merging', r.factors));
  if (r.overall.firstCoreReview)
    out.push(...modelWords(r.models.firstCoreReview, 'Time to first core review', 'first core review', r.factors));
  const strong = r.overlaps.filter((o) => o.cramersV >= 0.3);
  if (strong.length)
    out.push(
      `Factors that overlap (Cramér's V ≥ 0.3), which is why they are weighed together: ${strong.map((o) => `${o.factors[0]} and ${o.factors[1]} ${o.cramersV}`).join('; ')}.`,
    );
  const catchAll = r.factors.find((f) => f.factor === 'area')?.groups.filter((g) => CATCH_ALL.has(g.group)) ?? [];
  if (catchAll.length)
    out.push(
      `Area "other" lumps ${catchAll.reduce((s, g) => s + g.n, 0)} changes of the less common areas together: shown as an aggregate, never named as a finding.`,
    );
  out.push(
    'Patch sets are a consequence of review (each new patch set restarts the wait): described as a mediator, not weighed as a factor. Associations are not causes: something not in the model may explain both.',
  );
  const missing = r.factors.filter((f) => f.role === 'model' && f.note);
  if (missing.length) out.push(`Notes: ${missing.map((f) => `${f.factor} — ${f.note}`).join('; ')}.`);
  return out;
}
