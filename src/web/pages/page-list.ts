/** Every page: its path, title and renderer; the URL parameters it takes are in page-queries.ts. */
import type { Action } from '../../service/authorize.js';
import type { AppContext } from '../app-context.js';
import type { SafeHtml } from '../html.js';
import { bugsBacklogPage, bugsBlueprintsPage, bugsRotaPage, bugsTargetsPage } from './bugs-page.js';
import { ciPage } from './ci-page.js';
import { corePage } from './core-page.js';
import { dashboardPage, dashboardsPage } from './dashboards-page.js';
import { electoratePage } from './electorate-page.js';
import { historyPage } from './history-page.js';
import { initiativePage, initiativesPage } from './initiatives-page.js';
import type { PageContext } from './layout.js';
import { overviewPage } from './overview-page.js';
import { peoplePage } from './people-page.js';
import type { PagePath } from './page-queries.js';
import { prioritiesPage } from './priorities-page.js';
import { queuePage } from './queue-page.js';
import { reviewersPage } from './reviewers-page.js';
import { securityAdvisoriesPage } from './security-advisories-page.js';
import { specsPage } from './specs-page.js';
import { waitsPage } from './waits-page.js';

export interface PageDef {
  path: PagePath;
  title: string;
  render: (pc: PageContext, ctx: AppContext, pathParams: Record<string, string>) => Promise<SafeHtml>;
  /** The page shows data other than Gerrit changes (the code history): a store without changes does not get the "store is empty" page. */
  withoutChanges?: boolean;
  /** The action the reader needs beyond reading (with `steward serve --auth`); default: read. */
  action?: Action;
}

/** Every page; its query string is PAGE_QUERIES[path] (the parameters of the catalogue entry it shows). */
export const PAGES: PageDef[] = [
  { path: '/', title: 'Overview', render: overviewPage },
  { path: '/reviewers', title: 'Reviewers', render: reviewersPage },
  { path: '/core', title: 'Core team', render: corePage },
  { path: '/queue', title: 'Review queue', render: queuePage },
  { path: '/dashboards', title: 'Dashboards', render: dashboardsPage },
  { path: '/dashboards/:name', title: 'Dashboard', render: dashboardPage },
  { path: '/waits', title: 'Why reviews wait', render: waitsPage },
  { path: '/ci', title: 'CI jobs and voting readiness', render: ciPage },
  { path: '/specs', title: 'Specs', render: specsPage },
  { path: '/priorities', title: 'Priorities', render: prioritiesPage },
  { path: '/security/advisories', title: 'Security advisories', render: securityAdvisoriesPage },
  { path: '/initiatives', title: 'Initiatives', render: initiativesPage },
  { path: '/initiatives/:name', title: 'Initiative', render: initiativePage },
  { path: '/history', title: 'Code history', render: historyPage, withoutChanges: true },
  { path: '/electorate', title: 'Electorate', render: electoratePage, withoutChanges: true, action: 'electorate.read' },
  { path: '/bugs', title: 'Bugs: backlog', render: bugsBacklogPage },
  { path: '/bugs/rota', title: 'Bugs: trivial-fix rota', render: bugsRotaPage },
  { path: '/bugs/targets', title: 'Bugs: targets', render: bugsTargetsPage },
  { path: '/bugs/blueprints', title: 'Bugs: blueprints', render: bugsBlueprintsPage },
  { path: '/people', title: 'People', render: peoplePage, withoutChanges: true },
];
