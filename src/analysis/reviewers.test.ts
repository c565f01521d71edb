import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TeamActRecord } from '../model/team.js';
import {
  buildCoreRoster,
  codeReviewSign,
  collectCoreVerdicts,
  computeReviewers,
  isApproval,
  selfVotesByPerson,
  type CoreRoster,
} from './reviewers.js';
import { extractReviews } from './reviews.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2015, 3, 10);
const SINCE = NOW - 90 * DAY;
const OWNER = 100;
const CORE_A = 1;
const CORE_B = 2;
const CAROL = 3;
const BOT = 9;

function act(over: Partial<TeamActRecord>): TeamActRecord {
  return {
    changeId: 1,
    changeNumber: 5001,
    project: 'p',
    changeOwnerId: OWNER,
    patchSet: 1,
    actorId: CAROL,
    at: NOW - 10 * DAY,
    type: 'vote',
    label: 'Code-Review',
    value: 1,
    selfVote: false,
    ...over,
  };
}
const configured = (ids: number[]): CoreRoster => buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set(ids) }]);
const run = (acts: TeamActRecord[], roster = configured([CORE_A, CORE_B]), isBot = (id: number) => id === BOT) =>
  computeReviewers({ acts, isBot, roster }, { since: SINCE, until: NOW, now: NOW });
const row = (r: ReturnType<typeof run>, id: number) => r.rows.find((x) => x.accountId === id);

describe('steward reviewers: what a review is', () => {
  it('a vote changed on one patch set is one review keeping the final value, dated by the first act', () => {
    const t = NOW - 5 * DAY;
    const r = run([act({ at: t, value: 1 }), act({ at: t + HOUR, value: -1 })]);
    const carol = row(r, CAROL)!;
    assert.equal(carol.reviews, 1);
    assert.deepEqual(carol.codeReview, { minus2: 0, minus1: 1, plus1: 0, plus2: 0 });
    const { reviews } = extractReviews([act({ at: t + HOUR, value: -1 }), act({ at: t, value: 1 })], () => false);
    assert.equal(reviews[0]!.at, t, 'dated by the first act, whatever the input order');
  });

  it('each patch set reviewed is a review; a comment-only message is a review without a vote', () => {
    const r = run([
      act({ patchSet: 1 }),
      act({ patchSet: 2, at: NOW - 4 * DAY }),
      act({ patchSet: 3, type: 'comment', label: null, value: null, at: NOW - 3 * DAY }),
    ]);
    const carol = row(r, CAROL)!;
    assert.equal(carol.reviews, 3);
    assert.equal(carol.commentOnly, 1);
    assert.equal(carol.codeReview.plus1, 2);
    assert.equal(carol.distinctChanges, 1);
    assert.deepEqual(carol.changes, [5001]);
    assert.equal(r.totals.commentOnly, 1);
  });

  it('self-votes are counted apart, never as reviews', () => {
    const r = run([
      act({ actorId: OWNER, value: 1, selfVote: true }),
      act({ actorId: OWNER, label: 'Workflow', value: 1, selfVote: true }),
      act({ actorId: CAROL }),
    ]);
    const owner = row(r, OWNER)!;
    assert.equal(owner.reviews, 0);
    assert.equal(owner.selfVotes, 2);
    assert.equal(r.totals.selfVotes, 2);
    assert.equal(r.totals.reviews, 1);
    assert.equal(r.totals.activeReviewers, 1);
    assert.equal(row(r, CAROL)!.reviewsOnOthersChanges, 1);
  });

  it('bots never review', () => {
    const r = run([act({ actorId: BOT, label: 'Verified', value: 1 }), act({ actorId: BOT, label: 'Code-Review', value: 2 })]);
    assert.equal(r.rows.length, 0);
    assert.equal(r.totals.reviews, 0);
  });

  it('+A is a final Workflow (or Approved) value above 0, and a review in its own right', () => {
    const r = run([
      act({ actorId: CORE_A, value: 2, at: NOW - 3 * DAY }),
      act({ actorId: CORE_A, label: 'Workflow', value: 1, at: NOW - 3 * DAY }),
      act({ actorId: CORE_B, changeId: 2, label: 'Workflow', value: -1, at: NOW - 3 * DAY }),
      act({ actorId: CORE_B, changeId: 3, label: 'Approved', value: 1, at: NOW - 3 * DAY }),
    ]);
    assert.equal(row(r, CORE_A)!.approvals, 1);
    assert.equal(row(r, CORE_A)!.reviews, 1);
    assert.equal(row(r, CORE_B)!.approvals, 1);
    assert.equal(row(r, CORE_B)!.reviews, 2);
  });

  it('only acts inside [since, until) make reviews', () => {
    const r = run([act({ at: SINCE - 1 }), act({ at: SINCE, changeId: 2 }), act({ at: NOW, changeId: 3 })]);
    assert.equal(row(r, CAROL)!.reviews, 1);
  });
});

