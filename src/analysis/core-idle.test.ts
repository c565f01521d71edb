import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TeamActRecord } from '../model/team.js';
import { computeIdleCores, lastAtOrAbove } from './core-idle.js';
import { buildCoreRoster } from './reviewers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2015, 3, 10);
const BUSY = 1;
const IDLE = 2;
const NEW = 3;
const rule = { threshold: 3, days: 90, counts: 'reviews' as const };

let change = 0;
/** One review by `actor` at `at`, on a fresh change. */
function review(actor: number, at: number, over: Partial<TeamActRecord> = {}): TeamActRecord {
  change += 1;
  return {
    changeId: change,
    changeNumber: 9000 + change,
    project: 'p',
    changeOwnerId: 100,
    patchSet: 1,
    actorId: actor,
    at,
    type: 'vote',
    label: 'Code-Review',
    value: 1,
    selfVote: false,
    ...over,
  };
}

describe('steward core idle', () => {
  it('finds the last moment a rolling count was at or above the threshold', () => {
    const t = [0, 10, 20, 200, 205];
    assert.equal(lastAtOrAbove(t, 3, 50), 50, 'the run 0,10,20 holds until 0 + 50');
    assert.equal(lastAtOrAbove(t, 2, 50), 250, 'the run 200,205 holds until 250');
    assert.equal(lastAtOrAbove(t, 4, 50), null);
  });

  it('reports idle cores with their count, last review, since when below, quarters and trend', () => {
    const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([BUSY, IDLE]) }]);
    const acts = [
      // IDLE: busy a year ago, three reviews 200–190 days ago, then one 10 days ago.
      ...[300, 250, 200, 195, 190].map((d) => review(IDLE, NOW - d * DAY)),
      review(IDLE, NOW - 10 * DAY),
      // BUSY: steady.
      ...[80, 60, 40, 20, 5].map((d) => review(BUSY, NOW - d * DAY)),
      // Acts that are no reviews: a self-vote, a bot is not a core anyway.
      review(IDLE, NOW - 9 * DAY, { changeOwnerId: IDLE, selfVote: true }),
    ];
    const r = computeIdleCores({ acts, isBot: () => false, roster, historyFrom: NOW - 400 * DAY }, { now: NOW, rule });
    assert.deepEqual(
      r.idle.map((c) => c.accountId),
      [IDLE],
    );
    const idle = r.idle[0]!;
    assert.equal(idle.count, 1);
    assert.equal(idle.lastReviewAt, new Date(NOW - 10 * DAY).toISOString());
    assert.equal(idle.lastReviewChange, 9006);
    // The run 200, 195, 190 days ago kept the count at 3 until 200 − 90 = 110 days ago.
    assert.equal(idle.belowSince, new Date(NOW - 110 * DAY).toISOString());
    assert.equal(idle.neverReached, false);
    assert.deepEqual(
      idle.quarters.map((q) => q.reviews),
      [1, 4, 0, 1],
    );
    assert.equal(idle.trend, 'falling', '1 is under two thirds of the mean 5/3 of the three quarters before');
    assert.equal(r.cores.length, 2);
    assert.equal(r.cores.find((c) => c.accountId === BUSY)!.idle, false);
  });

  it('a core who joined within the window is too new to judge, not idle', () => {
    const roster = buildCoreRoster([
      {
        project: 'p',
        snapshots: [
          { takenAt: NOW - 400 * DAY, checkedAt: NOW, groupUuid: null, memberIds: [BUSY] },
          { takenAt: NOW - 20 * DAY, checkedAt: NOW, groupUuid: null, memberIds: [BUSY, NEW] },
        ],
        configured: null,
      },
    ]);
    const acts = [review(NEW, NOW - 5 * DAY), ...[50, 40, 30].map((d) => review(BUSY, NOW - d * DAY))];
    const r = computeIdleCores({ acts, isBot: () => false, roster, historyFrom: NOW - 400 * DAY }, { now: NOW, rule });
    assert.deepEqual(r.idle, []);
    assert.deepEqual(
      r.tooNewToJudge.map((c) => [c.accountId, c.coreSince, c.neverReached]),
      [[NEW, new Date(NOW - 20 * DAY).toISOString(), true]],
    );
  });

  it('counts only reviews with a Code-Review vote when the rule says so', () => {
    const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([BUSY]) }]);
    const acts = [
      ...[30, 20, 10].map((d) => review(BUSY, NOW - d * DAY, { type: 'comment', label: null, value: null })),
      review(BUSY, NOW - 5 * DAY, { label: 'Workflow', value: 1 }),
    ];
    const all = computeIdleCores({ acts, isBot: () => false, roster, historyFrom: NOW - DAY }, { now: NOW, rule });
    const cr = computeIdleCores(
      { acts, isBot: () => false, roster, historyFrom: NOW - DAY },
      { now: NOW, rule: { ...rule, counts: 'code-review' } },
    );
    assert.equal(all.cores[0]!.count, 4);
    assert.equal(all.idle.length, 0);
    assert.equal(cr.cores[0]!.count, 0);
    assert.equal(cr.idle.length, 1);
  });
});
