/**
 * Order-statistic median intervals and Pearson correlations (no report draws a verdict from
 * interval overlap any more: see flow-inference.ts and docs/inference.md).
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

/**
 * Median and its 95% interval. `values` in any order. The median is quantileSorted's (the mean of
 * the two middle values of an even count) and the interval's ends are order statistics: found by
 * selection rather than by sorting, as the waits report takes hundreds of these.
 */
export function medianWithCi(values: readonly number[]): MedianCi {
  const a = Float64Array.from(values);
  const n = a.length;
  const l = medianCiRank(n);
  if (n === 0) return { n, median: null, low: null, high: null };
  // The middle ranks, then the interval's ranks below and above them (each selection leaves
  // smaller values before its rank and larger ones after, so the next one searches one side).
  const h = (n - 1) * 0.5;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const upper = select(a, 0, n - 1, hi);
  const lower = lo < hi ? select(a, 0, hi - 1, lo) : upper;
  const median = lower + (upper - lower) * (h - lo);
  if (!l) return { n, median, low: null, high: null };
  const low = l - 1 < lo ? select(a, 0, lo - 1, l - 1) : lower;
  const high = n - l > hi ? select(a, hi + 1, n - 1, n - l) : upper;
  return { n, median, low, high };
}

/**
 * The k-th smallest of a[from..to] (k absolute), leaving a[from..k-1] ≤ a[k] ≤ a[k+1..to]:
 * quickselect with a three-way partition (many equal values, such as whole zero days, are common).
 */
function select(a: Float64Array, from: number, to: number, k: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const x = a[lo]!;
    const y = a[(lo + hi) >>> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // a[lo..lt-1] < pivot, a[lt..i-1] = pivot, a[gt+1..hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt] = v;
        gt--;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[k]!;
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
