import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Priority } from '../model/priorities.js';
import { compare, mergePriorities, priorityQueries } from './priorities.js';

const p = (release: string, title: string, origin: Priority['origin'], id: number | null = null): Priority => ({
  release,
  title,
  blueprints: ['bp-a'],
  topics: [],
  queries: [],
  origin,
  id,
  createdAt: null,
  createdBy: null,
});

describe('priorities', () => {
  it('merges steward.yaml and the store; steward.yaml wins on the same release and title, ignoring case', () => {
    const { priorities, shadowed } = mergePriorities(
      [p('Kilo', 'Cells v2', 'config')],
      [p('kilo', 'CELLS V2', 'store', 1), p('Kilo', 'Quotas', 'store', 2), p('Liberty', 'Cells v2', 'store', 3)],
    );
    assert.deepEqual(
      priorities.map((x) => [x.release, x.title, x.origin]),
      [
        ['Kilo', 'Cells v2', 'config'],
        ['Kilo', 'Quotas', 'store'],
        ['Liberty', 'Cells v2', 'store'],
      ],
    );
    assert.deepEqual(
      shadowed.map((x) => x.id),
      [1],
    );
  });

  it('evaluates blueprints and topics as Gerrit queries, keeping the given queries as they are', () => {
    assert.deepEqual(priorityQueries({ blueprints: ['cells-v2'], topics: ['bp/x y'], queries: ['file:^nova/api/.*'] }), [
      { label: 'blueprint:cells-v2', query: 'blueprint:"cells-v2"' },
      { label: 'topic:bp/x y', query: 'topic:"bp/x y"' },
      { label: 'file:^nova/api/.*', query: 'file:^nova/api/.*' },
    ]);
  });

  it('compares censored waits with a bootstrap over blueprints: faster, slower, inconclusive, too few', () => {
    const waits = (n: number, scale: number, clusters: number, open = 0) =>
      Array.from({ length: n }, (_, i) => ({
        days: i < open ? scale * 2 : scale * (0.5 + (i % 10) / 10),
        event: i >= open,
        cluster: `blueprint:b${i % clusters}`,
      }));
    const base = Array.from({ length: 120 }, (_, i) => ({ days: 2 + (i % 10) * 0.4, event: true, cluster: `change:${i}` }));
    const fast = compare(waits(60, 0.5, 30), base);
    assert.equal(fast.verdict, 'faster');
    assert.ok(fast.speedup! > 3 && fast.differenceDays! < 0 && fast.high! < 0);
    const slow = compare(waits(60, 10, 30), base);
    assert.equal(slow.verdict, 'slower');
    // How much slower, with its interval: the medians' ratio (priority ÷ baseline) inside its 95% interval, all above 1.
    assert.ok(slow.factor! > 2, String(slow.factor));
    assert.ok(slow.factorLow! > 1 && slow.factorLow! <= slow.factor! && slow.factor! <= slow.factorHigh!, JSON.stringify(slow));
    assert.ok(fast.factor! < 1 / 3 && fast.factorHigh! < 1);
    assert.equal(compare(waits(60, 3.6, 30), base).verdict, 'inconclusive');
    // Open changes are censored, not dropped: most of the priority still waiting → no median yet.
    const open = compare(waits(60, 0.5, 30, 45), base);
    assert.equal(open.verdict, 'too few changes');
    assert.match(open.reason!, /no median yet/);
    // All in two blueprints: the priority is missing from many re-draws, so the data cannot tell.
    const two = compare(waits(60, 0.5, 2), base);
    assert.equal(two.priorityClusters, 2);
    assert.equal(two.verdict, 'inconclusive');
    assert.match(two.reason!, /too few independent clusters/);
    assert.equal(compare(waits(3, 0.5, 3), base).verdict, 'too few changes');
  });
});
