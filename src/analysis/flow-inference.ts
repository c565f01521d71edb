/**
 * Censoring-aware summaries and comparisons the review-flow reports share (`steward waits`,
 * `steward priorities report`), built on the validated methods of ./stats/:
 *
 * - {@link mergeIncidence}: the cumulative incidence of merging (Aalen–Johansen, abandonment a
 *   competing outcome, open changes censored) with its cluster-robust band, whole-day points for a
 *   chart and the time by which half had merged, with the interval where the band crosses ½;
 * - {@link timeToEvent}: a Kaplan–Meier median (Greenwood, log-log band) for a time to an event
 *   that may never come (a first review), those without it censored;
 * - {@link bootstrapDifference}: the difference of two such medians with a seeded percentile
 *   interval that re-draws whole clusters (owners, blueprints), and its verdict (`inconclusive`
 *   when the interval spans 0 or a median is undefined in too many re-draws);
 * - {@link cramersV}: how strongly two factors overlap.
 *
 * Units are days throughout. All pure.
 */
import { clusterBootstrap, compareKeys, percentileInterval, type ClusterKey, type IntervalVerdict } from './stats/bootstrap.js';
import { cumulativeIncidence } from './stats/cumulative-incidence.js';
import { kaplanMeier, survivalQuantile } from './stats/kaplan-meier.js';
import { randomIndex, seededRandom } from './stats/random.js';
import { round } from './stats.js';

/** A change followed from its origin: `days` to its merge, its abandonment, or the end of follow-up (open). */
export interface FollowedChange {
  days: number;
  outcome: 'merged' | 'abandoned' | 'open';
  cluster: ClusterKey;
}

/** A time to an event with its 95% interval, days; null ends when the data cannot say. */
export interface EventTime {
  /** Changes followed, and how many had the event. */
  n: number;
  events: number;
  /** Time by which half had the event; null when fewer than half had it by the end of follow-up. */
  median: number | null;
  /** 95% interval of that time; `high` null means "longer than we can tell". */
  low: number | null;
  high: number | null;
}

export interface MergeIncidence extends EventTime {
  abandoned: number;
  open: number;
  /** Share merged and abandoned by each whole day since the origin (0 … longest follow-up, at most `maxDays`). */
  points: Array<{ day: number; merged: number; mergedLow: number | null; mergedHigh: number | null; abandoned: number }>;
}

/** First time a step function (ascending times, values) reaches `p`; null when it never does. */
function crossing(times: readonly number[], values: ReadonlyArray<number | null>, p: number): number | null {
  for (let i = 0; i < times.length; i++) if (values[i] !== null && values[i]! >= p - 1e-12) return times[i]!;
  return null;
}

/**
 * The cumulative incidence of merging among `changes` (Aalen–Johansen; abandonment competes,
 * open changes are censored at their follow-up), standard errors clustered by `cluster`.
 *
 * The median is the first time the share merged reaches ½ (null when it has not by the end of
 * follow-up, e.g. when many changes are abandoned or still open); its interval runs from where the
 * upper band reaches ½ to where the lower band does.
 */
