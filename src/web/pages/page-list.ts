/** Every page: its path, title, the URL parameters it takes and its renderer. */
import type { AppContext } from '../app-context.js';
import type { SafeHtml } from '../html.js';
import type { ParamName } from '../query-params.js';
import { ciPage } from './ci-page.js';
import { corePage } from './core-page.js';
import { dashboardPage, dashboardsPage } from './dashboards-page.js';
import type { PageContext } from './layout.js';
import { overviewPage } from './overview-page.js';
import { prioritiesPage } from './priorities-page.js';
import { queuePage } from './queue-page.js';
import { reviewersPage } from './reviewers-page.js';
import { specsPage } from './specs-page.js';
import { waitsPage } from './waits-page.js';

export interface PageDef {
  path: string;
  title: string;
  params: ParamName[];
  render: (pc: PageContext, ctx: AppContext, pathParams: Record<string, string>) => Promise<SafeHtml>;
}

const WINDOW: ParamName[] = ['project', 'days', 'since', 'until', 'now'];

export const PAGES: PageDef[] = [
  { path: '/', title: 'Overview', params: WINDOW, render: overviewPage },
  { path: '/reviewers', title: 'Reviewers', params: WINDOW, render: reviewersPage },
  { path: '/core', title: 'Core team', params: WINDOW, render: corePage },
  { path: '/queue', title: 'Review queue', params: [...WINDOW, 'trivial'], render: queuePage },
  { path: '/dashboards', title: 'Dashboards', params: ['project', 'now'], render: dashboardsPage },
  { path: '/dashboards/:name', title: 'Dashboard', params: ['project', 'now', 'as'], render: dashboardPage },
  { path: '/waits', title: 'Why reviews wait', params: [...WINDOW, 'branch'], render: waitsPage },
  { path: '/ci', title: 'CI jobs and voting readiness', params: WINDOW, render: ciPage },
  { path: '/specs', title: 'Specs', params: ['project', 'now', 'release'], render: specsPage },
  { path: '/priorities', title: 'Priorities', params: ['project', 'now', 'release'], render: prioritiesPage },
];
