/** The code history per release window: commits and authors per release and per week, landing-time curves. */
import { isStewardError } from '../../model/errors.js';
import type { HistoryView } from '../../report/history-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, day, notice, num, pct, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

const KEEP = ['now', 'release', 'repo'];

export async function historyPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  let v: HistoryView;
  try {
    v = await buildReport(ctx, REPORTS.history, { query: pc.query, reader: pc.reader });
  } catch (e) {
    if (isStewardError(e) && e.code === 'NOT_FOUND') {
      return page(pc, 'Code history', notice('note', html`<p>${e.message}.</p><p>${e.details.hint ?? ''}</p>`), { chooser: null });
    }
    throw e;
  }
  const rs = v.releases;
  const link = (name: string) => html`<a href="${urlFor('/history', q, { release: name }, KEEP)}">${name}</a>`;
  const days = (x: { days: number | null; lower: number | null; upper: number | null }) =>
    x.days === null ? '–' : `${x.days.toFixed(1)} [${x.lower?.toFixed(1) ?? '?'}, ${x.upper?.toFixed(1) ?? '?'}]`;
  const curveDays = rs[0]?.landingTime.curve.map((p) => p.days) ?? [];
  const body = html`
<p class="lead">${v.sources.codeHistory}; release calendar: ${v.calendar.source}. Landings ${day(v.span.first)} to ${day(v.span.last)}. Authors are e-mail addresses, not people; bots are left out of them.</p>
${chart(
  'history-commits',
  'Commits landed per release window',
  {
    type: 'bar',
    labels: rs.map((r) => r.release),
    xTitle: 'Release',
    yTitle: 'commits',
    y2Title: 'authors',
    series: [
      { label: 'merged', data: rs.map((r) => r.merged) },
      { label: 'backports', data: rs.map((r) => r.backports) },
      { label: 'fast-forwarded', data: rs.map((r) => r.fastForwarded) },
    ],
  },
  'Merged: non-merge commits landed on the main branch in the window; backports (brought back by a release-tag merge) apart.',
)}
${chart('history-authors', 'Authors per release window', {
  type: 'bar',
  labels: rs.map((r) => r.release),
  xTitle: 'Release',
  yTitle: 'authors (addresses)',
  series: [
    { label: 'authors', data: rs.map((r) => r.authors) },
    { label: 'first-time', data: rs.map((r) => r.firstTimeAuthors) },
    { label: 'retained from the previous window', data: rs.map((r) => r.retainedAuthors) },
  ],
})}
${chart(
  'history-landing',
  'Share landed within N days of the author date',
  {
    type: 'line',
    labels: curveDays,
    xTitle: 'days',
    yTitle: 'share landed',
    percent: true,
    series: rs.map((r) => ({ label: r.release, data: r.landingTime.curve.map((p) => p.share), stepped: true })),
  },
  'Author date to landing on the main branch, for the merged commits by people.',
)}
${chart('history-weeks', v.release ? `${v.release}: commits and authors per week` : 'Commits and authors per week', {
  type: 'line',
  labels: v.weeks.map((w) => w.week.slice(0, 10)),
  xTitle: 'Week of',
  yTitle: 'commits',
  y2Title: 'authors',
  series: [
    { label: 'merged', data: v.weeks.map((w) => w.merged) },
    { label: 'backports', data: v.weeks.map((w) => w.backports) },
    { label: 'authors', data: v.weeks.map((w) => w.authors), axis: 'y2' },
  ],
})}
${table(
  [
    { key: 'release', label: 'Release', cell: (r) => link(r.release) },
    { key: 'start', label: 'From', cell: (r) => day(r.start) },
    { key: 'end', label: 'To', cell: (r) => day(r.end) + (r.inProgress ? ' (so far)' : '') + (r.partial ? ' (partial)' : '') },
    { key: 'merged', label: 'Merged', numeric: true, cell: (r) => num(r.merged) },
    { key: 'backports', label: 'Backports', numeric: true, cell: (r) => num(r.backports) },
    { key: 'ff', label: 'Fast-forwarded', numeric: true, cell: (r) => num(r.fastForwarded) },
    { key: 'authors', label: 'Authors', numeric: true, cell: (r) => num(r.authors) },
    { key: 'new', label: 'First-time', numeric: true, cell: (r) => num(r.firstTimeAuthors) },
    { key: 'retained', label: 'Retained', numeric: true, cell: (r) => `${num(r.retainedAuthors)} (${pct(r.retentionShare, 0)})` },
    { key: 'bug', label: 'Naming a bug', numeric: true, cell: (r) => num(r.namingBug) },
    { key: 'bp', label: 'Naming a blueprint', numeric: true, cell: (r) => num(r.namingBlueprint) },
    { key: 'median', label: 'Median days [95%]', cell: (r) => days(r.landingTime.median) },
    { key: 'p90', label: 'p90 days [95%]', cell: (r) => days(r.landingTime.p90) },
    {
      key: 'review',
      label: 'Review: created to merged, median',
      cell: (r) => (r.review ? days(r.review.createdToMerged.median) : 'no review data'),
    },
  ],
  rs,
  { id: 'history-releases', empty: 'The synced history reaches no release window of the calendar.' },
)}
<p class="note">${v.sources.reviewData}.</p>`;
  return page(pc, v.release ? `Code history: ${v.release}` : 'Code history per release', body, {
    chooser: null,
    api: [urlFor('/api/v1/history', q, {}, KEEP)],
  });
}
