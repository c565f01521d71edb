/**
 * Kaplan–Meier survival curves with Greenwood standard errors, pointwise confidence bands and
 * quantiles (the median) with their confidence intervals — the same definitions as R's
 * `survival::survfit(Surv(time, status) ~ 1)` and `quantile()` / `print()` of its result, so the
 * numbers can be checked against R (see scripts/reference/make-stats-fixtures.R).
 */
import { normalQuantile } from './distributions.js';

/** One subject: time from its origin to its event or to the end of its follow-up. */
export interface SurvivalRecord {
  /** Time from the origin (any unit, ≥ 0; the curve's times are in the same unit). */
  time: number;
  /** True when the event happened at `time`; false when the subject was censored then. */
  event: boolean;
}

/**
 * How the pointwise band is built from the Greenwood standard error (R's `conf.type`):
 * - `log-log` (our default, as in SAS and Kalbfleisch & Prentice): a symmetric interval for
 *   log(−log S), mapped back; it stays inside (0, 1) and behaves well in the tails;
 * - `log` (R survfit's default): a symmetric interval for log S, upper end capped at 1;
 * - `plain`: S ± z·se(S), clipped to [0, 1].
 */
export type ConfType = 'log-log' | 'log' | 'plain';

export interface KaplanMeierStep {
  /** A distinct time at which something happened (an event or a censoring). */
  time: number;
  /** Subjects still followed just before `time`. */
  atRisk: number;
  events: number;
  censored: number;
  /** S(time): the estimated share with no event by `time` (inclusive). */
  survival: number;
  /**
   * Greenwood standard error of −log S (= of the cumulative hazard), √Σ d/(n(n − d)): R's
   * `std.err`. Infinite once S reaches 0.
   */
  stdErr: number;
  /** Lower and upper ends of the pointwise band; null where the band is undefined (S = 0). */
  lower: number | null;
  upper: number | null;
}

export interface KaplanMeierCurve {
  n: number;
  events: number;
  confType: ConfType;
  /** Two-sided confidence level of the bands, e.g. 0.95. */
  level: number;
  /** One step per distinct time, ascending. Before the first step S = 1. */
  steps: KaplanMeierStep[];
}

export interface KaplanMeierOptions {
  confType?: ConfType;
  level?: number;
}

/**
 * The band for S with Greenwood standard error `se` (of −log S), as R's survfit builds it.
 * Where S = 1 (no event yet) the band is [1, 1]; where S = 0 it is undefined.
 */
export function survivalBand(s: number, se: number, z: number, confType: ConfType): { lower: number | null; upper: number | null } {
  if (s >= 1 && se === 0) return { lower: 1, upper: 1 };
  if (s <= 0 || !Number.isFinite(se)) return { lower: null, upper: null };
  if (confType === 'plain') {
    const h = z * se * s;
    return { lower: Math.max(0, s - h), upper: Math.min(1, s + h) };
  }
  if (confType === 'log') {
    return { lower: Math.exp(Math.log(s) - z * se), upper: Math.min(1, Math.exp(Math.log(s) + z * se)) };
  }
  if (s >= 1) return { lower: null, upper: null };
  const l = Math.log(-Math.log(s));
  const w = (z * se) / Math.log(s); // negative
  return { lower: Math.exp(-Math.exp(l - w)), upper: Math.exp(-Math.exp(l + w)) };
}

/**
 * The Kaplan–Meier estimate over `records`.
 *
 * At each distinct time t with n at risk (time ≥ t) and d events, S(t) = S(t⁻)·(1 − d/n); a
 * subject censored at t is still at risk at t (events are taken to happen first). The Greenwood
 * variance of −log S is Σ d/(n(n − d)) over event times up to t.
 *
 * Assumes censoring is independent of the event (a subject censored at t is like those still at
 * risk). Edge cases: no records gives an empty curve; all censored gives S = 1 throughout.
 *
 * @example kaplanMeier([{ time: 1, event: true }, { time: 2, event: false }, { time: 3, event: true }])
 *   // steps: S = 2/3 at 1, 2/3 at 2, 0 at 3
 */
