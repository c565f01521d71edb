/**
 * Where the time went (`steward waits`): for each change that merged or was abandoned in the
 * period [since, until), its life from creation to the merge or abandonment split by what it was
 * waiting on (queue-state.ts; "approved, waiting to merge" counts as waiting on CI, the gate), time
 * to the first human review and to the first review by a core reviewer (reviews.ts; core at the
 * time of the review), and the factors people argue about, each with medians and 95% intervals
 * (waits-stats.ts) and time-to-merge survival curves (survival.ts).
 *
 * - Time to first review: from the first moment the change was not work in progress to the first
 *   review (0 when someone reviewed while it was still WIP); null when no review came.
 * - Factors (of each change):
 *   - `size`: lines inserted + deleted by the latest patch set: XS ≤ 10, S ≤ 50, M ≤ 200, L ≤ 1000, XL;
 *   - `area`: the directory (at most `areaDepth` levels, default 3) holding most of the changed
 *     lines, leaving out tests, docs and release notes when the change has other files; areas
 *     beyond the most common `topAreas` (default 8) are "other";
 *   - `author`: `bot`; `core` (owner in the core team at creation); `newcomer` (the change is
 *     among the owner's first `newcomerChanges`, default 3, to the projects); else `regular`;
 *   - `kind`: `trivial` (TrivialFix line), `bug fix` (Closes-Bug, Partial-Bug, bug/N topic),
 *     `feature` (a blueprint), else `other`;
 *   - `patch sets`: 1, 2, 3–4, 5–9, 10+;
 *   - `branch`: the branch name (the most common six; others "other");
 *   - `release phase`: created before the feature freeze of its release cycle, between the freeze
 *     and the release, or outside any configured cycle;
 *   - `core load`: changes waiting on reviewers per core reviewer, averaged over the week the change
 *     became ready for review (bandwidth.ts), split into thirds (low, medium, high); "unknown" when
 *     that week is before the period (its queue is not fully loaded) or no core team is configured.
 * - The comparison per factor is on the median time waiting on reviewers: the groups (≥ 10 changes)
 *   with the highest and the lowest median, and whether their 95% intervals are apart (a clear
 *   difference) or overlap (within noise).
 * - Survival: changes created in the period, time to merge as of `now`; open ones censored at their
 *   age, abandoned ones counted as never merging.
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import { weeklyFlow, type FlowReplay, type WeekFlow } from './bandwidth.js';
import { fixedBugs, weekStart } from './queue-trivial.js';
import { replayFlow, reviewActsOf, sortSmall, type FlowContext, type Replay } from './queue-state.js';
import { extractReviews, type Review } from './reviews.js';
import { DAY_MS, round } from './stats.js';
import { kaplanMeier, type SurvivalCurve } from './survival.js';
import { clearlyDifferent, medianWithCi, type MedianCi } from './waits-stats.js';

export interface ReleaseCycle {
  name: string;
  start: Timestamp;
  featureFreeze: Timestamp;
  release: Timestamp;
}

export interface WaitsInput {
  /** Every change open at some moment of the period, with flow messages, details and files. */
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
}

export const FACTORS = ['size', 'area', 'author', 'kind', 'patch sets', 'branch', 'release phase', 'core load'] as const;
export type FactorName = (typeof FACTORS)[number];
export const METRICS = ['reviewersDays', 'authorDays', 'ciDays', 'wipDays', 'lifeDays', 'firstHumanReviewDays', 'firstCoreReviewDays'] as const;
export type MetricName = (typeof METRICS)[number];

export interface ChangeWaits {
  number: number;
  project: string;
  branch: string;
  url: string | null;
  outcome: 'merged' | 'abandoned';
  created: string;
  closed: string;
  lifeDays: number;
  reviewersDays: number;
  authorDays: number;
  ciDays: number;
  wipDays: number;
  /** Abandoned and later restored: time spent abandoned. */
  abandonedDays: number;
  firstHumanReviewDays: number | null;
  firstCoreReviewDays: number | null;
  factors: Record<FactorName, string>;
}

