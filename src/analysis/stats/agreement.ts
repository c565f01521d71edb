/**
 * Agreement between two raters beyond chance (a reviewer's votes against the cores' verdicts).
 */
import { normalQuantile, normalTwoSided } from './distributions.js';

export interface KappaResult {
  n: number;
  /** Share of items on which the two agree. */
  observed: number;
  /** Share expected to agree by chance, from each rater's own category shares. */
  expected: number;
  /** (observed − expected) / (1 − expected); null when expected is 1 (both always say the same one thing). */
  kappa: number | null;
  /** Large-sample standard error of κ (Fleiss, Cohen & Everitt 1969), for its interval. */
  stdErr: number | null;
  /** Standard error under "no agreement beyond chance", for the test of κ = 0. */
  nullStdErr: number | null;
  /** Two-sided p-value of κ = 0. */
  p: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * κ's point estimate from the table of counts (counts[i][j]: items the first rater put in category
 * i and the second in j; categories in order of first appearance, first rater's then second's),
 * with the shares it came from. The one computation `cohensKappa` uses, so a caller that tallies
 * counts itself (the candidates' rank bootstrap) gets the same value to the last bit.
 */
export function kappaOfCounts(
  counts: readonly (readonly number[])[],
  n: number,
): { tab: number[][]; rows: number[]; cols: number[]; observed: number; expected: number; kappa: number | null } {
  const k = counts.length;
  const tab = counts.map((r) => r.map((c) => c / n));
  const rows = tab.map((r) => r.reduce((s, v) => s + v, 0));
  const cols = tab.map((_, j) => tab.reduce((s, r) => s + r[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    po += tab[i]![i]!;
    pe += rows[i]! * cols[i]!;
  }
  return { tab, rows, cols, observed: po, expected: pe, kappa: pe >= 1 - 1e-15 ? null : (po - pe) / (1 - pe) };
}

/**
 * {@link kappaOfCounts}'s κ for one or two categories, from the counts themselves (no table built):
 * `k` categories (1 or 2), `c00` … `c11` the table's cells (with one category only `c00` is read),
 * `n` their sum. The same operations in the same order, so the same value to the last bit; NaN where
 * `kappaOfCounts` gives null. For a loop that runs it hundreds of thousands of times (the
 * candidates' rank bootstrap).
 *
 * @example kappaOfTwo(2, 5, 1, 2, 4, 12) // as kappaOfCounts([[5, 1], [2, 4]], 12).kappa
 */
export function kappaOfTwo(k: 1 | 2, c00: number, c01: number, c10: number, c11: number, n: number): number {
  const t00 = c00 / n;
  let po: number;
  let pe: number;
  if (k === 1) {
    // rows and columns: 0 + t00, which is t00 (t00 ≥ 0).
    po = t00;
    pe = t00 * t00;
  } else {
    const t01 = c01 / n;
    const t10 = c10 / n;
    const t11 = c11 / n;
    const r0 = t00 + t01;
    const r1 = t10 + t11;
    const k0 = t00 + t10;
    const k1 = t01 + t11;
    po = t00 + t11;
    pe = r0 * k0 + r1 * k1;
  }
  return pe >= 1 - 1e-15 ? NaN : (po - pe) / (1 - pe);
}

/**
 * Cohen's κ for two raters who each put the same n items into categories: 1 is perfect agreement,
 * 0 is what chance alone gives, below 0 is systematic disagreement. A rater who always says the
 * same thing scores 0 however often that happens to be right.
 *
 * Standard errors (p_ij the share of items rated i by the first and j by the second, p_i· and p_·j
 * the margins, pₑ = Σ p_i·p_·i):
 * - for the interval, var κ = [Σ p_ii(1 − (p_i· + p_·i)(1 − κ))² + (1 − κ)² Σ_{i≠j} p_ij(p_·i + p_j·)²
 *   − (κ − pₑ(1 − κ))²] / (n(1 − pₑ)²);
 * - for the test of κ = 0, var₀ κ = [pₑ + pₑ² − Σ p_i·p_·i(p_i· + p_·i)] / (n(1 − pₑ)²).
 *
 * Assumes items independent. The normal approximation needs a few dozen items; with fewer, read the
 * interval as rough.
 *
 * @param first the first rater's category for each item.
 * @param second the second rater's category for the same items, same order.
 * @param level two-sided level of the interval (default 0.95).
 */
export function cohensKappa<T>(first: readonly T[], second: readonly T[], level = 0.95): KappaResult {
  const n = first.length;
  if (second.length !== n) throw new RangeError(`cohensKappa: ${n} ratings from the first rater but ${second.length} from the second`);
  const empty = { n, observed: 0, expected: 0, kappa: null, stdErr: null, nullStdErr: null, p: null, lower: null, upper: null };
  if (n === 0) return empty;
  const cats = [...new Set([...first, ...second])];
  const idx = new Map(cats.map((c, i) => [c, i]));
  const k = cats.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) counts[idx.get(first[i]!)!]![idx.get(second[i]!)!]! += 1;
  const { tab, rows, cols, observed: po, expected: pe, kappa } = kappaOfCounts(counts, n);
  if (kappa === null) return { ...empty, observed: po, expected: pe };
  let a = 0;
  let b = 0;
  let sum3 = 0;
  for (let i = 0; i < k; i++) {
    a += tab[i]![i]! * (1 - (rows[i]! + cols[i]!) * (1 - kappa)) ** 2;
    sum3 += rows[i]! * cols[i]! * (rows[i]! + cols[i]!);
    for (let j = 0; j < k; j++) if (i !== j) b += tab[i]![j]! * (cols[i]! + rows[j]!) ** 2;
  }
  const denom = n * (1 - pe) ** 2;
  const variance = (a + (1 - kappa) ** 2 * b - (kappa - pe * (1 - kappa)) ** 2) / denom;
  const stdErr = Math.sqrt(Math.max(0, variance));
  const nullStdErr = Math.sqrt(Math.max(0, (pe + pe * pe - sum3) / denom));
  const z = normalQuantile(1 - (1 - level) / 2);
  return {
    n,
    observed: po,
    expected: pe,
    kappa,
    stdErr,
    nullStdErr,
    p: nullStdErr > 0 ? normalTwoSided(kappa / nullStdErr) : null,
    // κ lies in [−1, 1]; the normal interval can run past either end with few items.
    lower: Math.max(-1, kappa - z * stdErr),
    upper: Math.min(1, kappa + z * stdErr),
  };
}