describe('steward reviewers: agreement with the cores', () => {
  it('a disagreement is a Code-Review vote of the opposite sign to the latest other core vote on the patch set', () => {
    const r = run([
      act({ actorId: CAROL, value: 1, at: NOW - 5 * DAY }),
      act({ actorId: CORE_A, value: -1, at: NOW - 4 * DAY }),
      act({ actorId: CAROL, changeId: 2, changeNumber: 5002, value: -1, at: NOW - 5 * DAY }),
      act({ actorId: CORE_A, changeId: 2, changeNumber: 5002, value: -1, at: NOW - 4 * DAY }),
      act({ actorId: CAROL, changeId: 3, changeNumber: 5003, value: 1, at: NOW - 5 * DAY }),
    ]);
    const carol = row(r, CAROL)!;
    assert.equal(carol.disagreements, 1);
    assert.equal(carol.agreements, 1);
    assert.deepEqual(carol.disagreedOn, [{ change: 5001, patchSet: 1 }]);
    assert.equal(carol.disagreementShare, 0.3333);
    assert.equal(carol.positiveShare, 0.6667);
  });

  it('a core is judged against the other cores, not their own vote; a vote removed again is no verdict', () => {
    const r = run([
      act({ actorId: CORE_A, value: 2, at: NOW - 5 * DAY }),
      act({ actorId: CORE_B, value: -1, at: NOW - 6 * DAY }),
      act({ actorId: CORE_B, value: 0, at: NOW - 4 * DAY }),
    ]);
    assert.equal(row(r, CORE_A)!.disagreements, 0);
    assert.equal(row(r, CORE_A)!.agreements, 0);
    // CORE_B's final Code-Review is 0 (removed): in none of the four columns.
    assert.deepEqual(row(r, CORE_B)!.codeReview, { minus2: 0, minus1: 0, plus1: 0, plus2: 0 });
    assert.equal(row(r, CORE_B)!.reviews, 1);
  });

  it('the verdict counts votes up to now, also after the window', () => {
    const r = computeReviewers(
      {
        acts: [act({ value: 1, at: NOW - 5 * DAY }), act({ actorId: CORE_A, value: -2, at: NOW - DAY })],
        isBot: () => false,
        roster: configured([CORE_A]),
      },
      { since: SINCE, until: NOW - 2 * DAY, now: NOW },
    );
    assert.equal(row(r, CAROL)!.disagreements, 1);
    assert.equal(row(r, CORE_A), undefined, 'the core vote after the window is no review in it');
  });
});

describe('steward reviewers: core at the time of each review', () => {
  const joined = NOW - 30 * DAY;
  const roster = buildCoreRoster([
    {
      project: 'p',
      snapshots: [
        { takenAt: NOW - 200 * DAY, checkedAt: joined - DAY, groupUuid: 'g', memberIds: [CORE_A] },
        { takenAt: joined, checkedAt: NOW, groupUuid: 'g', memberIds: [CORE_A, CAROL] },
      ],
      configured: null,
    },
  ]);

  it('a core who joined mid-window is core only for the reviews after joining', () => {
    const r = run(
      [act({ at: joined - 10 * DAY }), act({ changeId: 2, at: joined + DAY }), act({ changeId: 3, at: joined + 2 * DAY })],
      roster,
    );
    const carol = row(r, CAROL)!;
    assert.equal(carol.coreReviews, 2);
    assert.equal(carol.core, 'partly');
    assert.equal(r.totals.coreReviews, 2);
    assert.equal(r.totals.coreTeamSize, 2);
    // Core-days: CORE_A for 90 days, CAROL for the last 30.
    assert.equal(r.totals.coreDays, 120);
    assert.equal(r.totals.coreReviewsPerCorePerDay, Number((2 / 120).toFixed(3)));
    assert.equal(roster.coreSince(CAROL, NOW), joined);
    assert.equal(roster.coreSince(CORE_A, NOW), null);
    assert.deepEqual([...roster.membersDuring(joined - DAY, joined + DAY)].sort(), [CORE_A, CAROL]);
  });

  it('before the first snapshot the configured list stands in; without either nobody is core', () => {
    const r2 = buildCoreRoster([
      {
        project: 'p',
        snapshots: [{ takenAt: NOW - DAY, checkedAt: NOW, groupUuid: null, memberIds: [CORE_B] }],
        configured: new Set([CORE_A]),
      },
    ]);
    assert.equal(r2.isCoreAt('p', CORE_A, NOW - 10 * DAY), true);
    assert.equal(r2.isCoreAt('p', CORE_A, NOW), false);
    assert.equal(r2.isCoreAt('p', CORE_B, NOW), true);
    assert.equal(r2.isCoreAt('other', CORE_B, NOW), false);
    const none = buildCoreRoster([]);
    assert.equal(none.known, false);
    const r = run([act({})], none);
    assert.equal(r.totals.coreTeamSize, null);
    assert.equal(r.totals.coreReviewsPerCorePerDay, null);
  });
});