export interface GroupStats {
  group: string;
  n: number;
  medians: Record<MetricName, MedianCi>;
  survival: SurvivalCurve;
}

export interface FactorComparison {
  metric: 'reviewersDays';
  highest: { group: string; median: number; low: number | null; high: number | null };
  lowest: { group: string; median: number; low: number | null; high: number | null };
  differenceDays: number;
  ratio: number | null;
  clear: boolean;
}

export interface FactorResult {
  factor: FactorName;
  /** Why the factor is missing or partial, when it is. */
  note: string | null;
  groups: GroupStats[];
  comparison: FactorComparison | null;
}

export interface WaitsReport {
  period: { since: string; until: string };
  now: string;
  closed: { total: number; merged: number; abandoned: number };
  /** Sums over the closed changes, in days, and shares of their lives. */
  totals: { lifeDays: number; reviewersDays: number; authorDays: number; ciDays: number; wipDays: number; shares: { reviewers: number; author: number; ci: number; wip: number } };
  overall: Record<MetricName, MedianCi>;
  factors: FactorResult[];
  coreLoadThresholds: { low: number; high: number } | null;
  summary: string[];
  changes: ChangeWaits[];
  /** The weekly series the core-load factor is read from (also `--bandwidth`). */
  weeks: WeekFlow[];
}

