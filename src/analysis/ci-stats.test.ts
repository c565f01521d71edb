import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binomialUpperTail, isoWeekName, isoWeekStart, isoWeeksBetween, wilson } from './ci-stats.js';

const close = (a: number, b: number, eps = 1e-4) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('Wilson score interval', () => {
  it('matches the textbook values (5 of 20 → 11.2%–46.9%)', () => {
    const ci = wilson(5, 20)!;
    close(ci.low, 0.11186);
    close(ci.high, 0.4687);
  });

  it('is honest at the edges: 0 of 20 is not [0, 0], 20 of 20 is not [1, 1], and nothing is known from no runs', () => {
    const none = wilson(0, 20)!;
    assert.equal(none.low, 0);
    close(none.high, 0.16113);
    const all = wilson(20, 20)!;
    close(all.low, 0.83887);
    assert.equal(all.high, 1);
    assert.equal(wilson(0, 0), null);
  });
});

describe('ISO weeks', () => {
  it('start on Monday 00:00 UTC and are named by ISO week-numbering year', () => {
    assert.equal(isoWeekName(Date.UTC(2021, 0, 3, 23, 59)), '2020-W53');
    assert.equal(isoWeekName(Date.UTC(2021, 0, 4)), '2021-W01');
    assert.equal(isoWeekName(Date.UTC(2024, 11, 30, 12)), '2025-W01');
    assert.equal(isoWeekName(Date.UTC(2026, 10, 1)), '2026-W44');
    assert.equal(isoWeekStart(Date.UTC(2026, 10, 1, 15)), Date.UTC(2026, 9, 26));
  });

  it('lists the weeks overlapping a window, partial ones included', () => {
    const weeks = isoWeeksBetween(Date.UTC(2026, 9, 28), Date.UTC(2026, 10, 10));
    assert.deepEqual(weeks.map(isoWeekName), ['2026-W44', '2026-W45', '2026-W46']);
  });
});

describe('binomial upper tail', () => {
  it('gives the chance of at least k successes', () => {
    close(binomialUpperTail(5, 10, 0.1), 0.0016349, 1e-6);
    close(binomialUpperTail(10, 100, 0.05), 0.0281883, 1e-6);
    assert.equal(binomialUpperTail(0, 10, 0.3), 1);
    assert.equal(binomialUpperTail(11, 10, 0.3), 0);
  });
});
