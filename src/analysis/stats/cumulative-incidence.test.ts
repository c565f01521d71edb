import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, assertAllClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { cumulativeIncidence } from './cumulative-incidence.js';
import { kaplanMeier } from './kaplan-meier.js';

interface Cause {
  value: number[];
  stdErr: number[];
  lower: Array<number | null>;
  upper: Array<number | null>;
}
interface Expected {
  time: number[];
  atRisk: number[];
  free: number[];
  abandoned: Cause;
  merged: Cause;
}

const rows = readCsv('competing.csv');
const records = rows.map((r) => ({ time: Number(r.time), cause: r.cause === '' ? null : r.cause! }));

function compare(got: ReturnType<typeof cumulativeIncidence>, e: Expected): void {
  assert.deepEqual(
    got.steps.map((s) => s.time),
    asArray(e.time),
  );
  assert.deepEqual(
    got.steps.map((s) => s.atRisk),
    asArray(e.atRisk),
  );
  assertAllClose(
    got.steps.map((s) => s.free),
    asArray(e.free),
    'free of any event',
    1e-12,
  );
  for (const cause of ['abandoned', 'merged'] as const) {
    const inc = got.steps.map((s) => s.incidence[cause]!);
    assertAllClose(
      inc.map((v) => v.value),
      asArray(e[cause].value),
      `${cause}: incidence`,
      1e-12,
    );
    assertAllClose(
      inc.map((v) => v.stdErr),
      asArray(e[cause].stdErr),
      `${cause}: IJ std.err`,
      1e-9,
    );
    assertAllClose(
      inc.map((v) => v.lower),
      asArray(e[cause].lower),
      `${cause}: lower`,
      1e-9,
    );
    assertAllClose(
      inc.map((v) => v.upper),
      asArray(e[cause].upper),
      `${cause}: upper`,
      1e-9,
    );
  }
}

describe('Aalen–Johansen cumulative incidence against R survfit (multi-state)', () => {
  const expected = readExpected<{ plain: Expected; clustered: Expected }>('competing.expected.json');
  it('merged vs abandoned, censored when open: estimates, std.err (relative 1e-9), log bands', () => {
    compare(cumulativeIncidence(records), expected.plain);
  });
  it('with clusters: cluster-robust std.err (R: survfit(influence = TRUE), influence summed by cluster)', () => {
    compare(cumulativeIncidence(records, { clusters: rows.map((r) => r.cluster!) }), expected.clustered);
  });
});

describe('cumulative incidence by hand', () => {
  it('outcomes and the share still open add up to 1; free equals the overall Kaplan–Meier', () => {
    const ci = cumulativeIncidence(records);
    const km = kaplanMeier(records.map((r) => ({ time: r.time, event: r.cause !== null })));
    ci.steps.forEach((s, i) => {
      const total = s.free + Object.values(s.incidence).reduce((a, v) => a + v.value, 0);
      assert.ok(Math.abs(total - 1) < 1e-12);
      assert.ok(Math.abs(s.free - km.steps[i]!.survival) < 1e-12);
    });
  });
  it('a single cause with no censoring is the empirical distribution', () => {
    const ci = cumulativeIncidence([1, 2, 2, 3].map((time) => ({ time, cause: 'merged' })));
    assert.deepEqual(
      ci.steps.map((s) => s.incidence.merged!.value),
      [0.25, 0.75, 1],
    );
    assert.deepEqual(ci.causes, ['merged']);
  });
  it('refuses clusters that do not match the records', () => {
    assert.throws(() => cumulativeIncidence(records, { clusters: [1] }), /1 clusters given for 70 records/);
  });
});

/**
 * The influence recursion followed record by record at every distinct time (the textbook form,
 * O(records × times)): the oracle the running-sum computation is held to on larger data sets
 * than R's fixture.
 */
