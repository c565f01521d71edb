/**
 * Small descriptive statistics used by every report, defined once.
 *
 * Quantiles use linear interpolation between closest ranks (the "R-7" / numpy default /
 * spreadsheet PERCENTILE.INC definition): for sorted values x[0..n-1], the q-quantile is
 * x[h] interpolated at h = (n − 1)·q. The median of an even count is the mean of the two middle
 * values, as people compute it by hand.
 */

export interface Distribution {
  count: number;
  min: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  max: number | null;
  mean: number | null;
}

/** q in [0, 1] over an ascending-sorted array; null for an empty one. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (h - lo);
}

/** Summary of `values` (any order). */
export function distribution(values: readonly number[]): Distribution {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return {
    count: n,
    min: n ? s[0]! : null,
    p25: quantileSorted(s, 0.25),
    median: quantileSorted(s, 0.5),
    p75: quantileSorted(s, 0.75),
    p90: quantileSorted(s, 0.9),
    max: n ? s[n - 1]! : null,
    mean: n ? s.reduce((x, y) => x + y, 0) / n : null,
  };
}

/** Divides, giving null rather than NaN/Infinity when the denominator is 0. */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/** Rounds for display and JSON: keeps numbers checkable by hand without float noise. */
export function round(x: number | null, digits = 2): number | null {
  if (x === null) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const DAY_MS = 86_400_000;
