/** The review-flow reports: `steward queue`, `steward waits` (`/api/v1/queue`, `/api/v1/waits`). */
import { StewardError } from '../../model/errors.js';
import { renderQueueCsv, renderQueueText, renderReviewstatsText, renderTrivialText } from '../../report/queue-report.js';
import { renderBandwidthCsv, renderBandwidthText, renderWaitsCsv, renderWaitsText } from '../../report/waits-report.js';
import type { QueueParams } from '../queue-view.js';
import { WINDOW_PARAMS, optionalInt, windowOf } from './common-params.js';
import { choice, flag, inStore, int, names, onlyWith, paramSchema, time } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

export const queueReport = defineReport({
  name: 'queue',
  params: paramSchema({
    project: names('project (repeat for several; default: all)'),
    branch: inStore('branch', names('branch (repeat for several; default: all)')),
    now: time('the queue as it was at this time', '<time>'),
    compat: choice(['reviewstats'], "reproduce another tool's numbers exactly: reviewstats (its `openreviews`)", '<tool>'),
    waitingMore: onlyWith(
      'compat',
      int('with --compat reviewstats: count changes waiting at least this many days (default 7)', 36_500, '<days>'),
    ),
    stable: onlyWith('compat', flag('with --compat reviewstats: include branches whose name contains "stable"')),
    longest: int('how many of the longest waiting to list (default 5)', 1000),
    trivial: flag('the ranked queue of small, CI-passing bug fixes and TrivialFix changes, and who cleared such changes'),
    maxDelta: onlyWith('trivial', int('with --trivial: most lines inserted + deleted (default 30)', 1_000_000, '<lines>')),
    days: onlyWith('trivial', int('with --trivial: the clearance history covers the N days before --until (default 28)', 7300)),
    since: onlyWith('trivial', time('with --trivial: clearance history start')),
    until: onlyWith('trivial', time('with --trivial: clearance history end (default: --now)')),
  }),
  check: (i, s) => {
    if (i.compat && i.compat !== 'reviewstats')
      throw new StewardError('USAGE', `${s.name('compat')} must be reviewstats, not "${i.compat}"`);
    if (i.compat && i.trivial)
      throw new StewardError('USAGE', `give either ${s.setting('compat', 'reviewstats')} or ${s.name('trivial')}, not both`);
  },
  resolve: (i, ctx): QueueParams => {
    const params: QueueParams = {
      project: i.project,
      branch: i.branch,
      compat: i.compat === 'reviewstats' ? 'reviewstats' : undefined,
      trivial: i.trivial,
      longest: optionalInt(i.longest, 'longest', ctx, 1000),
      waitingMore: optionalInt(i.waitingMore, 'waitingMore', ctx, 36_500),
      stable: i.stable,
    };
    if (i.trivial) {
      params.maxDelta = optionalInt(i.maxDelta, 'maxDelta', ctx, 1_000_000);
      params.window = windowOf(i, ctx, 28);
    }
    return params;
  },
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../queue-view.js'), 'buildQueueView'),
  render: {
    text: (r) => (r.kind === 'reviewstats' ? renderReviewstatsText(r) : r.kind === 'trivial' ? renderTrivialText(r) : renderQueueText(r)),
    csv: renderQueueCsv,
  },
  cli: {
    command: ['queue'],
    description: 'the open review queue: what each change waits on, how long; --compat reviewstats, --trivial',
    formatAfter: 'now',
  },
});

export const waitsReport = defineReport({
  name: 'waits',
  params: paramSchema({
    ...WINDOW_PARAMS,
    branch: inStore('branch', names('branch (repeat for several; default: all)')),
    bandwidth: flag('per week: arrivals, core reviews and the queue, and how they relate'),
    areaDepth: int('directory depth that makes an area of the tree (default 3)', 10),
    newcomerChanges: int("an owner's first N changes make them a newcomer (default 3)", 1000),
  }),
  resolve: (i, ctx) => ({
    project: i.project,
    branch: i.branch,
    window: windowOf(i, ctx, 90),
    bandwidth: i.bandwidth,
    areaDepth: optionalInt(i.areaDepth, 'areaDepth', ctx, 10),
    newcomerChanges: optionalInt(i.newcomerChanges, 'newcomerChanges', ctx, 1000),
  }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../waits-view.js'), 'buildWaitsView'),
  render: {
    text: (r) => (r.kind === 'bandwidth' ? renderBandwidthText(r) : renderWaitsText(r)),
    csv: (r) => (r.kind === 'bandwidth' ? renderBandwidthCsv(r) : renderWaitsCsv(r)),
  },
  cli: {
    command: ['waits'],
    description: 'where the time went: changes closed in the period split by what they waited on, by factor; --bandwidth',
    formatAfter: 'branch',
  },
});
