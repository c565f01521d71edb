import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapDifference,
  bootstrapKmMedianDifference,
  bootstrapKmMedianPair,
  kmMedianPoint,
  type FollowedTime,
  type MedianStatistic,
} from './flow-inference.js';
import { seededRandom } from './stats/random.js';

/** Waits with ties, censoring and clusters of uneven sizes (some shared by both sides). */
function waits(seed: number, n: number, scale: number, clusters: number, openShare: number): FollowedTime[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const c = Math.floor(r() ** 2 * clusters);
    return {
      days: Math.round(r() * scale * 4) / 4,
      event: r() >= openShare,
      cluster: c % 3 === 0 ? `change:${Math.floor(r() * 1e6)}` : `blueprint:b${c}`,
    };
  });
}

describe('the weighted re-draws of the priorities comparison', () => {
  it('equal the generic cluster bootstrap of Kaplan–Meier medians exactly, re-draw for re-draw', () => {
    const cases: Array<[FollowedTime[], FollowedTime[]]> = [
      [waits(1, 60, 5, 20, 0.1), waits(2, 300, 8, 60, 0.2)],
      [waits(3, 12, 3, 4, 0.3), waits(4, 40, 3, 10, 0)],
      [waits(5, 30, 2, 2, 0.6), waits(6, 50, 2, 30, 0.4)], // medians often undefined: failed re-draws
      [waits(7, 8, 1, 3, 0), waits(8, 8, 1, 3, 0)], // sides often absent from a re-draw
    ];
    for (const [i, [a, b]] of cases.entries()) {
      for (const seed of [1, 2, 17]) {
        const generic = bootstrapDifference(a, b, kmMedianPoint, { seed, replicates: 400, clusteredBy: 'blueprint' });
        const { values, ...fast } = bootstrapKmMedianDifference(a, b, { seed, replicates: 400, clusteredBy: 'blueprint' });
        assert.deepEqual(fast, generic, `case ${i}, seed ${seed}`);
        assert.equal(values.length, generic.replicates);
      }
    }
  });

  it('gives no interval when a median is undefined on the data, as the generic one', () => {
    const open = waits(9, 20, 5, 5, 1);
    const done = waits(10, 20, 5, 5, 0);
    const o = { seed: 1, replicates: 100, clusteredBy: 'blueprint' };
    const { values, ...fast } = bootstrapKmMedianDifference(open, done, o);
    assert.deepEqual(fast, bootstrapDifference(open, done, kmMedianPoint, o));
    assert.deepEqual(values, []);
    assert.equal(bootstrapKmMedianDifference(open, done, o).low, null);
  });

  it('in one pass, give both bootstraps (the difference and the logarithms of the medians) exactly, values and all', () => {
    const log = (m: number | null): number | null => (m === null || m <= 0 ? null : Math.log(m));
    const km = kmMedianPoint.overSorted;
    const logMedian: MedianStatistic<FollowedTime> = Object.assign((list: readonly FollowedTime[]) => log(kmMedianPoint(list)), {
      overSorted: { order: km.order, point: (sorted: readonly FollowedTime[], w: ArrayLike<number>) => log(km.point(sorted, w)) },
    });
    const cases: Array<[FollowedTime[], FollowedTime[]]> = [
      [waits(1, 60, 5, 20, 0.1), waits(2, 300, 8, 60, 0.2)],
      [waits(3, 12, 3, 4, 0.3), waits(4, 40, 3, 10, 0)],
      [waits(5, 30, 2, 2, 0.6), waits(6, 50, 2, 30, 0.4)],
      [waits(7, 8, 1, 3, 0), waits(8, 8, 1, 3, 0)],
      [waits(9, 20, 5, 5, 1), waits(10, 20, 5, 5, 0)], // no median on one side: no re-draws
      [waits(11, 40, 0.2, 10, 0), waits(12, 40, 3, 10, 0)], // medians of 0 in re-draws: the logarithm fails there
    ];
    let ratios = 0;
    for (const [i, [a, b]] of cases.entries()) {
      for (const seed of [1, 5]) {
        const o = { seed, replicates: 300, clusteredBy: 'blueprint' };
        const pair = bootstrapKmMedianPair(a, b, o);
        assert.deepEqual(pair.difference, bootstrapKmMedianDifference(a, b, o), `case ${i}, seed ${seed}: difference`);
        const d = pair.difference;
        if (d.first !== null && d.second !== null && d.first > 0 && d.second > 0) {
          ratios++;
          const { values: _v, ...generic } = bootstrapDifference(a, b, logMedian, o) as ReturnType<typeof bootstrapDifference> & {
            values?: number[];
          };
          const { values, ...fast } = pair.logRatio!;
          assert.deepEqual(fast, generic, `case ${i}, seed ${seed}: logarithms`);
          assert.equal(values.length, generic.replicates);
        } else assert.equal(pair.logRatio, null, `case ${i}: no factor without medians above 0`);
      }
    }
    assert.ok(ratios >= 6, 'most cases have a factor to compare');
  });
});
