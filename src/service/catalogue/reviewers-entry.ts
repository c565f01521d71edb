/** `steward reviewers`, `/api/v1/reviewers`: per reviewer, Steward's definitions or reviewstats' (`compat`). */
import { StewardError } from '../../model/errors.js';
import {
  renderReviewersCsv,
  renderReviewersText,
  renderReviewstatsCsv,
  renderReviewstatsText,
  type ReviewersReport,
  type ReviewstatsReport,
} from '../../report/reviewers-report.js';
import { parsePositiveInt, type Window } from '../params.js';
import { WINDOW_PARAMS, windowOf } from './common-params.js';
import { choice, paramSchema, type Surface } from './param-schema.js';
import { defineReport } from './report-entry.js';

/** Steward's window, or reviewstats' "N days before now, no upper bound". */
export type ReviewersEntryParams =
  | { compat?: undefined; project?: readonly string[]; window: Window }
  | { compat: 'reviewstats'; project?: readonly string[]; days: number };

/** The result is reviewstats' when asked for with `compat`. */
export function isReviewstats(r: ReviewersReport | ReviewstatsReport): r is ReviewstatsReport {
  return 'compat' in r && r.compat === 'reviewstats';
}

const noWindowBounds = (s: Surface): string =>
  `${s.setting('compat', 'reviewstats')} counts from now − N days with no upper bound: give ${s.example('days', 'N')} (and ${s.example('now', 'T')} to replay), not ${s.name('since')}/${s.name('until')}`;

export const reviewersReport = defineReport({
  name: 'reviewers',
  params: paramSchema({
    ...WINDOW_PARAMS,
    compat: choice(['reviewstats'], "reproduce another tool's numbers exactly: reviewstats (its `reviewers -d N`)", '<tool>'),
  }),
  check: (i, s) => {
    if (i.compat !== undefined && i.compat !== 'reviewstats') {
      throw new StewardError('USAGE', `${s.name('compat')} must be "reviewstats", not "${i.compat}"`, {
        hint: `Leave ${s.name('compat')} out for Steward's own definitions.`,
      });
    }
    if (i.compat && (i.since || i.until)) throw new StewardError('USAGE', noWindowBounds(s));
  },
  resolve: (i, ctx): ReviewersEntryParams =>
    i.compat === 'reviewstats'
      ? { compat: 'reviewstats', project: i.project, days: i.days ? parsePositiveInt(i.days, ctx.surface.name('days'), 36_500) : 90 }
      : { project: i.project, window: windowOf(i, ctx, 90) },
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  // Loaded when built (see lazyBuild): the catalogue stays cheap for the commands that do not build it.
  build: async (store, p, config, now): Promise<ReviewersReport | ReviewstatsReport> => {
    const { buildReviewersView, buildReviewstatsView } = await import('../reviewers-view.js');
    return p.compat === 'reviewstats'
      ? buildReviewstatsView(store, { project: p.project, days: p.days }, config, now)
      : buildReviewersView(store, p, config, now);
  },
  render: {
    text: (r) => (isReviewstats(r) ? renderReviewstatsText(r) : renderReviewersText(r)),
    csv: (r) => (isReviewstats(r) ? renderReviewstatsCsv(r) : renderReviewersCsv(r)),
  },
  cli: {
    command: ['reviewers'],
    formatAfter: 'now',
    description:
      'per reviewer: reviews, votes, +A, disagreements with the cores, core at the time; --compat reviewstats reproduces reviewstats',
  },
});
