/**
 * Where the time went, on hand-built histories with known splits, first reviews, factors and a
 * weekly series.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, CAROL, CTX, D, H, OWNER, ZUUL, at, flowChange, message, patchSets, vote } from '../../test/helpers/flow-builders.js';
import type { FlowChange } from '../model/flow.js';
import { computeBandwidth, weeklyFlow, type WeekFlow } from './bandwidth.js';
import { seededRandom } from './stats/random.js';
import { changeReviews, earliestReviewAct, replayFlow, reviewActsOf, sortSmall } from './queue-state.js';
import { extractReviews, reviewsInPeriod } from './reviews.js';
import { areaOf, computeWaits, kindOf, needsFactors, patchSetBucket, sizeBucket, type WaitsInput } from './waits.js';

const CORE = new Set([BOB, CAROL]);
const input = (changes: FlowChange[], over: Partial<WaitsInput> = {}): WaitsInput => ({
  changes,
  ctx: CTX,
  coreAt: () => CORE,
  ownerHistory: new Map([
    [OWNER, [at(-1000 * 24), at(-900 * 24), at(-800 * 24)]],
    [ALICE, [at(0)]],
  ]),
  releases: [],
  hostUrls: new Map(),
  ...over,
});

/** A merged change: CI 1h, reviewers until `reviewAt`, −1 → author for `authorHours`, new ps, CI 1h, +2 +2 +A, gate 2h. */
function lifecycle(
  number: number,
  startHour: number,
  reviewerHours: number,
  authorHours: number,
  over: Partial<FlowChange> = {},
): FlowChange {
  const s = startHour;
  const review = s + 1 + reviewerHours;
  const ps2 = review + authorHours;
  const approve = ps2 + 1 + reviewerHours;
  return flowChange(number, {
    created: at(s),
    status: 'MERGED',
    mergedAt: at(approve + 2),
    patchSets: patchSets(s, ps2),
    votes: [
      vote(1, 'Verified', 1, ZUUL, s + 1),
      vote(1, 'Code-Review', -1, ALICE, review),
      vote(2, 'Verified', 1, ZUUL, ps2 + 1),
      vote(2, 'Code-Review', 2, BOB, approve),
      vote(2, 'Code-Review', 2, CAROL, approve),
      vote(2, 'Workflow', 1, CAROL, approve),
    ],
    ...over,
  });
}

describe('waits: the split of a change’s life', () => {
  it('splits one change exactly and finds its first human and core reviews', () => {
    const c = lifecycle(1, 0, 10, 5, { messages: [message(3, { authorId: ALICE, kind: 'comment' })] });
    const r = computeWaits(input([c]), { since: at(0), until: at(100), now: at(100) });
    assert.equal(r.cohort.total, 1);
    const w = r.changes[0]!;
    // CI 1 + 1 + gate 2 = 4 h; reviewers 10 + 10 = 20 h; author 5 h; life 29 h.
    assert.equal(w.ciDays, +(4 / 24).toFixed(2));
    assert.equal(w.reviewersDays, +(20 / 24).toFixed(2));
    assert.equal(w.authorDays, +(5 / 24).toFixed(2));
    assert.equal(w.followDays, +(29 / 24).toFixed(2));
    // Ready at 0; Alice's comment at 3 h is the first human review; Bob's +2 at 27 h the first core one.
    assert.equal(w.firstHumanReviewDays, +(3 / 24).toFixed(2));
    assert.equal(w.firstCoreReviewDays, +(27 / 24).toFixed(2));
    assert.equal(w.outcome, 'merged');
  });

  it('follows the changes created in the period to now: closed later or still open, never those created before', () => {
    const abandoned = flowChange(2, { status: 'ABANDONED', abandonedAt: at(30), votes: [vote(1, 'Verified', 1, ZUUL, 1)] });
    const later = lifecycle(3, 0, 100, 5);
    const open = flowChange(5, { created: at(50), patchSets: patchSets(50), votes: [vote(1, 'Verified', 1, ZUUL, 51)] });
    const before = lifecycle(6, -500, 10, 5);
    const r = computeWaits(input([abandoned, later, open, before]), { since: at(0), until: at(100), now: at(1000) });
    assert.deepEqual(
      r.changes.map((c) => [c.number, c.outcome, c.reviewersDays, c.followDays]),
      [
        [2, 'abandoned', +(29 / 24).toFixed(2), +(30 / 24).toFixed(2)],
        [3, 'merged', +(200 / 24).toFixed(2), +(209 / 24).toFixed(2)],
        [5, 'open', +(949 / 24).toFixed(2), +(950 / 24).toFixed(2)],
      ],
    );
    assert.deepEqual(r.cohort, { total: 3, merged: 1, abandoned: 1, open: 1, neverReady: 0 });
    // Never reviewed: censored at the end of its follow-up, not dropped.
    const o = r.changes.find((c) => c.number === 5)!;
    assert.equal(o.firstHumanReviewDays, null);
    assert.equal(o.reviewFollowDays, +(950 / 24).toFixed(2));
    assert.equal(r.overall.firstHumanReview.n, 3);
  });

  it('WIP time and time to first review from the first moment out of WIP', () => {
    const c = flowChange(4, {
      status: 'MERGED',
      mergedAt: at(50),
      messages: [message(10, { kind: 'system', authorId: OWNER, event: 'wip-off' })],
      votes: [
        vote(1, 'Verified', 1, ZUUL, 1),
        vote(1, 'Code-Review', 2, BOB, 20),
        vote(1, 'Code-Review', 2, CAROL, 40),
        vote(1, 'Workflow', 1, CAROL, 40),
      ],
    });
    const w = computeWaits(input([c]), { since: at(0), until: at(100), now: at(100) }).changes[0]!;
    assert.equal(w.wipDays, +(10 / 24).toFixed(2));
    assert.equal(w.firstHumanReviewDays, +(10 / 24).toFixed(2));
  });
});

