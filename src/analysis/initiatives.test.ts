import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptyScope, priorityAsTrackedWork, type Initiative, type TrackedCommit } from '../model/initiatives.js';
import type { Priority } from '../model/priorities.js';
import type { SpecRecord } from '../model/specs.js';
import type { QueryEnv } from './gerrit-query/evaluate.js';
import { ALICE, BOB, CAROL, CTX, ZUUL, at, flowChange, message, patchSets, vote } from '../../test/helpers/flow-builders.js';
import { cohortWaits } from './waits.js';
import {
  commitPattern,
  computeInitiativeStatus,
  inSample,
  resolveMilestones,
  reviewsByReviewer,
  sampleFraction,
  scopeQueries,
  specUnits,
  waitSplits,
} from './initiatives.js';
import { priorityQueries } from './priorities.js';
import { reviewActsOf } from './queue-state.js';
import { extractReviews } from './reviews.js';
import type { ReleaseCycle } from './waits.js';

const DAY = 86_400_000;
const T = (s: string): number => Date.parse(`${s}T00:00:00Z`);
const CAL: ReleaseCycle[] = [
  { name: 'Kilo', start: T('2014-10-16'), featureFreeze: T('2015-03-19'), release: T('2015-04-30') },
  { name: 'Liberty', start: T('2015-04-30'), featureFreeze: T('2015-09-03'), release: T('2015-10-15') },
  { name: 'Mitaka', start: T('2015-10-15'), featureFreeze: T('2016-03-03'), release: T('2016-04-07') },
];
const ms = (title: string, release: string | null, targetDate: number | null = null) => ({
  title,
  release,
  targetDate,
  scope: emptyScope(),
});
const initiative = (over: Partial<Initiative>): Initiative => ({
  name: 'x',
  title: 'X',
  owners: [],
  goal: '',
  scope: emptyScope(),
  milestones: [],
  stallWeeks: null,
  origin: 'store',
  id: 1,
  createdAt: null,
  createdBy: null,
  notes: [],
  ...over,
});

