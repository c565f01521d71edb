import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { cohensKappa, kappaOfCounts, kappaOfTwo } from './agreement.js';
import { seededRandom } from './random.js';

describe("Cohen's kappa", () => {
  it("kappaOfTwo gives kappaOfCounts's κ to the last bit for one and two categories (NaN for null)", () => {
    const random = seededRandom(7);
    const cell = () => Math.floor(random() * 6);
    let defined = 0;
    let undefinedKappa = 0;
    for (let t = 0; t < 2000; t++) {
      const two = random() < 0.8;
      const c = two ? [cell(), cell(), cell(), cell()] : [1 + cell(), 0, 0, 0];
      const n = c[0]! + c[1]! + c[2]! + c[3]!;
      if (n === 0) continue;
      const expected = kappaOfCounts(
        two
          ? [
              [c[0]!, c[1]!],
              [c[2]!, c[3]!],
            ]
          : [[c[0]!]],
        n,
      ).kappa;
      const got = kappaOfTwo(two ? 2 : 1, c[0]!, c[1]!, c[2]!, c[3]!, n);
      if (expected === null) {
        assert.ok(Number.isNaN(got), `table ${c.join(',')}: null expected, got ${got}`);
        undefinedKappa++;
      } else {
        assert.equal(Object.is(got, expected), true, `table ${c.join(',')}: ${expected} expected, got ${got}`);
        defined++;
      }
    }
    assert.ok(defined > 1000 && undefinedKappa > 0, `both cases drawn (${defined} defined, ${undefinedKappa} null)`);
  });

  it('matches the Fleiss–Cohen–Everitt formulas computed by hand in R (relative 1e-12)', () => {
    const rows = readCsv('kappa.csv');
    const e = readExpected<{ kappa: number; stdErr: number; nullStdErr: number; observed: number; expected: number }>(
      'kappa.expected.json',
    );
    const got = cohensKappa(
      rows.map((r) => r.rater1),
      rows.map((r) => r.rater2),
    );
    assertClose(got.kappa, e.kappa, 'kappa', 1e-12);
    assertClose(got.stdErr, e.stdErr, 'std.err', 1e-12);
    assertClose(got.nullStdErr, e.nullStdErr, 'null std.err', 1e-12);
    assertClose(got.observed, e.observed, 'observed agreement', 1e-12);
    assertClose(got.expected, e.expected, 'chance agreement', 1e-12);
  });
  it('a rater who always says +1 scores 0 against any verdicts, however often right', () => {
    const verdicts = ['+', '+', '+', '-', '+', '+', '+', '-', '+', '+'];
    const k = cohensKappa(
      verdicts.map(() => '+'),
      verdicts,
    );
    assert.equal(k.observed, 0.8);
    assert.equal(k.kappa, 0);
  });
  it('perfect agreement is 1, systematic disagreement negative; undefined cases are null', () => {
    const a = ['+', '-', '+', '-'];
    assert.equal(cohensKappa(a, a).kappa, 1);
    assert.ok(cohensKappa(a, ['-', '+', '-', '+']).kappa! < 0);
    assert.equal(cohensKappa(['+', '+'], ['+', '+']).kappa, null, 'both always say the same thing');
    assert.equal(cohensKappa([], []).kappa, null);
  });

  it('keeps the interval inside [−1, 1] when few items make the normal interval run past an end', () => {
    const k = cohensKappa(['+', '-', '+', '-'], ['+', '-', '+', '-']);
    assert.equal(k.kappa, 1);
    assert.ok(k.upper !== null && k.upper <= 1, `upper ${k.upper}`);
    const few = cohensKappa(['+', '-', '+'], ['+', '-', '-']);
    assert.ok(few.lower !== null && few.lower >= -1 && few.upper! <= 1, `[${few.lower}, ${few.upper}]`);
    assert.ok(few.lower! < few.kappa! && few.kappa! < few.upper!);
    assert.throws(() => cohensKappa(['+'], []), /1 ratings from the first rater but 0/);
  });
});
