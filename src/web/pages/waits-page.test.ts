import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupStats } from '../../analysis/waits.js';
import { drawnGroups } from './waits-page.js';

const group = (name: string, n: number, merged: number[]): GroupStats => ({
  group: name,
  n,
  toMerge: {
    median: null,
    low: null,
    high: null,
    n,
    abandoned: 0,
    open: n,
    points: merged.map((m, day) => ({ day, merged: m, mergedLow: null, mergedHigh: null, abandoned: 0 })),
  } as GroupStats['toMerge'],
  firstHumanReview: { median: null, low: null, high: null, n } as GroupStats['firstHumanReview'],
  firstCoreReview: null,
});

describe('waits page: share-merged charts', () => {
  it('draws no empty group and no flat "unknown" one, and names what it left out', () => {
    const { drawn, left } = drawnGroups([
      group('small', 12, [0, 0.2, 0.5]),
      group('large', 0, []),
      group('unknown', 40, [0, 0, 0]),
      group('medium', 9, [0, 0, 0]),
    ]);
    assert.deepEqual(
      drawn.map((g) => g.group),
      ['small', 'medium'],
    );
    assert.deepEqual(left, ['large (no changes)', 'unknown (n=40: flat at 0.0%, it says nothing about the others)']);
  });

  it('draws an "unknown" group whose curve moves', () => {
    const { drawn, left } = drawnGroups([group('unknown', 5, [0, 0.4])]);
    assert.equal(drawn.length, 1);
    assert.deepEqual(left, []);
  });
});