function stdErrsByRecursion(records: ReadonlyArray<{ time: number; cause: string | null }>, clusters: readonly number[]): number[][] {
  const n = records.length;
  const causes = [...new Set(records.map((r) => r.cause).filter((c): c is string => c !== null))].sort();
  const order = records.map((_, i) => i).sort((a, b) => records[a]!.time - records[b]!.time);
  const m = Math.max(...clusters) + 1;
  const u0 = new Float64Array(n);
  const uk = causes.map(() => new Float64Array(n));
  const inRisk = new Uint8Array(n).fill(1);
  let free = 1;
  let atRisk = n;
  const out: number[][] = [];
  for (let p = 0; p < n;) {
    const t = records[order[p]!]!.time;
    const here: number[] = [];
    while (p < n && records[order[p]!]!.time === t) here.push(order[p++]!);
    const d = causes.map((c) => here.filter((i) => records[i]!.cause === c).length);
    const dTotal = d.reduce((a, b) => a + b, 0);
    if (dTotal > 0) {
      const hz = d.map((x) => x / atRisk);
      const hTotal = dTotal / atRisk;
      for (let i = 0; i < n; i++) {
        const prev0 = u0[i]!;
        let dhTotal = 0;
        causes.forEach((c, ci) => {
          const dh = inRisk[i] ? ((here.includes(i) && records[i]!.cause === c ? 1 : 0) - hz[ci]!) / atRisk : 0;
          dhTotal += dh;
          uk[ci]![i] = uk[ci]![i]! + prev0 * hz[ci]! + free * dh;
        });
        u0[i] = prev0 * (1 - hTotal) - free * dhTotal;
      }
      free *= 1 - hTotal;
    }
    out.push(
      causes.map((_, ci) => {
        const sums = new Float64Array(m);
        for (let i = 0; i < n; i++) sums[clusters[i]!]! += uk[ci]![i]!;
        return Math.sqrt(sums.reduce((a, x) => a + x * x, 0));
      }),
    );
    for (const i of here) inRisk[i] = 0;
    atRisk -= here.length;
  }
  return out;
}

describe('cumulative incidence: the running sums equal the record-by-record recursion', () => {
  // A seeded generator (LCG), so the data sets are the same on every run.
  const lcg = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const [label, size, clusterCount, ties] of [
    ['400 records, 30 clusters, many ties', 400, 30, 20],
    ['300 records, each its own cluster, few ties', 300, 0, 200],
    ['250 records, 3 clusters, three causes', 250, 3, 40],
  ] as const) {
    it(label, () => {
      const rand = lcg(size);
      const causes = label.includes('three') ? ['abandoned', 'merged', 'restored'] : ['abandoned', 'merged'];
      const recs = Array.from({ length: size }, () => {
        const u = rand();
        return { time: Math.floor(rand() * ties), cause: u < 0.25 ? null : causes[Math.floor(rand() * causes.length)]! };
      });
      const clusters = recs.map((_, i) => (clusterCount === 0 ? i : Math.floor(rand() * clusterCount)));
      const got = cumulativeIncidence(recs, { clusters });
      const want = stdErrsByRecursion(recs, clusters);
      assert.equal(got.steps.length, want.length);
      got.steps.forEach((s, i) => {
        got.causes.forEach((c, ci) => {
          const a = s.incidence[c]!.stdErr;
          const b = want[i]![ci]!;
          assert.ok(Math.abs(a - b) <= 1e-10 + 1e-9 * b, `step ${i} (t=${s.time}), ${c}: ${a} against ${b}`);
        });
      });
    });
  }
  it('everyone ends at once at the last time (nobody free afterwards): the influence stays finite', () => {
    const recs = [1, 2, 3, 3, 3].map((time, i) => ({ time, cause: i % 2 ? 'merged' : 'abandoned' }));
    const got = cumulativeIncidence(recs);
    const want = stdErrsByRecursion(recs, [0, 1, 2, 3, 4]);
    got.steps.forEach((s, i) =>
      got.causes.forEach((c, ci) => assert.ok(Math.abs(s.incidence[c]!.stdErr - want[i]![ci]!) < 1e-12, `${s.time} ${c}`)),
    );
  });
});
