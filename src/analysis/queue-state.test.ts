/**
 * The waiting-state rules on small hand-built histories with known answers: one test per rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALICE,
  BOB,
  CTX,
  H,
  OWNER,
  THIRD_PARTY,
  ZUUL,
  at,
  flowChange,
  message,
  patchSets,
  vote,
} from '../../test/helpers/flow-builders.js';
import {
  CI_SILENCE_LIMIT_MS,
  finalVotes,
  gatingCiIds,
  hasNegativeFeedback,
  isNegativeFeedback,
  replayFlow,
  sortSmall,
  type Segment,
} from './queue-state.js';

/** Segments as [phase, fromHour, toHour]. */
const hours = (segs: Segment[]): Array<[string, number, number]> => segs.map((s) => [s.phase, (s.from - at(0)) / H, (s.to - at(0)) / H]);

describe('finalVotes', () => {
  it('keeps each voter’s latest vote per label, drops removed votes and other patch sets', () => {
    const votes = [
      vote(1, 'Code-Review', 1, ALICE, 1),
      vote(1, 'Code-Review', -1, ALICE, 2),
      vote(1, 'Code-Review', 2, BOB, 3),
      vote(1, 'Code-Review', 0, BOB, 4),
      vote(2, 'Code-Review', 1, BOB, 5),
    ];
    assert.deepEqual(
      finalVotes(votes, 1).map((v) => [v.voterId, v.value]),
      [[ALICE, -1]],
    );
    assert.deepEqual(
      finalVotes(votes, 1, at(3)).map((v) => [v.voterId, v.value]),
      [
        [ALICE, -1],
        [BOB, 2],
      ],
    );
  });
});

describe('gatingCiIds', () => {
  it('is the bots that voted Verified ±2, else every bot', () => {
    assert.deepEqual([...gatingCiIds([ZUUL, ALICE], [ZUUL, THIRD_PARTY])], [ZUUL]);
    assert.deepEqual(
      [...gatingCiIds([], [ZUUL, THIRD_PARTY])].sort((a, b) => a - b),
      [ZUUL, THIRD_PARTY],
    );
  });
});

