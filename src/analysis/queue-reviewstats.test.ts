/**
 * reviewstats' openreviews rules, one by one, on hand-built changes with known answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, OWNER, THIRD_PARTY, ZUUL, at, flowChange, patchSets, vote } from '../../test/helpers/flow-builders.js';
import { computeReviewstatsQueue, periodString } from './queue-reviewstats.js';

const NOW = at(10 * 24);
const S = (hours: number) => hours * 3600;

describe('reviewstats openreviews compatibility', () => {
  const changes = [
    // Waiting on reviewer; ps1 start = earliest grantedOn (Zuul at 2h), not createdOn.
    flowChange(1, { votes: [vote(1, 'Verified', 1, ZUUL, 2), vote(1, 'Code-Review', 1, ALICE, 5)] }),
    // Waiting on submitter: a third-party CI −1 counts (reviewstats counts any Verified −1).
    flowChange(2, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Verified', -1, THIRD_PARTY, 3)] }),
    // Skipped: Workflow −1 (WIP). Gerrit's WIP flag alone is not looked at (change 4 counts).
    flowChange(3, { votes: [vote(1, 'Workflow', -1, OWNER, 1)] }),
    flowChange(4, { workInProgress: true }),
    // Skipped: approved.
    flowChange(5, { votes: [vote(1, 'Workflow', 1, BOB, 1)] }),
    // Skipped: stable branch.
    flowChange(6, { branch: 'stable/kilo' }),
    // Three patch sets: ps1 nacked (−1 on any label), ps2 and ps3 clean; ps3 has a copied +2 granted at 30h.
    flowChange(7, {
      patchSets: patchSets(0, 24, 48),
      votes: [
        vote(1, 'Code-Review', -1, ALICE, 10),
        vote(2, 'Verified', 1, ZUUL, 25),
        vote(2, 'Code-Review', 2, BOB, 30),
        vote(3, 'Code-Review', 2, BOB, 30, true),
      ],
    }),
    // A removed −1 is no approval: waiting on reviewer.
    flowChange(8, { votes: [vote(1, 'Code-Review', -1, ALICE, 4), vote(1, 'Code-Review', 0, ALICE, 6)] }),
    // Merged: not a candidate.
    flowChange(9, { status: 'MERGED', mergedAt: at(24) }),
  ];
  const r = computeReviewstatsQueue(changes, { now: NOW, hostUrls: new Map(), waitingMoreDays: 9 });

  it('sorts candidates into waiting on reviewer and on submitter, skipping stable, WIP and approved', () => {
    assert.deepEqual(r.changes.waitingOnReviewer, [1, 4, 7, 8]);
    assert.deepEqual(r.changes.waitingOnSubmitter, [2]);
    assert.equal(r.totalOpenReviews, 5);
    assert.deepEqual(r.skipped, { stable: 1, workInProgress: 1, approved: 1 });
  });

  it('ages: latest patch set start from its earliest approval (copied ones included), first patch set, oldest without −1/−2', () => {
    const row = (n: number) => r.longestWaitingLatest.concat(r.longestWaitingWithoutNack, r.oldest).filter((e) => e.number === n);
    // Change 7: latest = ps3, its copied +2 was granted at 30h → age = 240h − 30h.
    assert.ok(row(7).some((e) => e.seconds === S(240 - 30)));
    // Change 1: ps1 starts at Zuul's vote (2h).
    assert.ok(row(1).some((e) => e.seconds === S(238)));
    const oldest = Object.fromEntries(r.oldest.map((e) => [e.number, e.seconds]));
    assert.equal(oldest[7], S(240 - 10)); // ps1's earliest approval is Alice's −1 at 10h
    const noNack = Object.fromEntries(r.longestWaitingWithoutNack.map((e) => [e.number, e.seconds]));
    assert.equal(noNack[7], S(240 - 25)); // ps2 starts at Zuul's +1 (25h)
    assert.equal(noNack[4], S(240)); // no approvals: createdOn
  });

  it('statistics: integer average, quartile = sorted[len × q div 4], waiting more than M days counts age ≥ M days', () => {
    // Latest ages: 1 → 238h, 4 → 240h, 7 → 210h, 8 → 240h (Alice's final vote is 0: no approval, so createdOn).
    const ages = [S(238), S(240), S(210), S(240)].sort((a, b) => a - b);
    assert.equal(r.latestRevision.averageSeconds, Math.floor(ages.reduce((a, b) => a + b, 0) / 4));
    assert.equal(r.latestRevision.q1Seconds, ages[1]);
    assert.equal(r.latestRevision.medianSeconds, ages[2]);
    assert.equal(r.latestRevision.q3Seconds, ages[3]);
    assert.equal(r.latestRevision.waitingMoreThan.count, 3); // 238h, 240h, 240h ≥ 9 days (216h); 210h is not
    assert.equal(r.latestRevision.median, periodString(ages[2]!));
  });

  it('prints periods as reviewstats does', () => {
    assert.equal(periodString(S(50) + 61), '2 days, 2 hours, 1 minutes');
    assert.equal(periodString(0), '0 days, 0 hours, 0 minutes');
  });

  it('an empty queue prints 0 like reviewstats', () => {
    const e = computeReviewstatsQueue([], { now: NOW, hostUrls: new Map() });
    assert.equal(e.latestRevision.average, '0');
    assert.equal(e.latestRevision.averageSeconds, null);
  });
});
