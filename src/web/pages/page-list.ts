/** Every page: its path, title, the URL parameters it takes (from the catalogue entry it shows) and its renderer. */
import { REPORTS } from '../../service/catalogue/report-catalogue.js';
import type { AppContext } from '../app-context.js';
import type { SafeHtml } from '../html.js';
import { bugsBacklogPage, bugsRotaPage, bugsTargetsPage } from './bugs-page.js';
import { ciPage } from './ci-page.js';
import { corePage } from './core-page.js';
import { dashboardPage, dashboardsPage } from './dashboards-page.js';
import type { PageContext } from './layout.js';
import { overviewPage } from './overview-page.js';
import { initiativePage, initiativesPage } from './initiatives-page.js';
import { prioritiesPage } from './priorities-page.js';
import { queuePage } from './queue-page.js';
import { reviewersPage } from './reviewers-page.js';
import { securityAdvisoriesPage } from './security-advisories-page.js';
import { specsPage } from './specs-page.js';
import { waitsPage } from './waits-page.js';
import { historyPage } from './history-page.js';
import { electoratePage } from './electorate-page.js';
import type { Action } from '../../service/authorize.js';

export interface PageDef {
  path: string;
  title: string;
  /** The querystring schema: the parameters of the page's form, as its report's entry defines them. */
  query: { type: 'object'; additionalProperties: false; properties: Record<string, unknown> };
  render: (pc: PageContext, ctx: AppContext, pathParams: Record<string, string>) => Promise<SafeHtml>;
  /** The page shows data other than Gerrit changes (the code history): a store without changes does not get the "store is empty" page. */
  withoutChanges?: boolean;
  /** The action the reader needs beyond reading (with `steward serve --auth`); default: read. */
  action?: Action;
}

const WINDOW = ['project', 'days', 'since', 'until', 'now'] as const;

export const PAGES: PageDef[] = [
  { path: '/', title: 'Overview', query: REPORTS.overview.params.querystring(WINDOW), render: overviewPage },
  { path: '/reviewers', title: 'Reviewers', query: REPORTS.reviewers.params.querystring(WINDOW), render: reviewersPage },
  { path: '/core', title: 'Core team', query: REPORTS.coreLoad.params.querystring(WINDOW), render: corePage },
  { path: '/queue', title: 'Review queue', query: REPORTS.queue.params.querystring([...WINDOW, 'trivial']), render: queuePage },
  { path: '/dashboards', title: 'Dashboards', query: REPORTS.dashboard.params.querystring(['project', 'now']), render: dashboardsPage },
  {
    path: '/dashboards/:name',
    title: 'Dashboard',
    query: REPORTS.dashboard.params.querystring(['project', 'now', 'as']),
    render: dashboardPage,
  },
  { path: '/waits', title: 'Why reviews wait', query: REPORTS.waits.params.querystring([...WINDOW, 'branch']), render: waitsPage },
  { path: '/ci', title: 'CI jobs and voting readiness', query: REPORTS.ci.params.querystring(WINDOW), render: ciPage },
  { path: '/specs', title: 'Specs', query: REPORTS.specs.params.querystring(['project', 'now', 'release']), render: specsPage },
  {
    path: '/priorities',
    title: 'Priorities',
    query: REPORTS.priorities.params.querystring(['project', 'now', 'release']),
    render: prioritiesPage,
  },
  {
    path: '/security/advisories',
    title: 'Security advisories',
    query: REPORTS.securityAdvisories.params.querystring(['product', 'earlyDays', 'lateDays', 'now']),
    render: securityAdvisoriesPage,
  },
  {
    path: '/initiatives',
    title: 'Initiatives',
    query: REPORTS.initiativeStatus.params.querystring(['project', 'now']),
    render: initiativesPage,
  },
  {
    path: '/initiatives/:name',
    title: 'Initiative',
    query: REPORTS.initiativeStatus.params.querystring(['project', 'now']),
    render: initiativePage,
  },
  {
    path: '/history',
    title: 'Code history',
    query: REPORTS.history.params.querystring(['now', 'release', 'repo']),
    render: historyPage,
    withoutChanges: true,
  },
  {
    path: '/electorate',
    title: 'Electorate',
    query: REPORTS.electorate.params.querystring(['release', 'project', 'now']),
    render: electoratePage,
    withoutChanges: true,
    action: 'electorate.read',
  },
  {
    path: '/bugs',
    title: 'Bugs: backlog',
    query: REPORTS.bugsBacklog.params.querystring(['project', 'weeks', 'now']),
    render: bugsBacklogPage,
  },
  {
    path: '/bugs/rota',
    title: 'Bugs: trivial-fix rota',
    query: REPORTS.bugsRota.params.querystring(['project', 'weeks', 'limit', 'now']),
    render: bugsRotaPage,
  },
  {
    path: '/bugs/targets',
    title: 'Bugs: targets',
    query: REPORTS.bugsTargets.params.querystring(['project', 'limit', 'now']),
    render: bugsTargetsPage,
  },
];
