import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { quantileSorted } from '../stats.js';
import { bootstrapMedianDifference, clusterBootstrap, intervalVerdict, movingBlockBootstrap, percentileInterval } from './bootstrap.js';
import type { Random } from './random.js';
import { seededRandom } from './random.js';

/** Replays recorded uniforms in order, and fails the test if more are asked for than recorded. */
function replay(values: number[]): Random {
  let i = 0;
  return () => {
    assert.ok(i < values.length, 'asked for more draws than were recorded');
    return values[i++]!;
  };
}

interface Expected {
  medianDifference: { estimate: number; replicates: number; failed: number; lower: number; upper: number };
  blockMean: { blockLength: number; lower: number; upper: number };
}

describe('bootstrap against R, replaying the same uniforms (relative 1e-12)', () => {
  const e = readExpected<Expected>('bootstrap.expected.json');
  it('cluster bootstrap of a difference of medians: estimate, percentile interval, failed resamples', () => {
    const rows = readCsv('bootstrap.csv');
    const pick = (g: string) => rows.filter((r) => r.group === g).map((r) => ({ value: Number(r.value), cluster: Number(r.cluster) }));
    const uniforms = readCsv('bootstrap-uniforms.csv').map((r) => Number(r.u));
    const got = bootstrapMedianDifference(pick('a'), pick('b'), { random: replay(uniforms), replicates: 300 });
    assertClose(got.estimate, e.medianDifference.estimate, 'estimate', 1e-12);
    assert.equal(got.replicates, e.medianDifference.replicates);
    assert.equal(got.failed, e.medianDifference.failed);
    assertClose(got.lower, e.medianDifference.lower, 'lower', 1e-12);
    assertClose(got.upper, e.medianDifference.upper, 'upper', 1e-12);
    assert.equal(got.verdict, intervalVerdict({ lower: got.lower!, upper: got.upper! }));
  });
  it('moving-block bootstrap of a series mean', () => {
    const y = readCsv('time-series.csv').map((r) => Number(r.y));
    const uniforms = readCsv('block-uniforms.csv').map((r) => Number(r.u));
    const mean = (s: readonly number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const reps = movingBlockBootstrap(y, mean, { random: replay(uniforms), replicates: 200, blockLength: e.blockMean.blockLength });
    const ci = percentileInterval(reps.values)!;
    assertClose(ci.lower, e.blockMean.lower, 'lower', 1e-12);
    assertClose(ci.upper, e.blockMean.upper, 'upper', 1e-12);
  });
});

describe('bootstrap behaviour', () => {
  it('verdicts: above, below, and inconclusive when the interval spans the reference', () => {
    assert.equal(intervalVerdict({ lower: 0.01, upper: 1.83 }), 'above');
    assert.equal(intervalVerdict({ lower: -2, upper: -0.5 }), 'below');
    assert.equal(intervalVerdict({ lower: -0.2, upper: 1.4 }), 'inconclusive');
    assert.equal(intervalVerdict({ lower: 0.4, upper: 0.7 }, 0.5), 'inconclusive');
    assert.equal(intervalVerdict(null), 'inconclusive');
  });

  it('a seed fixes the interval; the order of the records does not matter', () => {
    const a = Array.from({ length: 30 }, (_, i) => ({ value: ((i * 7) % 11) + i / 97, cluster: `o${i % 6}` }));
    const b = Array.from({ length: 30 }, (_, i) => ({ value: ((i * 5) % 9) + i / 89, cluster: `o${i % 6}` }));
    const one = bootstrapMedianDifference(a, b, { random: seededRandom(3), replicates: 400 });
    const two = bootstrapMedianDifference([...a].reverse(), [...b].reverse(), { random: seededRandom(3), replicates: 400 });
    assert.deepEqual(one, two);
    assert.notDeepEqual(one, bootstrapMedianDifference(a, b, { random: seededRandom(4), replicates: 400 }));
  });

  it('clustering widens the interval when values within a cluster are alike', () => {
    // Six owners; each owner's changes all take about the same time. Treated as 60 independent
    // values the interval is narrow; resampled by owner it reflects that there are only six owners.
    const rnd = seededRandom(9);
    const values = Array.from({ length: 60 }, (_, i) => ({ value: (i % 6) * 3 + rnd(), owner: i % 6, id: i }));
    const median = (s: readonly { value: number }[]) => {
      const v = s.map((x) => x.value).sort((p, q) => p - q);
      return v.length ? (v[(v.length - 1) >> 1]! + v[v.length >> 1]!) / 2 : null;
    };
    const width = (key: (x: { owner: number; id: number }) => number) => {
      const ci = percentileInterval(clusterBootstrap(values, key, median, { random: seededRandom(1), replicates: 500 }).values)!;
      return ci.upper - ci.lower;
    };
    assert.ok(width((x) => x.owner) > 1.5 * width((x) => x.id));
  });

  it('the estimate is the plain difference of medians (odd and even counts, ties)', () => {
    const random = seededRandom(12);
    for (let run = 0; run < 300; run++) {
      const draw = (n: number) => Array.from({ length: n }, (_, i) => ({ value: Math.floor(random() * 8), cluster: i }));
      const a = draw(1 + Math.floor(random() * 15));
      const b = draw(1 + Math.floor(random() * 15));
      const med = (v: { value: number }[]) =>
        quantileSorted(
          v.map((x) => x.value).sort((p, q) => p - q),
          0.5,
        )!;
      assert.equal(bootstrapMedianDifference(a, b, { random, replicates: 1 }).estimate, med(a) - med(b));
    }
  });

  it('a group absent from a resample is counted as failed, not as a zero', () => {
    const got = bootstrapMedianDifference([{ value: 5, cluster: 1 }], [{ value: 1, cluster: 2 }], {
      random: seededRandom(2),
      replicates: 100,
    });
    assert.equal(got.estimate, 4);
    assert.ok(got.failed > 20 && got.failed + got.replicates === 100);
  });

  it('moving blocks keep neighbours together', () => {
    const series = Array.from({ length: 12 }, (_, i) => i);
    let seen: number[] = [];
    movingBlockBootstrap(series, (s) => ((seen = [...s]), 0), { random: seededRandom(5), replicates: 1, blockLength: 4 });
    assert.equal(seen.length, 12);
    for (let j = 0; j < 12; j += 4) for (let i = j + 1; i < j + 4; i++) assert.equal(seen[i], seen[i - 1]! + 1);
    assert.throws(
      () => movingBlockBootstrap(series, () => 0, { random: seededRandom(5), blockLength: 13 }),
      /block length must be a whole number in 1…12, got 13/,
    );
  });
});
