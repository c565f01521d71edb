/**
 * Statistics the CI-health reports share, defined once.
 *
 * - Proportions (failure rates, false-failure rates) come with a 95% **Wilson score interval**:
 *   for k of n, with z = 1.959964 and p = k/n,
 *   centre = (p + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²).
 *   Unlike the textbook p ± z·√(p(1−p)/n) it stays inside [0, 1] and is honest for small n and
 *   for rates near 0 (0 of 20 runs gives [0, 16.1%], not [0, 0]).
 * - Weeks are **ISO weeks**: they start on Monday 00:00 UTC and are named by ISO week-numbering
 *   year and number ("2026-W05"; the week holding 4 January is week 1).
 */
import { DAY_MS } from './stats.js';

const Z95 = 1.959964;
export const WEEK_MS = 7 * DAY_MS;

export interface RateInterval {
  low: number;
  high: number;
}

/**
 * The 95% Wilson score interval of k successes in n trials.
 *
 * @example wilson(5, 20) // { low: 0.1119, high: 0.4687 } (rounded)
 * @returns null when n is 0 (no evidence at all).
 */
export function wilson(k: number, n: number, z = Z95): RateInterval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Start of the ISO week holding `t`: the Monday before (or of) it, 00:00 UTC. */
export function isoWeekStart(t: number): number {
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const dow = new Date(day).getUTCDay(); // 0 = Sunday
  return day - ((dow + 6) % 7) * DAY_MS;
}

/**
 * The ISO week name of `t`.
 *
 * @example isoWeekName(Date.UTC(2021, 0, 3)) // '2020-W53' (a Sunday; 2021's week 1 starts 4 January)
 */
export function isoWeekName(t: number): string {
  const monday = isoWeekStart(t);
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Starts of the ISO weeks that overlap [since, until), ascending. */
export function isoWeeksBetween(since: number, until: number): number[] {
  const out: number[] = [];
  for (let w = isoWeekStart(since); w < until; w += WEEK_MS) out.push(w);
  return out;
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): how likely at least k "successes" are by chance alone.
 * Summed in log space so that n in the tens of thousands stays exact enough.
 *
 * @example binomialUpperTail(5, 10, 0.1) // 0.0016 (rounded)
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logC = 0; // log C(n, i), built up from i = 0
  let total = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    if (i >= k) total += Math.exp(logC + i * logP + (n - i) * logQ);
  }
  return Math.min(1, total);
}
