/** `steward overview`, `/api/v1/overview`, the front page: the project at a glance. */
import { renderOverviewCsv, renderOverviewText } from '../../report/overview-report.js';
import { WINDOW_PARAMS, windowOf } from './common-params.js';
import { flag, paramSchema } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const overviewReport = defineReport({
  name: 'overview',
  params: paramSchema({
    ...WINDOW_PARAMS,
    full: flag(
      'also the CI line, CI health, core-team and queue sections (they read every CI run, review or open change of the window: seconds on a large store)',
    ),
  }),
  resolve: (i, ctx) => ({ project: i.project, window: windowOf(i, ctx, 90), full: i.full === true }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../overview-view.js'), 'buildOverviewView'),
  render: { text: renderOverviewText, csv: renderOverviewCsv },
  cli: {
    command: ['overview'],
    description: 'the project at a glance: changes, open changes and waits, reviewers, CI',
    // Its reads of the changes, the reviews and the CI reports (each seconds of the server's time
    // under load) run side by side on PostgreSQL.
    connections: 4,
  },
});
