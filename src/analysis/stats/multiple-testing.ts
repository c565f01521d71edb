/**
 * Adjusting p-values when many comparisons are made at once (factors, jobs).
 */

/**
 * Benjamini–Hochberg adjusted p-values (R: `p.adjust(p, "BH")`), in the input order: for the
 * i-th smallest of m p-values, min over j ≥ i of m·p₍ⱼ₎/j, capped at 1. Declaring "adjusted p ≤ q"
 * keeps the expected share of false discoveries among those declared at most q (the false
 * discovery rate), under independence or positive dependence of the tests.
 *
 * Edge cases: an empty list gives an empty list; throws a RangeError on a p-value outside [0, 1]
 * or not a number.
 *
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`benjaminiHochberg: p-value ${i} is ${p}, expected a number in [0, 1]`);
  });
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b]! - pValues[a]!);
  const out = new Array<number>(m);
  let running = 1;
  order.forEach((idx, k) => {
    const rank = m - k;
    running = Math.min(running, (m / rank) * pValues[idx]!);
    out[idx] = running;
  });
  return out;
}
