/** The core-team reports: `steward core history|idle|candidates|load|mentoring`, `/api/v1/core/…`. */
import { StewardError } from '../../model/errors.js';
import {
  renderCandidatesCsv,
  renderCandidatesText,
  renderCoreHistoryCsv,
  renderCoreHistoryText,
  renderIdleCsv,
  renderIdleText,
  renderLoadCsv,
  renderLoadText,
  renderMentoringCsv,
  renderMentoringText,
} from '../../report/core-report.js';
import { parsePositiveInt } from '../params.js';
import { WINDOW_PARAMS, optionalInt, windowOf } from './common-params.js';
import { cliOnly, flag, int, names, paramSchema, time, webOnly } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

const project = names('project (repeat for several; default: all)');
const now = time('report as of this time instead of the current time', '<time>');

export const coreHistoryReport = defineReport({
  name: 'coreHistory',
  params: paramSchema({ project: names('project (repeat for several; default: all with a core group)') }),
  resolve: (i) => ({ project: i.project }),
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../core-history-view.js'), 'buildCoreHistoryView'),
  render: { text: renderCoreHistoryText, csv: renderCoreHistoryCsv },
  cli: {
    command: ['core', 'history'],
    description: "joins and leaves of each project's core group, from the snapshots `steward sync` records",
  },
});

export const coreIdleReport = defineReport({
  name: 'coreIdle',
  params: paramSchema({
    project,
    threshold: int('fewer reviews than this is idle (default: steward.yaml coreRules.idleThreshold, 10)', 1_000_000),
    days: int('the window: the N days before --now (default: coreRules.idleDays, 90)', 7300),
    // Refused: idle looks back from now. Taken so that the refusal can say so.
    since: webOnly(time('')),
    until: webOnly(time('')),
    now,
  }),
  check: (i, s) => {
    if (!(i.since || i.until)) return;
    throw new StewardError(
      'USAGE',
      s.kind === 'cli'
        ? '`core idle` looks back --days N (default from steward.yaml coreRules.idleDays) from --now; it takes no --since/--until'
        : `core idle looks back ${s.name('days')} from ${s.name('now')}: give ${s.name('days')} (and ${s.name('now')} to replay), not ${s.name('since')}/${s.name('until')}`,
    );
  },
  resolve: (i, ctx) => ({
    project: i.project,
    threshold: optionalInt(i.threshold, 'threshold', ctx),
    days: i.days ? parsePositiveInt(i.days, ctx.surface.name('days'), 36_500) : undefined,
  }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../core-idle-view.js'), 'buildCoreIdleView'),
  render: { text: renderIdleText, csv: renderIdleCsv },
  cli: {
    command: ['core', 'idle'],
    description: 'core reviewers below the review threshold: count, last review, below since when, trend of four quarters',
  },
});

export const coreCandidatesReport = defineReport({
  name: 'coreCandidates',
  params: paramSchema({ ...WINDOW_PARAMS, limit: cliOnly(int('rows in the text output (default 15; JSON and CSV give all)', 1_000_000)) }),
  check: (i, s) => void (i.limit && parsePositiveInt(i.limit, s.name('limit'))),
  resolve: (i, ctx) => ({ project: i.project, window: windowOf(i, ctx, ctx.config.config.coreRules.candidateDays) }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../core-candidates-view.js'), 'buildCoreCandidatesView'),
  render: { text: (r, i) => renderCandidatesText(r, i.limit ? Number(i.limit) : 15), csv: renderCandidatesCsv },
  cli: {
    command: ['core', 'candidates'],
    description:
      'non-core reviewers ranked, with the evidence beside each: volume, consistency, agreement with cores, confirmed -1s, breadth, reasoning',
  },
});

export const coreLoadReport = defineReport({
  name: 'coreLoad',
  params: paramSchema(WINDOW_PARAMS),
  resolve: (i, ctx) => ({ project: i.project, window: windowOf(i, ctx, 90) }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../core-load-view.js'), 'buildCoreLoadView'),
  render: { text: renderLoadText, csv: renderLoadCsv },
  cli: {
    command: ['core', 'load'],
    description: 'review bandwidth per week: patch sets needing review vs core reviews, busiest 20% share, patch sets per core per month',
  },
});

export const coreMentoringReport = defineReport({
  name: 'coreMentoring',
  params: paramSchema({ project, all: flag('include mentorships that have ended'), now }),
  resolve: (i) => ({ project: i.project, all: i.all }),
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../core-mentoring-view.js'), 'buildCoreMentoringView'),
  render: { text: renderMentoringText, csv: renderMentoringCsv },
  cli: {
    command: ['core', 'mentoring'],
    description:
      "each mentored candidate's trajectory since the start against the period before: reviews per week, agreement with cores, breadth",
  },
});
