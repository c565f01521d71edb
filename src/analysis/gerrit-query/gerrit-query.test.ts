/**
 * The query language operator by operator on hand-built changes, the grammar (precedence,
 * negation, parentheses, quoting), and malformed or unanswerable queries: each an error that
 * points at the offending text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALICE,
  BOB,
  CAROL,
  CTX,
  OWNER,
  THIRD_PARTY,
  ZUUL,
  at,
  flowChange,
  message,
  patchSets,
  vote,
} from '../../../test/helpers/flow-builders.js';
import type { FlowChange } from '../../model/flow.js';
import { compileQuery, QueryView, runQuery, type QueryEnv } from './evaluate.js';
import { parseQuery } from './parser.js';
import { QueryError } from './query-error.js';
import { tokenize } from './tokenizer.js';

const NOW = at(20 * 24);
const NAMES: Record<string, number> = { owner: OWNER, alice: ALICE, bob: BOB, carol: CAROL, zuul: ZUUL };
const env = (self: number | null = null): QueryEnv => ({
  now: NOW,
  flow: CTX,
  accounts: {
    resolveUser: (s) => (NAMES[s.toLowerCase()] !== undefined ? [NAMES[s.toLowerCase()]!] : s === '1002' ? [BOB] : []),
    resolveGroup: (g) => (g === 'core' || g === 'nova-core' ? new Set([BOB, CAROL]) : null),
    self,
  },
});

// A small world with known answers.
const C: FlowChange[] = [
  // 1: open, CI passed, Bob +2, owner's change on master, bug fix, small, touches nova/compute/manager.py
  flowChange(1, {
    updated: at(10 * 24),
    topic: 'bug/123',
    hashtags: ['review-priority'],
    commitMessage: 'Fix a race\n\nCloses-Bug: #123\nChange-Id: I1\n',
    links: [
      { kind: 'closes-bug', target: '123' },
      { kind: 'topic-bug', target: '123' },
    ],
    votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', 2, BOB, 5)],
    messages: [message(0.5, { kind: 'upload', authorId: OWNER }), message(5, { kind: 'review', authorId: BOB })],
  }),
  // 2: open, -1 from Alice (not core), third-party -1, big feature on stable, WIP flag
  flowChange(2, {
    branch: 'stable/kilo',
    workInProgress: true,
    updated: at(19 * 24),
    insertions: 400,
    deletions: 50,
    topic: 'bp/shiny',
    commitMessage: 'Add shiny\n\nImplements: blueprint shiny\n',
    links: [{ kind: 'implements', target: 'shiny' }],
    files: [{ path: 'nova/virt/hyperv/driver.py', insertions: 400, deletions: 50 }],
    votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', -1, ALICE, 3), vote(1, 'Verified', -1, THIRD_PARTY, 2)],
    messages: [
      message(0.5, { kind: 'upload', authorId: OWNER }),
      message(3, { kind: 'review', authorId: ALICE }),
      message(6, { kind: 'comment', authorId: OWNER }),
    ],
  }),
  // 3: merged, Carol (core) +2 and Bob +2 +A, TrivialFix, owned by Alice
  flowChange(3, {
    ownerId: ALICE,
    status: 'MERGED',
    mergedAt: at(48),
    updated: at(48),
    insertions: 2,
    deletions: 1,
    commitMessage: 'Fix typo\n\nTrivialFix\n',
    patchSets: patchSets(0, 10),
    files: [{ path: 'doc/source/index.rst', insertions: 2, deletions: 1 }],
    votes: [
      vote(1, 'Code-Review', -1, CAROL, 2),
      vote(2, 'Verified', 1, ZUUL, 11),
      vote(2, 'Code-Review', 2, CAROL, 20),
      vote(2, 'Code-Review', 2, BOB, 30),
      vote(2, 'Workflow', 1, BOB, 30),
    ],
    messages: [message(20, { kind: 'review', authorId: CAROL, patchSet: 2 }), message(30, { kind: 'review', authorId: BOB, patchSet: 2 })],
  }),
  // 4: abandoned, no votes, project demo/other
  flowChange(4, {
    project: 'demo/other',
    status: 'ABANDONED',
    abandonedAt: at(30),
    updated: at(30),
    commitMessage: 'Something\n',
    votes: [],
  }),
];

function q(query: string, self: number | null = null): number[] {
  const e = env(self);
  const compiled = compileQuery(query, e);
  return runQuery(
    compiled,
    C.map((c) => new QueryView(c, e)),
  )
    .map((v) => v.change.number)
    .sort((a, b) => a - b);
}

function fails(query: string, pattern: RegExp, column?: number): QueryError {
  try {
    compileQuery(query, env());
  } catch (e) {
    assert.ok(e instanceof QueryError, `expected a QueryError, got ${String(e)}`);
    assert.match(e.message, pattern);
    if (column !== undefined) assert.equal(e.position + 1, column, `column of ${query}`);
    return e;
  }
  assert.fail(`expected ${query} to fail`);
}

describe('tokenizer and parser', () => {
  it('reads operators, quoted and braced values, keywords, negation and parentheses', () => {
    const t = tokenize('status:open -label:Code-Review<=-1 message:"two words" topic:{a b} NOT (x:y OR z:w)');
    assert.deepEqual(
      t.map((x) => x.type),
      ['term', 'neg', 'term', 'term', 'term', 'not', 'lparen', 'term', 'or', 'term', 'rparen'],
    );
    const msg = t[3]!;
    assert.ok(msg.type === 'term' && msg.value === 'two words' && msg.quoted);
    const topic = t[4]!;
    assert.ok(topic.type === 'term' && topic.value === 'a b');
  });

  it('NOT binds tighter than AND, AND tighter than OR', () => {
    const ast = parseQuery('a:1 b:2 OR -c:3 d:4');
    assert.equal(ast.kind, 'or');
    const [left, right] = ast.kind === 'or' ? ast.children : [];
    assert.equal(left?.kind, 'and');
    assert.equal(right?.kind, 'and');
    assert.equal(right?.kind === 'and' ? right.children[0]?.kind : null, 'not');
  });

  it('malformed queries: each error points at the offending text', () => {
    fails('', /empty/);
    fails('status:open (owner:alice', /missing \)/, 25);
    fails('status:open)', /unexpected \)/, 12);
    fails('()', /empty parentheses/, 2);
    fails('status:open OR', /OR must be followed/, 13);
    fails('AND status:open', /AND needs a term before it/, 1);
    fails('status:open -', /must be followed|has no operator/);
    fails('message:"unterminated', /unterminated quote/, 9);
    fails('owner:al"ice', /a quote inside a value/, 9);
  });

  it('a query nested thousands deep is a query error at the level past the limit, not a stack overflow', () => {
    const parens = fails(`${'('.repeat(3000)}status:open${')'.repeat(3000)}`, /nests parentheses or NOT more than 100 levels deep/, 101);
    assert.match(parens.hint ?? '', /fewer nested groups/);
    fails(`${'NOT '.repeat(3000)}status:open`, /more than 100 levels deep/, 401);
    fails(`${'-('.repeat(2000)}status:open${')'.repeat(2000)}`, /more than 100 levels deep/);
    assert.deepEqual(q(`${'('.repeat(50)}status:open${')'.repeat(50)}`), q('status:open'));
    assert.deepEqual(q(`${'NOT '.repeat(100)}status:open`), q('status:open'));
  });
});

describe('operators', () => {
  it('status: and is:', () => {
    assert.deepEqual(q('status:open'), [1, 2]);
    assert.deepEqual(q('is:open'), [1, 2]);
    assert.deepEqual(q('status:merged'), [3]);
    assert.deepEqual(q('status:abandoned'), [4]);
    assert.deepEqual(q('status:closed'), [3, 4]);
    assert.deepEqual(q('is:wip'), [2]);
    assert.deepEqual(q('status:open -is:wip'), [1]);
    fails('status:reviewed', /status: expected open/);
  });

  it('project:, projects:, branch:, topic:, intopic:, hashtag:, change: and bare numbers', () => {
    assert.deepEqual(q('project:demo/other'), [4]);
    assert.deepEqual(q('project:^demo/c.*'), [1, 2, 3]);
    assert.deepEqual(q('projects:demo/'), [1, 2, 3, 4]);
    assert.deepEqual(q('branch:stable/kilo'), [2]);
    assert.deepEqual(q('branch:refs/heads/master'), [1, 3, 4]);
    assert.deepEqual(q('branch:^stable/.*'), [2]);
    assert.deepEqual(q('topic:bug/123'), [1]);
    assert.deepEqual(q('intopic:SHINY'), [2]);
    assert.deepEqual(q('hashtag:Review-Priority'), [1]);
    assert.deepEqual(q('change:3'), [3]);
    assert.deepEqual(q('3 OR 4'), [3, 4]);
    fails('project:^[', /not a valid regular expression/, 1);
  });

  it('owner:, reviewer:, reviewedby:, commentby:, with self, ids and unknown users', () => {
    assert.deepEqual(q('owner:alice'), [3]);
    assert.deepEqual(q('owner:1002'), []);
    assert.deepEqual(q('reviewer:bob'), [1, 3]);
    assert.deepEqual(q('reviewer:zuul'), [1, 2, 3]);
    // Change 2: Alice reviewed, then the owner replied, so Alice's review is no longer "since the owner's update".
    assert.deepEqual(q('reviewedby:alice'), []);
    assert.deepEqual(q('reviewedby:bob'), [1, 3]);
    assert.deepEqual(q('commentby:carol'), [3]);
    assert.deepEqual(q('owner:self', ALICE), [3]);
    assert.deepEqual(q('is:owner', OWNER), [1, 2, 4]);
    fails('owner:self', /needs to know who "self" is/, 1);
    fails('owner:nobody', /no account "nobody"/, 1);
  });

  it('label: comparisons, shorthand, ANY, ,user / ,group / ,NAME, bots and copied votes included', () => {
    assert.deepEqual(q('label:Code-Review>=2'), [1, 3]);
    assert.deepEqual(q('label:Code-Review+2'), [1, 3]);
    assert.deepEqual(q('label:Code-Review=+2'), [1, 3]);
    assert.deepEqual(q('label:code-review<=-1'), [2]);
    assert.deepEqual(q('label:Code-Review-1'), [2]);
    assert.deepEqual(q('label:Verified-1'), [2]);
    assert.deepEqual(q('label:Verified<=-1,zuul'), []);
    assert.deepEqual(q('label:Verified>=1,user=zuul'), [1, 2, 3]);
    assert.deepEqual(q('label:Code-Review>=2,carol'), [3]);
    assert.deepEqual(q('label:Code-Review>=2,group=core'), [1, 3]);
    assert.deepEqual(q('label:Code-Review<=-1,nova-core'), []);
    assert.deepEqual(q('label:Workflow=ANY'), [3]);
    assert.deepEqual(q('label:Code-Review>=1,self', BOB), [1, 3]);
    // Carol's −1 was on patch set 1 of change 3: only the current patch set counts.
    assert.deepEqual(q('label:Code-Review<=-1 status:merged'), []);
    assert.deepEqual(q('-label:Code-Review<=-1 -label:Code-Review>=1'), [4]);
  });

  it('label: errors', () => {
    fails('label:Code-Review<=2', /range includes 0/, 1);
    fails('label:Code-Review>=0,self', /range includes 0/);
    fails('label:Code-Review=0', /range includes 0/);
    fails('label:Code-Review=MAX', /label ranges are not in the exports/);
    fails('label:Code-Review', /expected NAME, a comparison and a value/);
    fails('label:Code-Review>=2,group=nobody', /group "nobody" is unknown/);
    fails('label:Code-Review>=2,count=2', /,user= and ,group=, not ,count=/);
    fails('label:Code-Review>=2,nobody', /neither an account/);
  });

  it('age:, before:, after:', () => {
    // Updated: 1 on day 10, 2 on day 19, 3 on day 2, 4 at hour 30; now is day 20.
    assert.deepEqual(q('age:5d'), [1, 3, 4]);
    assert.deepEqual(q('-age:1w'), [2]);
    assert.deepEqual(q('age:2weeks'), [3, 4]);
    assert.deepEqual(q('age:24h'), [1, 2, 3, 4]);
    assert.deepEqual(q('age:25h'), [1, 3, 4]);
    assert.deepEqual(q('before:2015-04-05'), [3, 4]);
    assert.deepEqual(q('after:"2015-04-11 00:00:00"'), [1, 2]);
    fails('age:5', /expected an amount with a unit/);
    fails('age:5 fortnights', /has no operator|expected an amount/);
    fails('before:yesterday', /expected a time like/);
  });

  it('delta:/size:, added:, deleted:', () => {
    assert.deepEqual(q('delta:<=10'), [3]);
    assert.deepEqual(q('delta:<=12'), [1, 3, 4]);
    assert.deepEqual(q('size:3'), [3]);
    assert.deepEqual(q('delta:>100'), [2]);
    assert.deepEqual(q('added:>=400'), [2]);
    assert.deepEqual(q('deleted:<2'), [3]);
    fails('delta:small', /expected a number/);
  });

  it('message:, file:, path:', () => {
    assert.deepEqual(q('message:"closes-bug: #123"'), [1]);
    assert.deepEqual(q('message:TrivialFix'), [3]);
    assert.deepEqual(q('file:manager.py'), [1, 4]);
    assert.deepEqual(q('file:virt/hyperv'), [2]);
    assert.deepEqual(q('file:^nova/virt/.*'), [2]);
    assert.deepEqual(q('path:doc/source/index.rst'), [3]);
    assert.deepEqual(q('path:index.rst'), []);
  });

  it('bug: / tr:, blueprint:', () => {
    assert.deepEqual(q('bug:123'), [1]);
    assert.deepEqual(q('tr:#123'), [1]);
    assert.deepEqual(q('blueprint:Shiny'), [2]);
    fails('bug:abc', /expected a bug number/);
  });

  it('AND, OR, NOT, -, parentheses and limit:', () => {
    assert.deepEqual(q('status:open AND branch:master'), [1]);
    assert.deepEqual(q('owner:alice OR project:demo/other'), [3, 4]);
    assert.deepEqual(q('NOT status:open'), [3, 4]);
    assert.deepEqual(q('status:closed -(owner:alice)'), [4]);
    assert.deepEqual(q('(status:merged OR status:abandoned) (project:demo/other OR label:Workflow=ANY)'), [3, 4]);
    const e = env();
    const lim = compileQuery('projects:demo limit:2', e);
    assert.equal(lim.limit, 2);
    // Most recently updated first: 2 (day 19), 1 (day 10).
    assert.deepEqual(
      runQuery(
        lim,
        C.map((c) => new QueryView(c, e)),
      ).map((v) => v.change.number),
      [2, 1],
    );
    fails('status:open OR limit:2', /applies to the whole query/);
    fails('limit:0', /whole number ≥ 1/);
  });

  it('unknown, unanswerable and bare terms are errors naming the operator', () => {
    fails('status:open is:mergeable', /cannot evaluate `is:mergeable`/, 13);
    fails('has:draft', /cannot evaluate `has:draft`/);
    fails('is:starred', /cannot evaluate `is:starred`/);
    fails('cc:alice', /cannot evaluate `cc:`/);
    fails('frobnicate:1', /unknown operator `frobnicate:`/);
    fails('status:open nova', /"nova" has no operator/, 13);
    fails('is:shiny', /unknown is:shiny/);
  });

  it('onlyOpen tells a query limited to open changes', () => {
    assert.equal(compileQuery('status:open label:Code-Review>=2', env()).onlyOpen, true);
    assert.equal(compileQuery('status:open OR status:merged', env()).onlyOpen, false);
    assert.equal(compileQuery('-status:open', env()).onlyOpen, false);
  });

  it('is evaluated as of now: a vote after now does not count', () => {
    const late = flowChange(9, { votes: [vote(1, 'Code-Review', 2, BOB, 25 * 24)] });
    const e = env();
    const compiled = compileQuery('label:Code-Review>=2', e);
    assert.equal(compiled.matches(new QueryView(late, e)), false);
  });
});
