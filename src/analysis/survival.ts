/**
 * Kaplan–Meier survival curves: the share of changes not yet merged t days after creation.
 *
 * Each change is (time, merged?): a merged change has its event at its time to merge; a change
 * not merged is censored at its follow-up time (an open change at its age as of `now`; an
 * abandoned change counts as never merging and is followed to `now` as well, so abandonment lowers
 * the chance of merging instead of being treated as a merge that did not happen yet). At each event
 * time t, S(t) = S(t⁻) × (1 − merged at t / at risk at t), with changes censored at t still at
 * risk at t.
 */

export interface SurvivalObservation {
  /** Days from creation to the merge, or to the end of follow-up. */
  days: number;
  merged: boolean;
}

export interface SurvivalPoint {
  day: number;
  /** Share not merged by this day (0–1). */
  survival: number;
  atRisk: number;
}

export interface SurvivalCurve {
  n: number;
  merged: number;
  /** First day by which at least half had merged, or null when the curve never reaches ½. */
  medianDays: number | null;
  /** S at whole days 0, 1, 2, … up to the longest follow-up (at most `maxDays`). */
  points: SurvivalPoint[];
}

/** Kaplan–Meier estimate over `obs`, sampled at whole days up to `maxDays` (default 180). */
export function kaplanMeier(obs: readonly SurvivalObservation[], maxDays = 180): SurvivalCurve {
  const sorted = [...obs].sort((a, b) => a.days - b.days || Number(b.merged) - Number(a.merged));
  const n = sorted.length;
  // Steps (time, survival after it).
  const steps: Array<{ t: number; s: number; atRisk: number }> = [];
  let s = 1;
  let atRisk = n;
  let i = 0;
  while (i < n) {
    const t = sorted[i]!.days;
    let events = 0;
    let leaving = 0;
    while (i < n && sorted[i]!.days === t) {
      if (sorted[i]!.merged) events += 1;
      leaving += 1;
      i += 1;
    }
    if (events > 0) {
      s *= 1 - events / atRisk;
      steps.push({ t, s, atRisk });
    }
    atRisk -= leaving;
  }
  let median: number | null = null;
  for (const st of steps) {
    if (st.s <= 0.5) {
      median = Math.round(st.t * 100) / 100;
      break;
    }
  }
  const follow = n ? Math.min(maxDays, Math.ceil(sorted[n - 1]!.days)) : 0;
  const points: SurvivalPoint[] = [];
  let k = 0;
  let gone = 0;
  let cur = 1;
  for (let day = 0; day <= follow; day++) {
    while (k < steps.length && steps[k]!.t <= day) cur = steps[k++]!.s;
    while (gone < n && sorted[gone]!.days < day) gone += 1;
    points.push({ day, survival: Math.round(cur * 10_000) / 10_000, atRisk: n - gone });
  }
  return { n, merged: sorted.filter((o) => o.merged).length, medianDays: median, points };
}