describe('initiatives', () => {
  it('a priority is tracked work of one milestone, its release, matched by the same queries', () => {
    const p: Priority = {
      release: 'Kilo',
      title: 'Cells',
      blueprints: ['cells-v2'],
      topics: ['t'],
      queries: ['status:open'],
      origin: 'config',
      id: null,
      createdAt: null,
      createdBy: null,
    };
    const w = priorityAsTrackedWork(p);
    assert.deepEqual(w.milestones, [ms('Kilo', 'Kilo')]);
    assert.deepEqual(scopeQueries(w.scope), priorityQueries(p));
    const { milestones, problems } = resolveMilestones(w, CAL);
    assert.deepEqual(problems, []);
    assert.deepEqual([milestones[0]!.start, milestones[0]!.due], [CAL[0]!.start, CAL[0]!.release]);
  });

  it('adds bugs and paths to the scope queries', () => {
    const q = scopeQueries({ ...emptyScope(), bugs: ['1234'], paths: ['/nova/network/'] }, ['spec-bp']);
    assert.deepEqual(
      q.map((x) => x.query),
      ['blueprint:"spec-bp"', 'bug:1234', 'file:"^nova/network/.*"'],
    );
  });

  it('refuses milestones out of order, overlapping, or in a release the calendar lacks', () => {
    const check = (m: Initiative['milestones']) => resolveMilestones({ milestones: m, scope: emptyScope() }, CAL).problems;
    assert.deepEqual(check([ms('a', 'Kilo'), ms('b', null, T('2015-06-01')), ms('c', 'Mitaka')]), []);
    assert.match(check([ms('a', 'Liberty'), ms('b', 'Kilo')]).join(), /milestones out of order: 2 "b"/);
    assert.match(check([ms('a', null, T('2015-06-01')), ms('b', 'Kilo')]).join(), /out of order/);
    assert.match(
      check([ms('a', 'Kilo', T('2015-02-01')), ms('b', null, T('2015-06-01')), ms('c', 'Liberty')]).join(),
      /milestones overlap: 3 "c" \(Liberty\) begins 2015-04-30, before 2 "b" is due \(2015-06-01\)/,
    );
    assert.match(check([ms('a', 'Zork')]).join(), /no release "Zork" in the release calendar \(Kilo, Liberty, Mitaka\)/);
    assert.match(check([ms('a', 'Liberty', T('2015-01-01'))]).join(), /before Liberty starts/);
  });

  it('matches commit patterns line by line, case-insensitively, and names a bad one', () => {
    const re = commitPattern('^nova-net: ');
    assert.ok(re instanceof RegExp && re.test('Fix it\n\nNova-net: remove x'));
    assert.equal(typeof commitPattern('(unclosed'), 'string');
  });

  it('a spec is done when any approval of its blueprint was implemented', () => {
    const spec = (release: string, implementedAt: number | null): SpecRecord => ({
      release,
      path: `specs/${release}/approved/x.rst`,
      firstPath: `specs/${release}/approved/x.rst`,
      blueprint: 'x',
      blueprintUrl: null,
      title: null,
      state: implementedAt ? 'implemented' : 'approved',
      approvedAt: T('2015-01-01'),
      approvedCommit: 'a',
      implementedAt,
      implementedCommit: null,
      removedAt: null,
      renames: [],
    });
    const kilo = spec('kilo', null);
    const liberty = spec('liberty', T('2015-09-01'));
    assert.equal(specUnits([kilo], T('2016-01-01'), [kilo, liberty])[0]!.implementedAt, T('2015-09-01'));
    assert.equal(specUnits([kilo], T('2015-08-01'), [kilo, liberty])[0]!.implementedAt, null);
  });

  it('finds stalls between landed commits, and none after the last milestone is met', () => {
    const commit = (sha: string, at: number): TrackedCommit => ({
      repo: 'r',
      sha,
      subject: sha,
      message: `nova-net: ${sha}`,
      authorName: 'a',
      authorEmail: 'a@x',
      landedAt: at,
      links: [],
    });
    const commits = [commit('a', T('2015-05-10')), commit('b', T('2015-05-20')), commit('c', T('2015-08-20'))];
    const env = { now: 0, flow: {}, accounts: {} } as unknown as QueryEnv;
    const r = computeInitiativeStatus(
      {
        initiative: initiative({
          scope: { ...emptyScope(), commitPatterns: ['^nova-net: '] },
          milestones: [ms('L', 'Liberty')],
          stallWeeks: 8,
        }),
        calendar: CAL,
        changes: [],
        waits: [],
        sample: { cohort: 0, fraction: 1 },
        reviewDataTimes: [],
        commits,
        specs: [],
        env,
        hostUrls: new Map(),
        nameOf: String,
        bugData: null,
      },
      T('2015-12-01'),
    );
    assert.deepEqual(
      r.stalls.map((s) => [s.from.slice(0, 10), s.to?.slice(0, 10) ?? null, s.ongoing]),
      [
        ['2015-05-20', '2015-08-20', false],
        ['2015-08-20', null, true],
      ],
    );
    assert.match(r.stalls[0]!.why, /no review data covers it/);
    assert.equal(r.milestones[0]!.status, 'commits only');
    assert.equal(r.milestones[0]!.commitsLanded, 3);
    assert.deepEqual(
      r.releases.map((x) => [x.release, x.commitsLanded]),
      [
        ['Liberty', 3],
        ['Mitaka', 0],
      ],
    );
    assert.equal(r.burnup.at(-1)!.commitsLanded, 3);
    assert.ok(r.burnup.every((p, i) => i === 0 || Date.parse(p.at) - Date.parse(r.burnup[i - 1]!.at) <= 7 * DAY));
  });

  it("splits each change's wait as steward waits does, without its factors", () => {
    const changes = [
      flowChange(1, {
        created: at(0),
        status: 'MERGED',
        mergedAt: at(40),
        patchSets: patchSets(0, 20),
        votes: [
          vote(1, 'Verified', 1, ZUUL, 1),
          vote(1, 'Code-Review', -1, ALICE, 10),
          vote(2, 'Verified', 1, ZUUL, 21),
          vote(2, 'Code-Review', 2, BOB, 30),
          vote(2, 'Code-Review', 2, CAROL, 35),
          vote(2, 'Workflow', 1, CAROL, 35),
        ],
        messages: [message(5, { authorId: ALICE })],
      }),
      flowChange(2, { created: at(3), votes: [vote(1, 'Verified', 1, ZUUL, 4)] }),
      flowChange(3, { created: at(-50), status: 'ABANDONED', abandonedAt: at(60) }),
    ];
    const now = at(100);
    const full = cohortWaits(
      { changes, ctx: CTX, coreAt: () => new Set([BOB, CAROL]), ownerHistory: new Map(), releases: [], hostUrls: new Map() },
      { since: at(0), until: now, now },
    );
    const pick = (w: (typeof full)[number]) => ({
      project: w.project,
      number: w.number,
      outcome: w.outcome,
      reviewersDays: w.reviewersDays,
      authorDays: w.authorDays,
      ciDays: w.ciDays,
      wipDays: w.wipDays,
    });
    assert.deepEqual(waitSplits(changes, CTX, at(0), now), full.map(pick));
    assert.equal(full.length, 2);
  });

  it('samples the rest of a large period with a fixed rule: all up to 1,000 changes, about 1,000 beyond', () => {
    assert.equal(sampleFraction(1000), 1);
    assert.ok(Array.from({ length: 500 }, (_, i) => i).every((id) => inSample(id, 1)));
    const f = sampleFraction(40_000);
    const kept = Array.from({ length: 40_000 }, (_, i) => i + 1).filter((id) => inSample(id, f)).length;
    assert.ok(kept > 900 && kept < 1100, `kept ${kept}`);
    assert.equal(inSample(12345, f), inSample(12345, f));
  });

  it('counts reviews per person as extractReviews does over the acts (copied votes, the owner, bots and later acts left out)', () => {
    const owner = flowChange(1).ownerId;
    const changes = [
      flowChange(1, {
        created: at(0),
        patchSets: patchSets(0, 20),
        votes: [
          vote(1, 'Verified', 1, ZUUL, 1),
          vote(1, 'Code-Review', -1, ALICE, 10),
          vote(1, 'Code-Review', 1, ALICE, 12),
          vote(2, 'Code-Review', 1, ALICE, 21, true),
          vote(2, 'Code-Review', 2, BOB, 30),
          vote(2, 'Workflow', 1, BOB, 31),
          vote(2, 'Code-Review', 1, owner, 32),
          vote(2, 'Code-Review', 2, CAROL, 200),
        ],
        messages: [
          message(5, { authorId: ALICE, patchSet: 1 }),
          message(6, { authorId: CAROL, patchSet: 1 }),
          message(7, { authorId: owner, patchSet: 1 }),
          message(8, { authorId: CAROL, patchSet: null }),
          message(150, { authorId: CAROL, patchSet: 2 }),
          message(9, { authorId: BOB, patchSet: 2, kind: 'system' }),
        ],
      }),
      flowChange(2, { created: at(3), votes: [vote(1, 'Code-Review', 1, BOB, 4), vote(1, 'Code-Review', 1, ZUUL, 5)] }),
    ];
    const names = new Map([
      [ALICE, 'alice'],
      [BOB, 'bob'],
      [CAROL, 'alice'],
    ]);
    const nameOf = (id: number): string => names.get(id) ?? `#${id}`;
    for (const asOf of [at(0), at(20), at(100), at(175), at(300)]) {
      const expected = new Map<string, number>();
      for (const c of changes)
        for (const r of extractReviews(reviewActsOf(c), CTX.isBot).reviews)
          if (r.at <= asOf) expected.set(nameOf(r.reviewerId), (expected.get(nameOf(r.reviewerId)) ?? 0) + 1);
      const got = reviewsByReviewer(changes, CTX.isBot, nameOf, asOf);
      assert.deepEqual(new Map([...got].sort()), new Map([...expected].sort()), `as of ${new Date(asOf).toISOString()}`);
    }
    assert.equal(reviewsByReviewer(changes, CTX.isBot, nameOf, at(300)).get('alice'), 3);
  });
});
