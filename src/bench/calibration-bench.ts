/**
 * Calibration and power of Steward's inference, at sizes too slow for `npm test` (which runs a few
 * fixed seeds of the same simulations): how often each method declares an effect when none is
 * planted (nominal 5%), and how often it finds one that is. `BENCH_ONLY=calibration` runs only this;
 * `BENCH_CALIBRATION_RUNS` scales the number of simulated data sets (default 1000).
 *
 * Each line gives the rate, its Monte Carlo 95% interval (Wilson), and the target.
 */
import { wilson } from '../analysis/ci-stats.js';
import { benjaminiHochberg } from '../analysis/stats/multiple-testing.js';
import { bootstrapMedianDifference } from '../analysis/stats/bootstrap.js';
import { coxModel } from '../analysis/stats/cox-model.js';
import { clusteredNewcombeDifference, newcombeDifference } from '../analysis/stats/proportions.js';
import { randomNormal, seededRandom } from '../analysis/stats/random.js';
import { clusteredRuns, coxDataset, SLOW_AREA, waitsCohort } from '../analysis/stats/simulations.js';
import { MODEL_SPECS } from '../analysis/waits.js';
import { fitFactorModel } from '../analysis/waits-model.js';

interface Line {
  scenario: string;
  hits: number;
  runs: number;
  target: string;
  met: boolean;
  cpuSeconds: number;
}

/** The Wilson 95% interval of hits/runs (ci-stats.ts), as text. */
function wilsonText(hits: number, runs: number): string {
  const w = wilson(hits, runs)!;
  return `${(100 * w.low).toFixed(1)}–${(100 * w.high).toFixed(1)}%`;
}

function measure(
  scenario: string,
  runs: number,
  target: string,
  ok: (rate: number, runs: number) => boolean,
  one: (run: number) => boolean,
): Line {
  const start = process.cpuUsage();
  let hits = 0;
  for (let run = 0; run < runs; run++) if (one(run)) hits += 1;
  const used = process.cpuUsage(start);
  const line = { scenario, hits, runs, target, met: ok(hits / runs, runs), cpuSeconds: (used.user + used.system) / 1e6 };
  console.log(
    `  ${scenario.padEnd(78)} ${`${hits}/${runs}`.padStart(11)} ${`${((100 * hits) / runs).toFixed(1)}%`.padStart(7)}  [${wilsonText(hits, runs)}]  target ${target}${line.met ? '' : '  ← MISSED'}  (${line.cpuSeconds.toFixed(0)} s CPU)`,
  );
  return line;
}

/** Runs the calibration and power simulations and prints one line per scenario. */
export function runCalibrationBench(runs = Number(process.env.BENCH_CALIBRATION_RUNS ?? 1000)): Line[] {
  console.log(`\nCalibration and power (${runs} simulated data sets per scenario; seeds fixed, so the figures repeat)`);
  const lines: Line[] = [];
  // At most 5%, give or take the simulation's own two-sided 95% Monte Carlo margin.
  const atMost5 = (r: number, n: number) => r <= 0.05 + 1.96 * Math.sqrt(0.0475 / n);

  lines.push(
    measure('steward waits, no effect: any of 7 factors declared (Cox, owner-clustered, BH)', runs, '≤ 5%', atMost5, (s) =>
      fitFactorModel(waitsCohort(s + 1), MODEL_SPECS)!.factors.some((f) => f.declared),
    ),
  );
  lines.push(
    measure(
      'steward waits, slow area planted (0.35× merge rate): found and named',
      runs,
      '≥ 80%',
      (r) => r >= 0.8,
      (s) => {
        const area = fitFactorModel(waitsCohort(10_000 + s, 0.35), MODEL_SPECS)!.factors.find((f) => f.factor === 'area');
        return !!area?.declared && area.named?.level === SLOW_AREA;
      },
    ),
  );
  const cox = (logHr: number, seed: number, owners: number) => {
    const random = seededRandom(seed);
    return (_run: number) => {
      const fit = coxModel(coxDataset(random, logHr, 160, owners), { names: ['size', 'kind', 'other'] });
      const adjusted = benjaminiHochberg(fit.terms.map((t) => t.p));
      return logHr === 0 ? adjusted.some((p) => p < 0.05) : adjusted[1]! < 0.05;
    };
  };
  for (const owners of [20, 40, 80]) {
    lines.push(
      measure(
        `Cox, 160 changes, ${owners} owners, no effect: any factor declared after BH`,
        runs,
        '≤ 5%',
        atMost5,
        cox(0, 2026 + owners, owners),
      ),
    );
  }
  lines.push(
    measure('Cox, 160 changes, 40 owners, hazard ratio 2 planted: found', runs, '≥ 80%', (r) => r >= 0.8, cox(Math.log(2), 7, 40)),
  );
  {
    const random = seededRandom(11);
    const boot = Math.max(100, Math.round(runs / 2));
    lines.push(
      measure('cluster bootstrap of a median difference, 24 owners, no difference: interval excludes 0', boot, '≤ 5%', atMost5, () => {
        const owners = Array.from({ length: 24 }, () => Math.exp(0.6 * randomNormal(random)));
        const draw = (i: number) => ({ value: (owners[i % 24]! * -Math.log(1 - random())) / 0.3, cluster: i % 24 });
        const a = Array.from({ length: 48 }, (_, i) => draw(i));
        const b = Array.from({ length: 48 }, (_, i) => draw(i + 7));
        return bootstrapMedianDifference(a, b, { random, replicates: 500 }).verdict !== 'inconclusive';
      }),
    );
  }
  {
    const random = seededRandom(5);
    lines.push(
      measure(
        "Newcombe's interval, independent runs (15–45 per group): misses the true difference",
        20 * runs,
        '≤ 5%',
        (r) => r <= 0.07,
        () => {
          const n1 = 15 + Math.floor(random() * 30);
          const n2 = 15 + Math.floor(random() * 30);
          let x1 = 0;
          let x2 = 0;
          for (let i = 0; i < n1; i++) if (random() < 0.12) x1 += 1;
          for (let i = 0; i < n2; i++) if (random() < 0.05) x2 += 1;
          const ci = newcombeDifference(x1, n1, x2, n2)!;
          return !(ci.lower <= 0.07 && 0.07 <= ci.upper);
        },
      ),
    );
  }
  {
    const random = seededRandom(13);
    const excludesZero = (ci: { lower: number; upper: number } | null) => !!ci && (ci.lower > 0 || ci.upper < 0);
    lines.push(
      measure(
        'runs clustered by change, equal rates: cluster-adjusted Newcombe (pooled) declares a difference',
        20 * runs,
        '≤ 5%',
        atMost5,
        () => excludesZero(clusteredNewcombeDifference(clusteredRuns(random), clusteredRuns(random), 0.95, 'pooled')),
      ),
    );
  }
  return lines;
}