describe('steward reviewers: the act columns give what the act records give', () => {
  // The definitions as records (reviews.ts, collectCoreVerdicts, selfVotesByPerson) against the
  // columnar computation, over random acts: equal times, vote changes, comments, unnamed labels,
  // votes without a value, owners, bots and acts outside the window.
  function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1_664_525 + 1_013_904_223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

  it('reviews, splits, +A, comment-only, self-votes, core reviews and agreements per person match', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = random(seed);
      const times = Array.from({ length: 12 }, (_, k) => SINCE - 3 * DAY + k * 9 * DAY + (k % 3) * HOUR);
      const acts: TeamActRecord[] = [];
      for (let k = 0; k < 300; k++) {
        const changeId = 1 + Math.floor(r() * 15);
        const comment = r() < 0.2;
        const label = pick(r, ['Code-Review', 'Code-Review', 'Workflow', 'Verified', 'Approved', '']);
        acts.push({
          changeId,
          changeNumber: 5000 + changeId,
          project: changeId % 2 ? 'p' : 'q',
          changeOwnerId: 100 + (changeId % 3),
          patchSet: 1 + Math.floor(r() * 3),
          actorId: pick(r, [CORE_A, CORE_B, CAROL, 4, 5, BOT, 100, 101, 102]),
          at: pick(r, times),
          type: comment ? 'comment' : 'vote',
          label: comment ? null : label,
          value: comment ? null : r() < 0.05 ? null : pick(r, [-2, -1, 0, 1, 2]),
          selfVote: false,
        });
      }
      const isBot = (id: number) => id === BOT;
      const roster = buildCoreRoster([
        { project: 'p', snapshots: [], configured: new Set([CORE_A, CORE_B]) },
        {
          project: 'q',
          snapshots: [{ takenAt: SINCE + 20 * DAY, checkedAt: SINCE + 20 * DAY, groupUuid: null, memberIds: [CORE_A, CAROL] }],
          configured: null,
        },
      ]);
      const got = computeReviewers({ acts, isBot, roster }, { since: SINCE, until: NOW, now: NOW + 30 * DAY });

      const windowActs = acts.filter((a) => a.at >= SINCE && a.at < NOW);
      const { reviews } = extractReviews(windowActs, isBot);
      const verdicts = collectCoreVerdicts(acts, roster, isBot);
      const self = selfVotesByPerson(windowActs, isBot);
      const want = new Map<
        number,
        { reviews: number; cr: number[]; approvals: number; commentOnly: number; core: number; agree: number; disagree: number }
      >();
      for (const v of reviews) {
        let w = want.get(v.reviewerId);
        if (!w)
          want.set(v.reviewerId, (w = { reviews: 0, cr: [0, 0, 0, 0], approvals: 0, commentOnly: 0, core: 0, agree: 0, disagree: 0 }));
        w.reviews++;
        const cr = v.votes['Code-Review'];
        if (cr === -2) w.cr[0]!++;
        if (cr === -1) w.cr[1]!++;
        if (cr === 1) w.cr[2]!++;
        if (cr === 2) w.cr[3]!++;
        if (isApproval(v)) w.approvals++;
        if (v.commentOnly) w.commentOnly++;
        if (roster.isCoreAt(v.project, v.reviewerId, v.at)) w.core++;
        const sign = codeReviewSign(v);
        const verdict = sign === null ? null : verdicts.verdict(v.changeId, v.patchSet, v.reviewerId);
        if (verdict && verdict.sign === sign) w.agree++;
        else if (verdict) w.disagree++;
      }
      assert.equal(got.totals.reviews, reviews.length, `seed ${seed}`);
      assert.equal(
        got.totals.selfVotes,
        [...self.values()].reduce((x, y) => x + y, 0),
        `seed ${seed}`,
      );
      for (const [id, w] of want) {
        const g = got.rows.find((x) => x.accountId === id)!;
        const c = g.codeReview;
        assert.deepEqual(
          [g.reviews, [c.minus2, c.minus1, c.plus1, c.plus2], g.approvals, g.commentOnly, g.coreReviews, g.agreements, g.disagreements],
          [w.reviews, w.cr, w.approvals, w.commentOnly, w.core, w.agree, w.disagree],
          `seed ${seed}, account ${id}`,
        );
      }
      for (const [id, n] of self) assert.equal(got.rows.find((x) => x.accountId === id)!.selfVotes, n, `seed ${seed}, self-votes of ${id}`);
      assert.equal(got.rows.filter((x) => x.reviews > 0).length, want.size, `seed ${seed}`);
    }
  });
});
