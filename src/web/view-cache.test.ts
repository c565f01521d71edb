import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViewCache, cacheKey } from './view-cache.js';

function setup(ttl = 1000) {
  let version = 'v1';
  let now = 1_000_000;
  let computations = 0;
  const cache = new ViewCache({ version: () => version, clock: () => now, liveTtlMs: ttl, maxEntries: 3 });
  const slow =
    (value: string, ms = 20) =>
    async (at: number) => {
      computations++;
      await new Promise((r) => setTimeout(r, ms));
      return { value, at };
    };
  return {
    cache,
    slow,
    computations: () => computations,
    setVersion: (v: string) => void (version = v),
    advance: (ms: number) => void (now += ms),
  };
}

describe('view cache', () => {
  it('computes once for 50 concurrent requests (single flight), then serves hits', async () => {
    const t = setup();
    const results = await Promise.all(Array.from({ length: 50 }, () => t.cache.get('overview', { days: '90' }, false, t.slow('A'))));
    assert.equal(t.computations(), 1);
    assert.deepEqual(
      results
        .map((r) => r.served)
        .sort()
        .filter((s, i, a) => a.indexOf(s) === i),
      ['miss', 'shared'],
    );
    assert.ok(results.every((r) => r.body.toString() === JSON.stringify(r.value) && (r.value as { value: string }).value === 'A'));
    const again = await t.cache.get('overview', { days: '90' }, false, t.slow('B'));
    assert.equal(again.served, 'hit');
    assert.equal(t.computations(), 1);
  });

  it('recomputes when the data version changes, and never serves the old version', async () => {
    const t = setup();
    await t.cache.get('overview', {}, false, t.slow('A'));
    t.setVersion('v2');
    const r = await t.cache.get('overview', {}, false, t.slow('B'));
    assert.equal(r.served, 'miss');
    assert.equal((r.value as { value: string }).value, 'B');
    assert.equal(t.computations(), 2);
  });

  it('a live view older than the TTL is served stale while one refresh runs, then the refreshed one', async () => {
    const t = setup(1000);
    await t.cache.get('reviewers', {}, true, t.slow('A'));
    t.advance(1500);
    const [s1, s2] = await Promise.all([t.cache.get('reviewers', {}, true, t.slow('B')), t.cache.get('reviewers', {}, true, t.slow('B'))]);
    assert.equal(s1.served, 'stale');
    assert.equal(s2.served, 'stale');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(t.computations(), 2, 'one refresh for both');
    const fresh = await t.cache.get('reviewers', {}, true, t.slow('C'));
    assert.equal(fresh.served, 'hit');
    assert.equal((fresh.value as { value: string }).value, 'B');
  });

  it('a view with an explicit now is not refreshed by the clock', async () => {
    const t = setup(1000);
    await t.cache.get('reviewers', { now: '2026-01-01' }, false, t.slow('A'));
    t.advance(10 * 60_000);
    assert.equal((await t.cache.get('reviewers', { now: '2026-01-01' }, false, t.slow('B'))).served, 'hit');
  });

  it('does not cache a failure; all waiters get the error', async () => {
    const t = setup();
    const fail = async () => {
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('boom');
    };
    const rs = await Promise.allSettled([t.cache.get('x', {}, false, fail), t.cache.get('x', {}, false, fail)]);
    assert.deepEqual(
      rs.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal((await t.cache.get('x', {}, false, t.slow('ok'))).served, 'miss');
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const t = setup();
    for (const r of ['a', 'b', 'c']) await t.cache.get(r, {}, false, t.slow(r, 1));
    await t.cache.get('a', {}, false, t.slow('a', 1));
    await t.cache.get('d', {}, false, t.slow('d', 1));
    assert.equal(t.cache.stats().entries, 3);
    assert.equal((await t.cache.get('a', {}, false, t.slow('a', 1))).served, 'hit');
    assert.equal((await t.cache.get('b', {}, false, t.slow('b', 1))).served, 'miss');
  });

  it('normalises parameters: order of keys and list values, empty values', () => {
    assert.equal(
      cacheKey('r', { project: ['b', 'a'], days: '90', since: undefined, x: '' }),
      cacheKey('r', { days: '90', project: ['a', 'b'] }),
    );
    assert.notEqual(cacheKey('r', { days: '90' }), cacheKey('r', { days: '30' }));
    assert.notEqual(cacheKey('r', {}), cacheKey('s', {}));
  });
});
