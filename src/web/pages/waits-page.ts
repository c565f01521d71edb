/** Why reviews wait: the changes created in the period followed to now, where their time went, and which factors are associated with slower merging. */
import { pWords, type FactorResult, type GroupStats } from '../../analysis/waits.js';
import type { FactorTest } from '../../analysis/waits-model.js';
import type { WaitsView } from '../../report/waits-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, num, pct, stat, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

const METRICS: Array<[keyof WaitsView['overall'], string]> = [
  ['toMerge', 'to merge (abandonment competing)'],
  ['firstHumanReview', 'to the first human review'],
  ['firstCoreReview', 'to the first core review'],
];

const verdict = (t: FactorTest | null): string => {
  if (!t) return '–';
  if (!t.declared) return `inconclusive (adjusted ${pWords(t.adjustedP)})`;
  const n = t.named;
  const what = n?.hazardRatio
    ? t.kind === 'numeric'
      ? `${t.reference}: hazard ratio ${n.hazardRatio} [${n.lower}–${n.upper}]`
      : `${n.level}: hazard ratio ${n.hazardRatio} [${n.lower}–${n.upper}] vs ${t.reference}`
    : '';
  return `associated — ${what} (adjusted ${pWords(t.adjustedP)})${t.proportionalHazardsFails ? '; proportional hazards fail' : ''}`;
};

/** What a factor's share-merged chart draws, and what it leaves out and why (shown under the chart). */
export function drawnGroups(groups: readonly GroupStats[]): { drawn: GroupStats[]; left: string[] } {
  const drawn: GroupStats[] = [];
  const left: string[] = [];
  for (const g of groups) {
    const values = g.toMerge.points.map((p) => p.merged);
    const constant = values.every((v) => v === values[0]);
    if (g.n === 0) left.push(`${g.group} (no changes)`);
    else if (g.group === 'unknown' && constant)
      left.push(`${g.group} (n=${g.n}: flat at ${values.length ? pct(values[0] ?? null) : '–'}, it says nothing about the others)`);
    else drawn.push(g);
  }
  return { drawn, left };
}

function mergedChart(f: FactorResult): SafeHtml {
  const { drawn, left } = drawnGroups(f.groups);
  const id = `merged-${f.factor.replace(/[^a-z0-9]+/gi, '-')}`;
  const title = `Share merged by day since creation, by ${f.factor}`;
  const leftOut = left.length ? html` Not drawn: ${left.join('; ')}.` : '';
  if (drawn.length === 0)
    return html`<figure class="chart" id="${id}-none"><figcaption>${title}</figcaption><p class="note">No group to draw.${leftOut}</p></figure>`;
  return chart(
    id,
    title,
    {
      type: 'line',
      labels: Array.from({ length: Math.max(...drawn.map((g) => g.toMerge.points.length)) }, (_v, i) => i),
      xTitle: 'Day',
      yTitle: 'merged',
      percent: true,
      series: drawn.map((g) => ({
        label: `${g.group} (n=${g.n})`,
        data: g.toMerge.points.map((p) => p.merged),
        stepped: true,
        band: { low: g.toMerge.points.map((p) => p.mergedLow), high: g.toMerge.points.map((p) => p.mergedHigh) },
      })),
    },
    html`Cumulative incidence of merging among the changes created in the period, with 95% pointwise bands (clustered by owner): abandonment is a competing outcome, still-open changes are censored (docs/review-flow.md, "Where the time went").${leftOut}`,
  );
}

export async function waitsPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const r = await buildReport(ctx, REPORTS.waits, { query: { ...pc.query, bandwidth: undefined }, reader: pc.reader });
  if (r.kind !== 'waits') throw new Error('expected the waits report');
  const t = r.totals;
  const factors = r.factors.filter((f) => f.groups.length > 0);
  const body = html`
<p class="lead">${r.projects.join(', ')} — changes created from ${r.period.since.slice(0, 10)} to ${r.period.until.slice(0, 10)}, followed to ${r.now.slice(0, 10)}: ${num(r.cohort.total)} (${num(r.cohort.merged)} merged, ${num(r.cohort.abandoned)} abandoned, ${num(r.cohort.open)} still open).</p>
<div class="stats" id="waits-shares">${stat('of their time so far waiting on reviewers', pct(t.shares.reviewers))}${stat('waiting on the author', pct(t.shares.author))}${stat('waiting on CI', pct(t.shares.ci))}${stat('work in progress', pct(t.shares.wip))}</div>
<ul class="summary">${r.summary.map((s) => html`<li>${s}</li>`)}</ul>
<h2>Median days (95% interval; open changes censored)</h2>
${table(
  [
    { key: 'metric', label: 'Time', cell: (x) => x[1] },
    { key: 'n', label: 'Changes', numeric: true, cell: (x) => num(r.overall[x[0]]?.n) },
    { key: 'median', label: 'Median days', numeric: true, cell: (x) => num(r.overall[x[0]]?.median) },
    {
      key: 'ci',
      label: '95% interval',
      numeric: true,
      cell: (x) => (r.overall[x[0]]?.low == null ? '–' : `${r.overall[x[0]]!.low}–${r.overall[x[0]]!.high ?? '…'}`),
    },
  ],
  METRICS,
  { id: 'waits-overall' },
)}
<h2>By factor, all factors together</h2>
${table(
  [
    { key: 'factor', label: 'Factor', cell: (x) => (x.role === 'mediator' ? `${x.factor} (mediator)` : x.factor) },
    { key: 'merge', label: 'Time to merge', cell: (x) => (x.merge ? verdict(x.merge) : (x.note ?? '–')) },
    { key: 'core', label: 'Time to first core review', cell: (x) => verdict(x.firstCoreReview) },
    {
      key: 'diff',
      label: 'Median days to merge, difference [95%]',
      numeric: true,
      cell: (x) =>
        x.difference?.difference != null
          ? `${x.difference.group} − ${x.difference.reference}: ${x.difference.difference} [${x.difference.low ?? '?'}–${x.difference.high ?? '?'}]${x.difference.verdict === 'inconclusive' ? ' inconclusive' : ''}`
          : '–',
      sort: (x) => x.difference?.difference ?? null,
    },
  ],
  r.factors,
  { id: 'waits-factors' },
)}
<h2>Share merged</h2>
${factors.map((f) => mergedChart(f))}`;
  return page(pc, 'Why reviews wait', body, { api: [urlFor('/api/v1/waits', q)] });
}
