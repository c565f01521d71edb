/**
 * Comparing two proportions (failure rates, shares of changes): Newcombe's hybrid score interval
 * for their difference, a cluster-adjusted variant of it, and Fisher's exact test.
 */
import { wilson } from '../ci-stats.js';
import { logFactorial, normalQuantile } from './distributions.js';

export interface DifferenceInterval {
  /** p₁ − p₂. */
  difference: number;
  lower: number;
  upper: number;
  level: number;
}

/**
 * Newcombe's hybrid score interval for p₁ − p₂ (Newcombe 1998, method 10): from the Wilson
 * intervals (l₁, u₁) and (l₂, u₂) of each proportion,
 * [d − √((p₁ − l₁)² + (u₂ − p₂)²), d + √((u₁ − p₁)² + (p₂ − l₂)²)] with d = p₁ − p₂.
 * It stays inside [−1, 1], is sensible at 0 of n and n of n, and its coverage is close to nominal
 * even for small samples (unlike the Wald p₁ − p₂ ± z·se, and unlike R's `prop.test`, which is a
 * different, continuity-corrected interval).
 *
 * Assumes two independent binomial samples: every trial independent. When trials cluster (several
 * CI runs of one change), use {@link clusteredNewcombeDifference}.
 *
 * @param level two-sided confidence level (default 0.95).
 * @returns null when either sample is empty.
 * @example newcombeDifference(5, 20, 2, 25) // { difference: 0.17, lower: ≈ −0.04, upper: ≈ 0.39, … }
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, level = 0.95): DifferenceInterval | null {
  if (n1 <= 0 || n2 <= 0) return null;
  if (x1 < 0 || x1 > n1 || x2 < 0 || x2 > n2) {
    throw new RangeError(`newcombeDifference: successes must lie in 0…n, got ${x1} of ${n1} and ${x2} of ${n2}`);
  }
  const z = normalQuantile(1 - (1 - level) / 2);
  const w1 = wilson(x1, n1, z)!;
  const w2 = wilson(x2, n2, z)!;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  return {
    difference: d,
    lower: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    upper: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
    level,
  };
}

/** Successes and trials within one cluster (one change's CI runs, one owner's changes). */
export interface ClusterCount {
  successes: number;
  trials: number;
}

export interface DesignEffect {
  /** Pooled proportion Σ successes / Σ trials. */
  proportion: number;
  trials: number;
  clusters: number;
  /**
   * Variance of the proportion allowing for clustering divided by its variance if every trial were
   * independent; floored at 1 (clustering is never taken to add information).
   */
  designEffect: number;
  /** trials / designEffect: how many independent trials the data are worth. */
  effectiveTrials: number;
}

/**
 * The design effect of clustered binary data, from the ratio-estimator (linearisation) variance of
 * the pooled proportion p = Σy / Σm over k clusters: v = k/(k − 1) · Σ(yᵢ − p·mᵢ)² / (Σm)², divided
 * by the binomial p(1 − p)/Σm. Independent trials (clusters of one) give k/(k − 1), the small-sample
 * factor of this variance, not exactly 1. Needs at least 2 clusters to estimate anything; with
 * fewer, or when p is 0 or 1 (no spread to measure), the design effect is taken as 1.
 */
export function designEffect(clusters: readonly ClusterCount[]): DesignEffect {
  const k = clusters.length;
  let y = 0;
  let m = 0;
  for (const c of clusters) {
    if (c.successes < 0 || c.successes > c.trials)
      throw new RangeError(`designEffect: a cluster has ${c.successes} successes of ${c.trials} trials`);
    y += c.successes;
    m += c.trials;
  }
  const p = m > 0 ? y / m : 0;
  let deff = 1;
  if (k >= 2 && m > 0 && p > 0 && p < 1) {
    let ss = 0;
    for (const c of clusters) ss += (c.successes - p * c.trials) ** 2;
    const vRatio = ((k / (k - 1)) * ss) / (m * m);
    deff = Math.max(1, vRatio / ((p * (1 - p)) / m));
  }
  return { proportion: p, trials: m, clusters: k, designEffect: deff, effectiveTrials: m / deff };
}

export interface ClusteredDifferenceInterval extends DifferenceInterval {
  first: DesignEffect;
  second: DesignEffect;
}

