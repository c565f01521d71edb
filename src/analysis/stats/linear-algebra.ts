/**
 * Small dense matrix helpers for the regression models (a handful of covariates, so plain
 * Gauss–Jordan elimination is accurate and fast enough). Matrices are arrays of rows.
 */

export type Matrix = number[][];

/** A rows × cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/**
 * The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting.
 *
 * @returns null when the matrix is singular (a pivot below 1e-12 of the largest entry), e.g. when
 *   two covariates are collinear or one never varies.
 */
export function invert(a: Matrix): Matrix | null {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let scale = 0;
  for (const row of a) for (const v of row) scale = Math.max(scale, Math.abs(v));
  if (scale === 0) return n === 0 ? [] : null;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12 * scale) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const row = m[col]!;
    const p = row[col]!;
    for (let j = 0; j < 2 * n; j++) row[j]! /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      if (f === 0) continue;
      const target = m[r]!;
      for (let j = 0; j < 2 * n; j++) target[j]! -= f * row[j]!;
    }
  }
  return m.map((row) => row.slice(n));
}

/** A · v. */
export function multiplyVector(a: Matrix, v: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

/** A · B. */
export function multiply(a: Matrix, b: Matrix): Matrix {
  const cols = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = new Array<number>(cols).fill(0);
    row.forEach((x, k) => {
      if (x === 0) return;
      const bk = b[k]!;
      for (let j = 0; j < cols; j++) out[j]! += x * bk[j]!;
    });
    return out;
  });
}

/** Aᵀ. */
export function transpose(a: Matrix): Matrix {
  const cols = a[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => a.map((row) => row[j]!));
}

/** A sandwich B · M · Bᵀ with B symmetric (the usual "bread · meat · bread" of robust variances). */
export function sandwich(bread: Matrix, meat: Matrix): Matrix {
  return multiply(multiply(bread, meat), bread);
}