export function mergeIncidence(changes: readonly FollowedChange[], maxDays = 365): MergeIncidence {
  const merged = changes.filter((c) => c.outcome === 'merged').length;
  const abandoned = changes.filter((c) => c.outcome === 'abandoned').length;
  const base = { n: changes.length, events: merged, abandoned, open: changes.length - merged - abandoned };
  if (changes.length === 0) return { ...base, median: null, low: null, high: null, points: [] };
  const ci = cumulativeIncidence(
    changes.map((c) => ({ time: c.days, cause: c.outcome === 'open' ? null : c.outcome })),
    { clusters: changes.map((c) => c.cluster) },
  );
  const times = ci.steps.map((s) => s.time);
  const m = ci.steps.map((s) => s.incidence.merged);
  const median = crossing(
    times,
    m.map((e) => e?.value ?? 0),
    0.5,
  );
  const low = crossing(
    times,
    m.map((e) => e?.upper ?? null),
    0.5,
  );
  const high = crossing(
    times,
    m.map((e) => e?.lower ?? null),
    0.5,
  );
  const last = Math.min(maxDays, Math.ceil(times[times.length - 1] ?? 0));
  const points: MergeIncidence['points'] = [];
  let k = -1;
  for (let day = 0; day <= last; day++) {
    while (k + 1 < ci.steps.length && ci.steps[k + 1]!.time <= day) k++;
    const s = k >= 0 ? ci.steps[k]! : null;
    const mg = s?.incidence.merged;
    const ab = s?.incidence.abandoned;
    points.push({
      day,
      merged: round(mg?.value ?? 0, 4)!,
      mergedLow: mg?.lower == null ? null : round(mg.lower, 4),
      mergedHigh: mg?.upper == null ? null : round(mg.upper, 4),
      abandoned: round(ab?.value ?? 0, 4)!,
    });
  }
  return { ...base, median: round(median), low: round(low), high: round(high), points };
}

/** A time to an event: `days` to it, or to the end of follow-up when `event` is false. */
export interface FollowedTime {
  days: number;
  event: boolean;
  cluster: ClusterKey;
}

/** The Kaplan–Meier median time to the event with its 95% interval (R's survfit: Greenwood, log-log band). */
export function timeToEvent(list: readonly FollowedTime[]): EventTime {
  const events = list.filter((x) => x.event).length;
  if (list.length === 0) return { n: 0, events: 0, median: null, low: null, high: null };
  const q = survivalQuantile(kaplanMeier(list.map((x) => ({ time: x.days, event: x.event }))));
  return { n: list.length, events, median: round(q.time), low: round(q.lower), high: round(q.upper) };
}

/** The Aalen–Johansen time by which half merged, point estimate only (for re-draws); null when never. */
export function mergeMedianPoint(changes: readonly FollowedChange[]): number | null {
  // The days of each outcome in a typed array of its own, sorted natively (no comparator: the
  // bootstrap calls this thousands of times on thousands of changes), then walked together.
  let nm = 0;
  let na = 0;
  for (const c of changes) {
    if (c.outcome === 'merged') nm++;
    else if (c.outcome === 'abandoned') na++;
  }
  const merged = new Float64Array(nm);
  const abandoned = new Float64Array(na);
  const open = new Float64Array(changes.length - nm - na);
  let im = 0;
  let ia = 0;
  let io = 0;
  for (const c of changes) {
    if (c.outcome === 'merged') merged[im++] = c.days;
    else if (c.outcome === 'abandoned') abandoned[ia++] = c.days;
    else open[io++] = c.days;
  }
  merged.sort();
  abandoned.sort();
  open.sort();
  let atRisk = changes.length;
  let free = 1;
  let inc = 0;
  im = ia = io = 0;
  while (im < nm || ia < na || io < open.length) {
    const t = Math.min(im < nm ? merged[im]! : Infinity, ia < na ? abandoned[ia]! : Infinity, io < open.length ? open[io]! : Infinity);
    if (Number.isNaN(t)) break; // a time that is not a number ends the walk (it is sorted last)
    let dm = 0;
    let da = 0;
    let here = 0;
    while (im < nm && merged[im] === t) {
      dm++;
      im++;
    }
    while (ia < na && abandoned[ia] === t) {
      da++;
      ia++;
    }
    here = dm + da;
    while (io < open.length && open[io] === t) {
      here++;
      io++;
    }
    if (dm + da > 0) {
      inc += (free * dm) / atRisk;
      free *= 1 - (dm + da) / atRisk;
      if (inc >= 0.5 - 1e-12) return t;
    }
    atRisk -= here;
  }
  return null;
}

