/**
 * The service functions the web calls, one per report: the same ones the CLI calls. buildApp takes
 * them as a dependency so a cache (or a test) can wrap them without touching the routes.
 */
import { buildCiExperimentalView } from '../service/ci-experimental-view.js';
import { buildCiJobsView } from '../service/ci-jobs-view.js';
import { buildCiReadinessView } from '../service/ci-readiness-view.js';
import { buildCiViews } from '../service/ci-views.js';
import { buildCoreCandidatesView } from '../service/core-candidates-view.js';
import { buildCoreHistoryView } from '../service/core-history-view.js';
import { buildCoreIdleView } from '../service/core-idle-view.js';
import { buildCoreLoadView } from '../service/core-load-view.js';
import { buildCoreMentoringView } from '../service/core-mentoring-view.js';
import { buildDashboardView } from '../service/dashboard-view.js';
import { buildOverviewView } from '../service/overview-view.js';
import { buildPrioritiesList, buildPrioritiesView } from '../service/priorities-view.js';
import { buildQueueView } from '../service/queue-view.js';
import { buildReviewersView, buildReviewstatsView } from '../service/reviewers-view.js';
import { buildSpecsReportView } from '../service/specs-report-view.js';
import { buildWaitsView } from '../service/waits-view.js';

export interface ReportViews {
  overview: typeof buildOverviewView;
  reviewers: typeof buildReviewersView;
  reviewstats: typeof buildReviewstatsView;
  coreHistory: typeof buildCoreHistoryView;
  coreIdle: typeof buildCoreIdleView;
  coreCandidates: typeof buildCoreCandidatesView;
  coreLoad: typeof buildCoreLoadView;
  coreMentoring: typeof buildCoreMentoringView;
  queue: typeof buildQueueView;
  waits: typeof buildWaitsView;
  dashboard: typeof buildDashboardView;
  ciJobs: typeof buildCiJobsView;
  ciReadiness: typeof buildCiReadinessView;
  ciExperimental: typeof buildCiExperimentalView;
  ci: typeof buildCiViews;
  specs: typeof buildSpecsReportView;
  priorities: typeof buildPrioritiesView;
  prioritiesList: typeof buildPrioritiesList;
}

/** The service layer's functions, unwrapped. */
export const defaultReportViews: ReportViews = {
  overview: buildOverviewView,
  reviewers: buildReviewersView,
  reviewstats: buildReviewstatsView,
  coreHistory: buildCoreHistoryView,
  coreIdle: buildCoreIdleView,
  coreCandidates: buildCoreCandidatesView,
  coreLoad: buildCoreLoadView,
  coreMentoring: buildCoreMentoringView,
  queue: buildQueueView,
  waits: buildWaitsView,
  dashboard: buildDashboardView,
  ciJobs: buildCiJobsView,
  ciReadiness: buildCiReadinessView,
  ciExperimental: buildCiExperimentalView,
  ci: buildCiViews,
  specs: buildSpecsReportView,
  priorities: buildPrioritiesView,
  prioritiesList: buildPrioritiesList,
};
