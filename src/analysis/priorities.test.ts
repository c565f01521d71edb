import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Priority } from '../model/priorities.js';
import { compare, mergePriorities, priorityQueries } from './priorities.js';
import { medianWithCi } from './waits-stats.js';

const p = (release: string, title: string, origin: Priority['origin'], id: number | null = null): Priority => ({
  release, title, blueprints: ['bp-a'], topics: [], queries: [], origin, id, createdAt: null, createdBy: null,
});

describe('priorities', () => {
  it('merges steward.yaml and the store; steward.yaml wins on the same release and title, ignoring case', () => {
    const { priorities, shadowed } = mergePriorities([p('Kilo', 'Cells v2', 'config')], [p('kilo', 'CELLS V2', 'store', 1), p('Kilo', 'Quotas', 'store', 2), p('Liberty', 'Cells v2', 'store', 3)]);
    assert.deepEqual(priorities.map((x) => [x.release, x.title, x.origin]), [['Kilo', 'Cells v2', 'config'], ['Kilo', 'Quotas', 'store'], ['Liberty', 'Cells v2', 'store']]);
    assert.deepEqual(shadowed.map((x) => x.id), [1]);
  });

  it('evaluates blueprints and topics as Gerrit queries, keeping the given queries as they are', () => {
    assert.deepEqual(priorityQueries({ blueprints: ['cells-v2'], topics: ['bp/x y'], queries: ['file:^nova/api/.*'] }), [
      { label: 'blueprint:cells-v2', query: 'blueprint:"cells-v2"' },
      { label: 'topic:bp/x y', query: 'topic:"bp/x y"' },
      { label: 'file:^nova/api/.*', query: 'file:^nova/api/.*' },
    ]);
  });

  it('calls a difference only when the 95% intervals are apart', () => {
    const base = medianWithCi(Array.from({ length: 60 }, (_, i) => 2 + (i % 10) * 0.4));
    const fast = medianWithCi(Array.from({ length: 30 }, (_, i) => 0.2 + (i % 10) * 0.05));
    const same = medianWithCi(Array.from({ length: 30 }, (_, i) => 2.1 + (i % 10) * 0.4));
    const slow = medianWithCi(Array.from({ length: 30 }, (_, i) => 9 + (i % 10)));
    assert.equal(compare(fast, base).verdict, 'faster');
    assert.ok(compare(fast, base).speedup! > 5 && compare(fast, base).differenceDays! < 0);
    assert.equal(compare(same, base).verdict, 'within noise');
    assert.equal(compare(slow, base).verdict, 'slower');
    assert.equal(compare(medianWithCi([0.1, 0.2, 0.1]), base).verdict, 'too few changes');
  });
});
