/** A release's priorities: were their changes reviewed faster than the rest of the release? */
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { day, notice, num, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

export async function prioritiesPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const config = await ctx.config();
  const releases = config.config.releases;
  if (releases.length === 0) {
    return page(
      pc,
      'Priorities',
      notice(
        'note',
        html`<p>No release calendar in the configuration (${config.origin}): add <code>releases</code> (name, start, featureFreeze, release) and <code>priorities</code> to steward.yaml, or store them with <code>steward priorities add</code>.</p>`,
      ),
      { chooser: { window: false } },
    );
  }
  const list = await buildReport(ctx, REPORTS.prioritiesList, { query: {}, reader: pc.reader });
  const withPriorities = new Set(list.priorities.map((p) => p.release.toLowerCase()));
  const now = pc.query.now ? Date.parse(pc.query.now) : pc.now;
  // Default: the latest release with priorities that has started, else the latest that has started.
  const started = releases.filter((r) => Date.parse(r.start) <= now);
  const fallback = [...started].reverse().find((r) => withPriorities.has(r.name.toLowerCase())) ?? started.at(-1) ?? releases[0]!;
  const release = pc.query.release ?? fallback.name;
  const chooser = html`<p class="tabs">Release: ${releases.map((r) => html`<a href="${urlFor('/priorities', q, { release: r.name }, ['project', 'now'])}"${r.name.toLowerCase() === release.toLowerCase() ? html` aria-current="page"` : ''}>${r.name}</a> `)}</p>`;
  const v = await buildReport(ctx, REPORTS.priorities, { query: { ...pc.query, release }, reader: pc.reader });
  // The verdict with how much: the ratio of the medians (priority ÷ the rest) and its interval, then the difference in days.
  const verdict = (c: {
    verdict: string;
    differenceDays: number | null;
    low: number | null;
    high: number | null;
    factor: number | null;
    factorLow: number | null;
    factorHigh: number | null;
  }) => {
    const factor =
      c.factor === null
        ? ''
        : ` ${c.factor}× the wait${c.factorLow !== null && c.factorHigh !== null ? ` [${c.factorLow}–${c.factorHigh}×]` : ''}`;
    const days = c.differenceDays !== null && c.low !== null ? ` (${c.differenceDays} d [${c.low} to ${c.high}])` : '';
    return `${c.verdict}${c.verdict === 'too few changes' ? '' : `:${factor}${days}`}`;
  };
  const median = (m: { median: number | null; low: number | null; high: number | null; n: number }) =>
    html`${m.median === null ? 'not reached' : num(m.median)}${m.low !== null ? html` <small>[${m.low}–${m.high ?? '…'}]</small>` : ''}`;
  const rows = [
    ...v.priorities.map((p) => ({ name: p.title, g: p, vs: verdict(p.vsBaseline), vsFeature: verdict(p.vsFeatureBaseline) })),
    {
      name: 'all priorities',
      g: v.allPriorities,
      vs: verdict(v.allPriorities.vsBaseline),
      vsFeature: verdict(v.allPriorities.vsFeatureBaseline),
    },
    { name: 'the rest of the release', g: v.baseline, vs: '', vsFeature: '' },
    { name: 'the rest implementing blueprints', g: v.featureBaseline, vs: '', vsFeature: '' },
  ];
  const body = html`${chooser}
<p class="lead">${v.release.name}: ${day(v.release.start)} to ${day(v.release.release)} (feature freeze ${day(v.release.featureFreeze)}), as of ${day(v.asOf)}. </p>
<p>The wait compared: days waiting on reviewers, open changes counted as "at least their wait so far" (see Why reviews wait). Against each baseline: the verdict, the priority's median wait as a multiple of the baseline's (2× is twice as long, 0.5× half as long) with its 95% interval, and the difference of the medians in days with its interval. The intervals re-draw whole blueprints; "inconclusive" when the difference's interval spans zero.</p>
<ul class="summary">${v.summary.map((s) => html`<li>${s}</li>`)}</ul>
${table(
  [
    { key: 'name', label: 'Priority', cell: (r) => r.name },
    { key: 'proposed', label: 'Changes', numeric: true, cell: (r) => num(r.g.proposed) },
    { key: 'merged', label: 'Merged', numeric: true, cell: (r) => num(r.g.merged) },
    { key: 'open', label: 'Open', numeric: true, cell: (r) => num(r.g.open) },
    { key: 'reviews', label: 'Reviews', numeric: true, cell: (r) => num(r.g.reviews) },
    { key: 'wait', label: 'Median days on reviewers [95%]', numeric: true, cell: (r) => median(r.g.reviewersDays) },
    { key: 'vs', label: 'Against the rest', cell: (r) => r.vs },
    { key: 'vsFeature', label: 'Against other feature work', cell: (r) => r.vsFeature },
  ],
  rows,
  { id: 'priorities', empty: 'No priorities for this release.' },
)}`;
  return page(pc, `Priorities: ${v.release.name}`, body, {
    chooser: { window: false },
    api: [urlFor('/api/v1/priorities', q, { release }, ['project', 'now'])],
  });
}
