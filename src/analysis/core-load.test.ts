import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PatchSetUpload, TeamActRecord } from '../model/team.js';
import { computeCoreLoad } from './core-load.js';
import { buildCoreRoster } from './reviewers.js';

const DAY = 86_400_000;
const SINCE = Date.UTC(2015, 2, 2);
const UNTIL = SINCE + 10 * DAY;
const BOT = 9;
const CORES = [1, 2, 3, 4, 5, 6];
const CAROL = 7;

let n = 0;
function upload(at: number, over: Partial<PatchSetUpload> = {}): PatchSetUpload {
  n += 1;
  return { changeId: n, changeNumber: 8000 + n, project: 'p', ownerId: 100, number: 1, created: at, kind: 'REWORK', ...over };
}
function review(actor: number, at: number): TeamActRecord {
  n += 1;
  return {
    changeId: n,
    changeNumber: 8000 + n,
    project: 'p',
    changeOwnerId: 100,
    patchSet: 1,
    actorId: actor,
    at,
    type: 'vote',
    label: 'Code-Review',
    value: 1,
    selfVote: false,
  };
}

describe('steward core load', () => {
  const uploads = [
    upload(SINCE + DAY),
    upload(SINCE + DAY, { kind: 'TRIVIAL_REBASE' }), // keeps its votes: no new review needed
    upload(SINCE + 2 * DAY, { kind: 'NO_CODE_CHANGE' }),
    upload(SINCE + 2 * DAY, { ownerId: BOT }), // a bot's change
    upload(SINCE + 8 * DAY, { kind: null }),
    upload(UNTIL + DAY),
  ];
  const acts = [
    ...[0, 1, 2, 3, 4, 5].map((k) => review(1, SINCE + k * DAY + 1)), // core 1: 6 reviews in week 1
    review(2, SINCE + DAY),
    review(3, SINCE + 9 * DAY),
    review(CAROL, SINCE + 3 * DAY),
    review(CAROL, SINCE + 8 * DAY),
  ];
  const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set(CORES) }]);
  const r = computeCoreLoad({ uploads, acts, isBot: (id) => id === BOT, roster }, { since: SINCE, until: UNTIL, now: UNTIL });

  it('splits the window in weeks from its start, the last one partial', () => {
    assert.deepEqual(
      r.weeks.map((w) => [w.from.slice(0, 10), w.days]),
      [
        ['2015-03-02', 7],
        ['2015-03-09', 3],
      ],
    );
  });

  it("counts patch sets needing review: not trivial rebases, not bots' changes", () => {
    assert.deepEqual(
      r.weeks.map((w) => w.patchSetsNeedingReview),
      [1, 1],
    );
    assert.equal(r.total.patchSetsNeedingReview, 2);
  });

  it('sets core reviews against them, and the busiest 20% of cores against all reviews', () => {
    assert.deepEqual(
      r.weeks.map((w) => [w.reviews, w.coreReviews]),
      [
        [8, 7],
        [2, 1],
      ],
    );
    assert.equal(r.total.coreReviews, 8);
    assert.equal(r.total.coreReviewsPerPatchSet, 4);
    assert.equal(r.total.cores, 6);
    assert.equal(r.total.busiestCores, 2, '⌈20% of 6⌉');
    assert.equal(r.total.busiestShare, 0.7, 'cores 1 and 2 (or 3): 7 of 10 reviews');
    assert.deepEqual(r.total.perCore.slice(0, 2), [
      { accountId: 1, coreReviews: 6 },
      { accountId: 2, coreReviews: 1 },
    ]);
  });

  it('gives patch sets per core per month over core-days', () => {
    assert.equal(r.total.coreDays, 60);
    assert.equal(r.total.patchSetsPerCorePerMonth, Number((2 / (60 / 30.4375)).toFixed(2)));
  });
});
