/**
 * Calibration and power of the methods, as tests of the method: fixed-seed simulations where the
 * truth is known. With no effect planted, the tests must declare an effect at most at the nominal
 * rate (plus Monte Carlo slack: the one-sided 99% binomial margin for the number of datasets);
 * with an effect planted, they must find it most of the time. Each block keeps well under a few
 * seconds of CPU.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapMedianDifference } from './bootstrap.js';
import type { CoxRecord } from './cox-model.js';
import { coxModel } from './cox-model.js';
import { benjaminiHochberg } from './multiple-testing.js';
import { clusteredNewcombeDifference, newcombeDifference } from './proportions.js';
import type { Random } from './random.js';
import { randomNormal, seededRandom } from './random.js';
import { clusteredRuns, coxDataset, monteCarloCeiling } from './simulations.js';

const ceiling = monteCarloCeiling;
const dataset = (random: Random, logHr: number): CoxRecord[] => coxDataset(random, logHr);

/**
 * Whether any factor is declared (BH-adjusted robust Wald p below 5%, with the default small-sample
 * correction), and whether kind is.
 */
function declared(records: CoxRecord[]): { any: boolean; kind: boolean } {
  const fit = coxModel(records, { names: ['size', 'kind', 'other'] });
  const adjusted = benjaminiHochberg(fit.terms.map((t) => t.p));
  return { any: adjusted.some((p) => p < 0.05), kind: adjusted[1]! < 0.05 };
}

describe('calibration: Cox with owner-clustered errors and Benjamini–Hochberg across factors', () => {
  it('no effect planted: a factor is declared in at most ~5% of 200 datasets', (t) => {
    const random = seededRandom(2026);
    let hits = 0;
    for (let run = 0; run < 200; run++) if (declared(dataset(random, 0)).any) hits += 1;
    t.diagnostic(`null rate ${hits / 200}`);
    assert.ok(hits / 200 <= ceiling(0.05, 200), `declared in ${hits} of 200 null datasets`);
  });

  it('hazard ratio 2 planted on one factor: found in at least 80% of 100 datasets', (t) => {
    const random = seededRandom(7);
    let found = 0;
    for (let run = 0; run < 100; run++) if (declared(dataset(random, Math.log(2))).kind) found += 1;
    t.diagnostic(`power ${found / 100}`);
    assert.ok(found >= 80, `found in ${found} of 100`);
  });
});

describe('calibration: cluster bootstrap of a difference of medians', () => {
  it('no difference: the interval excludes 0 in at most ~5% of 120 datasets', (t) => {
    const random = seededRandom(11);
    let hits = 0;
    for (let run = 0; run < 120; run++) {
      const owners = Array.from({ length: 24 }, () => Math.exp(0.6 * randomNormal(random)));
      const draw = (i: number) => ({ value: (owners[i % 24]! * -Math.log(1 - random())) / 0.3, cluster: i % 24 });
      const a = Array.from({ length: 48 }, (_, i) => draw(i));
      const b = Array.from({ length: 48 }, (_, i) => draw(i + 7));
      if (bootstrapMedianDifference(a, b, { random, replicates: 300 }).verdict !== 'inconclusive') hits += 1;
    }
    t.diagnostic(`null rate ${hits / 120}`);
    assert.ok(hits / 120 <= ceiling(0.05, 120), `declared in ${hits} of 120`);
  });
});

describe('calibration: two proportions', () => {
  it("Newcombe's interval covers the true difference in at least 93% of 2000 independent samples", () => {
    const random = seededRandom(5);
    let covered = 0;
    for (let run = 0; run < 2000; run++) {
      const n1 = 15 + Math.floor(random() * 30);
      const n2 = 15 + Math.floor(random() * 30);
      let x1 = 0;
      let x2 = 0;
      for (let i = 0; i < n1; i++) if (random() < 0.12) x1 += 1;
      for (let i = 0; i < n2; i++) if (random() < 0.05) x2 += 1;
      const ci = newcombeDifference(x1, n1, x2, n2)!;
      if (ci.lower <= 0.07 && 0.07 <= ci.upper) covered += 1;
    }
    assert.ok(covered / 2000 >= 0.93, `covered in ${covered} of 2000`);
  });

  it('runs clustered by change: the plain interval is overconfident, the adjusted ones hold', (t) => {
    // Both groups fail 10% of their runs, but by change: one change in ten is "bad" (60% of its
    // runs fail), the rest fail 4.4%. 30 changes × 6 runs per group.
    const random = seededRandom(13);
    const group = () => clusteredRuns(random);
    let plain = 0;
    let perGroup = 0;
    let pooled = 0;
    const runs = 2000;
    const excludesZero = (ci: { lower: number; upper: number }) => ci.lower > 0 || ci.upper < 0;
    for (let run = 0; run < runs; run++) {
      const a = group();
      const b = group();
      const sum = (g: typeof a, k: 'successes' | 'trials') => g.reduce((x, c) => x + c[k], 0);
      if (excludesZero(newcombeDifference(sum(a, 'successes'), sum(a, 'trials'), sum(b, 'successes'), sum(b, 'trials'))!)) plain += 1;
      if (excludesZero(clusteredNewcombeDifference(a, b)!)) perGroup += 1;
      if (excludesZero(clusteredNewcombeDifference(a, b, 0.95, 'pooled')!)) pooled += 1;
    }
    t.diagnostic(`false positives: plain ${plain / runs}, per-group ${perGroup / runs}, pooled ${pooled / runs}`);
    assert.ok(plain / runs > 0.15, `the plain interval should be overconfident here (${plain} of ${runs})`);
    assert.ok(pooled / runs <= ceiling(0.05, runs), `pooled design effect: ${pooled} of ${runs}`);
    // Known and documented: with so few, so uneven clusters the per-group version runs a little hot.
    assert.ok(perGroup / runs <= 0.08, `per-group design effect: ${perGroup} of ${runs}`);
  });
});
