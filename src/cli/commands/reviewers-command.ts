/**
 * `steward reviewers`: per-reviewer statistics (Steward's definitions, or reviewstats' with
 * `--compat reviewstats`): the catalogue's reviewers entry (service/catalogue/reviewers-entry.ts).
 */
import { reviewersReport } from '../../service/catalogue/reviewers-entry.js';
import type { Runtime, WindowReportOptions } from '../context.js';
import { runReport } from '../report-command.js';

export interface ReviewersCommandOptions extends WindowReportOptions {
  compat?: string;
}

export async function runReviewers(o: ReviewersCommandOptions, rt: Runtime): Promise<void> {
  await runReport(reviewersReport, { ...o }, rt);
}