describe('waits: factors', () => {
  it('bucket and area definitions', () => {
    assert.equal(sizeBucket(10), 'XS (≤10 lines)');
    assert.equal(sizeBucket(11), 'S (11–50)');
    assert.equal(sizeBucket(1001), 'XL (>1000)');
    assert.equal(patchSetBucket(4), '3–4');
    assert.equal(patchSetBucket(12), '10+');
    assert.equal(
      areaOf([
        { path: 'nova/virt/hyperv/vmops.py', insertions: 5, deletions: 0 },
        { path: 'nova/tests/unit/virt/hyperv/test_vmops.py', insertions: 50, deletions: 0 },
      ]),
      'nova/virt/hyperv/',
    );
    assert.equal(areaOf([{ path: 'nova/tests/unit/test_a.py', insertions: 5, deletions: 0 }], 3), 'nova/tests/unit/');
    assert.equal(areaOf([{ path: 'setup.cfg', insertions: 1, deletions: 0 }]), '(top level)');
    assert.equal(areaOf([{ path: 'nova/virt/hyperv/vmops.py', insertions: 5, deletions: 0 }], 3, ['nova/virt/']), 'nova/virt/');
    assert.equal(kindOf(flowChange(1, { trivialFix: true, links: [{ kind: 'closes-bug', target: '1' }] })), 'trivial');
    assert.equal(kindOf(flowChange(1, { links: [{ kind: 'partial-bug', target: '1' }] })), 'bug fix');
    assert.equal(kindOf(flowChange(1, { links: [{ kind: 'related-bug', target: '1' }] })), 'other');
    assert.equal(kindOf(flowChange(1, { links: [{ kind: 'topic-blueprint', target: 'x' }] })), 'feature');
  });

  it('names a planted slow area (not "other") against the largest area, with its hazard ratio and the difference in days', () => {
    const changes: FlowChange[] = [];
    const ownerHistory = new Map<number, number[]>();
    // 150 changes of 30 owners; the slow area's reviewers take four times as long; 20 changes in rare areas.
    for (let i = 0; i < 150; i++) {
      const owner = 100 + (i % 30);
      ownerHistory.set(owner, [at(-1000 * 24)].concat(Array.from({ length: 5 }, (_, k) => at(-900 * 24 + k))));
      const area = i < 40 ? 'nova/virt/hyperv/' : i < 130 ? 'nova/compute/' : `nova/rare${i % 10}/x/`;
      const slow = area === 'nova/virt/hyperv/';
      const hours = (slow ? 60 : 15) * (0.2 + (3 * ((i * 37) % 100)) / 100);
      changes.push(
        lifecycle(1000 + i, i, hours, 5, {
          ownerId: owner,
          files: [{ path: `${area}mod.py`, insertions: 20 + (i % 7) * 30, deletions: 1 }],
        }),
      );
    }
    const r = computeWaits(input(changes, { ownerHistory }), {
      since: at(0),
      until: at(4000),
      now: at(4000),
      topAreas: 2,
      bootstrapReplicates: 200,
    });
    const area = r.factors.find((f) => f.factor === 'area')!;
    assert.ok(area.merge?.declared, JSON.stringify(area.merge));
    assert.equal(area.merge!.reference, 'nova/compute/');
    assert.equal(area.merge!.named!.level, 'nova/virt/hyperv/');
    assert.ok(area.merge!.named!.hazardRatio! < 0.5);
    assert.deepEqual(
      area.groups.map((g) => [g.group, g.n]),
      [
        ['nova/compute/', 90],
        ['nova/virt/hyperv/', 40],
        ['other', 20],
      ],
    );
    assert.equal(area.difference!.verdict, 'above');
    assert.ok(area.difference!.low! > 0);
    const text = r.summary.join('\n');
    assert.match(text, /Largest association — area: "nova\/virt\/hyperv\/" associated with [\d.]+× slower merging than "nova\/compute\/"/);
    assert.doesNotMatch(text, /makes/);
    assert.match(text, /Area "other" lumps 20 changes/);
    // Every change merged: the share merged reaches 1.
    assert.equal(area.groups[0]!.toMerge.points.at(-1)!.merged, 1);
    assert.equal(r.factors.find((f) => f.factor === 'release phase')!.note, 'no releases are configured (steward.yaml `releases`)');
    assert.equal(r.factors.find((f) => f.factor === 'patch sets')!.role, 'mediator');
    assert.equal(r.factors.find((f) => f.factor === 'patch sets')!.merge, null);
  });

  it('release phase: before or after the feature freeze of the cycle the change was created in', () => {
    const releases = [{ name: 'kilo', start: at(0), featureFreeze: at(50), release: at(100) }];
    const before = lifecycle(1, 10, 5, 5);
    const after = lifecycle(2, 60, 5, 5);
    const outside = lifecycle(3, 120, 5, 5);
    const r = computeWaits(input([before, after, outside], { releases }), { since: at(0), until: at(500), now: at(500) });
    assert.deepEqual(
      r.changes.map((c) => c.factors['release phase']),
      ['before feature freeze', 'feature freeze to release', 'outside release cycles'],
    );
  });
});

