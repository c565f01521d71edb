import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertClose, readExpected } from '../../../test/helpers/stats-fixtures.js';
import { chiSquareUpperTail, logGamma, normalCdf, normalQuantile, studentQuantile, studentTwoSided } from './distributions.js';

interface Expected {
  normalQuantile: { p: number[]; value: number[] };
  normalCdf: { x: number[]; value: number[] };
  chiSquareUpperTail: { x: number[]; df: number[]; value: number[] };
  studentTwoSided: { t: number[]; df: number[]; value: number[] };
  studentQuantile: { p: number[]; df: number[]; value: number[] };
}

describe('distributions against R (relative 1e-10, quantiles 1e-9)', () => {
  const e = readExpected<Expected>('distributions.expected.json');
  it('qnorm and pnorm', () => {
    e.normalQuantile.p.forEach((p, i) => assertClose(normalQuantile(p), e.normalQuantile.value[i]!, `qnorm(${p})`, 1e-12));
    e.normalCdf.x.forEach((x, i) => assertClose(normalCdf(x), e.normalCdf.value[i]!, `pnorm(${x})`, 1e-10, 1e-300));
  });
  it('chi-square upper tail and Student t', () => {
    e.chiSquareUpperTail.x.forEach((x, i) => {
      const df = e.chiSquareUpperTail.df[i]!;
      assertClose(chiSquareUpperTail(x, df), e.chiSquareUpperTail.value[i]!, `pchisq(${x}, ${df}, upper)`, 1e-10, 1e-300);
    });
    e.studentTwoSided.t.forEach((t, i) => {
      const df = e.studentTwoSided.df[i]!;
      assertClose(studentTwoSided(t, df), e.studentTwoSided.value[i]!, `2·pt(−${t}, ${df})`, 1e-10, 1e-300);
    });
    e.studentQuantile.p.forEach((p, i) =>
      assertClose(studentQuantile(p, e.studentQuantile.df[i]!), e.studentQuantile.value[i]!, `qt(${p})`, 1e-9),
    );
  });
  it('log Γ of whole and half numbers', () => {
    assertClose(logGamma(10), Math.log(362880), 'lgamma(10)', 1e-14);
    assertClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 'lgamma(1/2)', 1e-14);
    assert.equal(chiSquareUpperTail(0, 3), 1);
  });
});
