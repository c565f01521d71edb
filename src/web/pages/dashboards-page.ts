/** Dashboards: the Gerrit search dashboards (configured and shipped), each evaluated against the store. */
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { changeLink, num, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';
import { DASHBOARD_PER_PAGE } from '../../service/catalogue/dashboard-entries.js';
import { pageDashboard } from '../../service/dashboard-view.js';

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

/** A sentence: trimmed, ending with a full stop unless it has its own end. */
export function sentence(s: string | null | undefined): string {
  const t = (s ?? '').trim();
  if (!t) return '';
  return /[.!?:]$/.test(t) ? t : `${t}.`;
}

export async function dashboardPage(pc: PageContext, ctx: AppContext, params: Record<string, string>): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  // The whole dashboard is computed (and cached) once, as the API without paging gives it; the page shows one page of it.
  const full = await buildReport(ctx, REPORTS.dashboard, {
    query: { ...pc.query, page: undefined, perPage: undefined },
    path: { name: params.name ?? '' },
    reader: pc.reader,
  });
  const d = pageDashboard(full, { page: pc.query.page ?? 1, perPage: pc.query.perPage ?? DASHBOARD_PER_PAGE });
  const paging = d.paging!;
  const first = (paging.page - 1) * paging.perPage;
  const pageLink = (n: number) =>
    urlFor(`/dashboards/${encodeURIComponent(d.name)}`, q, { page: n === 1 ? undefined : n }, [
      'project',
      'now',
      'as',
      'perPage',
      'sort',
      'dir',
    ]);
  const pager =
    paging.pages > 1
      ? html`<nav class="pager" aria-label="Pages"><span>Page ${num(paging.page)} of ${num(paging.pages)} (${num(paging.perPage)} changes per section on a page)</span>${
          paging.page > 1 ? html` <a rel="prev" href="${pageLink(paging.page - 1)}">← previous</a>` : ''
        }${paging.page < paging.pages ? html` <a rel="next" href="${pageLink(paging.page + 1)}">next →</a>` : ''}</nav>`
      : '';
  const intro = [
    sentence(d.description),
    d.foreach ? html`Every section also matches <code>${d.foreach}</code>.` : '',
    `From ${d.origin}; as of ${d.now.slice(0, 16).replace('T', ' ')} UTC.`,
  ].filter((x) => x !== '');
  const body = html`
${intro.map((x) => html`<p class="lead">${x}</p>`)}
${pager}
${d.sections.map((s, i) => {
  const shown = s.changes.length
    ? html`changes ${num(first + 1)}–${num(first + s.changes.length)} of ${num(s.count)}`
    : html`${num(s.count)} change${s.count === 1 ? '' : 's'}`;
  return html`<section><h2>${s.name} <small>(${num(s.count)})</small></h2><p class="query"><code>${s.query}</code></p>
${s.count > 0 ? html`<p class="shown" id="dashboard-section-${i}-shown">Showing ${shown}.</p>` : ''}
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
  { id: `dashboard-section-${i}`, filter: s.changes.length > 10, empty: s.count > 0 ? 'None on this page.' : 'No changes.' },
)}</section>`;
})}
${pager}`;
  return page(pc, d.title, body, {
    chooser: { window: false },
    api: [urlFor(`/api/v1/dashboards/${encodeURIComponent(d.name)}`, q, {}, ['project', 'now', 'as', 'page', 'perPage'])],
  });
}