describe('waits: core load', () => {
  it('splits changes by the queue per core in the week they became ready: thirds of the weekly loads', () => {
    const since = Date.UTC(2015, 2, 30); // a Monday
    const hour = (t: number) => (t - at(0)) / H;
    const changes: FlowChange[] = [];
    let n = 500;
    // Week k: 3(k + 1) changes wait on reviewers from its Monday 02:00 to Sunday 23:00, then merge.
    for (let k = 0; k < 4; k++) {
      const start = since + k * 7 * D;
      for (let i = 0; i < 3 * (k + 1); i++) {
        changes.push(
          flowChange(n++, {
            created: start + H,
            status: 'MERGED',
            mergedAt: start + 7 * D - H,
            patchSets: [{ number: 1, created: start + H }],
            votes: [
              vote(1, 'Verified', 1, ZUUL, hour(start + 2 * H)),
              vote(1, 'Code-Review', 2, BOB, hour(start + 7 * D - 2 * H)),
              vote(1, 'Code-Review', 2, CAROL, hour(start + 7 * D - 2 * H)),
              vote(1, 'Workflow', 1, CAROL, hour(start + 7 * D - 2 * H)),
            ],
          }),
        );
      }
    }
    const r = computeWaits(input(changes), { since, until: since + 28 * D, now: since + 28 * D });
    assert.deepEqual(
      r.weeks.map((w) => Math.round(w.queueAverage)),
      [3, 6, 9, 12],
    );
    // Loads per core (2 cores): 1.4, 2.8, 4.3, 5.7 → thirds at the 2nd and 3rd.
    assert.ok(
      r.coreLoadThresholds &&
        r.coreLoadThresholds.low > 2.5 &&
        r.coreLoadThresholds.low < 3 &&
        r.coreLoadThresholds.high > 4 &&
        r.coreLoadThresholds.high < 4.5,
      JSON.stringify(r.coreLoadThresholds),
    );
    const byWeek = (k: number) => [
      ...new Set(
        r.changes
          .filter((c) => c.created.startsWith(new Date(since + k * 7 * D).toISOString().slice(0, 10)))
          .map((c) => c.factors['core load']),
      ),
    ];
    assert.deepEqual([0, 1, 2, 3].map(byWeek), [['low'], ['low'], ['medium'], ['high']]);
  });
});