export function kaplanMeier(records: readonly SurvivalRecord[], options: KaplanMeierOptions = {}): KaplanMeierCurve {
  const confType = options.confType ?? 'log-log';
  const level = options.level ?? 0.95;
  const z = normalQuantile(1 - (1 - level) / 2);
  for (const r of records) {
    if (!(r.time >= 0) || !Number.isFinite(r.time)) throw new RangeError(`kaplanMeier: a time must be a finite number ≥ 0, got ${r.time}`);
  }
  const sorted = [...records].sort((a, b) => a.time - b.time);
  const n = sorted.length;
  const steps: KaplanMeierStep[] = [];
  let s = 1;
  let varSum = 0;
  let atRisk = n;
  let totalEvents = 0;
  for (let i = 0; i < n;) {
    const t = sorted[i]!.time;
    let events = 0;
    let leaving = 0;
    while (i < n && sorted[i]!.time === t) {
      if (sorted[i]!.event) events += 1;
      leaving += 1;
      i += 1;
    }
    if (events > 0) {
      s *= 1 - events / atRisk;
      varSum += events >= atRisk ? Infinity : events / (atRisk * (atRisk - events));
    }
    totalEvents += events;
    const stdErr = Math.sqrt(varSum);
    steps.push({ time: t, atRisk, events, censored: leaving - events, survival: s, stdErr, ...survivalBand(s, stdErr, z, confType) });
    atRisk -= leaving;
  }
  return { n, events: totalEvents, confType, level, steps };
}

/**
 * The Kaplan–Meier estimate from the event times and the censoring times given apart, each sorted
 * ascending (typed arrays: one numeric sort each, no record objects), for the large cohorts of the
 * reports. The curve keeps only the steps where S changes (the event times) and the last time
 * followed when that one is a censoring: a censoring-only step in between repeats the step before
 * it (same S, same band), so survivalAt, survivalQuantile and the event steps are exactly those of
 * {@link kaplanMeier} over the same subjects (a test holds them equal), with the same arithmetic in
 * the same order.
 *
 * @example kaplanMeierSorted(Float64Array.of(1, 3), Float64Array.of(2)) // steps at 1 and 3
 */
export function kaplanMeierSorted(eventTimes: Float64Array, censorTimes: Float64Array, options: KaplanMeierOptions = {}): KaplanMeierCurve {
  const confType = options.confType ?? 'log-log';
  const level = options.level ?? 0.95;
  const z = normalQuantile(1 - (1 - level) / 2);
  for (const xs of [eventTimes, censorTimes])
    for (let k = 0; k < xs.length; k++) {
      const t = xs[k]!;
      if (!(t >= 0) || !Number.isFinite(t)) throw new RangeError(`kaplanMeier: a time must be a finite number ≥ 0, got ${t}`);
      if (k > 0 && t < xs[k - 1]!) throw new RangeError('kaplanMeierSorted: times must be sorted ascending');
    }
  const ne = eventTimes.length;
  const nc = censorTimes.length;
  const n = ne + nc;
  const steps: KaplanMeierStep[] = [];
  let s = 1;
  let varSum = 0;
  let atRisk = n;
  let i = 0;
  let j = 0;
  while (i < ne || j < nc) {
    const t = Math.min(i < ne ? eventTimes[i]! : Infinity, j < nc ? censorTimes[j]! : Infinity);
    let events = 0;
    let censored = 0;
    while (i < ne && eventTimes[i] === t) {
      events += 1;
      i += 1;
    }
    while (j < nc && censorTimes[j] === t) {
      censored += 1;
      j += 1;
    }
    if (events > 0) {
      s *= 1 - events / atRisk;
      varSum += events >= atRisk ? Infinity : events / (atRisk * (atRisk - events));
    }
    if (events > 0 || (i >= ne && j >= nc)) {
      const stdErr = Math.sqrt(varSum);
      steps.push({ time: t, atRisk, events, censored, survival: s, stdErr, ...survivalBand(s, stdErr, z, confType) });
    }
    atRisk -= events + censored;
  }
  return { n, events: ne, confType, level, steps };
}

