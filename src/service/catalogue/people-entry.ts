/**
 * `steward people list`, `/api/v1/people`, the /people page: people with their identities,
 * affiliations and activity (e-mail addresses only for leads and admins, as the electorate).
 */
import { renderPeopleCsv, renderPeopleText } from '../../report/people-report.js';
import { flag, int, paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';
import { optionalInt } from './common-params.js';

export const peopleReport = defineReport({
  name: 'people',
  params: paramSchema({
    search: text('people whose name, Gerrit username, Launchpad id (or, for leads and admins, address) holds this text', 200, '<text>'),
    person: text('one person, by any identity: an address, HOST/ID, launchpad:ID', 300, '<identity>'),
    release: text('activity counted in one release window (default: the whole history)', 100, '<name>'),
    limit: int('people listed (default 200)', 100_000),
    bots: flag('list bots too (marked)'),
    now: time('report as of this time', '<time>'),
  }),
  resolve: (i, ctx) => ({
    search: i.search ?? null,
    person: i.person ?? null,
    release: i.release ?? null,
    limit: optionalInt(i.limit, 'limit', ctx, 100_000) ?? 200,
    includeBots: Boolean(i.bots),
    cwd: ctx.cwd,
  }),
  // Its people come from the code history and the review data: a store with neither has none.
  needs: ['git', 'changes'],
  action: 'read',
  cache: 'per-reader',
  build: lazyBuild(() => import('../people-view.js'), 'buildPeopleView'),
  render: { text: renderPeopleText, csv: renderPeopleCsv },
  cli: {
    command: ['people', 'list'],
    description:
      'people (identities joined): Gerrit accounts per host, e-mails, Launchpad ids, affiliations over time, commits, changes and reviews; bots marked',
  },
});
