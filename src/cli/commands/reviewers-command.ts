/**
 * `steward reviewers`: per-reviewer statistics (Steward's definitions, or reviewstats' with
 * `--compat reviewstats`), built by service/reviewers-view.ts.
 */
import { StewardError } from '../../model/errors.js';
import {
  renderReviewersCsv, renderReviewersText, renderReviewstatsCsv, renderReviewstatsText,
} from '../../report/reviewers-report.js';
import { buildReviewersView, buildReviewstatsView } from '../../service/reviewers-view.js';
import { effectiveConfig, openStoreFor, type Runtime, type WindowReportOptions } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime, resolveWindow } from '../options.js';

export interface ReviewersCommandOptions extends WindowReportOptions {
  compat?: string;
}

export async function runReviewers(o: ReviewersCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (o.compat !== undefined && o.compat !== 'reviewstats') {
    throw new StewardError('USAGE', `--compat must be "reviewstats", not "${o.compat}"`, { hint: 'Leave --compat out for Steward\'s own definitions.' });
  }
  if (o.compat && (o.since || o.until)) {
    throw new StewardError('USAGE', '--compat reviewstats counts from now − N days with no upper bound: give --days N (and --now T to replay), not --since/--until');
  }
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    if (o.compat) {
      const now = o.now ? parseTime(o.now, '--now') : rt.clock();
      const days = o.days ? parsePositiveInt(o.days, '--days', 36_500) : 90;
      const report = await buildReviewstatsView(store, { project: o.project, days }, config, now);
      if (format === 'json') rt.stdout(JSON.stringify(report, null, 2) + '\n');
      else if (format === 'csv') rt.stdout(renderReviewstatsCsv(report));
      else rt.stdout(renderReviewstatsText(report));
      return;
    }
    const window = resolveWindow(o, rt.clock, 90);
    const report = await buildReviewersView(store, { project: o.project, window }, config, window.now);
    if (format === 'json') rt.stdout(JSON.stringify(report, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderReviewersCsv(report));
    else rt.stdout(renderReviewersText(report));
  } finally {
    await store.close();
  }
}