/**
 * Which design effect shrinks each group's sample size:
 * - `per-group` (default): each group's own. Right for an interval whose groups may cluster
 *   differently (a job's runs against a baseline of many jobs).
 * - `pooled`: the trials-weighted average of the two, used for both. Right for testing "same rate
 *   in both groups", where under that hypothesis the groups share one process; it is steadier with
 *   few clusters (see calibration.test.ts: with 30 very uneven clusters per group the per-group
 *   version declares a difference in ~7% of null samples, the pooled one ~5%).
 */
export type DesignEffectChoice = 'per-group' | 'pooled';

/**
 * Newcombe's interval for p₁ − p₂ when trials come in clusters: each group's sample size is
 * shrunk by a design effect ({@link designEffect}) — n_eff = n / deff, with successes p·n_eff —
 * and method 10 is applied to the effective counts (the Wilson interval accepts non-whole
 * counts). This is the design-effect adjustment of score intervals for cluster samples (as in
 * Donner & Klar's and Zou & Donner's work); chosen over a cluster bootstrap because it is
 * deterministic and works with a handful of clusters, where a bootstrap's interval is unstable.
 *
 * Assumes clusters independent of each other and within-cluster correlation roughly the same
 * across clusters. With few clusters (under ~30) or very uneven ones (a few changes failing all
 * their runs) the design effect itself is uncertain and the interval runs somewhat narrow.
 *
 * @returns null when either group has no trials.
 */
export function clusteredNewcombeDifference(
  first: readonly ClusterCount[],
  second: readonly ClusterCount[],
  level = 0.95,
  choice: DesignEffectChoice = 'per-group',
): ClusteredDifferenceInterval | null {
  const a = designEffect(first);
  const b = designEffect(second);
  if (a.trials <= 0 || b.trials <= 0) return null;
  const pooled = (a.designEffect * a.trials + b.designEffect * b.trials) / (a.trials + b.trials);
  const da = choice === 'pooled' ? pooled : a.designEffect;
  const db = choice === 'pooled' ? pooled : b.designEffect;
  const na = a.trials / da;
  const nb = b.trials / db;
  const d = newcombeDifference(a.proportion * na, na, b.proportion * nb, nb, level)!;
  return { ...d, first: { ...a, designEffect: da, effectiveTrials: na }, second: { ...b, designEffect: db, effectiveTrials: nb } };
}

export interface FisherResult {
  /** Two-sided p-value. */
  p: number;
  /** Sample odds ratio (a·d)/(b·c); Infinity or NaN when a cell is 0. */
  oddsRatio: number;
}

/**
 * Fisher's exact test for the 2×2 table [[a, b], [c, d]] (rows: the two groups; columns: success,
 * failure), two-sided as R's `fisher.test`: the sum of the probabilities, under the hypergeometric
 * distribution with all margins fixed, of every table no more likely than the one observed (with
 * R's relative tolerance 1e-7 for ties).
 *
 * Assumes independent trials (no clustering: with clustered runs use
 * {@link clusteredNewcombeDifference}). Exact for any counts; it tends to be conservative.
 *
 * @example fisherExact(5, 15, 2, 23).p // 0.2183… (R: fisher.test(matrix(c(5, 2, 15, 23), 2)))
 */
export function fisherExact(a: number, b: number, c: number, d: number): FisherResult {
  for (const v of [a, b, c, d]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`fisherExact: cells must be whole numbers ≥ 0, got ${[a, b, c, d].join(', ')}`);
  }
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const lo = Math.max(0, col1 - row2);
  const hi = Math.min(col1, row1);
  const logChoose = (n: number, k: number): number => logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  const logs: number[] = [];
  for (let x = lo; x <= hi; x++) logs.push(logChoose(row1, x) + logChoose(row2, col1 - x));
  const top = Math.max(...logs);
  const probs = logs.map((l) => Math.exp(l - top));
  const total = probs.reduce((s, v) => s + v, 0);
  const observed = probs[a - lo]!;
  let p = 0;
  for (const v of probs) if (v <= observed * (1 + 1e-7)) p += v;
  return { p: Math.min(1, p / total), oddsRatio: (a * d) / (b * c) };
}
