import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryCommit } from '../model/git.js';
import type { ReleaseDates } from '../model/release-calendar.js';
import { computeCodeHistory, gitBotRule, landingTimes, weekOf } from './code-history.js';

const DAY = 86_400_000;
const t = (d: string) => Date.parse(`${d}T00:00:00Z`);
const calendar: ReleaseDates[] = [
  { name: 'one', aliases: [], start: t('2020-01-01'), featureFreeze: t('2020-02-20'), release: t('2020-03-01') },
  { name: 'two', aliases: [], start: t('2020-03-01'), featureFreeze: t('2020-04-20'), release: t('2020-05-01') },
  { name: 'three', aliases: [], start: t('2020-05-01'), featureFreeze: t('2020-06-20'), release: t('2020-07-01') },
];
let n = 0;
const commit = (over: Partial<HistoryCommit> & { landedAt: number }): HistoryCommit => ({
  repo: 'r',
  sha: `c${n++}`,
  authorName: 'A',
  authorEmail: 'a@example.org',
  authoredAt: over.landedAt - 2 * DAY,
  landing: 'merge',
  backport: false,
  namesBug: false,
  namesBlueprint: false,
  changeId: null,
  ...over,
});

describe('computeCodeHistory', () => {
  const commits = [
    commit({ landedAt: t('2020-01-10') }),
    commit({ landedAt: t('2020-01-11'), authorEmail: 'B@example.org', landing: 'direct', namesBug: true }),
    commit({ landedAt: t('2020-03-02'), authorEmail: 'b@example.org', namesBlueprint: true, changeId: 'I1' }),
    commit({ landedAt: t('2020-03-03'), authorEmail: 'c@example.org', authoredAt: t('2020-03-04') }),
    commit({ landedAt: t('2020-03-05'), authorEmail: 'stable@example.org', backport: true }),
    commit({ landedAt: t('2020-03-06'), authorName: 'Proposal Bot', authorEmail: 'bot@example.org' }),
  ];
  const isBot = gitBotRule([]);
  const h = computeCodeHistory({ commits, calendar, isBot }, { now: t('2020-04-01') });

  it('counts merged, backports apart, fast-forwards, bots out of authors', () => {
    assert.deepEqual(
      h.releases.map((r) => [r.release, r.merged, r.backports, r.fastForwarded, r.botCommits, r.authors, r.inProgress]),
      [
        ['one', 2, 0, 1, 0, 2, false],
        ['two', 3, 1, 0, 1, 2, true],
      ],
    );
  });
  it('first-time and retained authors (addresses, any case)', () => {
    const two = h.releases[1]!;
    assert.equal(two.firstTimeAuthors, 1); // c; b wrote in one already (as B@…)
    assert.equal(two.retainedAuthors, 1);
    assert.equal(two.retentionShare, 0.5);
    assert.equal(h.releases[0]!.retainedAuthors, null);
  });
  it('landing time clamps clock skew at zero and leaves bots out', () => {
    assert.equal(h.releases[0]!.landingTime.median.days, 2);
    assert.equal(h.releases[1]!.landingTime.n, 2);
    assert.equal(h.releases[1]!.landingTime.curve[0]!.share, 0.5);
  });
  it('names bugs and blueprints', () => {
    assert.deepEqual([h.releases[0]!.namingBug, h.releases[1]!.namingBlueprint, h.releases[1]!.namingEither], [1, 1, 1]);
  });
  it('weeks add up to the windows, and --release gives the neighbours', () => {
    assert.equal(
      h.weeks.filter((w) => w.release === 'one').reduce((s, w) => s + w.merged, 0),
      2,
    );
    const one = computeCodeHistory({ commits, calendar, isBot }, { now: t('2020-04-01'), release: 'two' });
    assert.deepEqual(
      one.releases.map((r) => r.release),
      ['one', 'two'],
    );
    assert.ok(one.weeks.every((w) => w.release === 'two'));
    assert.equal(
      one.weeks.reduce((s, w) => s + w.backports, 0),
      1,
    );
  });
  it('adds the review side when Change-Ids match', () => {
    const r = computeCodeHistory(
      { commits, calendar, isBot, reviewTimes: new Map([['I1', { created: t('2020-02-01'), mergedAt: t('2020-03-02') }]]) },
      { now: t('2020-04-01') },
    );
    assert.equal(r.releases[0]!.review, null);
    assert.equal(r.releases[1]!.review!.matched, 1);
    assert.equal(r.releases[1]!.review!.createdToMerged.median.days, 30);
  });
});

describe('helpers', () => {
  it('weekOf gives Monday 00:00 UTC', () => {
    assert.equal(new Date(weekOf(t('2020-03-05') + 5000)).toISOString(), '2020-03-02T00:00:00.000Z');
    assert.equal(new Date(weekOf(t('2020-03-02'))).toISOString(), '2020-03-02T00:00:00.000Z');
  });
  it('landingTimes: empirical median and p90 with intervals around them', () => {
    const l = landingTimes(Array.from({ length: 101 }, (_, i) => i));
    assert.equal(l.median.days, 50);
    assert.equal(l.p90.days, 90);
    assert.ok(l.median.lower! < 50 && l.median.upper! > 50);
  });
  it('bot rule: names, infra addresses, configured names', () => {
    const bot = gitBotRule(['release-robot@example.org']);
    assert.equal(bot('OpenStack Proposal Bot', 'x@y'), true);
    assert.equal(bot('OpenStack Jenkins', 'x@y'), true);
    assert.equal(bot('Someone', 'openstack-infra@lists.openstack.org'), true);
    assert.equal(bot('Robotnik', 'Release-Robot@example.org'), true);
    assert.equal(bot('Dmitriy Rabotyagov', 'x@y'), false);
  });
});