describe('replayFlow: the waiting states', () => {
  it('upload → CI → reviewers → negative review → author → new patch set → CI → reviewers → approved → merged', () => {
    const c = flowChange(1, {
      status: 'MERGED',
      patchSets: patchSets(0, 30),
      mergedAt: at(60),
      votes: [
        vote(1, 'Verified', 1, ZUUL, 1),
        vote(1, 'Code-Review', -1, ALICE, 10),
        vote(2, 'Verified', 1, ZUUL, 31),
        vote(2, 'Code-Review', 2, ALICE, 40),
        vote(2, 'Code-Review', 2, BOB, 50),
        vote(2, 'Workflow', 1, BOB, 50),
      ],
    });
    const r = replayFlow(c, CTX, at(100));
    assert.deepEqual(hours(r.segments), [
      ['ci', 0, 1],
      ['reviewers', 1, 10],
      ['author', 10, 30],
      ['ci', 30, 31],
      ['reviewers', 31, 50],
      ['approved', 50, 60],
    ]);
    assert.equal(r.stop, at(60));
  });

  it('a failed gating CI run puts the change on its author; a recheck waits on CI again', () => {
    const c = flowChange(2, {
      votes: [vote(1, 'Verified', -1, ZUUL, 1), vote(1, 'Verified', 1, ZUUL, 6)],
      messages: [message(5, { authorId: OWNER, event: 'recheck' })],
    });
    assert.deepEqual(hours(replayFlow(c, CTX, at(10)).segments), [
      ['ci', 0, 1],
      ['author', 1, 5],
      ['ci', 5, 6],
      ['reviewers', 6, 10],
    ]);
  });

  it('a third-party CI’s −1 alone does not put the change on its author', () => {
    const c = flowChange(3, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Verified', -1, THIRD_PARTY, 2)] });
    const r = replayFlow(c, CTX, at(10));
    assert.deepEqual(hours(r.segments), [
      ['ci', 0, 1],
      ['reviewers', 1, 10],
    ]);
    assert.equal(r.final.ci, 'passed');
  });

  it('a patch set the gating CI never votes on waits on CI for 24 hours at most', () => {
    const r = replayFlow(flowChange(4), CTX, at(48));
    assert.deepEqual(hours(r.segments), [
      ['ci', 0, CI_SILENCE_LIMIT_MS / H],
      ['reviewers', 24, 48],
    ]);
  });

  it('WIP: the flag from messages, a first "ready" message meaning it was uploaded as WIP, and Workflow −1', () => {
    const flag = flowChange(5, {
      votes: [vote(1, 'Verified', 1, ZUUL, 1)],
      messages: [
        message(20, { kind: 'system', authorId: OWNER, event: 'wip-off' }),
        message(30, { kind: 'system', authorId: OWNER, event: 'wip-on' }),
      ],
    });
    assert.deepEqual(hours(replayFlow(flag, CTX, at(40)).segments), [
      ['wip', 0, 20],
      ['reviewers', 20, 30],
      ['wip', 30, 40],
    ]);

    const workflow = flowChange(6, {
      votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Workflow', -1, OWNER, 2), vote(1, 'Workflow', 0, OWNER, 8)],
    });
    const r = replayFlow(workflow, CTX, at(10));
    assert.deepEqual(hours(r.segments), [
      ['ci', 0, 1],
      ['reviewers', 1, 2],
      ['wip', 2, 8],
      ['reviewers', 8, 10],
    ]);

    // No WIP messages: the flag as it is now holds throughout (SSH exports lack the WIP upload tag).
    const now = flowChange(7, { workInProgress: true, votes: [vote(1, 'Verified', 1, ZUUL, 1)] });
    assert.deepEqual(hours(replayFlow(now, CTX, at(5)).segments), [['wip', 0, 5]]);
  });

  it('a −2 copied to a rebase keeps the change blocked (segments split per patch set)', () => {
    const c = flowChange(8, {
      patchSets: patchSets(0, 20),
      votes: [
        vote(1, 'Verified', 1, ZUUL, 1),
        vote(1, 'Code-Review', -2, BOB, 5),
        vote(2, 'Code-Review', -2, BOB, 5, true),
        vote(2, 'Verified', 1, ZUUL, 21),
      ],
    });
    const r = replayFlow(c, CTX, at(30));
    assert.deepEqual(hours(r.segments), [
      ['ci', 0, 1],
      ['reviewers', 1, 5],
      ['author', 5, 20],
      ['author', 20, 30],
    ]);
    assert.deepEqual(
      r.segments.map((s) => s.patchSet),
      [1, 1, 1, 2],
    );
    assert.equal(r.final.blocked, true);
    assert.deepEqual(r.final.negativeReviewers, [BOB]);
  });

  it('abandoned and restored: the abandoned stretch is closed; an abandoned change stops at its abandonment', () => {
    const restored = flowChange(9, {
      votes: [vote(1, 'Verified', 1, ZUUL, 1)],
      messages: [
        message(10, { kind: 'system', authorId: OWNER, event: 'abandoned' }),
        message(20, { kind: 'system', authorId: OWNER, event: 'restored' }),
      ],
    });
    assert.deepEqual(hours(replayFlow(restored, CTX, at(30)).segments), [
      ['ci', 0, 1],
      ['reviewers', 1, 10],
      ['closed', 10, 20],
      ['reviewers', 20, 30],
    ]);
    const abandoned = flowChange(10, { status: 'ABANDONED', abandonedAt: at(12), votes: [vote(1, 'Verified', 1, ZUUL, 1)] });
    assert.deepEqual(hours(replayFlow(abandoned, CTX, at(30)).segments), [
      ['ci', 0, 1],
      ['reviewers', 1, 12],
    ]);
  });

  it('the owner’s self −1 and a human Verified −1 both put the change on its author; bots’ Code-Review votes do not', () => {
    const self = flowChange(11, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', -1, OWNER, 2)] });
    assert.equal(replayFlow(self, CTX, at(5)).final.state, 'author');
    const human = flowChange(12, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Verified', -1, ALICE, 2)] });
    assert.equal(replayFlow(human, CTX, at(5)).final.state, 'author');
    const bot = flowChange(13, { votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', -1, ZUUL, 2)] });
    assert.equal(replayFlow(bot, CTX, at(5)).final.state, 'reviewers');
  });

  it('never looks past the horizon', () => {
    const c = flowChange(14, {
      status: 'MERGED',
      mergedAt: at(50),
      votes: [vote(1, 'Verified', 1, ZUUL, 1), vote(1, 'Code-Review', -1, ALICE, 20)],
    });
    const r = replayFlow(c, CTX, at(10));
    assert.equal(r.final.state, 'reviewers');
    assert.equal(r.stop, at(10));
  });
});

describe('hasNegativeFeedback and sortSmall: the allocation-free forms agree with the plain ones', () => {
  // A small deterministic generator: many random vote lists over few voters, labels, patch sets and
  // times, so that ties (same voter, label and time) and removed votes occur often.
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const labels = ['Code-Review', 'Verified', 'Workflow'];
  const voters = [OWNER, ALICE, BOB, ZUUL, THIRD_PARTY];

  it('hasNegativeFeedback(votes, ps, t) is finalVotes(votes, ps, t).some(isNegativeFeedback)', () => {
    let negative = 0;
    for (let k = 0; k < 3000; k++) {
      const votes = Array.from({ length: rand(12) }, () =>
        vote(1 + rand(2), labels[rand(3)]!, rand(5) - 2, voters[rand(5)]!, rand(6), rand(4) === 0),
      );
      for (const ps of [1, 2]) {
        for (const t of [at(2), at(5), Number.MAX_SAFE_INTEGER]) {
          const want = finalVotes(votes, ps, t).some((v) => isNegativeFeedback(v, CTX));
          assert.equal(hasNegativeFeedback(votes, ps, t, CTX), want, JSON.stringify({ votes, ps, t }));
          if (want) negative++;
        }
      }
    }
    assert.ok(negative > 1000, `cases with negative feedback: ${negative}`);
  });

  it('sortSmall sorts as Array.prototype.sort does (stable), small and large', () => {
    for (let k = 0; k < 500; k++) {
      const list = Array.from({ length: rand(k % 2 ? 10 : 80) }, (_, i) => ({ at: rand(5), voterId: rand(3), i }));
      const cmp = (a: { at: number; voterId: number }, b: { at: number; voterId: number }) => a.at - b.at || a.voterId - b.voterId;
      assert.deepEqual(sortSmall([...list], cmp), [...list].sort(cmp));
    }
  });
});