/** The Kaplan–Meier median, point estimate only (for re-draws); null when the curve never reaches ½. */
export function kmMedianPoint(list: readonly FollowedTime[]): number | null {
  const sorted = [...list].sort((a, b) => a.days - b.days);
  const n = sorted.length;
  let atRisk = n;
  let s = 1;
  for (let i = 0; i < n;) {
    const t = sorted[i]!.days;
    let d = 0;
    let here = 0;
    while (i < n && sorted[i]!.days === t) {
      if (sorted[i]!.event) d++;
      here++;
      i++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      if (s <= 0.5 + 1e-12) return t;
    }
    atRisk -= here;
  }
  return null;
}

export interface MedianDifferenceResult {
  /** median(first) − median(second), days; null when either median is undefined on the data. */
  difference: number | null;
  first: number | null;
  second: number | null;
  /** 95% percentile interval of the difference over re-draws of whole clusters. */
  low: number | null;
  high: number | null;
  /** `above`: first longer; `below`: first shorter; `inconclusive`: the interval spans 0 or is missing. */
  verdict: IntervalVerdict;
  /** What the clusters were (owners, blueprints), how many re-draws, and how many had an undefined median. */
  clusteredBy: string;
  clusters: number;
  replicates: number;
  failed: number;
}

/**
 * The difference of a median statistic between two groups with a seeded cluster-bootstrap
 * interval: each re-draw takes as many clusters as there are, with replacement, from the union of
 * both groups (a cluster may hold items of both), and recomputes both medians. Re-draws where a
 * median is undefined (a group absent, or fewer than half with the event) are counted in `failed`;
 * when more than a tenth fail the verdict is `inconclusive` whatever the interval.
 */
/**
 * clusterBootstrap of the difference of merge medians (bootstrapDifference with
 * mergeMedianPoint), without building the re-draws: a re-draw is how many times each cluster was
 * drawn, the same draws from the same stream, and each median is a walk over the changes sorted
 * once, each weighted by its cluster's count — the same multiset, the same arithmetic, the same
 * values (sorting every re-draw was most of `steward waits`' time).
 */
function mergeMedianReplicates(
  first: readonly FollowedChange[],
  second: readonly FollowedChange[],
  seed: number,
  replicates: number,
): { values: number[]; failed: number } {
  const keys = [...new Set([...first, ...second].map((c) => c.cluster))].sort(compareKeys);
  const index = new Map(keys.map((key, i) => [key, i]));
  const k = keys.length;
  const prepare = (list: readonly FollowedChange[]) => {
    const sorted = [...list].sort((a, b) => a.days - b.days);
    return {
      days: Float64Array.from(sorted, (c) => c.days),
      outcome: Uint8Array.from(sorted, (c) => (c.outcome === 'merged' ? 1 : c.outcome === 'abandoned' ? 2 : 0)),
      cluster: Int32Array.from(sorted, (c) => index.get(c.cluster)!),
    };
  };
  const a = prepare(first);
  const b = prepare(second);
  const counts = new Float64Array(k);
  const walk = (x: ReturnType<typeof prepare>): number | null => {
    const n = x.days.length;
    let atRisk = 0;
    for (let i = 0; i < n; i++) atRisk += counts[x.cluster[i]!]!;
    if (atRisk === 0) return Number.NaN; // the group is absent from this re-draw
    let free = 1;
    let inc = 0;
    for (let i = 0; i < n;) {
      const t = x.days[i]!;
      if (Number.isNaN(t)) break; // sorted last: a time that is not a number ends the walk
      let dm = 0;
      let da = 0;
      let here = 0;
      while (i < n && x.days[i] === t) {
        const w = counts[x.cluster[i]!]!;
        if (x.outcome[i] === 1) dm += w;
        else if (x.outcome[i] === 2) da += w;
        here += w;
        i++;
      }
      if (here === 0) continue;
      if (dm + da > 0) {
        inc += (free * dm) / atRisk;
        free *= 1 - (dm + da) / atRisk;
        if (inc >= 0.5 - 1e-12) return t;
      }
      atRisk -= here;
    }
    return null;
  };
  const random = seededRandom(seed);
  const values: number[] = [];
  let failed = 0;
  for (let r = 0; r < replicates; r++) {
    counts.fill(0);
    for (let j = 0; j < k; j++) counts[randomIndex(random, k)]! += 1;
    const x = k > 0 ? walk(a) : Number.NaN;
    const y = Number.isNaN(x as number) ? Number.NaN : walk(b);
    const v = x === null || y === null || Number.isNaN(x) || Number.isNaN(y) ? null : x - y;
    if (v === null || !Number.isFinite(v)) failed += 1;
    else values.push(v);
  }
  return { values, failed };
}

