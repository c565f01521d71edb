/** Dashboards: the Gerrit search dashboards (configured and shipped), each evaluated against the store. */
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { changeLink, num, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

export async function dashboardsPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const list = await buildReport(ctx, REPORTS.dashboards, { query: {}, reader: pc.reader });
  const body = table(
    [
      {
        key: 'title',
        label: 'Dashboard',
        cell: (x) => html`<a href="${urlFor(`/dashboards/${encodeURIComponent(x.name)}`, q)}">${x.title}</a>`,
      },
      { key: 'sections', label: 'Sections', numeric: true, cell: (x) => num(x.sections) },
      { key: 'origin', label: 'From', cell: (x) => x.origin },
    ],
    list.dashboards,
    { id: 'dashboards' },
  );
  return page(pc, 'Dashboards', body, { chooser: { window: false }, api: ['/api/v1/dashboards'] });
}

export async function dashboardPage(pc: PageContext, ctx: AppContext, params: Record<string, string>): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const d = await buildReport(ctx, REPORTS.dashboard, { query: pc.query, path: { name: params.name ?? '' }, reader: pc.reader });
  const body = html`
<p class="lead">${d.description ?? ''} ${d.foreach ? html`Every section also matches <code>${d.foreach}</code>.` : ''} From ${d.origin}; as of ${d.now.slice(0, 16).replace('T', ' ')} UTC.</p>
${d.sections.map(
  (s, i) => html`<section><h2>${s.name} <small>(${num(s.count)})</small></h2><p class="query"><code>${s.query}</code></p>
${table(
  [
    { key: 'number', label: 'Change', numeric: true, cell: (x) => changeLink(x.number, x.url) },
    { key: 'project', label: 'Project', cell: (x) => x.project },
    { key: 'subject', label: 'Subject', cell: (x) => x.subject },
    { key: 'owner', label: 'Owner', cell: (x) => x.owner },
    { key: 'state', label: 'Waits on', cell: (x) => x.state },
    { key: 'updated', label: 'Updated (days ago)', numeric: true, cell: (x) => num(x.updatedDays) },
  ],
  s.changes,
  { id: `dashboard-section-${i}`, filter: s.changes.length > 10, empty: 'No changes.' },
)}</section>`,
)}`;
  return page(pc, d.title, body, {
    chooser: { window: false },
    api: [urlFor(`/api/v1/dashboards/${encodeURIComponent(d.name)}`, q, {}, ['project', 'now'])],
  });
}
