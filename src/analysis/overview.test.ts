import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeTimeline, CiBuildRecord, ReviewActRecord } from '../model/activity.js';
import { computeOverview, countCiResults, isOpenAt } from './overview.js';
import { extractReviews } from './reviews.js';
import { distribution, quantileSorted } from './stats.js';

const DAY = 86_400_000;
const T = Date.UTC(2015, 3, 10);

function change(id: number, over: Partial<ChangeTimeline> = {}): ChangeTimeline {
  return {
    id,
    host: 'h',
    project: 'p',
    branch: 'master',
    number: id,
    subject: `c${id}`,
    ownerId: 100,
    status: 'NEW',
    workInProgress: false,
    created: T - 10 * DAY,
    mergedAt: null,
    abandonedAt: null,
    patchSetCreated: [T - 10 * DAY],
    insertions: 1,
    deletions: 0,
    ...over,
  };
}
function act(over: Partial<ReviewActRecord>): ReviewActRecord {
  return {
    changeId: 1,
    project: 'p',
    changeOwnerId: 100,
    patchSet: 1,
    actorId: 1,
    at: T - DAY,
    type: 'vote',
    label: 'Code-Review',
    value: 1,
    selfVote: false,
    ...over,
  };
}
function build(over: Partial<CiBuildRecord>): CiBuildRecord {
  return {
    changeId: 1,
    project: 'p',
    patchSet: 1,
    pipeline: 'check',
    job: 'j',
    result: 'SUCCESS',
    voting: true,
    durationSeconds: 60,
    reportedAt: T - DAY,
    reporterId: 9,
    ...over,
  };
}

describe('stats', () => {
  it('interpolates quantiles between closest ranks; an even median is the mean of the middle two', () => {
    assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantileSorted([10, 20, 30, 40, 50], 0.9), 46);
    assert.equal(quantileSorted([], 0.5), null);
    assert.deepEqual(distribution([3, 1, 2]).median, 2);
  });
});

describe('reviews', () => {
  it('one review per person per patch set: vote changes and comments merge, dated by the first act', () => {
    const { reviews, selfVotes } = extractReviews(
      [
        act({ at: T - 2 * DAY, type: 'comment', label: null, value: null }),
        act({ at: T - DAY, value: 1 }),
        act({ at: T - DAY + 5, value: -1 }),
        act({ actorId: 2, patchSet: 2, label: 'Workflow', value: 1 }),
        act({ actorId: 100, value: 1, selfVote: true }),
        act({ actorId: 9, label: 'Verified', value: 1 }),
      ],
      (id) => id === 9,
    );
    assert.equal(reviews.length, 2);
    const r1 = reviews.find((r) => r.reviewerId === 1)!;
    assert.equal(r1.at, T - 2 * DAY);
    assert.deepEqual(r1.votes, { 'Code-Review': -1 });
    assert.equal(r1.commentOnly, false);
    assert.equal(selfVotes, 1);
  });
});

describe('overview', () => {
  it('counts opened/merged/abandoned in the window and replays what was open at `now`', () => {
    const changes = [
      change(1, { created: T - 5 * DAY, patchSetCreated: [T - 5 * DAY, T - 2 * DAY] }),
      change(2, { created: T - 40 * DAY, status: 'MERGED', mergedAt: T - 3 * DAY, patchSetCreated: [T - 40 * DAY] }),
      change(3, { created: T - 20 * DAY, status: 'ABANDONED', abandonedAt: T - 1 * DAY }),
      change(4, { created: T - 100 * DAY, patchSetCreated: [T - 100 * DAY] }),
      change(5, { created: T - 3 * DAY, workInProgress: true }),
      change(6, { created: T + DAY }),
    ];
    const o = computeOverview({ changes, acts: [], ci: [], isBot: () => false, coreIds: null }, { since: T - 30 * DAY, until: T, now: T });
    assert.deepEqual(o.changes, { opened: 3, merged: 1, abandoned: 1 });
    // open at T: 1, 4 and the WIP 5 (2 merged, 3 abandoned, 6 not created yet)
    assert.equal(o.open.count, 3);
    assert.equal(o.open.workInProgress, 1);
    assert.equal(o.open.waitingDaysSinceCreated.median, 52.5);
    assert.equal(o.open.waitingDaysSinceLatestPatchSet.max, 100);
    assert.equal(o.open.waitingDaysSinceLatestPatchSet.min, 2);
    assert.deepEqual(o.open.waitingMoreThan, { days7: 1, days30: 1, days90: 1 });
    assert.equal(o.open.longestWaiting[0]!.number, 4);

    // The store's counts and its open changes alone (each with its latest patch set by now) give the same overview.
    const open = changes
      .filter((c) => isOpenAt(c, T))
      .map((c) => ({ ...c, patchSetCreated: c.patchSetCreated.filter((t) => t <= T).slice(-1) }));
    const counted = computeOverview(
      { changes: open, changeCounts: { opened: 3, merged: 1, abandoned: 1 }, acts: [], ci: [], isBot: () => false, coreIds: null },
      { since: T - 30 * DAY, until: T, now: T },
    );
    assert.deepEqual(counted, o);

    // Replaying an earlier date: change 2 was still open then, change 1 did not exist.
    assert.equal(isOpenAt(changes[1]!, T - 10 * DAY), true);
    assert.equal(isOpenAt(changes[0]!, T - 10 * DAY), false);
  });

  it('counts reviewers, core reviews and CI failure rates', () => {
    const acts = [act({ actorId: 1 }), act({ actorId: 2, changeId: 2 }), act({ actorId: 2, at: T - 60 * DAY }), act({ actorId: 9 })];
    const builds = [
      build({}),
      build({ result: 'FAILURE' }),
      build({ result: 'SKIPPED' }),
      build({ result: 'TIMED_OUT', voting: false, pipeline: 'gate' }),
      build({ reportedAt: T - 90 * DAY, result: 'FAILURE' }),
    ];
    const o = computeOverview(
      { changes: [], acts, ci: countCiResults(builds, T - 30 * DAY, T), isBot: (id) => id === 9, coreIds: new Set([2, 3]) },
      { since: T - 30 * DAY, until: T, now: T },
    );
    assert.equal(o.reviewers.active, 2);
    assert.equal(o.reviewers.reviews, 2);
    assert.deepEqual(o.reviewers.core, { configured: 2, active: 1, reviews: 1 });
    const ci = o.ci!;
    assert.deepEqual(
      { runs: ci.runs, failures: ci.failures, skipped: ci.skipped, rate: ci.failureRate },
      { runs: 4, failures: 2, skipped: 1, rate: 0.6667 },
    );
    assert.equal(ci.nonVoting.failureRate, 1);
    assert.deepEqual(
      ci.byPipeline.map((p) => p.pipeline),
      ['check', 'gate'],
    );
    // No counts (the short overview leaves the CI line out): no CI section, the rest the same.
    const short = computeOverview(
      { changes: [], acts, ci: null, isBot: (id) => id === 9, coreIds: new Set([2, 3]) },
      { since: T - 30 * DAY, until: T, now: T },
    );
    assert.equal(short.ci, null);
    assert.deepEqual({ ...short, ci: undefined }, { ...o, ci: undefined });
  });
});
