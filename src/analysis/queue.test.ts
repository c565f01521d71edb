/**
 * The queue on hand-built changes with known answers: states, the three ages, never reviewed,
 * one +2 short, and the trivial queue.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, CAROL, CTX, OWNER, ZUUL, at, flowChange, message, patchSets, vote } from '../../test/helpers/flow-builders.js';
import { computeQueue, needsComments, openChangeFlows, queueMessageNeeds, sinceLastWithoutNegative } from './queue.js';
import { clearedBy, computeTrivialQueue, trivialCandidates, weekStart } from './queue-trivial.js';

const NOW = at(30 * 24);
const hostUrls = new Map([['review.example.org', 'https://review.example.org']]);

// 1: waiting on reviewers since ps3 (day 10); ps2 had a -1, so "without negative" runs from ps3.
const c1 = flowChange(101, {
  patchSets: patchSets(0, 5 * 24, 10 * 24),
  votes: [
    vote(1, 'Verified', 1, ZUUL, 1),
    vote(2, 'Verified', 1, ZUUL, 5 * 24 + 1),
    vote(2, 'Code-Review', -1, ALICE, 6 * 24),
    vote(3, 'Verified', 1, ZUUL, 10 * 24 + 1),
  ],
});
// 2: waiting on reviewers; ps2 is a rebase nobody objected to: "without negative" runs from ps1.
const c2 = flowChange(102, {
  patchSets: patchSets(0, 20 * 24),
  votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(2, 'Verified', 1, ZUUL, 20 * 24 + 1), vote(2, 'Code-Review', 2, BOB, 21 * 24)],
});
// 3: blocked by a −2.
const c3 = flowChange(103, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', -2, CAROL, 2)] });
// 4: gating CI failed.
const c4 = flowChange(104, { votes: [vote(1, 'Verified', -1, ZUUL, 1)] });
// 5: approved.
const c5 = flowChange(105, {
  votes: [
    vote(1, 'Verified', 1, ZUUL, 1),
    vote(1, 'Code-Review', 2, BOB, 2),
    vote(1, 'Code-Review', 2, CAROL, 3),
    vote(1, 'Workflow', 1, CAROL, 3),
  ],
});
// 6: WIP by flag; 7: WIP by Workflow −1.
const c6 = flowChange(106, { workInProgress: true });
const c7 = flowChange(107, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Workflow', -1, OWNER, 2)] });
// 8: never reviewed (only the owner and CI); 9: only a comment-only review by Alice.
const c8 = flowChange(108, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', 1, OWNER, 2)] });
const c9 = flowChange(109, { votes: [vote(1, 'Verified', 1, ZUUL, 1)], messages: [message(3, { authorId: ALICE, kind: 'comment' })] });
// 10: merged before now: not in the queue.
const c10 = flowChange(110, { status: 'MERGED', mergedAt: at(24) });
const all = [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10];

describe('queue', () => {
  const flows = openChangeFlows(all, CTX, NOW);
  const q = computeQueue(flows, CTX, { now: NOW, hostUrls });

  it('classifies every open change', () => {
    assert.equal(q.open, 9);
    assert.deepEqual(q.states.reviewers.changes, [101, 102, 108, 109]);
    assert.deepEqual(q.states.author.changes, [103, 104]);
    assert.equal(q.states.author.blocked, 1);
    assert.equal(q.states.author.negativeReview, 1);
    assert.equal(q.states.author.ciFailedOnly, 1);
    assert.deepEqual(q.states.approved.changes, [105]);
    assert.deepEqual(q.states.wip.changes, [106, 107]);
    assert.equal(q.states.wip.flag, 1);
    assert.equal(q.states.wip.workflow, 1);
  });

  it('computes the three ages of changes waiting on reviewers', () => {
    assert.equal(sinceLastWithoutNegative(c1, CTX, NOW), NOW - at(10 * 24));
    assert.equal(sinceLastWithoutNegative(c2, CTX, NOW), NOW - at(0));
    assert.equal(sinceLastWithoutNegative(c3, CTX, NOW), 0);
    const w = q.waitingOnReviewers;
    // Latest patch set ages: 101 → 20 d, 102 → 10 d, 108 and 109 → 30 d.
    assert.equal(w.sinceLatestPatchSet.count, 4);
    assert.equal(w.sinceLatestPatchSet.median, 25);
    assert.equal(w.sinceLatestPatchSet.meanDays, 22.5);
    assert.equal(w.sinceLatestPatchSet.maxDays, 30);
    assert.deepEqual(w.sinceLatestPatchSet.moreThanWeek.changes, [101, 102, 108, 109]);
    assert.deepEqual(
      w.sinceLatestPatchSet.longest.map((e) => e.number),
      [108, 109, 101, 102],
    );
    assert.equal(w.sinceLatestPatchSet.longest[0]!.url, 'https://review.example.org/c/demo/compute/+/108');
    assert.equal(w.sinceFirstPatchSet.median, 30);
    // Without negative: 101 → 20 d (since ps3), 102 → 30 d (since ps1).
    assert.deepEqual(
      w.sinceLastWithoutNegative.longest.map((e) => [e.number, e.days]),
      [
        [102, 30],
        [108, 30],
        [109, 30],
        [101, 20],
      ],
    );
  });

  it('finds changes never reviewed by a human (a comment-only review counts) and one +2 short', () => {
    assert.deepEqual(q.neverReviewed.changes, [104, 108]);
    assert.deepEqual(q.onePlusTwoShort.changes, [102]);
    assert.equal(q.onePlusTwoShort.longest[0]!.days, 9);
  });

  it('asks for comments only where no human voted, and rechecks only where CI failed', () => {
    const needs = queueMessageNeeds(flows, CTX);
    assert.deepEqual(needs.comments.map((c) => c.number).sort(), [104, 106, 107, 108, 109]);
    assert.deepEqual(
      needs.rechecks.map((c) => c.number),
      [104],
    );
    // The comments need is read from the votes alone (the loader asks it before the situations).
    assert.deepEqual(
      all
        .filter((c) => needsComments(c, CTX))
        .map((c) => c.number)
        .sort(),
      [104, 106, 107, 108, 109, 110],
    );
  });
});

describe('trivial queue', () => {
  const small = (n: number, over: Parameters<typeof flowChange>[1]) =>
    flowChange(n, { insertions: 3, deletions: 1, votes: [vote(1, 'Verified', 1, ZUUL, 1)], ...over });
  const open = [
    small(201, {
      links: [{ kind: 'closes-bug', target: '7' }],
      created: at(2 * 24),
      patchSets: patchSets(2 * 24),
      votes: [vote(1, 'Verified', 1, ZUUL, 2 * 24 + 1)],
    }),
    small(202, { trivialFix: true }),
    small(203, { links: [{ kind: 'related-bug', target: '8' }] }), // related, not a fix
    small(204, { trivialFix: true, insertions: 300 }), // too big
    small(205, { trivialFix: true, votes: [vote(1, 'Verified', -1, ZUUL, 1)] }), // CI failed
    small(206, { trivialFix: true, votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', -1, ALICE, 2)] }), // negative
  ];
  const merged = [
    small(301, {
      trivialFix: true,
      status: 'MERGED',
      mergedAt: at(25 * 24),
      votes: [vote(1, 'Code-Review', 2, BOB, 2), vote(1, 'Code-Review', 2, CAROL, 3), vote(1, 'Workflow', 1, CAROL, 3)],
    }),
    small(302, {
      links: [{ kind: 'partial-bug', target: '9' }],
      status: 'MERGED',
      mergedAt: at(26 * 24),
      votes: [vote(1, 'Code-Review', 2, BOB, 5)],
    }),
    small(303, { status: 'MERGED', mergedAt: at(26 * 24) }), // not a fix
  ];
  const flows = openChangeFlows(open, CTX, NOW);
  const r = computeTrivialQueue(trivialCandidates(flows, 30), merged, CTX, {
    now: NOW,
    since: at(20 * 24),
    until: NOW,
    maxDelta: 30,
    hostUrls,
    nameOf: (id) => ({ [BOB]: 'bob', [CAROL]: 'carol' })[id] ?? `#${id}`,
  });

  it('ranks small, CI-passing, unopposed bug fixes and TrivialFix changes by waiting time', () => {
    assert.deepEqual(
      r.queue.map((e) => e.number),
      [202, 201],
    );
    assert.deepEqual(r.queue[0]!.why, ['TrivialFix']);
    assert.equal(r.queue[0]!.waitingDays, 30);
    assert.deepEqual(r.queue[1]!.bugs, ['7']);
    assert.equal(r.importanceKnown, false);
  });

  it('counts cleared changes per week and by the approver (else the last +2)', () => {
    assert.equal(r.cleared.total, 2);
    assert.equal(clearedBy(merged[0]!, CTX), CAROL);
    assert.equal(clearedBy(merged[1]!, CTX), BOB);
    assert.deepEqual(
      r.cleared.byReviewer.map((p) => [p.reviewer, p.count]),
      [
        ['bob', 1],
        ['carol', 1],
      ],
    );
    assert.equal(
      r.cleared.byWeek.reduce((s, w) => s + w.count, 0),
      2,
    );
    assert.ok(
      r.cleared.byWeek.every((w) => new Date(`${w.week}T00:00:00Z`).getUTCDay() === 1),
      'weeks start on Monday',
    );
  });

  it('weekStart is Monday 00:00 UTC', () => {
    assert.equal(new Date(weekStart(Date.UTC(2015, 3, 1, 12))).toISOString(), '2015-03-30T00:00:00.000Z');
    assert.equal(weekStart(Date.UTC(2015, 2, 30)), Date.UTC(2015, 2, 30));
  });
});
