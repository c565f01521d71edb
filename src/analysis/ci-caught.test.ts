import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adjustCaught, caughtSentence, clusteredNewcombePValue, type CaughtComparison } from './ci-caught.js';
import { clusteredNewcombeDifference, type ClusterCount } from './stats/proportions.js';
import { benjaminiHochberg } from './stats/multiple-testing.js';

const ones = (failures: number, n: number): ClusterCount[] =>
  Array.from({ length: n }, (_, i) => ({ successes: i < failures ? 1 : 0, trials: 1 }));

describe('caught regressions as a two-sample comparison', () => {
  it('the p-value inverts the cluster-adjusted Newcombe interval: p < 0.05 exactly when the 95% interval excludes 0', () => {
    for (const [x1, n1, x2, n2] of [
      [30, 100, 15, 100],
      [28, 100, 20, 100],
      [5, 40, 1, 60],
      [3, 50, 3, 50],
      [0, 30, 4, 30],
    ] as const) {
      const a = ones(x1, n1);
      const b = ones(x2, n2);
      const p = clusteredNewcombePValue(a, b)!;
      const ci = clusteredNewcombeDifference(a, b, 0.95, 'pooled')!;
      assert.equal(p < 0.05, ci.lower > 0 || ci.upper < 0, `${x1}/${n1} vs ${x2}/${n2}: p ${p}, CI ${ci.lower}…${ci.upper}`);
      // At level 1 − p the interval just touches 0.
      if (p < 1) {
        const edge = clusteredNewcombeDifference(a, b, 1 - p, 'pooled')!;
        assert.ok(Math.abs(x1 / n1 > x2 / n2 ? edge.lower : edge.upper) < 1e-6, `${x1}/${n1} vs ${x2}/${n2}`);
      }
    }
    assert.equal(clusteredNewcombePValue(ones(3, 50), ones(3, 50)), 1);
    assert.equal(clusteredNewcombePValue([], ones(3, 50)), null);
  });

  it('clustering widens the comparison: the same counts in a few all-or-nothing changes are weaker evidence', () => {
    const spread = clusteredNewcombePValue(ones(20, 100), ones(8, 100))!;
    // 20 failures in 4 changes that fail every one of their 5 runs, against 8 spread out.
    const lumped: ClusterCount[] = [
      ...Array.from({ length: 4 }, () => ({ successes: 5, trials: 5 })),
      ...Array.from({ length: 16 }, () => ({ successes: 0, trials: 5 })),
    ];
    const lumpedP = clusteredNewcombePValue(lumped, ones(8, 100))!;
    assert.ok(spread < 0.05 && lumpedP > spread, `${spread} vs ${lumpedP}`);
  });

  it('adjusts across jobs by Benjamini–Hochberg, and calls "more than chance" only for a higher rate on fixed code', () => {
    const make = (difference: number, pValue: number): CaughtComparison => ({
      onFixedCode: { failures: 0, runs: 10, changes: 10 },
      onFineCode: { failures: 0, runs: 10, changes: 10 },
      difference,
      ci95: { low: 0, high: 0 },
      designEffect: 1,
      pValue,
      adjustedP: null,
      verdict: 'no-data',
    });
    const cs = [make(0.1, 0.01), make(0.1, 0.04), make(-0.1, 0.001), make(0.05, 0.3)];
    const expected = benjaminiHochberg([0.01, 0.04, 0.001, 0.3]);
    adjustCaught(cs);
    assert.deepEqual(
      cs.map((c) => c.adjustedP),
      expected.map((p) => Number(p.toPrecision(3))),
    );
    assert.deepEqual(
      cs.map((c) => c.verdict),
      ['more-than-chance', 'no-more-than-chance', 'no-more-than-chance', 'no-more-than-chance'],
    );
    assert.match(caughtSentence(cs[0]!), /more than chance$/);
  });
});
