/**
 * Median confidence intervals and correlations on values with known answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantileSorted } from './stats.js';
import { kaplanMeier } from './survival.js';
import { correlation, medianCiRank, medianWithCi } from './waits-stats.js';

describe('median confidence interval (order statistics)', () => {
  it('uses the binomial ranks: none below n = 6, x(1)…x(6) at 6, x(2)…x(9) at 10, x(40)…x(61) at 100', () => {
    assert.equal(medianCiRank(5), 0);
    assert.equal(medianCiRank(6), 1);
    assert.equal(medianCiRank(10), 2);
    assert.equal(medianCiRank(100), 40);
    const ten = medianWithCi([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(ten, { n: 10, median: 5.5, low: 2, high: 9 });
    assert.deepEqual(medianWithCi([1, 2, 3]), { n: 3, median: 2, low: null, high: null });
  });

  it('covers the true median at least 95% of the time (simulated, exponential data)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const trueMedian = Math.log(2);
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 30 }, () => -Math.log(1 - rnd()));
      const ci = medianWithCi(xs);
      if (ci.low! <= trueMedian && trueMedian <= ci.high!) covered += 1;
    }
    assert.ok(covered / trials >= 0.93, `coverage ${covered / trials}`);
  });
});

describe('correlation', () => {
  it('is Pearson r with a Fisher interval', () => {
    const c = correlation([1, 2, 3, 4, 5, 6], [2, 4, 6, 8, 10, 13]);
    assert.ok(c.r! > 0.99);
    assert.ok(c.low! > 0.9 && c.high! <= 1);
    const none = correlation([1, 2, 3, 4, 5, 6], [1, -1, 1, -1, 1, -1]);
    assert.ok(none.low! < 0 && none.high! > 0);
    assert.equal(correlation([1, 1, 1], [1, 2, 3]).r, null);
  });
});

describe('Kaplan–Meier', () => {
  it('matches a hand computation with censoring', () => {
    // Times: merged at 1, 2, 2, 4; censored at 3 and 5.
    const km = kaplanMeier([
      { days: 1, merged: true },
      { days: 2, merged: true },
      { days: 2, merged: true },
      { days: 3, merged: false },
      { days: 4, merged: true },
      { days: 5, merged: false },
    ]);
    // S(1) = 5/6; S(2) = 5/6 × 3/5 = 1/2; S(4) = 1/2 × 1/2 = 1/4.
    const at = (d: number) => km.points.find((p) => p.day === d)!.survival;
    assert.equal(at(0), 1);
    assert.equal(at(1), 0.8333);
    assert.equal(at(2), 0.5);
    assert.equal(at(3), 0.5);
    assert.equal(at(4), 0.25);
    assert.equal(km.medianDays, 2);
    assert.equal(km.merged, 4);
    assert.equal(km.points.find((p) => p.day === 3)!.atRisk, 3);
  });

  it('never reaches the median when most changes never merge', () => {
    const km = kaplanMeier([
      { days: 1, merged: true },
      { days: 10, merged: false },
      { days: 10, merged: false },
    ]);
    assert.equal(km.medianDays, null);
  });
});

describe('medianWithCi by selection', () => {
  it('equals the sorted definition on many lists (ties, zeros, odd and even counts)', () => {
    let seed = 11;
    const rand = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const bySorting = (values: number[]) => {
      const s = Float64Array.from(values).sort() as unknown as number[];
      const l = medianCiRank(s.length);
      return { n: s.length, median: quantileSorted(s, 0.5), low: l ? s[l - 1]! : null, high: l ? s[s.length - l]! : null };
    };
    for (let k = 0; k < 2000; k++) {
      const spread = [1, 3, 50, 10_000][k % 4]!;
      const values = Array.from({ length: rand(k % 10 === 0 ? 3000 : 60) }, () => rand(spread) / 4);
      assert.deepEqual(medianWithCi(values), bySorting(values), JSON.stringify(values));
    }
  });
});
