import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Person } from '../model/people.js';
import type { ReleaseDates } from '../model/release-calendar.js';
import { calendarBounds, computeElectorate, spanOf, summariseSpans, type Contribution } from './electorate.js';

const t = (d: string) => Date.parse(`${d}T00:00:00Z`);
// A gap between two and three (no cycle from 2020-05-01 to 2020-05-15): its days count for three's window.
const calendar: ReleaseDates[] = [
  { name: 'one', aliases: [], start: t('2020-01-01'), featureFreeze: t('2020-02-01'), release: t('2020-03-01') },
  { name: 'two', aliases: [], start: t('2020-03-01'), featureFreeze: t('2020-04-01'), release: t('2020-05-01') },
  { name: 'three', aliases: [], start: t('2020-05-15'), featureFreeze: t('2020-06-01'), release: t('2020-07-01') },
];
const c = (identity: string, at: string, kind: Contribution['kind'] = 'commit'): Contribution => ({
  identity,
  kind,
  ref: `${identity}@${at}`,
  at: t(at),
  where: 'r',
});
const contributions = [
  c('email:ann@x.org', '2020-01-10'),
  c('gerrit:h/1', '2020-03-10', 'change'),
  c('email:bob@x.org', '2020-05-05'),
  c('email:bot@x.org', '2020-06-01'),
  c('email:cy@x.org', '2020-06-02'),
  c('email:cy@x.org', '2020-06-03'),
];
const ann: Person = {
  id: 'email:ann@x.org',
  name: 'Ann',
  preferredEmail: 'ann@x.org',
  identities: ['email:ann@x.org', 'gerrit:h/1'],
  bot: false,
  links: [],
  heldApart: [],
};
const bot: Person = { ...ann, id: 'email:bot@x.org', name: 'Bot', identities: ['email:bot@x.org'], bot: true };
const people = new Map([
  ['email:ann@x.org', ann],
  ['gerrit:h/1', ann],
  ['email:bot@x.org', bot],
]);

describe('computeElectorate counts per release', () => {
  it('spans: before the first bound 0, then one per bound crossed', () => {
    const b = calendarBounds(calendar);
    assert.deepEqual(b, [t('2020-01-01'), t('2020-03-01'), t('2020-05-01'), t('2020-05-15'), t('2020-07-01')]);
    assert.deepEqual(
      [t('2019-12-31'), t('2020-01-01'), t('2020-05-05'), t('2020-07-01')].map((x) => spanOf(b, x)),
      [0, 1, 3, 5],
    );
  });
  for (const evidence of ['either', 'commits', 'changes'] as const)
    it(`from per-span activity equal the counts from the contributions one by one (${evidence})`, () => {
      const rule = { cycles: 2, evidence };
      const direct = computeElectorate({ contributions, people, calendar }, { release: 'three', rule });
      const counted = contributions.filter((x) => evidence === 'either' || (evidence === 'commits') === (x.kind === 'commit'));
      const viaSpans = computeElectorate(
        { contributions, people, calendar, activity: summariseSpans(counted, calendarBounds(calendar)) },
        { release: 'three', rule },
      );
      assert.deepEqual(viaSpans, direct);
    });
  it('by hand: people once, bots never, the gap before a release in its window', () => {
    const e = computeElectorate({ contributions, people, calendar }, { release: 'three', rule: { cycles: 2, evidence: 'either' } });
    // one: Ann; two (one+two): Ann (commit and change, one person); three (two+gap+three): Ann's change, Bob in the gap, Cy.
    assert.deepEqual(
      e.counts.map((x) => [x.release, x.voters]),
      [
        ['one', 1],
        ['two', 1],
        ['three', 3],
      ],
    );
    assert.equal(e.botContributions, 1);
  });
});