describe('bandwidth', () => {
  it('gives the age of what waits at each week’s end, which quick reviews of new changes do not hide', () => {
    const since = Date.UTC(2015, 2, 30); // a Monday
    const mk = (n: number, startDay: number, reviewDay: number | null) =>
      flowChange(n, {
        created: since + startDay * D,
        patchSets: [{ number: 1, created: since + startDay * D }],
        votes: [
          vote(1, 'Verified', 1, ZUUL, (since + startDay * D - at(0)) / H + 1),
          ...(reviewDay === null ? [] : [vote(1, 'Code-Review', -1, BOB, (since + reviewDay * D - at(0)) / H)]),
        ],
      });
    // Three changes never reviewed from the first day; every day one more arrives and is reviewed the day after.
    const changes = [mk(1, 0, null), mk(2, 0, null), mk(3, 0, null), ...Array.from({ length: 27 }, (_, i) => mk(10 + i, i, i + 1))];
    const horizon = since + 28 * D;
    const replays = changes.map((c) => ({ change: c, replay: replayFlow(c, CTX, horizon) }));
    const weeks = weeklyFlow(replays, CTX, () => CORE, since, horizon);
    // The mean of the waits that started in the last week is about a day...
    assert.ok(weeks[3]!.meanWaitDays! < 2, String(weeks[3]!.meanWaitDays));
    // ...while the three old ones have waited four weeks (less their hour of CI) at its end.
    assert.deepEqual(
      weeks.map((w) => w.waitingAtEnd),
      [3, 3, 3, 3],
    );
    assert.deepEqual(
      weeks.map((w) => w.medianAgeAtEndDays),
      [7, 14, 21, 28],
    );
    assert.deepEqual(
      weeks.map((w) => w.p90AgeAtEndDays),
      [7, 14, 21, 28],
    );
  });

  it('counts arrivals, queue entries, the weekly queue and core reviews', () => {
    const week = 7 * D;
    const since = Date.UTC(2015, 2, 30); // a Monday
    const mk = (n: number, startDay: number, reviewDay: number) =>
      flowChange(n, {
        created: since + startDay * D,
        patchSets: [{ number: 1, created: since + startDay * D }],
        votes: [
          vote(1, 'Verified', 1, ZUUL, (since + startDay * D - at(0)) / H + 1),
          vote(1, 'Code-Review', -1, BOB, (since + reviewDay * D - at(0)) / H),
        ],
      });
    // Two changes arrive in week 1, one in week 2; Bob reviews them on days 3, 9 and 10.
    const changes = [mk(1, 0, 3), mk(2, 1, 9), mk(3, 8, 10)];
    const replays = changes.map((c) => ({ change: c, replay: replayFlow(c, CTX, since + 2 * week) }));
    const weeks = weeklyFlow(replays, CTX, () => CORE, since, since + 2 * week);
    assert.deepEqual(
      weeks.map((w) => w.week),
      ['2015-03-30', '2015-04-06'],
    );
    assert.deepEqual(
      weeks.map((w) => w.arrivals),
      [2, 1],
    );
    assert.deepEqual(
      weeks.map((w) => w.queueEntries),
      [2, 1],
    );
    assert.deepEqual(
      weeks.map((w) => w.coreReviews),
      [1, 2],
    );
    assert.deepEqual(
      weeks.map((w) => w.queueAtStart),
      [0, 1],
    );
    // Week 1: change 1 waits days 0–3, change 2 days 1–7 (≈ 3 + 6 = 9 change-days of 7): ≈ 1.3 on average.
    assert.ok(Math.abs(weeks[0]!.queueAverage - 1.3) < 0.05, String(weeks[0]!.queueAverage));
    assert.deepEqual(
      weeks.map((w) => w.cores),
      [2, 2],
    );
    assert.deepEqual(
      weeks.map((w) => w.queueExits),
      [1, 2],
    );
    // At week 1's end only change 2 waits (since day 1 plus its hour of CI): 6 days less an hour.
    assert.deepEqual(
      weeks.map((w) => [w.waitingAtEnd, w.medianAgeAtEndDays, w.p90AgeAtEndDays]),
      [
        [1, 6, 6],
        [0, null, null],
      ],
    );
    const b = computeBandwidth(weeks);
    assert.equal(b.weeks.length, 2);
    assert.ok(b.summary.some((s) => /Over 2 weeks the queue/.test(s)));
    assert.deepEqual(b.balance, { entries: 3, exits: 3, net: 0, queueAtStart: 0, queueAtEnd: 0 });
    assert.equal(b.regression, null);
    assert.match(b.regressionNote!, /2 full weeks: too few/);
  });

  it('drops partial weeks, balances entries against exits, and regresses the queue change on arrivals and core reviews together', () => {
    const rnd = seededRandom(7);
    const week = (i: number, days = 7): WeekFlow => {
      const arrivals = 200 + Math.round(60 * rnd());
      const core = 200 + Math.round(60 * rnd());
      const entries = arrivals;
      const net = Math.round(0.5 * (arrivals - 230) - 0.4 * (core - 230) + 6 * (rnd() - 0.5));
      const from = Date.UTC(2026, 0, 5) + i * 7 * D;
      return {
        week: new Date(from).toISOString().slice(0, 10),
        from,
        to: from + days * D,
        arrivals,
        queueEntries: entries,
        queueExits: entries - net,
        queueAtStart: 100,
        queueAverage: 100,
        meanWaitDays: 3,
        littleLambdaW: 100,
        waitingAtEnd: 100,
        medianAgeAtEndDays: 5,
        p90AgeAtEndDays: 20,
        reviews: core + 50,
        coreReviews: core,
        cores: 10,
      };
    };
    const weeks = [week(0, 3), ...Array.from({ length: 16 }, (_, i) => week(i + 1)), week(17, 2)];
    const b = computeBandwidth(weeks);
    assert.deepEqual(b.droppedWeeks, [weeks[0]!.week, weeks[17]!.week]);
    assert.equal(b.fullWeeks.length, 16);
    const full = weeks.slice(1, 17);
    assert.equal(
      b.balance!.entries,
      full.reduce((a, w) => a + w.queueEntries, 0),
    );
    assert.equal(
      b.balance!.exits,
      full.reduce((a, w) => a + w.queueExits, 0),
    );
    const core = b.regression!.terms.find((t) => t.name === 'core reviews')!;
    assert.equal(core.verdict, 'shrinks');
    assert.ok(core.low < -0.4 && core.high > -0.4, JSON.stringify(core));
    assert.equal(b.regression!.terms.find((t) => t.name === 'arrivals')!.verdict, 'grows');
    // No relation and a short, noisy series: "cannot tell", never "did not move".
    const noisy = computeBandwidth(
      Array.from({ length: 9 }, (_, i) => ({ ...week(i), queueExits: week(i).queueEntries + Math.round(40 * (rnd() - 0.5)) })),
    );
    assert.equal(noisy.regression!.terms.find((t) => t.name === 'core reviews')!.verdict, 'cannot tell');
    assert.match(noisy.summary.join('\n'), /cannot tell/);
    assert.doesNotMatch(noisy.summary.join('\n'), /did not/);
  });
});

