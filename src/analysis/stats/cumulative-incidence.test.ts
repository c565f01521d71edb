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
