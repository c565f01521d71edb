import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeFacts, Mentorship, TeamActRecord } from '../model/team.js';
import { computeMentoring, mentoringSpan } from './mentoring.js';
import { buildCoreRoster, computeReviewers } from './reviewers.js';

const DAY = 86_400_000;
const START = Date.UTC(2015, 2, 2);
const NOW = START + 28 * DAY;
const CORE = 1;
const CAND = 5;

const changes: ChangeFacts[] = [];
const acts: TeamActRecord[] = [];
function reviewed(i: number, at: number, area: string, candidateValue: number, coreValue: number | null): void {
  changes.push({
    id: i,
    host: 'h',
    project: 'p',
    number: 6000 + i,
    ownerId: 100,
    status: 'NEW',
    created: at - DAY,
    mergedAt: null,
    abandonedAt: null,
    patchSets: [{ number: 1, created: at - DAY, kind: 'REWORK' }],
    files: [`${area}/f.py`],
  });
  const base = {
    changeId: i,
    changeNumber: 6000 + i,
    project: 'p',
    changeOwnerId: 100,
    patchSet: 1,
    type: 'vote' as const,
    label: 'Code-Review',
    selfVote: false,
  };
  acts.push({ ...base, actorId: CAND, at, value: candidateValue });
  if (coreValue !== null) acts.push({ ...base, actorId: CORE, at: at + 3_600_000, value: coreValue });
}
// Before: 2 reviews in 4 weeks, one agreeing, one not, one area.
reviewed(1, START - 20 * DAY, 'nova', 1, 2);
reviewed(2, START - 10 * DAY, 'nova', 1, -1);
// During: 8 reviews in 4 weeks, all agreeing, two areas.
for (let k = 0; k < 8; k++) reviewed(10 + k, START + (k * 3 + 1) * DAY, k % 2 ? 'nova' : 'doc', -1, -1);

const mentorship: Mentorship = {
  id: 1,
  candidateId: CAND,
  mentorId: CORE,
  startedAt: START,
  endedAt: null,
  note: 'scheduler',
  endNote: null,
};
const roster = buildCoreRoster([{ project: 'p', snapshots: [], configured: new Set([CORE]) }]);

describe('steward core mentoring', () => {
  const r = computeMentoring(
    { mentorships: [mentorship], acts, messages: [], changes, isBot: () => false, roster },
    { now: NOW, areaRules: { prefixes: [], depth: 1 } },
  );
  const m = r.mentorships[0]!;

  it('compares the period since the start with as long a period before it', () => {
    assert.deepEqual(mentoringSpan(mentorship, NOW), { from: START - 28 * DAY, to: NOW });
    assert.deepEqual([m.before.reviews, m.before.reviewsPerWeek, m.before.agreement, m.before.breadth], [2, 0.5, 0.5, 1]);
    assert.deepEqual([m.during.reviews, m.during.reviewsPerWeek, m.during.agreement, m.during.breadth], [8, 2, 1, 2]);
    assert.deepEqual(m.change, { reviewsPerWeek: 1.5, agreement: 0.5, breadth: 1 });
    assert.equal(m.coreNow, false);
  });

  it('gives a weekly series aligned on the start, for a chart', () => {
    assert.deepEqual(
      m.weeks.map((w) => w.week),
      [-4, -3, -2, -1, 0, 1, 2, 3],
    );
    assert.deepEqual(
      m.weeks.map((w) => w.reviews),
      [0, 1, 1, 0, 2, 3, 2, 1],
    );
    assert.equal(m.weeks.filter((w) => w.phase === 'before').length, 4);
    assert.equal(
      m.weeks.reduce((s, w) => s + w.agreed, 0),
      9,
    );
  });

  it('a mentorship that ended is measured up to its end', () => {
    const ended = { ...mentorship, endedAt: START + 14 * DAY };
    const e = computeMentoring(
      { mentorships: [ended], acts, messages: [], changes, isBot: () => false, roster },
      { now: NOW, areaRules: { prefixes: [], depth: 1 } },
    ).mentorships[0]!;
    assert.equal(e.during.to, new Date(START + 14 * DAY).toISOString());
    assert.equal(e.during.reviews, 5);
  });

  it('counts a review straddling the start in both periods, as the reviewers report counts each period', () => {
    // The candidate votes on a patch set the day before the start and changes the vote the day
    // after: one review of the whole history, but one in each period (reviews.ts reviewsInPeriod).
    const base = { changeId: 50, changeNumber: 6050, project: 'p', changeOwnerId: 100, patchSet: 1, type: 'vote' as const };
    const straddling: TeamActRecord[] = [
      ...acts,
      { ...base, label: 'Code-Review', selfVote: false, actorId: CAND, at: START - DAY, value: -1 },
      { ...base, label: 'Code-Review', selfVote: false, actorId: CAND, at: START + DAY, value: 1 },
    ];
    const s = computeMentoring(
      { mentorships: [mentorship], acts: straddling, messages: [], changes, isBot: () => false, roster },
      { now: NOW, areaRules: { prefixes: [], depth: 1 } },
    ).mentorships[0]!;
    const reviewersOver = (since: number, until: number): number =>
      computeReviewers({ acts: straddling, isBot: () => false, roster }, { since, until, now: NOW }).rows.find((x) => x.accountId === CAND)!
        .reviews;
    assert.deepEqual([s.before.reviews, s.during.reviews], [3, 9]);
    assert.deepEqual([s.before.reviews, s.during.reviews], [reviewersOver(START - 28 * DAY, START), reviewersOver(START, NOW)]);
    // The weeks split each period's reviews: week -1 and week 0 each hold the straddling one.
    assert.deepEqual(
      s.weeks.map((w) => w.reviews),
      [0, 1, 1, 1, 3, 3, 2, 1],
    );
  });
});
