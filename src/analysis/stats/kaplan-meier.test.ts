import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, assertAllClose, assertClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import type { ConfType, SurvivalRecord } from './kaplan-meier.js';
import { kaplanMeier, kaplanMeierSorted, survivalAt, survivalQuantile } from './kaplan-meier.js';

interface ExpectedCurve {
  confType: ConfType;
  time: number[];
  atRisk: number[];
  events: number[];
  censored: number[];
  survival: number[];
  stdErr: Array<number | null>;
  lower: Array<number | null>;
  upper: Array<number | null>;
  quantiles: Array<{ probability: number; time: number | null; lower: number | null; upper: number | null }>;
}

const records = (file: string): SurvivalRecord[] => readCsv(file).map((r) => ({ time: Number(r.time), event: r.status === '1' }));

function compare(data: SurvivalRecord[], e: ExpectedCurve, label: string): void {
  const curve = kaplanMeier(data, { confType: e.confType });
  const steps = curve.steps;
  assert.deepEqual(
    steps.map((s) => s.time),
    asArray(e.time),
    `${label}: times`,
  );
  assert.deepEqual(
    steps.map((s) => s.atRisk),
    asArray(e.atRisk),
    `${label}: at risk`,
  );
  assert.deepEqual(
    steps.map((s) => s.events),
    asArray(e.events),
    `${label}: events`,
  );
  assert.deepEqual(
    steps.map((s) => s.censored),
    asArray(e.censored),
    `${label}: censored`,
  );
  assertAllClose(
    steps.map((s) => s.survival),
    asArray(e.survival),
    `${label}: survival`,
    1e-12,
  );
  assertAllClose(
    steps.map((s) => (Number.isFinite(s.stdErr) ? s.stdErr : null)),
    asArray(e.stdErr),
    `${label}: Greenwood std.err`,
    1e-10,
  );
  assertAllClose(
    steps.map((s) => s.lower),
    asArray(e.lower),
    `${label}: lower band`,
    1e-9,
  );
  assertAllClose(
    steps.map((s) => s.upper),
    asArray(e.upper),
    `${label}: upper band`,
    1e-9,
  );
  for (const q of e.quantiles) {
    const got = survivalQuantile(curve, q.probability);
    assertClose(got.time, q.time, `${label}: quantile ${q.probability}`, 1e-12);
    assertClose(got.lower, q.lower, `${label}: quantile ${q.probability} lower`, 1e-12);
    assertClose(got.upper, q.upper, `${label}: quantile ${q.probability} upper`, 1e-12);
  }
}

describe('Kaplan–Meier against R survfit (relative 1e-9 on bands, exact counts)', () => {
  const expected = readExpected<{ survival: ExpectedCurve[]; flat: ExpectedCurve[] }>('kaplan-meier.expected.json');
  for (const e of expected.survival) {
    it(`90 subjects with ties and censoring, conf.type ${e.confType}`, () => compare(records('survival.csv'), e, e.confType));
  }
  for (const e of expected.flat) {
    it(`a curve flat at ½ (median in the middle of the flat), conf.type ${e.confType}`, () =>
      compare(records('km-flat.csv'), e, `flat ${e.confType}`));
  }
});

describe('Kaplan–Meier by hand', () => {
  it('censored subjects stay at risk at their time; S steps only at events', () => {
    const c = kaplanMeier([
      { time: 1, event: true },
      { time: 2, event: false },
      { time: 2, event: true },
      { time: 3, event: true },
    ]);
    assert.deepEqual(
      c.steps.map((s) => [s.time, s.atRisk, s.survival]),
      [
        [1, 4, 0.75],
        [2, 3, 0.5],
        [3, 1, 0],
      ],
    );
    assert.equal(survivalAt(c, 0.5), 1);
    assert.equal(survivalAt(c, 2.5), 0.5);
    assert.equal(c.steps[2]!.lower, null, 'no band once S = 0');
  });

  it('median is null when fewer than half have had the event; an open upper end is null', () => {
    const open = kaplanMeier(Array.from({ length: 10 }, (_, i) => ({ time: i + 1, event: i < 3 })));
    assert.equal(survivalQuantile(open).time, null);
    const half = kaplanMeier(Array.from({ length: 12 }, (_, i) => ({ time: i + 1, event: i < 7 })));
    const q = survivalQuantile(half);
    assert.equal(q.time, 6.5, 'S is exactly ½ from day 6 to day 7: the middle of the flat');
    assert.ok(q.lower !== null && q.lower <= 6);
    assert.equal(q.upper, null, 'the upper band never reaches ½');
  });

  it('empty input gives an empty curve; negative times are refused with the value', () => {
    assert.deepEqual(kaplanMeier([]).steps, []);
    assert.throws(() => kaplanMeier([{ time: -1, event: true }]), /time must be a finite number ≥ 0, got -1/);
  });

  it('from sorted event and censoring times: the same event steps, S(t) and quantiles as from records', () => {
    // Seeded: ties between events, between censorings and across the two, a censoring last or not.
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const [n, lastCensored] of [
      [0, false],
      [1, true],
      [7, false],
      [200, true],
      [3000, false],
    ] as const) {
      const records: SurvivalRecord[] = Array.from({ length: n }, () => ({ time: Math.floor(rnd() * 60) / 4, event: rnd() < 0.6 }));
      if (n) records.push({ time: lastCensored ? 100 : 99, event: !lastCensored });
      const full = kaplanMeier(records);
      const sorted = (event: boolean) => Float64Array.from(records.filter((r) => r.event === event).map((r) => r.time)).sort();
      const thin = kaplanMeierSorted(sorted(true), sorted(false));
      assert.equal(thin.n, full.n);
      assert.equal(thin.events, full.events);
      const last = full.steps[full.steps.length - 1];
      const kept = full.steps.filter((s) => s.events > 0 || s === last);
      assert.deepEqual(thin.steps, kept, `n = ${n}`);
      for (const p of [0.25, 0.5, 0.75]) assert.deepEqual(survivalQuantile(thin, p), survivalQuantile(full, p), `n = ${n}, p = ${p}`);
      for (const t of [0, 1, 5.25, 7, 14.75, 99, 200]) assert.equal(survivalAt(thin, t), survivalAt(full, t));
    }
    assert.throws(() => kaplanMeierSorted(Float64Array.of(2, 1), new Float64Array(0)), /sorted ascending/);
  });
});