describe('waits: which changes need details and files', () => {
  it('needsFactors: created in the period; a change only open through it, or created before, does not, and its factors are never read', () => {
    const since = at(10 * 24);
    const until = at(40 * 24);
    const now = at(50 * 24);
    const o = { since, until, now };
    const old = flowChange(1, { created: at(0), patchSets: patchSets(0), votes: [vote(1, 'Verified', 1, ZUUL, 1)] });
    const mergedIn = flowChange(2, { created: at(0), patchSets: patchSets(0), status: 'MERGED', mergedAt: at(20 * 24) });
    const abandonedIn = flowChange(3, { created: at(0), patchSets: patchSets(0), status: 'ABANDONED', abandonedAt: at(20 * 24) });
    const createdIn = flowChange(4, { created: at(30 * 24), patchSets: patchSets(30 * 24) });
    const mergedAfter = flowChange(5, { created: at(0), patchSets: patchSets(0), status: 'MERGED', mergedAt: at(45 * 24) });
    assert.deepEqual(
      [old, mergedIn, abandonedIn, createdIn, mergedAfter].map((c) => needsFactors(c, o)),
      [false, false, false, true, false],
    );
    // The report is the same whether the others have their details and files or not.
    const bare = (c: FlowChange): FlowChange => ({ ...c, files: null, links: [], trivialFix: false, subject: '' });
    const withFiles = (c: FlowChange): FlowChange => ({
      ...c,
      files: [{ path: 'nova/compute/manager.py', insertions: 5, deletions: 1 }],
      links: [{ kind: 'closes-bug', target: '1' }],
    });
    const all = [old, mergedIn, abandonedIn, createdIn, mergedAfter];
    const full = computeWaits(input(all.map(withFiles)), o);
    const partial = computeWaits(input(all.map((c) => (needsFactors(c, o) ? withFiles(c) : bare(c)))), o);
    assert.deepEqual(partial, full);
  });
});

