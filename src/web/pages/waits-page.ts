/** Why reviews wait: where the time of the changes closed in the period went, by factor, with time-to-merge survival curves. */
import type { WaitsView } from '../../report/waits-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, num, pct, stat, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

const METRICS: Array<[keyof WaitsView['overall'], string]> = [
  ['lifeDays', 'life'],
  ['reviewersDays', 'waiting on reviewers'],
  ['authorDays', 'waiting on the author'],
  ['ciDays', 'waiting on CI'],
  ['firstHumanReviewDays', 'to the first human review'],
  ['firstCoreReviewDays', 'to the first core review'],
];

export async function waitsPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const r = await buildReport(ctx, REPORTS.waits, { query: { ...pc.query, bandwidth: undefined }, reader: pc.reader });
  if (r.kind !== 'waits') throw new Error('expected the waits report');
  if (r.kind !== 'waits') throw new Error('expected the waits report');
  const t = r.totals;
  const factors = r.factors.filter((f) => f.groups.length > 0);
  const body = html`
<p class="lead">${r.projects.join(', ')} — changes closed from ${r.period.since.slice(0, 10)} to ${r.period.until.slice(0, 10)}: ${num(r.closed.total)} (${num(r.closed.merged)} merged, ${num(r.closed.abandoned)} abandoned).</p>
<div class="stats" id="waits-shares">${stat('of their lives waiting on reviewers', pct(t.shares.reviewers))}${stat('waiting on the author', pct(t.shares.author))}${stat('waiting on CI', pct(t.shares.ci))}${stat('work in progress', pct(t.shares.wip))}</div>
<ul class="summary">${r.summary.map((s) => html`<li>${s}</li>`)}</ul>
<h2>Median days (95% interval)</h2>
${table(
  [
    { key: 'metric', label: 'Time', cell: (x) => x[1] },
    { key: 'n', label: 'Changes', numeric: true, cell: (x) => num(r.overall[x[0]].n) },
    { key: 'median', label: 'Median days', numeric: true, cell: (x) => num(r.overall[x[0]].median) },
    { key: 'ci', label: '95% interval', numeric: true, cell: (x) => (r.overall[x[0]].low === null ? '–' : `${r.overall[x[0]].low}–${r.overall[x[0]].high}`) },
  ],
  METRICS,
  { id: 'waits-overall' },
)}
<h2>By factor</h2>
${table(
  [
    { key: 'factor', label: 'Factor', cell: (x) => x.factor },
    { key: 'highest', label: 'Longest wait on reviewers', cell: (x) => (x.comparison ? `${x.comparison.highest.group}: ${x.comparison.highest.median} d` : x.note ?? '–') },
    { key: 'lowest', label: 'Shortest', cell: (x) => (x.comparison ? `${x.comparison.lowest.group}: ${x.comparison.lowest.median} d` : '–') },
    { key: 'diff', label: 'Difference (days)', numeric: true, cell: (x) => num(x.comparison?.differenceDays), sort: (x) => x.comparison?.differenceDays ?? null },
    { key: 'clear', label: 'Clear?', cell: (x) => (x.comparison ? (x.comparison.clear ? 'yes' : 'no (intervals overlap)') : '–') },
  ],
  r.factors,
  { id: 'waits-factors' },
)}
<h2>Time to merge</h2>
${factors.map((f) =>
  chart(
    `survival-${f.factor.replace(/[^a-z0-9]+/gi, '-')}`,
    `Share not merged yet by day since creation, by ${f.factor}`,
    {
      type: 'line',
      labels: Array.from({ length: Math.max(...f.groups.map((g) => g.survival.points.length)) }, (_v, i) => i),
      xTitle: 'Day',
      yTitle: 'not merged yet',
      percent: true,
      series: f.groups.map((g) => ({ label: `${g.group} (n=${g.survival.n})`, data: g.survival.points.map((p) => p.survival), stepped: true })),
    },
    'Kaplan–Meier survival of the changes created in the period; abandoned and still-open changes are censored (README, "Waits").',
  ),
)}`;
  return page(pc, 'Why reviews wait', body, { api: [urlFor('/api/v1/waits', q)] });
}