const MIN_GROUP = 10;

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
export function areaOf(files: ReadonlyArray<{ path: string; insertions: number; deletions: number }>, depth = 3, prefixes: readonly string[] = []): string {
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
 * Whether the report computes a change's factors: it closed in the period (the comparisons) or was
 * created in it (the survival curves). Only these need their details and files; the others open
 * in the period count only in the weekly flow.
 */
export function needsFactors(c: FlowChange, opts: Pick<WaitsOptions, 'since' | 'until' | 'now'>): boolean {
  const end = c.mergedAt ?? (c.status === 'ABANDONED' ? c.abandonedAt : null);
  const closedIn = end !== null && end >= opts.since && end < opts.until && end <= opts.now;
  return closedIn || (c.created >= opts.since && c.created < opts.until && c.created <= opts.now);
}

/** Computes the waits report. Pure: details and files are read only from the changes {@link needsFactors} picks. */
export function computeWaits(input: WaitsInput, opts: WaitsOptions): WaitsReport {
  const { since, until, now } = opts;
  const horizon = Math.min(now, until);
  const { ctx } = input;
  const replays: Array<FlowReplay & { reviews: Review[] }> = input.changes
    .filter((c) => c.created < horizon)
    .map((c) => ({ change: c, replay: replayFlow(c, ctx, now), reviews: sortSmall(extractReviews(reviewActsOf(c), ctx.isBot).reviews, (a, b) => a.at - b.at) }));
  const weeks = weeklyFlow(replays.map((r) => ({ change: r.change, replay: clip(r.replay, horizon), reviews: r.reviews })), ctx, input.coreAt, since, horizon);

  const weekAt = (t: Timestamp) => (weeks.length && t >= since && t < horizon ? weeks[Math.floor((weekStart(t) - weekStart(since)) / (7 * DAY_MS))] : undefined);
  // Core load per week: average queue per core member.
  const loadOfWeek = new Map<string, number>();
  for (const w of weeks) if (w.cores) loadOfWeek.set(w.week, w.queueAverage / w.cores);
  const loads = [...loadOfWeek.values()].sort((a, b) => a - b);
  const thresholds = loads.length >= 3 ? { low: loads[Math.floor(loads.length / 3)]!, high: loads[Math.floor((2 * loads.length) / 3)]! } : null;

  const newcomerN = opts.newcomerChanges ?? 3;
  const areaDepth = opts.areaDepth ?? 3;

  interface Row {
    c: FlowChange;
    replay: Replay;
    reviews: Review[];
    readyAt: Timestamp | null;
    raw: Record<FactorName, string>;
  }
  const closedEnd = (c: FlowChange): Timestamp | null => c.mergedAt ?? (c.status === 'ABANDONED' ? c.abandonedAt : null);
  const closedIn = (c: FlowChange): boolean => {
    const end = closedEnd(c);
    return end !== null && end >= since && end < until && end <= now;
  };
  const createdIn = (c: FlowChange): boolean => c.created >= since && c.created < until && c.created <= now;
  // Factors only for the changes the report is about: closed in the period, or created in it (survival).
  const rows: Row[] = replays.filter((r) => needsFactors(r.change, opts)).map(({ change: c, replay, reviews }) => {
    const ready = replay.segments.find((s) => s.phase !== 'wip' && s.phase !== 'closed');
    const readyAt = ready ? ready.from : null;
    const cores = input.coreAt(c.created);
    const history = input.ownerHistory.get(c.ownerId) ?? [];
    const rank = countBelow(history, c.created);
    const author = ctx.isBot(c.ownerId) ? 'bot' : cores?.has(c.ownerId) ? 'core' : rank < newcomerN ? 'newcomer' : 'regular';
    const cycle = input.releases.find((r) => r.start <= c.created && c.created < r.release);
    const phase = input.releases.length === 0 ? 'unknown' : !cycle ? 'outside release cycles' : c.created < cycle.featureFreeze ? 'before feature freeze' : 'feature freeze to release';
    let coreLoad = 'unknown';
    if (thresholds && readyAt !== null && readyAt >= since) {
      const wk = weekAt(readyAt);
      const load = wk ? loadOfWeek.get(wk.week) : undefined;
      if (load !== undefined) coreLoad = load <= thresholds.low ? 'low' : load <= thresholds.high ? 'medium' : 'high';
    }
    const psCount = c.patchSets.filter((p) => p.created < replay.stop || p.created === c.created).length;
    return {
      c,
      replay,
      reviews,
      readyAt,
      raw: {
        size: sizeBucket(c.insertions + c.deletions),
        area: areaOf(c.files ?? [], areaDepth, input.areaPrefixes ?? []),
        author,
        kind: kindOf(c),
        'patch sets': patchSetBucket(psCount),
        branch: c.branch,
        'release phase': phase,
        'core load': coreLoad,
      },
    };
  });

  const closedRows = rows.filter((r) => closedIn(r.c));

  // Collapse rare areas and branches into "other" (by frequency among the closed changes).
  const keepTop = (factor: FactorName, k: number): void => {
    const counts = new Map<string, number>();
    for (const r of closedRows) counts.set(r.raw[factor], (counts.get(r.raw[factor]) ?? 0) + 1);
    const top = new Set([...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([g]) => g));
    for (const r of rows) if (!top.has(r.raw[factor])) r.raw[factor] = 'other';
  };
  keepTop('area', opts.topAreas ?? 8);
  keepTop('branch', 6);

  const perChange: ChangeWaits[] = closedRows
    .map((r) => {
      const c = r.c;
      const end = closedEnd(c)!;
      const sum = { reviewers: 0, author: 0, ci: 0, approved: 0, wip: 0, closed: 0 };
      for (const s of r.replay.segments) sum[s.phase] += s.to - s.from;
      const reviews = r.reviews.filter((x) => x.at <= end);
      const firstHuman = reviews[0];
      const firstCore = reviews.find((x) => input.coreAt(x.at)?.has(x.reviewerId));
      const since0 = r.readyAt;
      const delay = (at: Timestamp | undefined): number | null => (at === undefined || since0 === null ? null : round(Math.max(0, at - since0) / DAY_MS, 2));
      return {
        number: c.number,
        project: c.project,
        branch: c.branch,
        url: changeUrl(input.hostUrls.get(c.host), c.project, c.number),
        outcome: c.mergedAt !== null ? ('merged' as const) : ('abandoned' as const),
        created: new Date(c.created).toISOString(),
        closed: new Date(end).toISOString(),
        lifeDays: round((end - c.created) / DAY_MS, 2) ?? 0,
        reviewersDays: round(sum.reviewers / DAY_MS, 2) ?? 0,
        authorDays: round(sum.author / DAY_MS, 2) ?? 0,
        ciDays: round((sum.ci + sum.approved) / DAY_MS, 2) ?? 0,
        wipDays: round(sum.wip / DAY_MS, 2) ?? 0,
        abandonedDays: round(sum.closed / DAY_MS, 2) ?? 0,
        firstHumanReviewDays: delay(firstHuman?.at),
        firstCoreReviewDays: input.coreAt(c.created) === null ? null : delay(firstCore?.at),
        factors: { ...r.raw },
      };
    })
    .sort((a, b) => a.number - b.number);

  const metricsOf = (list: readonly ChangeWaits[]): Record<MetricName, MedianCi> => {
    const out = {} as Record<MetricName, MedianCi>;
    for (const m of METRICS) {
      const ci = medianWithCi(list.map((x) => x[m]).filter((v): v is number => v !== null));
      out[m] = { n: ci.n, median: round(ci.median), low: round(ci.low), high: round(ci.high) };
    }
    return out;
  };

  // Survival cohort: created in the period.
  const cohort = rows.filter((r) => createdIn(r.c));
  const survivalOf = (list: readonly Row[]): SurvivalCurve =>
    kaplanMeier(
      list.map((r) => {
        const merged = r.c.mergedAt !== null && r.c.mergedAt <= now;
        return { days: ((merged ? r.c.mergedAt! : now) - r.c.created) / DAY_MS, merged };
      }),
      Math.ceil((Math.min(until, now) - since) / DAY_MS),
    );

  const factors: FactorResult[] = FACTORS.map((factor) => {
    let note: string | null = null;
    if (factor === 'core load' && !thresholds) note = input.coreAt(since) === null ? 'no core team is configured' : 'fewer than 3 weeks in the period';
    if (factor === 'release phase' && input.releases.length === 0) note = 'no releases are configured (steward.yaml `releases`)';
    if (factor === 'author' && input.coreAt(since) === null) note = 'no core team is configured: owners are newcomers or regulars only';
    const names = [...new Set(closedRows.map((r) => r.raw[factor]))].sort();
    const groups: GroupStats[] = names.map((g) => {
      const list = perChange.filter((x) => x.factors[factor] === g);
      return { group: g, n: list.length, medians: metricsOf(list), survival: survivalOf(cohort.filter((r) => r.raw[factor] === g)) };
    });
    const eligible = groups.filter((g) => g.n >= MIN_GROUP && g.group !== 'unknown' && g.medians.reviewersDays.median !== null);
    let comparison: FactorComparison | null = null;
    if (eligible.length >= 2) {
      const byMedian = [...eligible].sort((a, b) => b.medians.reviewersDays.median! - a.medians.reviewersDays.median! || (a.group < b.group ? -1 : 1));
      const hi = byMedian[0]!;
      const lo = byMedian[byMedian.length - 1]!;
      const h = hi.medians.reviewersDays;
      const l = lo.medians.reviewersDays;
      comparison = {
        metric: 'reviewersDays',
        highest: { group: hi.group, median: h.median!, low: h.low, high: h.high },
        lowest: { group: lo.group, median: l.median!, low: l.low, high: l.high },
        differenceDays: round(h.median! - l.median!) ?? 0,
        ratio: l.median! > 0 ? round(h.median! / l.median!, 1) : null,
        clear: clearlyDifferent(h, l),
      };
    }
    return { factor, note, groups, comparison };
  });

  const sum = (k: 'lifeDays' | 'reviewersDays' | 'authorDays' | 'ciDays' | 'wipDays') => round(perChange.reduce((s, x) => s + x[k], 0), 1) ?? 0;
  const totals = { lifeDays: sum('lifeDays'), reviewersDays: sum('reviewersDays'), authorDays: sum('authorDays'), ciDays: sum('ciDays'), wipDays: sum('wipDays') };
  const share = (x: number) => (totals.lifeDays > 0 ? round(x / totals.lifeDays, 3) ?? 0 : 0);
  const overall = metricsOf(perChange);
  const report: WaitsReport = {
    period: { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
    now: new Date(now).toISOString(),
    closed: { total: perChange.length, merged: perChange.filter((x) => x.outcome === 'merged').length, abandoned: perChange.filter((x) => x.outcome === 'abandoned').length },
    totals: { ...totals, shares: { reviewers: share(totals.reviewersDays), author: share(totals.authorDays), ci: share(totals.ciDays), wip: share(totals.wipDays) } },
    overall,
    factors,
    coreLoadThresholds: thresholds ? { low: round(thresholds.low, 2) ?? 0, high: round(thresholds.high, 2) ?? 0 } : null,
    summary: [],
    changes: perChange,
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

const d = (x: number | null): string => (x === null ? 'n/a' : `${x} d`);
const ci = (m: { low: number | null; high: number | null }): string => (m.low === null || m.high === null ? 'too few for an interval' : `95% CI ${m.low}–${m.high}`);

/** Plain sentences: the split, first reviews, and which factors make the largest difference. */
export function waitsSummary(r: WaitsReport): string[] {
  const out: string[] = [];
  if (r.closed.total === 0) return ['No change merged or was abandoned in the period.'];
  const s = r.totals.shares;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  out.push(
    `${r.closed.total} changes closed (${r.closed.merged} merged, ${r.closed.abandoned} abandoned). Of their combined lives, ${pct(s.reviewers)} was spent waiting on reviewers, ${pct(s.author)} on authors, ${pct(s.ci)} on CI and ${pct(s.wip)} in work in progress.`,
  );
  const fh = r.overall.firstHumanReviewDays;
  const fc = r.overall.firstCoreReviewDays;
  out.push(`First human review after a median ${d(fh.median)} (${ci(fh)}, ${fh.n} changes reviewed)${fc.n ? `; first core review after ${d(fc.median)} (${ci(fc)}, ${fc.n} changes)` : ''}.`);
  const compared = r.factors.filter((f) => f.comparison);
  const clear = compared.filter((f) => f.comparison!.clear).sort((a, b) => b.comparison!.differenceDays - a.comparison!.differenceDays);
  const noisy = compared.filter((f) => !f.comparison!.clear);
  if (clear.length === 0) out.push('No factor makes a difference beyond noise in the time waiting on reviewers (every pair of extreme groups has overlapping 95% intervals).');
  clear.forEach((f, i) => {
    const c = f.comparison!;
    out.push(
      `${i === 0 ? 'Largest difference' : 'Then'} — ${f.factor}: "${c.highest.group}" waited a median ${d(c.highest.median)} on reviewers (${ci(c.highest)}) against ${d(c.lowest.median)} for "${c.lowest.group}" (${ci(c.lowest)}): ${c.differenceDays} d longer${c.ratio ? ` (${c.ratio}×)` : ''}.`,
    );
  });
  if (noisy.length) {
    out.push(
      `Within noise (intervals overlap): ${noisy.map((f) => `${f.factor} ("${f.comparison!.highest.group}" ${d(f.comparison!.highest.median)} vs "${f.comparison!.lowest.group}" ${d(f.comparison!.lowest.median)})`).join('; ')}.`,
    );
  }
  const missing = r.factors.filter((f) => !f.comparison);
  if (missing.length) out.push(`Not compared: ${missing.map((f) => `${f.factor} (${f.note ?? 'fewer than two groups of 10 or more changes'})`).join('; ')}.`);
  return out;
}