describe('waits: a change’s reviews read in place', () => {
  it('changeReviews gives what extractReviews (in a window: reviewsInPeriod) gives over reviewActsOf, and the earliest act (also earliestReviewAct)', () => {
    const random = seededRandom(20);
    const people = [OWNER, ALICE, BOB, CAROL, ZUUL];
    const labels = ['Code-Review', 'Verified', 'Workflow', ''];
    for (let n = 0; n < 60; n++) {
      // Ties in time (whole hours over a short span), copied votes, bots, the owner, comments
      // without an author or a patch set, other kinds of message.
      const votes = Array.from({ length: Math.floor(random() * 12) }, () =>
        vote(
          1 + Math.floor(random() * 3),
          labels[Math.floor(random() * labels.length)]!,
          Math.floor(random() * 5) - 2,
          people[Math.floor(random() * people.length)]!,
          Math.floor(random() * 6),
          random() < 0.2,
        ),
      );
      const messages = Array.from({ length: Math.floor(random() * 8) }, () =>
        message(Math.floor(random() * 6), {
          authorId: random() < 0.1 ? null : people[Math.floor(random() * people.length)]!,
          patchSet: random() < 0.1 ? null : 1 + Math.floor(random() * 3),
          kind: random() < 0.7 ? 'comment' : 'ci-report',
        }),
      );
      const c = flowChange(n + 1, { patchSets: patchSets(0, 2, 4), votes, messages });
      const acts = reviewActsOf(c);
      const expected = sortSmall(extractReviews(acts, CTX.isBot).reviews, (a, b) => a.at - b.at);
      const got = changeReviews(c, CTX.isBot);
      assert.deepEqual(got.reviews, expected, `change ${n + 1}`);
      assert.equal(got.earliestAct, acts.length ? Math.min(...acts.map((a) => a.at)) : Infinity);
      assert.equal(earliestReviewAct(c), got.earliestAct, `change ${n + 1}: earliestReviewAct`);
      // In a window, as reviewsInPeriod: a review straddling its start counts from its first act in it.
      const [since, until] = [at(Math.floor(random() * 4)), at(2 + Math.floor(random() * 5))];
      const inWindow = acts.filter((a) => a.at >= since && a.at < until);
      const windowed = changeReviews(c, CTX.isBot, since, until);
      assert.deepEqual(windowed.reviews, reviewsInPeriod(acts, CTX.isBot, since, until).reviews, `change ${n + 1} in a window`);
      assert.equal(windowed.earliestAct, inWindow.length ? Math.min(...inWindow.map((a) => a.at)) : Infinity);
    }
  });
});
