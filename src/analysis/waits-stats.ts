/**
 * The statistics `steward waits` uses to say whether a difference is real or within noise.
 *
 * Median confidence interval: the distribution-free order-statistic interval. For n sorted values
 * x(1) ≤ … ≤ x(n), the 95% interval is [x(l), x(n − l + 1)] with l the largest rank such that
 * P(B ≤ l − 1) ≤ 0.025 for B ~ Binomial(n, ½) (the number of values below the true median). It
 * covers the true median with probability ≥ 95% whatever the distribution; it needs n ≥ 6 (below
 * that no rank qualifies and the interval is null). Reference: Conover, Practical Nonparametric
 * Statistics, §3.2.
 *
 * Correlation: Pearson's r with the Fisher z interval tanh(atanh(r) ± 1.96/√(n − 3)), n ≥ 4.
 */
import { quantileSorted } from './stats.js';

export interface MedianCi {
  n: number;
  median: number | null;
  /** 95% interval for the median, or null when n < 6. */
  low: number | null;
  high: number | null;
}

/** Lower rank l (1-based) of the 95% order-statistic interval for n values, or 0 when none exists. */
const rankCache = new Map<number, number>();

export function medianCiRank(n: number, alpha = 0.05): number {
  if (n < 1) return 0;
  if (alpha === 0.05 && rankCache.has(n)) return rankCache.get(n)!;
  // P(B ≤ k) accumulated in linear space from log-space terms (early terms underflow harmlessly).
  let logP = -n * Math.LN2;
  let cdf = 0;
  let l = 0;
  for (let k = 0; k <= n / 2; k++) {
    cdf += Math.exp(logP);
    // cdf = P(B ≤ k): rank k + 1 qualifies when P(B ≤ k) ≤ α/2.
    if (cdf <= alpha / 2) l = k + 1;
    else break;
    logP += Math.log((n - k) / (k + 1));
  }
  if (alpha === 0.05) rankCache.set(n, l);
  return l;
}

/** Median and its 95% interval. `values` in any order. */
export function medianWithCi(values: readonly number[]): MedianCi {
  const s = Float64Array.from(values).sort() as unknown as number[];
  const n = s.length;
  const l = medianCiRank(n);
  return { n, median: quantileSorted(s, 0.5), low: l ? s[l - 1]! : null, high: l ? s[n - l]! : null };
}

/** Two medians differ beyond noise when their 95% intervals do not overlap (a conservative rule). */
export function clearlyDifferent(a: MedianCi, b: MedianCi): boolean {
  if (a.low === null || a.high === null || b.low === null || b.high === null) return false;
  return a.low > b.high || b.low > a.high;
}

export interface Correlation {
  n: number;
  r: number | null;
  low: number | null;
  high: number | null;
}

/** Pearson's r of paired values with its Fisher 95% interval. */
export function correlation(xs: readonly number[], ys: readonly number[]): Correlation {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return { n, r: null, low: null, high: null };
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return { n, r: null, low: null, high: null };
  const r = sxy / Math.sqrt(sxx * syy);
  if (n < 4 || Math.abs(r) >= 1) return { n, r, low: null, high: null };
  const z = Math.atanh(r);
  const se = 1 / Math.sqrt(n - 3);
  return { n, r, low: Math.tanh(z - 1.96 * se), high: Math.tanh(z + 1.96 * se) };
}