export function bootstrapDifference<T extends { cluster: ClusterKey }>(
  first: readonly T[],
  second: readonly T[],
  median: (list: readonly T[]) => number | null,
  options: { seed: number; replicates?: number; clusteredBy: string },
): MedianDifferenceResult {
  const replicates = options.replicates ?? 1000;
  const m1 = median(first);
  const m2 = median(second);
  const difference = m1 === null || m2 === null ? null : m1 - m2;
  const tagged = [...first.map((item) => ({ item, inFirst: true })), ...second.map((item) => ({ item, inFirst: false }))];
  const clusters = new Set(tagged.map((t) => t.item.cluster)).size;
  const base = { difference: round(difference), first: round(m1), second: round(m2), clusteredBy: options.clusteredBy, clusters };
  if (difference === null || replicates === 0) return { ...base, low: null, high: null, verdict: 'inconclusive', replicates: 0, failed: 0 };
  const reps =
    (median as unknown) === mergeMedianPoint
      ? mergeMedianReplicates(first as unknown as FollowedChange[], second as unknown as FollowedChange[], options.seed, replicates)
      : clusterBootstrap(
          tagged,
          (t) => t.item.cluster,
          (sample) => {
            const a: T[] = [];
            const b: T[] = [];
            for (const t of sample) (t.inFirst ? a : b).push(t.item);
            if (!a.length || !b.length) return null;
            const x = median(a);
            const y = median(b);
            return x === null || y === null ? null : x - y;
          },
          { random: seededRandom(options.seed), replicates },
        );
  const interval = percentileInterval(reps.values);
  const tooManyFailed = reps.failed > replicates / 10;
  const verdict: IntervalVerdict =
    !interval || tooManyFailed ? 'inconclusive' : interval.lower > 0 ? 'above' : interval.upper < 0 ? 'below' : 'inconclusive';
  return {
    ...base,
    low: round(interval?.lower ?? null),
    high: round(interval?.upper ?? null),
    verdict,
    replicates: reps.values.length,
    failed: reps.failed,
  };
}

/**
 * Cramér's V between two categorical variables observed together (0: unrelated, 1: one determines
 * the other): √(χ² / (n·(min(r, c) − 1))) over their contingency table. Null when either has one
 * level only.
 */
export function cramersV(xs: readonly string[], ys: readonly string[]): number | null {
  const n = Math.min(xs.length, ys.length);
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  const cell = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    rows.set(xs[i]!, (rows.get(xs[i]!) ?? 0) + 1);
    cols.set(ys[i]!, (cols.get(ys[i]!) ?? 0) + 1);
    const key = `${xs[i]}\u0000${ys[i]}`;
    cell.set(key, (cell.get(key) ?? 0) + 1);
  }
  const k = Math.min(rows.size, cols.size);
  if (n === 0 || k < 2) return null;
  let chi = 0;
  for (const [r, nr] of rows) {
    for (const [c, nc] of cols) {
      const expected = (nr * nc) / n;
      const observed = cell.get(`${r}\u0000${c}`) ?? 0;
      chi += ((observed - expected) * (observed - expected)) / expected;
    }
  }
  return Math.sqrt(chi / (n * (k - 1)));
}
