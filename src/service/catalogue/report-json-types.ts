/**
 * Every catalogue report's JSON type, by name, for the schema generator (scripts/generate-schemas.mjs
 * writes docs/schemas/<report>.json from `ReportJsonTypes`, which `/api/v1/schemas/<report>.json`
 * serves). A new catalogue entry adds its line here — the compile fails until it does — then
 * `npm run schemas` writes its schema.
 */
import type { CiJobsOutput, ExperimentalOutput, ReadinessOutput } from '../../report/ci-report.js';
import type { CandidatesReport, CoreHistoryView, IdleReport, LoadReport, MentoringReport } from '../../report/core-report.js';
import type { OverviewReport } from '../../report/overview-report.js';
import type { PrioritiesList, PrioritiesView } from '../../report/priorities-report.js';
import type { QueueReviewstatsView, QueueStateView, QueueTrivialView } from '../../report/queue-report.js';
import type { ReviewersReport, ReviewstatsReport } from '../../report/reviewers-report.js';
import type { SpecsReportView } from '../../report/specs-report.js';
import type { BandwidthView, WaitsView } from '../../report/waits-report.js';
import type { BugBacklogReport } from '../../analysis/bugs-backlog.js';
import type { BugRotaReport } from '../../analysis/bugs-rota.js';
import type { BugTargetsReport } from '../../analysis/bugs-targets.js';
import type { BugBlueprintsReport } from '../../analysis/bugs-blueprints.js';
import type { SecurityRosterView } from '../../analysis/security-roster.js';
import type { ElectorateView } from '../../report/electorate-report.js';
import type { PeopleView } from '../../report/people-report.js';
import type { HistoryView } from '../../report/history-report.js';
import type { InitiativesList, InitiativeView } from '../../report/initiatives-report.js';
import type { SecurityAdvisoriesView, SecurityCandidatesView } from '../../report/security-advisories-report.js';
import type { CiViews } from '../ci-views.js';
import type { CompaniesView } from '../companies-view.js';
import type { CoreCompaniesView } from '../core-companies-view.js';
import type { DashboardOutput } from '../dashboard-view.js';
import type { DashboardListItem } from './dashboard-entries.js';
import type { Enveloped } from './envelope.js';
import type { ReportName, ResultOf } from './report-catalogue.js';

/**
 * The JSON of each report (`--format json`, `/api/v1/…`): its envelope and its own fields. A report
 * with variants lists each enveloped (the schema generator does not distribute `Enveloped` over a union).
 */
export interface ReportJsonTypes {
  overview: Enveloped<OverviewReport>;
  reviewers: Enveloped<ReviewersReport> | Enveloped<ReviewstatsReport>;
  coreHistory: Enveloped<CoreHistoryView>;
  coreIdle: Enveloped<IdleReport>;
  coreCandidates: Enveloped<CandidatesReport>;
  coreLoad: Enveloped<LoadReport>;
  coreMentoring: Enveloped<MentoringReport>;
  queue: Enveloped<QueueStateView> | Enveloped<QueueReviewstatsView> | Enveloped<QueueTrivialView>;
  waits: Enveloped<WaitsView> | Enveloped<BandwidthView>;
  dashboards: Enveloped<{ dashboards: DashboardListItem[] }>;
  dashboard: Enveloped<DashboardOutput>;
  ciJobs: Enveloped<CiJobsOutput>;
  ciReadiness: Enveloped<ReadinessOutput>;
  ciExperimental: Enveloped<ExperimentalOutput>;
  ci: Enveloped<CiViews>;
  specs: Enveloped<SpecsReportView>;
  priorities: Enveloped<PrioritiesView>;
  prioritiesList: Enveloped<PrioritiesList>;
  securityAdvisories: Enveloped<SecurityAdvisoriesView>;
  securityCandidates: Enveloped<SecurityCandidatesView>;
  securityRoster: Enveloped<SecurityRosterView>;
  initiativeList: Enveloped<InitiativesList>;
  initiativeStatus: Enveloped<InitiativeView>;
  initiativeBrief: Enveloped<InitiativeView>;
  history: Enveloped<HistoryView>;
  electorate: Enveloped<ElectorateView>;
  companies: Enveloped<CompaniesView>;
  coreCompanies: Enveloped<CoreCompaniesView>;
  bugsBacklog: Enveloped<BugBacklogReport>;
  bugsRota: Enveloped<BugRotaReport>;
  bugsTargets: Enveloped<BugTargetsReport>;
  bugsBlueprints: Enveloped<BugBlueprintsReport>;
  people: Enveloped<PeopleView>;
}

// The compile-time check that this list is the catalogue's: every report named, each with its
// build's result type (both ways assignable), and nothing else.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = { [N in ReportName]: Same<ReportJsonTypes[N], ResultOf<N>> extends true ? never : N }[ReportName];
const everyReportTyped: [Mismatched] extends [never] ? (keyof ReportJsonTypes extends ReportName ? true : false) : Mismatched = true;
void everyReportTyped;
