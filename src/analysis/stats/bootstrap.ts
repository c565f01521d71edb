/**
 * Seeded bootstrap intervals: resampling whole clusters (blueprints, owners, changes) for
 * differences of medians, and resampling blocks of consecutive periods for time series. Every
 * random draw comes from an injected {@link Random}, so a seed fixes the interval.
 */
import { quantileSorted } from '../stats.js';
import type { Random } from './random.js';
import { randomIndex } from './random.js';

export type ClusterKey = string | number;

export interface BootstrapOptions {
  /** The source of uniform draws (e.g. `seededRandom(seed)`). */
  random: Random;
  /** Number of resamples (default 2000). */
  replicates?: number;
}

export interface BootstrapReplicates {
  /** The statistic on each resample where it was defined. */
  values: number[];
  /** Resamples where the statistic was undefined (e.g. a group absent); left out of `values`. */
  failed: number;
}

/** The order clusters are drawn in: numbers numerically, otherwise as strings. */
export function compareKeys(a: ClusterKey, b: ClusterKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The cluster bootstrap: each resample draws as many clusters as there are, with replacement,
 * and takes all the items of each drawn cluster (a cluster drawn twice contributes twice). This
 * keeps whatever makes items of one cluster alike (one owner's habits, one blueprint's scope)
 * inside each resample, so the spread reflects the number of clusters, not of items.
 *
 * Clusters are taken in sorted order of their keys (numbers numerically, otherwise as strings), and
 * each draw is cluster ⌊u·k⌋ for one uniform u; so the result does not depend on the order of the
 * items, and a recorded stream of uniforms replays exactly.
 *
 * @param statistic computed on each resample's items; return null when it is undefined.
 */
export function clusterBootstrap<T>(
  items: readonly T[],
  clusterOf: (item: T) => ClusterKey,
  statistic: (sample: readonly T[]) => number | null,
  options: BootstrapOptions,
): BootstrapReplicates {
  const { keys, clusterIndex } = sortedClusters(items, clusterOf);
  const groups: T[][] = keys.map(() => []);
  items.forEach((it, i) => groups[clusterIndex[i]!]!.push(it));
  const k = groups.length;
  const replicates = options.replicates ?? 2000;
  const values: number[] = [];
  let failed = 0;
  for (let b = 0; b < replicates; b++) {
    const sample: T[] = [];
    for (let j = 0; j < k; j++) for (const it of groups[randomIndex(options.random, k)]!) sample.push(it);
    const v = k > 0 ? statistic(sample) : null;
    if (v === null || !Number.isFinite(v)) failed += 1;
    else values.push(v);
  }
  return { values, failed };
}

/**
 * The clusters of `items` in the order the draws index them (see {@link clusterBootstrap}), and each
 * item's cluster: for a re-draw loop written for one statistic that must draw what
 * {@link clusterBootstrapWeights} draws (flow-inference.ts `bootstrapKmMedianPair`).
 */
export function sortedClusters<T>(
  items: readonly T[],
  clusterOf: (item: T) => ClusterKey,
): { keys: ClusterKey[]; clusterIndex: Uint32Array } {
  const seen = new Map<ClusterKey, number>();
  for (const it of items) seen.set(clusterOf(it), 0);
  const keys = [...seen.keys()].sort(compareKeys);
  keys.forEach((key, j) => seen.set(key, j));
  return { keys, clusterIndex: Uint32Array.from(items, (it) => seen.get(clusterOf(it))!) };
}

/**
 * The same cluster bootstrap, the same draws for the same `random`, but each resample is given to
 * `statistic` as a weight per item — how many times its cluster was drawn (0 when it was not) —
 * instead of as a list of copies. For statistics that can count an item `w` times (medians of
 * step functions, sums), this spares building a list per resample: with the items sorted once, a
 * statistic over weights gives exactly what it would give over the copied list.
 */
export function clusterBootstrapWeights<T>(
  items: readonly T[],
  clusterOf: (item: T) => ClusterKey,
  statistic: (weights: Float64Array) => number | null,
  options: BootstrapOptions,
): BootstrapReplicates {
  const { keys, clusterIndex } = sortedClusters(items, clusterOf);
  const k = keys.length;
  const replicates = options.replicates ?? 2000;
  const counts = new Float64Array(k);
  const weights = new Float64Array(items.length);
  const values: number[] = [];
  let failed = 0;
  for (let b = 0; b < replicates; b++) {
    counts.fill(0);
    for (let j = 0; j < k; j++) counts[randomIndex(options.random, k)]! += 1;
    for (let i = 0; i < weights.length; i++) weights[i] = counts[clusterIndex[i]!]!;
    const v = k > 0 ? statistic(weights) : null;
    if (v === null || !Number.isFinite(v)) failed += 1;
    else values.push(v);
  }
  return { values, failed };
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * The percentile interval: the (1 − level)/2 and (1 + level)/2 quantiles of the bootstrap values
 * (linear interpolation between order statistics, R's `quantile(type = 7)`).
 *
 * @returns null when there are no values.
 */
export function percentileInterval(values: readonly number[], level = 0.95): Interval | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { lower: quantileSorted(sorted, (1 - level) / 2)!, upper: quantileSorted(sorted, (1 + level) / 2)! };
}

/**
 * What an interval for a difference (or for anything compared with a reference value) allows one
 * to say: `above` when its whole range is above `reference`, `below` when entirely below, and
 * `inconclusive` when it spans the reference (or is missing) — which is not evidence that there is
 * no difference, only that the data cannot tell its sign.
 */
export type IntervalVerdict = 'above' | 'below' | 'inconclusive';

/** The verdict of an interval against `reference` (default 0). See {@link IntervalVerdict}. */
export function intervalVerdict(interval: Interval | null, reference = 0): IntervalVerdict {
  if (!interval) return 'inconclusive';
  if (interval.lower > reference) return 'above';
  if (interval.upper < reference) return 'below';
  return 'inconclusive';
}

/** A value of a group, with the cluster it belongs to. */
export interface ClusteredValue {
  value: number;
  cluster: ClusterKey;
}

export interface MedianDifference {
  /** median(first) − median(second) on the data (median: mean of the two middle values). */
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  level: number;
  verdict: IntervalVerdict;
  /** Resamples used, and those left out because one group drew no values. */
  replicates: number;
  failed: number;
}

/** The k-th smallest (0-based) of `a`, rearranging it (Hoare's quickselect, median-of-three pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The median (mean of the two middle values of an even count), in linear time; null when empty. */
function median(values: readonly number[]): number | null {
  const n = values.length;
  if (n === 0) return null;
  const a = Float64Array.from(values);
  const upper = select(a, n >> 1);
  if (n % 2 === 1) return upper;
  // The lower middle value is the largest of those left below the upper one.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/**
 * The difference of two medians with a seeded percentile-bootstrap interval that resamples
 * clusters ({@link clusterBootstrap}) — clusters may hold values of both groups (an owner with
 * small and large changes), and are drawn from the union. Pass a distinct cluster per value for
 * independent values.
 *
 * Assumes clusters independent. With few clusters (under ~10) percentile intervals are too narrow;
 * with many resamples failing (a group present in few clusters) the interval is unreliable — the
 * count is reported so callers can say so. Medians of durations should use censoring-aware
 * estimates when some items are still open; this compares completed values only.
 *
 * @example bootstrapMedianDifference(slow, fast, { random: seededRandom(1) }).verdict // 'above' | 'below' | 'inconclusive'
 */
export function bootstrapMedianDifference(
  first: readonly ClusteredValue[],
  second: readonly ClusteredValue[],
  options: BootstrapOptions & { level?: number },
): MedianDifference {
  const level = options.level ?? 0.95;
  const m1 = median(first.map((v) => v.value));
  const m2 = median(second.map((v) => v.value));
  const estimate = m1 === null || m2 === null ? null : m1 - m2;
  const tagged = [...first.map((v) => ({ ...v, inFirst: true })), ...second.map((v) => ({ ...v, inFirst: false }))];
  const reps = clusterBootstrap(
    tagged,
    (v) => v.cluster,
    (sample) => {
      const a: number[] = [];
      const b: number[] = [];
      for (const v of sample) (v.inFirst ? a : b).push(v.value);
      const ma = median(a);
      const mb = median(b);
      return ma === null || mb === null ? null : ma - mb;
    },
    options,
  );
  const interval = estimate === null ? null : percentileInterval(reps.values, level);
  return {
    estimate,
    lower: interval?.lower ?? null,
    upper: interval?.upper ?? null,
    level,
    verdict: intervalVerdict(interval),
    replicates: reps.values.length,
    failed: reps.failed,
  };
}

/**
 * A block length for {@link movingBlockBootstrap}: ⌈n^(1/3)⌉, the usual order for estimating a
 * variance or a mean (3 for 13 weeks, 4 for 52).
 */
export function defaultBlockLength(n: number): number {
  return Math.max(1, Math.ceil(Math.cbrt(n)));
}

/**
 * The moving-block bootstrap for a series in time order: each resample joins ⌈n/l⌉ blocks of l
 * consecutive items, each starting at a uniform position 0 … n − l (start ⌊u·(n − l + 1)⌋), cut to
 * n items. Keeping neighbours together keeps short-range autocorrelation in the resamples, which
 * resampling single periods would destroy (and intervals would be too narrow).
 *
 * Assumes the series is stationary and its dependence dies out within about l periods. Use it on
 * whole rows (e.g. weekly flows and supplies) with a statistic such as a regression slope.
 *
 * @param blockLength l, 1 … n (default {@link defaultBlockLength}).
 */
export function movingBlockBootstrap<T>(
  series: readonly T[],
  statistic: (sample: readonly T[]) => number | null,
  options: BootstrapOptions & { blockLength?: number },
): BootstrapReplicates {
  const n = series.length;
  const l = options.blockLength ?? defaultBlockLength(n);
  if (n === 0) return { values: [], failed: options.replicates ?? 2000 };
  if (!Number.isInteger(l) || l < 1 || l > n)
    throw new RangeError(`movingBlockBootstrap: block length must be a whole number in 1…${n}, got ${l}`);
  const blocks = Math.ceil(n / l);
  const starts = n - l + 1;
  const replicates = options.replicates ?? 2000;
  const values: number[] = [];
  let failed = 0;
  for (let b = 0; b < replicates; b++) {
    const sample: T[] = [];
    for (let j = 0; j < blocks; j++) {
      const s = randomIndex(options.random, starts);
      for (let i = s; i < s + l; i++) sample.push(series[i]!);
    }
    sample.length = n;
    const v = statistic(sample);
    if (v === null || !Number.isFinite(v)) failed += 1;
    else values.push(v);
  }
  return { values, failed };
}
