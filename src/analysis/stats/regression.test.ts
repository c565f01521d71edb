import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAllClose, assertClose, readCsv, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { neweyWest, neweyWestLag, ols } from './regression.js';

interface Expected {
  coefficients: number[];
  stdErr: number[];
  residualStdErr: number;
  rSquared: number;
  pValues: number[];
  neweyWest: Array<{ lag: number; variance: number[][] }>;
}

describe('OLS and Newey–West against R (lm, sandwich::NeweyWest; relative 1e-9)', () => {
  const rows = readCsv('time-series.csv');
  const fit = ols(
    rows.map((r) => Number(r.y)),
    rows.map((r) => [Number(r.x1), Number(r.x2)]),
    { names: ['x1', 'x2'] },
  );
  const e = readExpected<Expected>('time-series.expected.json');
  it('coefficients, classical standard errors, R², p-values', () => {
    assertAllClose(fit.coefficients, e.coefficients, 'coefficients', 1e-9);
    assertAllClose(fit.stdErr, e.stdErr, 'std.err', 1e-9);
    assertClose(fit.residualStdErr, e.residualStdErr, 'sigma', 1e-9);
    assertClose(fit.rSquared, e.rSquared, 'R²', 1e-9);
    assertAllClose(fit.p, e.pValues, 'p', 1e-7, 1e-300);
    assert.deepEqual(fit.names, ['(intercept)', 'x1', 'x2']);
  });
  for (const nw of e.neweyWest) {
    it(`Newey–West variance, lag ${nw.lag} (prewhite = FALSE, adjust = FALSE)`, () => {
      assertAllClose(neweyWest(fit, nw.lag).variance.flat(), nw.variance.flat(), `lag ${nw.lag}`, 1e-9);
    });
  }
});

describe('OLS and Newey–West by hand', () => {
  it('a small example: y = 1 + 2x exactly has zero residuals and HAC variance 0', () => {
    const x = [[0], [1], [2], [3], [4]];
    const fit = ols(
      x.map(([v]) => 1 + 2 * v!),
      x,
    );
    assertAllClose(fit.coefficients, [1, 2], 'coefficients', 1e-12, 1e-12);
    assert.ok(neweyWest(fit, 1).stdErr.every((s) => s < 1e-12));
  });
  it('lag 1 on a mean-only model: the Bartlett-weighted long-run variance, worked by hand', () => {
    // y = 1, 3, 2, 6: mean 3, residuals −2, 0, −1, 3. S = Σe² + 2·½·Σ eₜeₜ₋₁ = 14 + (0 + 0 − 3) = 11;
    // (XᵀX)⁻¹ = 1/4, so the variance of the mean is 11/16.
    const fit = ols([1, 3, 2, 6], [[], [], [], []]);
    assertClose(neweyWest(fit, 1).variance[0]![0]!, 11 / 16, 'variance', 1e-12);
  });
  it('automatic lag, and errors that name the problem', () => {
    assert.equal(neweyWestLag(13), 2);
    assert.equal(neweyWestLag(52), 3);
    assert.throws(() => ols([1, 2], [[1], [2]]), /2 observations cannot estimate 2 coefficients/);
    assert.throws(
      () =>
        ols(
          [1, 2, 3, 4],
          [
            [1, 2],
            [2, 4],
            [3, 6],
            [4, 8],
          ],
          { names: ['a', 'b'] },
        ),
      /covariates \(\(intercept\), a, b\) are collinear/,
    );
  });
});
