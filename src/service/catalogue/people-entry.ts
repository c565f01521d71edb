/**
 * `steward people list`, `/api/v1/people`, the /people page: people with their identities,
 * affiliations and activity (e-mail addresses only for leads and admins, as the electorate).
 */
import { renderPeopleCsv, renderPeopleText } from '../../report/people-report.js';
import { flag, int, paramSchema, text, time } from './param-schema.js';
import { defineReport, lazyBuild, type ResolveContext } from './report-entry.js';
import { optionalInt, WINDOW_PARAMS, windowOf } from './common-params.js';
import { StewardError } from '../../model/errors.js';

/** `release` or a window (`days`, `since`, `until`), not both: shared by the people reports. */
export function activityWindowParams(i: { release?: string; days?: string; since?: string; until?: string }, ctx: ResolveContext) {
  if (i.release && (i.days || i.since || i.until))
    throw new StewardError(
      'USAGE',
      `give either ${ctx.surface.name('release')} or a window (${ctx.surface.name('days')}, ${ctx.surface.name('since')}, ${ctx.surface.name('until')}), not both`,
    );
  return { release: i.release ?? null, window: windowOf(i, ctx, 90) };
}

export const peopleReport = defineReport({
  name: 'people',
  params: paramSchema({
    search: text('people whose name, Gerrit username, Launchpad id (or, for leads and admins, address) holds this text', 200, '<text>'),
    person: text('one person, by any identity: an address, HOST/ID, launchpad:ID', 300, '<identity>'),
    release: text("activity counted in one release's window (instead of --days, --since, --until)", 100, '<name>'),
    days: WINDOW_PARAMS.days,
    since: WINDOW_PARAMS.since,
    until: WINDOW_PARAMS.until,
    limit: int('people listed (default 200)', 100_000),
    bots: flag('list bots too (marked)'),
    now: time('report as of this time', '<time>'),
  }),
  resolve: (i, ctx) => ({
    search: i.search ?? null,
    person: i.person ?? null,
    ...activityWindowParams(i, ctx),
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