/** S(t) of a curve (1 before its first step). */
export function survivalAt(curve: KaplanMeierCurve, t: number): number {
  let s = 1;
  for (const st of curve.steps) {
    if (st.time > t) break;
    s = st.survival;
  }
  return s;
}

const QUANTILE_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * The time by which a share `p` of a step function F (rising from 0) is reached: the first time F
 * reaches p; when F sits exactly at p over a stretch (within √ε), the middle of that stretch (the
 * midpoint between where it reaches p and where it next rises, or the last time followed). This
 * is R survival's rule, applied alike to the curve and to its two bands.
 */
function stepQuantile(times: readonly number[], values: ReadonlyArray<number | null>, p: number, lastTime: number): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  // Each value once, at its first time. When the values never fall (the curve itself, usually its
  // bands), a value seen before is the last one kept: no set needed (the same points, faster).
  let rising = true;
  let prev = -Infinity;
  for (let i = 0; i < values.length && rising; i++) {
    const y = values[i];
    if (y === null || y === undefined || Number.isNaN(y)) continue;
    if (y < prev) rising = false;
    prev = y;
  }
  const seen = rising ? null : new Set<number>();
  for (let i = 0; i < times.length; i++) {
    const y = values[i];
    if (y === null || y === undefined || Number.isNaN(y)) continue;
    if (seen ? seen.has(y) : ys.length > 0 && ys[ys.length - 1] === y) continue;
    seen?.add(y);
    xs.push(times[i]!);
    ys.push(y);
  }
  let top = -Infinity;
  for (const y of ys) if (y > top) top = y;
  if (ys.length === 0 || top < p) return null;
  const tol = QUANTILE_TOLERANCE;
  const i1 = ys.findIndex((y) => y + tol >= p);
  const i2 = ys.findIndex((y) => y - tol >= p);
  if (i1 < 0) return null;
  if (Math.abs(p - ys[ys.length - 1]!) < tol) return (xs[i1]! + lastTime) / 2;
  if (i2 < 0) return null;
  return (xs[i1]! + xs[i2]!) / 2;
}

export interface SurvivalQuantile {
  /** The probability asked for: 0.5 for the median time to the event. */
  probability: number;
  /** Time by which that share has had the event, or null when the curve never gets there. */
  time: number | null;
  /**
   * The confidence interval for that time, from where the bands cross (Brookmeyer–Crowley style,
   * as R's survfit prints it); an end is null when its band never gets there (an open interval).
   */
  lower: number | null;
  upper: number | null;
}

/**
 * A quantile of the time to the event — by default the median — with its confidence interval read
 * off the curve's bands (so its level and band type are the curve's). Matches R's
 * `quantile(survfit(...), probs)`.
 *
 * Edge cases: null time when fewer than a share `probability` have had the event by the last time
 * followed (typical when many are still open); null `upper` is common and means "at least
 * `lower`, we cannot say how long".
 */
export function survivalQuantile(curve: KaplanMeierCurve, probability = 0.5): SurvivalQuantile {
  const steps = curve.steps;
  const n = steps.length;
  // Filled by index, not spread from mapped arrays: a curve has a step per distinct time (tens of
  // thousands for the bug backlog's times in days), and the spread copies cost more than the reading.
  const times = new Array<number>(n + 1);
  times[0] = 0;
  for (let i = 0; i < n; i++) times[i + 1] = steps[i]!.time;
  const last = n ? steps[n - 1]!.time : 0;
  const cdf = (v: (s: KaplanMeierStep) => number | null): Array<number | null> => {
    const out = new Array<number | null>(n + 1);
    out[0] = 0;
    for (let i = 0; i < n; i++) {
      const x = v(steps[i]!);
      out[i + 1] = x === null ? null : 1 - x;
    }
    return out;
  };
  return {
    probability,
    time: stepQuantile(
      times,
      cdf((s) => s.survival),
      probability,
      last,
    ),
    // The lower survival band falls fastest, so it gives the early end of the time interval.
    lower: stepQuantile(
      times,
      cdf((s) => s.lower),
      probability,
      last,
    ),
    upper: stepQuantile(
      times,
      cdf((s) => s.upper),
      probability,
      last,
    ),
  };
}
