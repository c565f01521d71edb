import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApprovalRecord } from '../model/team.js';
import { computeReviewstatsColumns, computeReviewstatsCompat, pyFixed, type CompatChange } from './reviewstats-compat.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2015, 3, 10, 12, 0, 0, 500);
const CUT = Math.floor((NOW - 14 * DAY) / 1000) * 1000;

let nextVoter = 1;
const ids = new Map<string | null, number>();
function approval(over: Partial<ApprovalRecord> & { by?: string | null }): ApprovalRecord {
  const by = over.by === undefined ? 'carol' : over.by;
  if (!ids.has(by)) ids.set(by, nextVoter++);
  const { by: _by, ...rest } = over;
  return {
    changeId: 1,
    changeNumber: 7001,
    project: 'nova',
    patchSet: 1,
    label: 'Code-Review',
    value: 1,
    voterId: ids.get(by)!,
    voterUsername: by,
    grantedAt: NOW - DAY,
    copied: false,
    ...rest,
  };
}
const change = (over: Partial<CompatChange> = {}): CompatChange => ({
  id: 1,
  number: 7001,
  project: 'nova',
  status: 'NEW',
  patchSets: [{ number: 1, created: NOW - 2 * DAY }],
  ...over,
});
const run = (approvals: ApprovalRecord[], changes: CompatChange[] = [change()], core = ['alice', 'bob']) =>
  computeReviewstatsCompat(
    { approvals, changes, coreUsernames: new Map([['nova', new Set(core)]]), coreTeamSize: core.length },
    { now: NOW, days: 14 },
  );
const row = (r: ReturnType<typeof run>, name: string) => r.rows.find((x) => x.reviewer === name);

