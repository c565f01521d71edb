import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { clusteredNewcombeDifference, designEffect, fisherExact, newcombeDifference } from './proportions.js';

describe('two proportions against R (relative 1e-9)', () => {
  const rows = readCsv('proportions.csv').map((r) => ({ x1: Number(r.x1), n1: Number(r.n1), x2: Number(r.x2), n2: Number(r.n2) }));
  const expected = readExpected<Array<{ difference: number; lower: number; upper: number; fisherP: number }>>('proportions.expected.json');

  it("Newcombe's method 10 (Wilson intervals combined by hand in R), including 0 of n and n of n", () => {
    rows.forEach((r, i) => {
      const got = newcombeDifference(r.x1, r.n1, r.x2, r.n2)!;
      const e = expected[i]!;
      const label = `${r.x1}/${r.n1} vs ${r.x2}/${r.n2}`;
      assertClose(got.difference, e.difference, `${label}: difference`, 1e-12, 1e-15);
      assertClose(got.lower, e.lower, `${label}: lower`, 1e-9, 1e-12);
      assertClose(got.upper, e.upper, `${label}: upper`, 1e-9, 1e-12);
    });
  });

  it("Fisher's exact test, two-sided (R fisher.test)", () => {
    rows.forEach((r, i) => {
      assertClose(fisherExact(r.x1, r.n1 - r.x1, r.x2, r.n2 - r.x2).p, expected[i]!.fisherP, `${r.x1}/${r.n1} vs ${r.x2}/${r.n2}`, 1e-9);
    });
  });

  it('cluster-adjusted Newcombe: design effects and interval (formula computed independently in R)', () => {
    const cp = readCsv('clustered-proportions.csv');
    const group = (g: string) => cp.filter((r) => r.group === g).map((r) => ({ successes: Number(r.successes), trials: Number(r.trials) }));
    const e = readExpected<{ designEffect: number[]; difference: number; lower: number; upper: number }>(
      'clustered-proportions.expected.json',
    );
    const got = clusteredNewcombeDifference(group('a'), group('b'))!;
    assertClose(got.first.designEffect, e.designEffect[0]!, 'design effect a', 1e-12);
    assertClose(got.second.designEffect, e.designEffect[1]!, 'design effect b', 1e-12);
    assertClose(got.difference, e.difference, 'difference', 1e-12);
    assertClose(got.lower, e.lower, 'lower', 1e-9);
    assertClose(got.upper, e.upper, 'upper', 1e-9);
    const plain = newcombeDifference(
      got.first.proportion * got.first.trials,
      got.first.trials,
      got.second.proportion * got.second.trials,
      got.second.trials,
    )!;
    assert.ok(got.upper - got.lower > plain.upper - plain.lower, 'clustering widens the interval');
  });
});

describe('two proportions by hand', () => {
  it('clusters of one trial each: design effect k/(k − 1), the small-sample factor of the ratio estimator', () => {
    const ones = (k: number, n: number) => Array.from({ length: n }, (_, i) => ({ successes: i < k ? 1 : 0, trials: 1 }));
    const got = clusteredNewcombeDifference(ones(5, 20), ones(2, 25))!;
    assertClose(got.first.designEffect, 20 / 19, 'design effect', 1e-12);
    assertClose(got.second.designEffect, 25 / 24, 'design effect', 1e-12);
    const plain = newcombeDifference(5 * (19 / 20), 19, 2 * (24 / 25), 24)!;
    assertClose(got.lower, plain.lower, 'lower', 1e-12);
    assertClose(got.upper, plain.upper, 'upper', 1e-12);
  });
  it('whole clusters failing together count as one trial each', () => {
    // 10 changes of 5 runs each, 3 changes fail every run: p = 0.3, worth about 10 trials, not 50.
    const d = designEffect(Array.from({ length: 10 }, (_, i) => ({ successes: i < 3 ? 5 : 0, trials: 5 })));
    assertClose(d.effectiveTrials, 10 * (10 / 9) ** -1, 'effective trials', 1e-12);
  });
  it('empty groups give null; impossible counts are refused', () => {
    assert.equal(newcombeDifference(0, 0, 1, 2), null);
    assert.equal(clusteredNewcombeDifference([], [{ successes: 1, trials: 2 }]), null);
    assert.throws(() => newcombeDifference(3, 2, 1, 2), /successes must lie in 0…n, got 3 of 2/);
    assert.throws(() => fisherExact(1.5, 2, 3, 4), /whole numbers/);
  });
  it('Fisher: a symmetric table gives p = 1', () => {
    assert.equal(fisherExact(3, 3, 3, 3).p, 1);
  });
});
