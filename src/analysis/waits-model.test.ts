/**
 * The waits report's factor verdicts as a method: calibrated under no effect (fixed seeds), and
 * finding a planted slow area, on synthetic cohorts shaped like the report's (owners, a catch-all
 * area, overlapping factors, censoring).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapDifference, cramersV, kmMedianPoint, mergeIncidence, mergeMedianPoint } from './flow-inference.js';
import { seededRandom } from './stats/random.js';
import { SLOW_AREA, waitsCohort as cohort } from './stats/simulations.js';
import { MODEL_SPECS } from './waits.js';
import { fitFactorModel } from './waits-model.js';

describe('waits factors: calibration and power of the model (fixed seeds)', () => {
  it('declares a factor in at most about 5% of no-effect cohorts, and names a planted slow area', () => {
    const SEEDS = 100;
    let declaredNull = 0;
    let found = 0;
    let namedOther = 0;
    for (let s = 1; s <= SEEDS; s++) {
      const nullModel = fitFactorModel(cohort(s), MODEL_SPECS)!;
      assert.ok(nullModel, `seed ${s}: no model`);
      if (nullModel.factors.some((f) => f.declared)) declaredNull++;
      const planted = fitFactorModel(cohort(10_000 + s, 0.35), MODEL_SPECS)!;
      const area = planted.factors.find((f) => f.factor === 'area')!;
      if (area.declared && area.named?.level === SLOW_AREA) found++;
      if (area.reference === 'other' || area.named?.level === 'other') namedOther++;
    }
    // Nominal 5%; 11 of 100 is the one-sided 99% Monte Carlo bound for a true rate of 5%.
    assert.ok(declaredNull <= 11, `no-effect cohorts with a declared factor: ${declaredNull} of ${SEEDS}`);
    assert.ok(found >= 80, `planted slow area found and named in ${found} of ${SEEDS}`);
    assert.equal(namedOther, 0);
  });
});

describe('flow inference helpers', () => {
  it('cumulative incidence of merging: abandonment competes, open changes are censored', () => {
    const m = mergeIncidence([
      { days: 1, outcome: 'merged', cluster: 1 },
      { days: 2, outcome: 'abandoned', cluster: 2 },
      { days: 3, outcome: 'open', cluster: 3 },
      { days: 4, outcome: 'merged', cluster: 4 },
    ]);
    // Merged by day 1: 1/4; abandoned at 2: 1/4; at 4 the one left merges: 1/4 + 1/4 · 1 ... of 1 at risk.
    assert.equal(m.points[1]!.merged, 0.25);
    assert.equal(m.points[2]!.abandoned, 0.25);
    assert.equal(m.points[4]!.merged, 0.75);
    assert.equal(m.median, 4);
    assert.equal(
      mergeMedianPoint([
        { days: 1, outcome: 'merged', cluster: 1 },
        { days: 2, outcome: 'abandoned', cluster: 2 },
        { days: 3, outcome: 'open', cluster: 3 },
      ]),
      null,
    );
    assert.deepEqual([m.events, m.abandoned, m.open], [2, 1, 1]);
  });

  it('Kaplan–Meier median and a bootstrap difference over clusters: inconclusive when it spans 0', () => {
    assert.equal(
      kmMedianPoint([
        { days: 1, event: true, cluster: 1 },
        { days: 2, event: false, cluster: 2 },
        { days: 3, event: true, cluster: 3 },
      ]),
      3,
    );
    const rnd = seededRandom(3);
    const group = (scale: number, from: number) =>
      Array.from({ length: 60 }, (_, i) => ({ days: -Math.log(1 - rnd()) * scale, event: true, cluster: from + (i % 20) }));
    const slow = group(10, 0);
    const fast = group(2, 100);
    const same = group(10, 200);
    const d = bootstrapDifference(slow, fast, kmMedianPoint, { seed: 1, replicates: 300, clusteredBy: 'owner' });
    assert.equal(d.verdict, 'above');
    assert.equal(d.clusters, 40);
    assert.equal(
      bootstrapDifference(slow, same, kmMedianPoint, { seed: 1, replicates: 300, clusteredBy: 'owner' }).verdict,
      'inconclusive',
    );
  });

  it('the bootstrap of merge medians by cluster counts gives what re-drawing the changes gives', () => {
    const rnd = seededRandom(5);
    const draw = (n: number, slow: number) =>
      Array.from({ length: n }, (_, i) => {
        const u = rnd();
        const outcome = u < 0.7 ? ('merged' as const) : u < 0.85 ? ('abandoned' as const) : ('open' as const);
        // Whole days, so some times tie; owners as clusters, some in both groups.
        return { days: Math.floor(rnd() * 30 * slow), outcome, cluster: `owner${i % 17}` };
      });
    const slow = draw(120, 2);
    const fast = draw(90, 1);
    // A wrapper is another function: bootstrapDifference then re-draws the changes themselves.
    const generic = bootstrapDifference(slow, fast, (l) => mergeMedianPoint(l), { seed: 3, replicates: 400, clusteredBy: 'owner' });
    const counted = bootstrapDifference(slow, fast, mergeMedianPoint, { seed: 3, replicates: 400, clusteredBy: 'owner' });
    assert.deepEqual(counted, generic);
    assert.ok(generic.replicates > 300);
  });

  it("Cramér's V: 1 for a factor that determines the other, 0 for independent ones", () => {
    assert.equal(cramersV(['a', 'a', 'b', 'b'], ['x', 'x', 'y', 'y']), 1);
    assert.equal(cramersV(['a', 'a', 'b', 'b'], ['x', 'y', 'x', 'y']), 0);
    assert.equal(cramersV(['a', 'a'], ['x', 'y']), null);
  });
});

describe('bootstrapDifference: the sorted, weighted re-draws give exactly what copied lists give', () => {
  // The same statistic without its sorted form takes the list path (copies of each drawn cluster, sorted per re-draw).
  const listOnly =
    <T>(f: (list: readonly T[]) => number | null) =>
    (list: readonly T[]) =>
      f(list);
  it('merge medians (Aalen–Johansen) over owners, with ties, abandonment and open changes', () => {
    const random = seededRandom(42);
    const outcomes = ['merged', 'merged', 'abandoned', 'open'] as const;
    const make = (n: number, scale: number) =>
      Array.from({ length: n }, () => ({
        days: Math.round(random() * scale * 4) / 4,
        outcome: outcomes[Math.floor(random() * 4)]!,
        cluster: `owner${Math.floor(random() * 25)}`,
      }));
    const a = make(300, 20);
    const b = make(200, 12);
    const opts = { seed: 7, replicates: 400, clusteredBy: 'owner' };
    const fast = bootstrapDifference(a, b, mergeMedianPoint, opts);
    assert.ok(mergeMedianPoint.overSorted, 'the merge median has its sorted form');
    assert.deepEqual(fast, bootstrapDifference(a, b, listOnly(mergeMedianPoint), opts));
    assert.ok(fast.low !== null && fast.replicates > 300);
  });
  it('Kaplan–Meier medians, with a group absent from some re-draws (failed counted the same)', () => {
    const random = seededRandom(3);
    const a = Array.from({ length: 12 }, (_, i) => ({ days: Math.floor(random() * 9), event: random() < 0.7, cluster: i % 3 }));
    const b = Array.from({ length: 90 }, (_, i) => ({ days: Math.floor(random() * 5), event: random() < 0.8, cluster: 3 + (i % 20) }));
    const opts = { seed: 11, replicates: 500, clusteredBy: 'blueprint' };
    const fast = bootstrapDifference(a, b, kmMedianPoint, opts);
    assert.deepEqual(fast, bootstrapDifference(a, b, listOnly(kmMedianPoint), opts));
    assert.ok(fast.failed > 0, 'some re-draws miss the small group');
  });
});
