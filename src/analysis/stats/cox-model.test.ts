import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAllClose, assertClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import type { CoxRecord } from './cox-model.js';
import { coxModel, coxZph } from './cox-model.js';
import { studentQuantile, studentTwoSided } from './distributions.js';
import { randomNormal, seededRandom } from './random.js';

interface ExpectedFit {
  coefficients: number[];
  naiveVariance: number[][];
  robustVariance: number[][] | null;
  logLikelihood: number[];
  zph: Record<'km' | 'identity', { chiSquare: number[]; p: number[] }>;
}

const rows = readCsv('survival.csv');
const data = (cluster: 'cluster' | 'id' | null): CoxRecord[] =>
  rows.map((r) => ({
    time: Number(r.time),
    event: r.status === '1',
    covariates: [Number(r.x1), Number(r.x2)],
    ...(cluster ? { cluster: r[cluster]! } : {}),
  }));

const flat = (m: number[][] | null): number[] => (m ? m.flat() : []);

function compare(records: CoxRecord[], e: ExpectedFit, robust: boolean): void {
  const fit = coxModel(records, { names: ['x1', 'x2'], robust });
  assert.ok(fit.converged);
  assertAllClose(fit.coefficients, e.coefficients, 'coefficients', 1e-6);
  assertAllClose(flat(fit.naiveVariance), flat(e.naiveVariance), 'model-based variance', 1e-6);
  if (e.robustVariance) assertAllClose(flat(fit.robustVariance), flat(e.robustVariance), 'robust variance', 1e-4);
  else assert.equal(fit.robustVariance, null);
  assertClose(fit.logLikelihoodNull, e.logLikelihood[0]!, 'null log-likelihood', 1e-10);
  assertClose(fit.logLikelihood, e.logLikelihood[1]!, 'log-likelihood', 1e-10);
  for (const transform of ['km', 'identity'] as const) {
    const z = coxZph(records, fit, transform);
    const got = [...z.terms.map((t) => t.chiSquare), z.global.chiSquare];
    assertAllClose(got, e.zph[transform].chiSquare, `cox.zph(${transform}) chi-square`, 1e-6);
    assertAllClose([...z.terms.map((t) => t.p), z.global.p], e.zph[transform].p, `cox.zph(${transform}) p`, 1e-6);
  }
}

describe('Cox model against R coxph (ties = "breslow"): coefficients 1e-6 relative, robust variance 1e-4', () => {
  const e = readExpected<Record<'clustered' | 'naive' | 'robustById', ExpectedFit>>('cox.expected.json');
  it('clustered by group (coxph(..., cluster = cluster)), with cox.zph', () => compare(data('cluster'), e.clustered, true));
  it('no clusters: model-based variance only', () => compare(data(null), e.naive, false));
  it('robust = TRUE, each subject its own cluster', () => compare(data('id'), e.robustById, true));
});

describe('Cox model behaviour', () => {
  it('hazard ratios, intervals and Wald p use the robust standard error with the small-sample correction', () => {
    const fit = coxModel(data('cluster'), { names: ['x1', 'x2'] });
    assert.equal(fit.clusters, 12);
    for (const t of fit.terms) {
      assertClose(t.stdErr, t.robustStdErr! * Math.sqrt(12 / 11), 'G/(G − 1) scaling', 1e-14);
      assert.equal(t.df, 11);
      assertClose(t.p, studentTwoSided(t.coefficient / t.stdErr, 11), 'p from t(11)', 1e-14);
      assertClose(t.hazardRatio, Math.exp(t.coefficient), 'HR', 1e-15);
      assertClose(Math.log(t.upper) - t.coefficient, studentQuantile(0.975, 11) * t.stdErr, 'interval half-width', 1e-12);
      assert.ok(t.lower < t.hazardRatio && t.hazardRatio < t.upper);
    }
    const asR = coxModel(data('cluster'), { names: ['x1', 'x2'], smallSampleCorrection: false });
    for (const t of asR.terms) {
      assert.equal(t.stdErr, t.robustStdErr);
      assert.equal(t.df, null);
      assertClose(Math.log(t.upper) - t.coefficient, 1.959963984540054 * t.stdErr, 'interval half-width as R', 1e-12);
    }
    assert.ok(fit.likelihoodRatio.statistic > 0 && fit.likelihoodRatio.df === 2);
  });

  it('a sign check: a covariate that speeds events up gets a hazard ratio above 1', () => {
    // Subjects with x = 1 have their events at times 1…10, those with x = 0 at 5…14.
    const recs: CoxRecord[] = [];
    for (let i = 0; i < 10; i++) recs.push({ time: 1 + i, event: true, covariates: [1] }, { time: 5 + i, event: true, covariates: [0] });
    const fit = coxModel(recs);
    assert.ok(fit.terms[0]!.hazardRatio > 1);
  });

  it('says what is wrong with unusable input', () => {
    assert.throws(() => coxModel([]), /no records/);
    assert.throws(() => coxModel([{ time: 1, event: false, covariates: [1] }]), /no events/);
    assert.throws(
      () =>
        coxModel([
          { time: 1, event: true, covariates: [1] },
          { time: 2, event: true, covariates: [1, 2] },
        ]),
      /record 1 has 2 covariates, expected 1/,
    );
    const constant = [1, 2, 3].map((time) => ({ time, event: true, covariates: [5] }));
    assert.throws(() => coxModel(constant, { names: ['size'] }), /singular.*size/);
  });

  it('a perfectly separating covariate is flagged, not reported as a finite effect', () => {
    const recs: CoxRecord[] = [];
    for (let i = 0; i < 8; i++) recs.push({ time: 1 + i, event: true, covariates: [1] }, { time: 20 + i, event: true, covariates: [0] });
    const fit = coxModel(recs);
    assert.ok(fit.warnings.length > 0, 'a warning about an infinite coefficient');
  });
});

describe('proportional-hazards check', () => {
  /** 300 subjects; the binary factor multiplies the hazard by `early` before day 10 and `late` after. */
  function simulate(seed: number, early: number, late: number): CoxRecord[] {
    const random = seededRandom(seed);
    return Array.from({ length: 300 }, () => {
      const x = random() < 0.5 ? 1 : 0;
      const z = randomNormal(random);
      const h1 = 0.05 * (x ? early : 1);
      const h2 = 0.05 * (x ? late : 1);
      // Piecewise-constant hazard: exponential with rate h1 until day 10, then h2.
      let t = -Math.log(1 - random()) / h1;
      if (t > 10) t = 10 + -Math.log(1 - random()) / h2;
      const c = 5 + 60 * random();
      return { time: Math.ceil(Math.min(t, c)), event: t <= c, covariates: [x, z] };
    });
  }
  it('flags a factor whose effect reverses over time, and leaves a proportional one alone', () => {
    const crossing = simulate(1, 4, 0.25);
    const z = coxZph(crossing, coxModel(crossing, { names: ['kind', 'noise'] }));
    assert.equal(z.transform, 'km');
    assert.ok(z.terms[0]!.p < 0.001, `kind: p = ${z.terms[0]!.p}`);
    assert.ok(z.global.p < 0.001);
    const steady = simulate(2, 2, 2);
    const ok = coxZph(steady, coxModel(steady, { names: ['kind', 'noise'] }), 'identity');
    assert.ok(ok.terms[0]!.p > 0.05, `kind: p = ${ok.terms[0]!.p}`);
  });
});
