import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom, hexId, labelKey } from './seeded-random.js';

describe('SeededRandom', () => {
  it('repeats its sequence for the same keys and not for others', () => {
    const seq = (...keys: number[]): number[] => {
      const rng = SeededRandom.from(...keys);
      return Array.from({ length: 20 }, () => rng.nextUint32());
    };
    assert.deepEqual(seq(1, 2, 3), seq(1, 2, 3));
    assert.notDeepEqual(seq(1, 2, 3), seq(1, 2, 4));
    assert.notDeepEqual(seq(1, 2, 3), seq(1, 3, 2));
    assert.notDeepEqual(seq(Date.UTC(2025, 0, 1)), seq(Date.UTC(2025, 0, 1) + 2 ** 32));
  });

  it('samples within range and roughly uniformly', () => {
    const rng = SeededRandom.from(9);
    const counts = [0, 0, 0, 0, 0, 0];
    let sum = 0;
    for (let i = 0; i < 60000; i++) {
      const f = rng.float();
      assert.ok(f >= 0 && f < 1);
      sum += f;
      const k = rng.int(1, 6);
      counts[k - 1] = (counts[k - 1] ?? 0) + 1;
    }
    assert.ok(Math.abs(sum / 60000 - 0.5) < 0.01);
    for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `${c}`);
    const medians = Array.from({ length: 20001 }, () => rng.logNormal(10, 1)).sort((a, b) => a - b);
    assert.ok(Math.abs((medians[10000] as number) - 10) < 0.5);
  });

  it('picks by weight and skips zero weights', () => {
    const rng = SeededRandom.from(4);
    const hits = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10000; i++)
      hits[rng.weighted(['a', 'b', 'c'] as const, (x) => (x === 'a' ? 3 : x === 'b' ? 1 : 0)) as 'a' | 'b' | 'c']++;
    assert.equal(hits.c, 0);
    assert.ok(Math.abs(hits.a / 10000 - 0.75) < 0.02);
    assert.equal(
      rng.weighted([1, 2], () => 0),
      undefined,
    );
    assert.throws(() => rng.pick([]), /empty/);
  });
});

describe('hexId', () => {
  it('gives lower-case hex of the asked length, stable and distinct', () => {
    assert.match(hexId(40, 1, 2), /^[0-9a-f]{40}$/);
    assert.match(hexId(32, 1, 2), /^[0-9a-f]{32}$/);
    assert.equal(hexId(40, 1, 2, 3), hexId(40, 1, 2, 3));
    const seen = new Set<string>();
    for (let change = 0; change < 20000; change++) for (let ps = 1; ps <= 5; ps++) seen.add(hexId(40, 7, labelKey('revision'), change, ps));
    assert.equal(seen.size, 100000);
  });
});
