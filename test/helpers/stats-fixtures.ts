/**
 * Reads the reference fixtures of src/analysis/stats/ (inputs as CSV, R's outputs as JSON), written
 * by scripts/reference/make-stats-fixtures.R, and compares numbers with a stated tolerance.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/stats/', import.meta.url));

/** Rows of a fixture CSV as string maps (the files hold no quoted commas). */
export function readCsv(name: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(DIR + name, 'utf8')
    .trim()
    .split('\n');
  const cols = head!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** A fixture JSON file (R's expected outputs). */
export function readExpected<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(DIR + name, 'utf8')) as T;
}

/** R writes a length-one vector as a scalar; this gives an array either way. */
export function asArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

/**
 * Asserts |actual − expected| ≤ abs + rel·|expected|; null and NaN must match null (R's NA).
 */
export function assertClose(actual: number | null | undefined, expected: number | null, what: string, rel = 1e-9, abs = 1e-12): void {
  if (expected === null) {
    assert.ok(actual === null || actual === undefined || Number.isNaN(actual), `${what}: expected NA (null), got ${actual}`);
    return;
  }
  assert.ok(typeof actual === 'number' && Number.isFinite(actual), `${what}: expected ${expected}, got ${actual}`);
  const err = Math.abs(actual - expected);
  assert.ok(err <= abs + rel * Math.abs(expected), `${what}: expected ${expected}, got ${actual} (difference ${err.toExponential(2)})`);
}

/** assertClose over two arrays of the same length. */
export function assertAllClose(
  actual: ReadonlyArray<number | null>,
  expected: ReadonlyArray<number | null>,
  what: string,
  rel = 1e-9,
  abs = 1e-12,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => assertClose(a, expected[i]!, `${what}[${i}]`, rel, abs));
}
