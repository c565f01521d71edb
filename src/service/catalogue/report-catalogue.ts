/**
 * The report catalogue: every report Steward gives, once. The command line (cli/report-command.ts),
 * the API (web/api-routes.ts) and the pages (web/pages) all go through these entries, so a report's
 * parameters, rules, permission, cache scope, result type and renderers are written in one place.
 * docs/adding-a-report.md says how to add one.
 */
import { ciExperimentalReport, ciJobsReport, ciReadinessReport, ciReport } from './ci-entries.js';
import { coreCandidatesReport, coreHistoryReport, coreIdleReport, coreLoadReport, coreMentoringReport } from './core-entries.js';
import { dashboardReport, dashboardsReport } from './dashboard-entries.js';
import { initiativeBriefReport, initiativeListReport, initiativeStatusReport } from './initiative-entries.js';
import { queueReport, waitsReport } from './flow-entries.js';
import { overviewReport } from './overview-entry.js';
import { prioritiesListReport, prioritiesReport } from './priorities-entries.js';
import type { AnyReportEntry, ReportEntry } from './report-entry.js';
import { reviewersReport } from './reviewers-entry.js';
import { specsReport } from './specs-entries.js';
import { securityAdvisoriesReport, securityCandidatesReport } from './security-advisories-entries.js';
import { securityRosterReport } from './security-entries.js';
import { historyReport } from './history-entry.js';
import { electorateReport } from './electorate-entry.js';
import { companiesReport } from './companies-entry.js';
import { coreCompaniesReport } from './core-companies-entry.js';
import { peopleReport } from './people-entry.js';
import { bugsBacklogReport, bugsBlueprintsReport, bugsRotaReport, bugsTargetsReport } from './bugs-entries.js';

export const REPORTS = {
  overview: overviewReport,
  reviewers: reviewersReport,
  coreHistory: coreHistoryReport,
  coreIdle: coreIdleReport,
  coreCandidates: coreCandidatesReport,
  coreLoad: coreLoadReport,
  coreMentoring: coreMentoringReport,
  queue: queueReport,
  waits: waitsReport,
  dashboards: dashboardsReport,
  dashboard: dashboardReport,
  ciJobs: ciJobsReport,
  ciReadiness: ciReadinessReport,
  ciExperimental: ciExperimentalReport,
  ci: ciReport,
  specs: specsReport,
  priorities: prioritiesReport,
  prioritiesList: prioritiesListReport,
  securityAdvisories: securityAdvisoriesReport,
  securityCandidates: securityCandidatesReport,
  securityRoster: securityRosterReport,
  initiativeList: initiativeListReport,
  initiativeStatus: initiativeStatusReport,
  initiativeBrief: initiativeBriefReport,
  history: historyReport,
  electorate: electorateReport,
  companies: companiesReport,
  coreCompanies: coreCompaniesReport,
  bugsBacklog: bugsBacklogReport,
  bugsRota: bugsRotaReport,
  bugsTargets: bugsTargetsReport,
  bugsBlueprints: bugsBlueprintsReport,
  people: peopleReport,
} as const;

export type ReportName = keyof typeof REPORTS;

/** A report's result type, by name: `ResultOf<'overview'>` is OverviewReport. */
export type ResultOf<N extends ReportName> = (typeof REPORTS)[N] extends ReportEntry<infer _S, infer _P, infer R> ? R : never;

/** The entries by name, for generic callers (the compute threads look an entry up by its name). */
export const CATALOGUE: Readonly<Record<string, AnyReportEntry>> = REPORTS;
