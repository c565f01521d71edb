import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphCommit } from './git-log-parser.js';
import { computeLandings, DEFAULT_LANDING_COMMITTERS, isLandingMerge } from './landing.js';

const rules = { landingCommitters: DEFAULT_LANDING_COMMITTERS };
let t = 0;
const c = (sha: string, parents: string[], subject = sha, committerName = 'Dev'): GraphCommit => ({
  sha,
  parents,
  committerName,
  committedAt: (t += 1000),
  subject,
});

describe('isLandingMerge', () => {
  it('knows merges by the review system by committer or subject, never a single-parent commit', () => {
    assert.equal(isLandingMerge(c('m', ['a', 'b'], 'Merge "Fix it"', 'Someone'), rules), true);
    assert.equal(isLandingMerge(c('m', ['a', 'b'], 'Merge changes I87ce041c,Iaca00958', 'Someone'), rules), true);
    assert.equal(isLandingMerge(c('m', ['a', 'b'], 'Merge pull request #12 from x/y', 'Someone'), rules), true);
    assert.equal(isLandingMerge(c('m', ['a', 'b'], 'Long proposal text', 'tarmac'), rules), true);
    assert.equal(isLandingMerge(c('m', ['a', 'b'], "Merge tag '2015.1.0'", 'OpenStack Proposal Bot'), rules), false);
    assert.equal(isLandingMerge(c('m', ['a'], 'Merge "Fix it"', 'Gerrit Code Review'), rules), false);
    assert.equal(isLandingMerge(c('m', ['a', 'b'], 'x', 'Bors'), { landingCommitters: ['bors'] }), true);
  });
});

describe('computeLandings', () => {
  it('a hand merge on the main line: the parent nearer a landing merge wins, the first on a tie', () => {
    // Both parents lead straight to a landing merge: the first parent wins.
    const g = [
      c('r', []),
      c('m1', ['r', 'x'], 'Merge "x"'),
      c('x', ['r']),
      c('m2', ['r', 'y'], 'Merge "y"'),
      c('y', ['r']),
      c('h', ['m1', 'm2'], 'Merge branch'),
    ];
    const l = computeLandings(g, 'h', rules);
    assert.deepEqual([l.get('m1')!.mainline, l.get('m2')!.mainline, l.get('m2')!.landedBy, l.get('h')!.kind], [true, false, 'h', 'direct']);
  });

  it('ends the walk at parents it was not given (a shallow clone) and lands everything it was', () => {
    const g = [c('a', ['gone']), c('b', ['a', 'missing']), c('m', ['b', 'x'], 'Merge "x"'), c('x', ['a'])];
    const l = computeLandings(g, 'm', rules);
    assert.equal(l.size, 4);
    assert.deepEqual([...l].map(([sha, v]) => [sha, v.landedBy, v.kind]).sort(), [
      ['a', 'a', 'direct'],
      ['b', 'b', 'direct'],
      ['m', 'm', 'merge'],
      ['x', 'm', 'merge'],
    ]);
  });

  it('walks long histories without recursion', () => {
    // A history four times as deep as the deepest recursion this thread's stack holds, even of a
    // function with nothing in its frame: a walk that recursed once per commit would overflow. The
    // depth is measured here rather than assumed (node's default stack: ~12,500 such calls), so
    // the history needs no more commits than that takes (it had 200,000: ~1 s of CPU).
    let depth = 0;
    const down = (): void => {
      depth++;
      down();
    };
    assert.throws(down, RangeError);
    const n = 4 * depth;
    const g: GraphCommit[] = [c('0', [])];
    for (let i = 1; i < n; i++) g.push(c(String(i), [String(i - 1)]));
    const l = computeLandings(g, String(n - 1), rules);
    assert.equal(l.size, n);
    assert.equal(l.get('0')!.landedBy, '0');
  });
});
