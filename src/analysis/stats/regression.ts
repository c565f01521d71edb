/**
 * Ordinary least squares with classical standard errors, and Newey–West standard errors for
 * when the rows are consecutive periods (weeks) whose errors are correlated over time.
 */
import { studentTwoSided } from './distributions.js';
import type { Matrix } from './linear-algebra.js';
import { invert, multiplyVector, sandwich, transpose, multiply, zeros } from './linear-algebra.js';

export interface OlsFit {
  n: number;
  /** Number of coefficients, including the intercept. */
  k: number;
  names: string[];
  coefficients: number[];
  /** Classical standard errors, √(σ̂²·(XᵀX)⁻¹) with σ̂² = RSS/(n − k). */
  stdErr: number[];
  t: number[];
  /** Two-sided p-values from Student's t with n − k degrees of freedom. */
  p: number[];
  residuals: number[];
  residualStdErr: number;
  rSquared: number;
  /** The design matrix as used (with its intercept column first when there is one). */
  design: Matrix;
  /** (XᵀX)⁻¹. */
  xtxInverse: Matrix;
}

export interface OlsOptions {
  /** Add an intercept column (default true). */
  intercept?: boolean;
  /** Covariate names (default x1, x2, …); the intercept is "(intercept)". */
  names?: readonly string[];
}

/**
 * Least-squares fit of y on the covariates (R: `lm(y ~ x1 + x2)`).
 *
 * Assumes the mean of y is linear in the covariates and, for the classical standard errors,
 * independent errors of constant variance; for time series use {@link neweyWest} on the fit.
 * Edge cases: throws a RangeError naming the problem for ragged input, fewer rows than
 * coefficients plus one, or collinear covariates.
 *
 * @param rows covariate values per observation (without the intercept).
 */
export function ols(y: readonly number[], rows: ReadonlyArray<readonly number[]>, options: OlsOptions = {}): OlsFit {
  const n = y.length;
  if (rows.length !== n) throw new RangeError(`ols: ${n} responses but ${rows.length} covariate rows`);
  const intercept = options.intercept ?? true;
  const p = rows[0]?.length ?? 0;
  const design = rows.map((r, i) => {
    if (r.length !== p) throw new RangeError(`ols: row ${i} has ${r.length} covariates, expected ${p}`);
    return intercept ? [1, ...r] : [...r];
  });
  const k = design[0]?.length ?? 0;
  if (k === 0) throw new RangeError('ols: no covariates and no intercept');
  if (n <= k) throw new RangeError(`ols: ${n} observations cannot estimate ${k} coefficients with any residual freedom`);
  const names = [...(intercept ? ['(intercept)'] : []), ...(options.names ?? Array.from({ length: p }, (_, j) => `x${j + 1}`))];
  const xt = transpose(design);
  const xtxInverse = invert(multiply(xt, design));
  if (!xtxInverse) throw new RangeError(`ols: the covariates (${names.join(', ')}) are collinear or one of them never varies`);
  const coefficients = multiplyVector(xtxInverse, multiplyVector(xt, y));
  const fitted = multiplyVector(design, coefficients);
  const residuals = y.map((v, i) => v - fitted[i]!);
  const rss = residuals.reduce((s, e) => s + e * e, 0);
  const df = n - k;
  const sigma2 = rss / df;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const tss = y.reduce((s, v) => s + (intercept ? (v - mean) ** 2 : v * v), 0);
  const stdErr = coefficients.map((_, j) => Math.sqrt(sigma2 * xtxInverse[j]![j]!));
  const t = coefficients.map((b, j) => b / stdErr[j]!);
  return {
    n,
    k,
    names,
    coefficients,
    stdErr,
    t,
    p: t.map((v) => studentTwoSided(v, df)),
    residuals,
    residualStdErr: Math.sqrt(sigma2),
    rSquared: tss > 0 ? 1 - rss / tss : 0,
    design,
    xtxInverse,
  };
}

/**
 * A common automatic lag for {@link neweyWest}: ⌊4·(n/100)^(2/9)⌋ (Newey & West 1994's rule of
 * thumb); 2 for 13 weekly points, 3 for 26–52.
 */
export function neweyWestLag(n: number): number {
  return Math.floor(4 * Math.pow(n / 100, 2 / 9));
}

export interface NeweyWestResult {
  lag: number;
  variance: Matrix;
  stdErr: number[];
  t: number[];
  /** Two-sided p-values from Student's t with n − k degrees of freedom (as R's `coeftest`). */
  p: number[];
}

/**
 * Newey–West (HAC) standard errors of an OLS fit of consecutive periods: the sandwich
 * (XᵀX)⁻¹ S (XᵀX)⁻¹ with S = Σₜ eₜ²xₜxₜᵀ + Σ_{l=1..L} (1 − l/(L+1)) Σₜ eₜeₜ₋ₗ(xₜxₜ₋ₗᵀ + xₜ₋ₗxₜᵀ)
 * (Bartlett weights). Equals R's `sandwich::NeweyWest(fit, lag = L, prewhite = FALSE,
 * adjust = FALSE)`.
 *
 * Rows must be in time order, equally spaced. Assumes the autocorrelation dies out within about L
 * periods; with a short series (a dozen weeks) the standard errors are themselves noisy and tend to
 * be too small, so prefer a block bootstrap as a check ({@link movingBlockBootstrap}).
 *
 * @param lag L (default {@link neweyWestLag}(n)); 0 gives White's heteroscedasticity-robust errors.
 */
export function neweyWest(fit: OlsFit, lag = neweyWestLag(fit.n)): NeweyWestResult {
  const { design: x, residuals: e, k, n } = fit;
  if (!(lag >= 0) || !Number.isInteger(lag)) throw new RangeError(`neweyWest: the lag must be a whole number ≥ 0, got ${lag}`);
  const meat = zeros(k, k);
  const score = x.map((row, t) => row.map((v) => v * e[t]!));
  for (let l = 0; l <= Math.min(lag, n - 1); l++) {
    const w = l === 0 ? 1 : 1 - l / (lag + 1);
    for (let t = l; t < n; t++) {
      const a = score[t]!;
      const b = score[t - l]!;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          meat[i]![j]! += l === 0 ? w * a[i]! * b[j]! : w * (a[i]! * b[j]! + b[i]! * a[j]!);
        }
      }
    }
  }
  const variance = sandwich(fit.xtxInverse, meat);
  const stdErr = variance.map((r, j) => Math.sqrt(r[j]!));
  const t = fit.coefficients.map((b, j) => b / stdErr[j]!);
  return { lag, variance, stdErr, t, p: t.map((v) => studentTwoSided(v, n - k)) };
}
