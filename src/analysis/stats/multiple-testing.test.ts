import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAllClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { benjaminiHochberg } from './multiple-testing.js';

describe('Benjamini–Hochberg', () => {
  it('matches R p.adjust(p, "BH") on 25 p-values with a tie (relative 1e-12)', () => {
    const p = readCsv('p-values.csv').map((r) => Number(r.p));
    assertAllClose(benjaminiHochberg(p), readExpected<{ adjusted: number[] }>('p-values.expected.json').adjusted, 'BH', 1e-12);
  });
  it('keeps the input order, is monotone in p, never below p, and caps at 1', () => {
    assert.deepEqual(benjaminiHochberg([0.01, 0.04, 0.03]), [0.03, 0.04, 0.04]);
    assert.deepEqual(benjaminiHochberg([0.9, 0.8]), [0.9, 0.9]);
    assert.deepEqual(benjaminiHochberg([]), []);
    assert.throws(() => benjaminiHochberg([0.1, Number.NaN]), /p-value 1 is NaN/);
  });
});
