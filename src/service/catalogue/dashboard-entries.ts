/** Dashboards of Gerrit search queries: the list (`steward dashboard --list`, `/api/v1/dashboards`) and one evaluated (`steward dashboard NAME`, `/api/v1/dashboards/NAME`). */
import { renderDashboardCsv, renderDashboardList, renderDashboardText } from '../../report/dashboard-report.js';
import type { DashboardOutput } from '../dashboard-view.js';
import { parsePositiveInt } from '../params.js';
import { cliOnly, int, names, paramSchema, text, time, webOnly } from './param-schema.js';
import { defineReport, lazyBuild } from './report-entry.js';

/** Changes per section on a page of a dashboard, when a page is asked for without perPage (and on the web page). */
export const DASHBOARD_PER_PAGE = 50;

/** A dashboard as the list names it. */
export interface DashboardListItem {
  name: string;
  title: string;
  sections: number;
  origin: string;
}

export const dashboardsReport = defineReport({
  name: 'dashboards',
  // The list does not depend on the time; `now` fixes the envelope's, so its JSON can be reproduced.
  params: paramSchema({ now: time('evaluate as of this time', '<time>') }),
  resolve: (_i, ctx) => ({ cwd: ctx.cwd }),
  action: 'read',
  cache: 'shared',
  build: async (_store, p, config): Promise<{ dashboards: DashboardListItem[] }> => ({
    dashboards: (await import('../dashboard-view.js')).availableDashboards(config.config, config.path, p.cwd).map((d) => ({
      name: d.def.name,
      title: d.def.title,
      sections: d.def.sections.length,
      origin: d.def.origin,
    })),
  }),
  // The list has no table form: CSV prints it as text.
  render: { text: (r) => renderDashboardList(r.dashboards), csv: (r) => renderDashboardList(r.dashboards) },
});

export const dashboardReport = defineReport({
  name: 'dashboard',
  params: paramSchema({
    file: cliOnly(text('a gerrit-dash-creator .dash file instead of a named dashboard', 4096, '<path>')),
    query: cliOnly(text('one Gerrit search query instead of a dashboard', 4096, '<query>')),
    project: names('only changes of this project (repeat for several; default: all)'),
    as: text('who "self" is in the queries (owner:self, label:Code-Review>=1,self)', 300, '<user>'),
    now: time('evaluate as of this time', '<time>'),
    show: cliOnly(int('changes shown per section in text (default 20)', 100_000)),
    page: webOnly(int('page of each section’s changes (with perPage; default 1)', 100_000)),
    perPage: webOnly(int('changes per section on a page (default: all; 50 when page is given)', 1000)),
  }),
  check: (i, s) => void (i.show && parsePositiveInt(i.show, s.name('show'), 100_000)),
  resolve: (i, ctx) => ({
    name: ctx.path.name,
    file: i.file,
    query: i.query,
    project: i.project,
    as: i.as,
    cwd: ctx.cwd,
    paging: i.page || i.perPage ? { page: Number(i.page ?? 1), perPage: Number(i.perPage ?? DASHBOARD_PER_PAGE) } : null,
  }),
  needs: ['changes'],
  action: 'read',
  cache: 'shared',
  build: lazyBuild(() => import('../dashboard-view.js'), 'buildDashboardView'),
  render: {
    text: (r: DashboardOutput, i) => renderDashboardText(r, i.show ? Number(i.show) : 20),
    csv: (r: DashboardOutput) => renderDashboardCsv(r),
  },
});
