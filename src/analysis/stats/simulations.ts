/**
 * Seeded simulated data sets where the truth is known, for calibration and power: the tests run a
 * few fixed seeds of each (`calibration.test.ts`, `waits-model.test.ts`), `npm run bench` runs many
 * (`src/bench/calibration-bench.ts`). Pure: every draw comes from the given {@link Random}.
 */
import type { CoxRecord } from './cox-model.js';
import type { Random } from './random.js';
import { randomNormal, seededRandom } from './random.js';

/** One change of a simulated waits cohort, in the shape the waits report's factor model reads. */
export interface SimulatedChange {
  days: number;
  event: boolean;
  owner: number;
  levels: Record<string, string>;
  numeric: { size: number };
}

/** The area a planted slow area slows down in {@link waitsCohort}. */
export const SLOW_AREA = 'nova/virt/hyperv/';

const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/**
 * A cohort of `n` changes by `owners` owners, shaped like `steward waits`' cohorts: exponential
 * times to merge with an owner frailty, about a quarter censored by follow-up, a catch-all area
 * ("other"), and release phase and core load overlapping (both follow calendar time).
 * `slowArea` multiplies the merge rate of {@link SLOW_AREA} (1: no effect planted anywhere).
 */
export function waitsCohort(seed: number, slowArea = 1, n = 200, owners = 40): SimulatedChange[] {
  const rnd = seededRandom(seed);
  const frailty = Array.from({ length: owners }, () => Math.exp(0.5 * (rnd() - 0.5)));
  const rows: SimulatedChange[] = [];
  for (let i = 0; i < n; i++) {
    const owner = i % owners;
    const area = pick(rnd, ['nova/compute/', 'nova/compute/', 'nova/virt/libvirt/', SLOW_AREA, 'nova/api/', 'other']);
    const late = rnd() < 0.5;
    const load = late ? pick(rnd, ['high', 'high', 'medium']) : pick(rnd, ['low', 'low', 'medium']);
    const levels = {
      area,
      author: pick(rnd, ['regular', 'regular', 'regular', 'core', 'newcomer']),
      kind: pick(rnd, ['bug fix', 'bug fix', 'feature', 'trivial', 'other']),
      branch: rnd() < 0.85 ? 'master' : 'stable/x',
      'release phase': late ? 'feature freeze to release' : 'before feature freeze',
      'core load': load,
    };
    const rate = (1 / 10) * frailty[owner]! * (area === SLOW_AREA ? slowArea : 1);
    const t = -Math.log(1 - rnd()) / rate;
    const follow = 5 + rnd() * 60;
    rows.push({ days: Math.min(t, follow), event: t <= follow, owner, levels, numeric: { size: Math.log2(1 + Math.floor(rnd() * 500)) } });
  }
  return rows;
}

/**
 * `n` changes from `owners` owners (owners differ in speed: a shared frailty), three covariates (a
 * numeric size, a binary kind, an unrelated numeric one), uniform censoring, whole days (ties are
 * common, as in the reports). `logHr` is planted on kind (0: no effect).
 */
export function coxDataset(random: Random, logHr: number, n = 160, owners = 40): CoxRecord[] {
  const frailty = Array.from({ length: owners }, () => Math.exp(0.5 * randomNormal(random)));
  return Array.from({ length: n }, (_, i) => {
    const owner = i % owners;
    const size = randomNormal(random);
    const kind = random() < 0.5 ? 1 : 0;
    const other = randomNormal(random);
    const rate = 0.1 * frailty[owner]! * Math.exp(logHr * kind);
    const eventTime = -Math.log(1 - random()) / rate;
    const censorTime = 5 + 40 * random();
    return {
      time: Math.ceil(Math.min(eventTime, censorTime)),
      event: eventTime <= censorTime,
      covariates: [size, kind, other],
      cluster: owner,
    };
  });
}

/**
 * Runs of CI clustered by change: `changes` changes of `runsEach` runs; one change in ten is "bad"
 * (60% of its runs fail), the rest fail at `goodRate` (the default makes 10% of runs fail overall).
 */
export function clusteredRuns(
  random: Random,
  changes = 30,
  runsEach = 6,
  goodRate = 0.04444,
): Array<{ successes: number; trials: number }> {
  return Array.from({ length: changes }, () => {
    const p = random() < 0.1 ? 0.6 : goodRate;
    let s = 0;
    for (let r = 0; r < runsEach; r++) if (random() < p) s += 1;
    return { successes: s, trials: runsEach };
  });
}

/** Nominal rate plus the one-sided 99% Monte Carlo margin over `runs` simulated data sets. */
export function monteCarloCeiling(rate: number, runs: number): number {
  return rate + 2.33 * Math.sqrt((rate * (1 - rate)) / runs);
}