describe('--compat reviewstats', () => {
  it('counts each Code-Review record granted at or after the cut-off (whole seconds), with no upper bound', () => {
    const r = run([
      approval({ grantedAt: CUT - 1000 }),
      approval({ changeId: 2, grantedAt: CUT }),
      approval({ changeId: 3, grantedAt: NOW + DAY, value: -1 }),
    ]);
    assert.equal(r.cutOff, new Date(CUT).toISOString());
    assert.deepEqual(
      { ...row(r, 'carol')!, changes: [] },
      {
        reviewer: 'carol',
        core: false,
        reviews: 2,
        minus2: 0,
        minus1: 1,
        plus1: 1,
        plus2: 0,
        approvals: 0,
        positivePercent: 50,
        disagreements: 0,
        disagreementPercent: 0,
        changes: [],
      },
    );
  });

  it('counts a vote copied to a rebased patch set again, on the patch set it was copied to', () => {
    const r = run([approval({ patchSet: 1, value: 2, by: 'alice' }), approval({ patchSet: 2, value: 2, by: 'alice', copied: true })]);
    assert.equal(row(r, 'alice')!.reviews, 2);
    assert.equal(row(r, 'alice')!.plus2, 2);
  });

  it('+A is Workflow or Approved above 0, not a review; Verified and Workflow -1 are ignored', () => {
    const r = run([
      approval({ by: 'alice', label: 'Workflow', value: 1 }),
      approval({ by: 'alice', changeId: 2, label: 'Approved', value: 1 }),
      approval({ by: 'alice', changeId: 3, label: 'Workflow', value: -1 }),
      approval({ by: 'zuul', label: 'Verified', value: 1 }),
    ]);
    const alice = row(r, 'alice')!;
    assert.equal(alice.approvals, 2);
    assert.equal(alice.reviews, 0);
    assert.equal(row(r, 'zuul'), undefined, 'a row with nothing counted is left out');
    assert.equal(r.totals.reviewers, 0, 'reviewers are rows with reviews');
  });

  it('a disagreement is a vote granted strictly before the latest opposite core vote on the patch set, over all time, cores included', () => {
    const t = NOW - 3 * DAY;
    const r = run([
      approval({ by: 'carol', value: 1, grantedAt: t }),
      approval({ by: 'bob', value: -1, grantedAt: t + 1000 }), // core, later: carol disagrees
      approval({ by: 'alice', value: 2, grantedAt: t + 2000 }), // core: bob's −1 is before alice's +2
      approval({ by: 'dave', value: 1, grantedAt: t + 1000 }), // same second as bob's −1: not before
      approval({ by: 'erin', value: -1, grantedAt: t + 3000 }),
      // Patch set 2: the latest core negative vote is old, out of the window, and still counts.
      approval({ patchSet: 2, by: 'bob', value: -2, grantedAt: CUT - 10 * DAY }),
      approval({ patchSet: 2, by: 'carol', value: 1, grantedAt: CUT - 20 * DAY }),
    ]);
    assert.equal(row(r, 'carol')!.disagreements, 1);
    assert.equal(row(r, 'bob')!.disagreements, 1);
    assert.equal(row(r, 'alice')!.disagreements, 0);
    assert.equal(row(r, 'dave')!.disagreements, 0);
    assert.equal(row(r, 'erin')!.disagreements, 0);
    assert.equal(row(r, 'carol')!.reviews, 1, 'the old patch set 2 vote is outside the window');
    assert.equal(row(r, 'bob')!.disagreementPercent, 100);
  });

  it('merges every account without a username into one "unknown" row, drops jenkins and smokestack (any case), counts self-votes and bots', () => {
    const r = run([
      approval({ by: null, voterId: 50, value: 1 }),
      approval({ by: null, voterId: 51, changeId: 2, value: -1 }),
      approval({ by: 'Jenkins', label: 'Code-Review', value: 1 }),
      approval({ by: 'smokestack', value: -1 }),
      approval({ by: 'zuul', value: 1 }),
      approval({ by: 'owner', value: 2 }),
    ]);
    assert.equal(row(r, 'unknown')!.reviews, 2);
    assert.equal(row(r, 'Jenkins'), undefined);
    assert.equal(row(r, 'smokestack'), undefined);
    assert.equal(row(r, 'zuul')!.reviews, 1);
    assert.equal(row(r, 'owner')!.reviews, 1);
    assert.equal(r.totals.reviews, 4);
  });

  it('sorts by reviews (ties by name), marks cores, and totals as reviewstats prints them', () => {
    const r = run([
      approval({ by: 'bob', value: 2 }),
      approval({ by: 'bob', changeId: 2, value: 2 }),
      approval({ by: 'bob', changeId: 3, value: 1 }),
      approval({ by: 'carol', value: 1 }),
      approval({ by: 'alice', changeId: 4, value: -1 }),
    ]);
    assert.deepEqual(
      r.rows.map((x) => [x.reviewer, x.core]),
      [
        ['bob', true],
        ['alice', true],
        ['carol', false],
      ],
    );
    assert.deepEqual(r.totals, {
      reviews: 5,
      reviewsPerDay: 0.4, // 5 / 14 = 0.357…
      reviewers: 3,
      reviewsPerReviewerPerDay: 0.1,
      coreReviews: 4,
      coreReviewsPerDay: 0.3,
      coreTeamSize: 2,
      coreReviewsPerCorePerDay: 0.1,
    });
  });

  it('change statistics: a patch set is new when its earliest approval (any label), else its creation, is after the cut-off', () => {
    const r = run(
      [
        approval({ changeId: 1, patchSet: 1, label: 'Verified', by: 'zuul', grantedAt: CUT + 1000 }),
        approval({ changeId: 2, patchSet: 2, by: 'bob', grantedAt: CUT - 5 * DAY, copied: true }), // copied: old grantedOn makes it old
      ],
      [
        change({ id: 1, status: 'MERGED', patchSets: [{ number: 1, created: CUT - 3 * DAY }] }),
        change({
          id: 2,
          number: 7002,
          status: 'ABANDONED',
          patchSets: [
            { number: 1, created: CUT - 9 * DAY },
            { number: 2, created: CUT + DAY },
          ],
        }),
        change({
          id: 3,
          number: 7003,
          patchSets: [
            { number: 1, created: CUT + 2 * DAY },
            { number: 2, created: CUT + 3 * DAY },
          ],
        }),
      ],
    );
    assert.equal(r.changeStats.newPatchSets, 3);
    assert.equal(r.changeStats.changesInvolved, 2);
    assert.equal(r.changeStats.newChanges, 2);
    assert.equal(r.changeStats.merged, 1);
    assert.equal(r.changeStats.abandoned, 0);
    assert.equal(r.changeStats.queueGrowth, 1);
    assert.equal(r.changeStats.patchSetsPerChange, 1.5);
  });

  it('the counted labels with each patch set’s earliest record (firstRecord) give the report all the records give', () => {
    const records = [
      approval({ changeId: 1, patchSet: 1, label: 'Verified', by: 'zuul', grantedAt: CUT + 1000 }),
      approval({ changeId: 1, patchSet: 1, by: 'alice', value: -1, grantedAt: CUT + 2 * DAY }),
      approval({ changeId: 1, patchSet: 1, label: 'Workflow', by: 'bob', grantedAt: CUT + 3 * DAY }),
      approval({ changeId: 2, patchSet: 1, label: 'Verified', by: 'zuul', grantedAt: CUT - DAY }),
      approval({ changeId: 2, patchSet: 1, by: 'carol', value: 1, grantedAt: CUT + DAY }),
      approval({ changeId: 2, patchSet: 2, label: 'Verified', by: 'zuul', value: -1, grantedAt: CUT + 4 * DAY }),
    ];
    const changes = [
      change({ id: 1, status: 'MERGED', patchSets: [{ number: 1, created: CUT - 3 * DAY }] }),
      change({
        id: 2,
        number: 7002,
        patchSets: [
          { number: 1, created: CUT - 2 * DAY },
          { number: 2, created: CUT - DAY },
        ],
      }),
    ];
    const counted = records.filter((a) => a.label !== 'Verified');
    const dated = changes.map((c) => ({
      ...c,
      patchSets: c.patchSets.map((ps) => {
        const times = records.filter((a) => a.changeId === c.id && a.patchSet === ps.number).map((a) => a.grantedAt);
        return times.length ? { ...ps, firstRecord: Math.min(...times) } : ps;
      }),
    }));
    const all = run(records, changes);
    // Without firstRecord the counted labels alone date patch set 2 of change 2 by its creation: not new.
    assert.notDeepEqual(run(counted, changes).changeStats, all.changeStats);
    assert.deepEqual(run(counted, dated), all);
    assert.equal(all.changeStats.newPatchSets, 2);
  });

  it('takes the records in any order, and as columns with usernames looked up by id (unknown accounts left out)', () => {
    const t = NOW - 3 * DAY;
    const records = [
      approval({ changeId: 2, changeNumber: 7002, by: 'bob', value: -1, grantedAt: t + 1000 }),
      approval({ by: 'carol', value: 1, grantedAt: t }),
      approval({ changeId: 2, changeNumber: 7002, by: 'carol', value: 1, grantedAt: t }),
      approval({ by: 'bob', value: -2, grantedAt: t + 2000 }),
      approval({ patchSet: 2, by: 'alice', label: 'Workflow', value: 1, grantedAt: t + 3000 }),
      approval({ by: null, voterId: 60, value: 1, grantedAt: t }),
    ];
    const changes = [change(), change({ id: 2, number: 7002 })];
    const sorted = [...records].sort((a, b) => a.changeId - b.changeId || a.patchSet - b.patchSet);
    const forward = run(records, changes);
    assert.deepEqual(run([...records].reverse(), changes), forward);
    assert.deepEqual(run(sorted, changes), forward);
    assert.equal(row(forward, 'carol')!.disagreements, 2);
    assert.deepEqual(row(forward, 'carol')!.changes, [7001, 7002]);

    // The same records as columns, grouped by patch set, with one more by an account the store does not know.
    const labels = ['Code-Review', 'Workflow'];
    const withStranger = [...sorted, approval({ by: 'stranger', voterId: 99, value: 1, grantedAt: t })];
    const column = (pick: (a: ApprovalRecord) => number) => withStranger.map(pick);
    const usernames = new Map(records.map((a) => [a.voterId, a.voterUsername]));
    const columns = computeReviewstatsColumns(
      {
        records: {
          length: withStranger.length,
          changeId: column((a) => a.changeId),
          patchSet: column((a) => a.patchSet),
          label: column((a) => labels.indexOf(a.label)),
          labels,
          value: column((a) => a.value),
          voterId: column((a) => a.voterId),
          grantedAt: column((a) => a.grantedAt),
        },
        usernames,
        recordChanges: new Map(changes.map((c) => [c.id, c])),
        changes: changes.map((c) => ({ ...c, patchSets: c.patchSets.map((ps) => ({ ...ps, firstRecord: t })) })),
        coreUsernames: new Map([['nova', new Set(['alice', 'bob'])]]),
        coreTeamSize: 2,
      },
      { now: NOW, days: 14 },
    );
    assert.deepEqual(columns.rows, forward.rows);
    assert.equal(row(columns, 'stranger'), undefined);
  });
});

describe("Python's %.1f", () => {
  it('rounds half to even on the exact binary value', () => {
    assert.deepEqual(
      [0.25, 0.75, 2.25, 0.15, 0.35, 1.05, 99.95, (2 / 3) * 100, -0.25, 0].map((x) => pyFixed(x, 1)),
      ['0.2', '0.8', '2.2', '0.1', '0.3', '1.1', '100.0', '66.7', '-0.2', '0.0'],
    );
  });
});
