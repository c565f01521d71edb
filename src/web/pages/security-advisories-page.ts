/** Published advisories per year and product (with the fix-to-advisory chart), early fixes, late backports, and the security team candidates. */
import type { SecurityAdvisoriesView } from '../../report/security-advisories-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, day, notice, num, person, table } from './components.js';
import { page, type PageContext } from './layout.js';
import type { AdvisoryGroup } from '../../analysis/advisories.js';

const days = (x: number | null): string => (x === null ? '–' : x.toFixed(1));
const interval = (g: AdvisoryGroup): string =>
  g.fixToAdvisoryDays.median === null
    ? '–'
    : g.fixToAdvisoryDays.lower === null
      ? `${days(g.fixToAdvisoryDays.median)} (n=${g.fixToAdvisoryDays.n}: too few for an interval)`
      : `${days(g.fixToAdvisoryDays.median)} (${days(g.fixToAdvisoryDays.lower)} to ${days(g.fixToAdvisoryDays.upper)})`;

function groupTable(id: string, groups: readonly AdvisoryGroup[], label: (g: AdvisoryGroup) => string): SafeHtml {
  return table(
    [
      { key: 'group', label: 'Group', cell: (g) => label(g) },
      { key: 'advisories', label: 'Advisories', numeric: true, cell: (g) => num(g.advisories) },
      { key: 'cves', label: 'CVEs', numeric: true, cell: (g) => num(g.cves) },
      { key: 'reporters', label: 'Reporters', numeric: true, cell: (g) => num(g.reporters) },
      { key: 'linked', label: 'Linked to fixes', numeric: true, cell: (g) => `${num(g.linked)} of ${num(g.withBugs)}` },
      { key: 'fta', label: 'Fix to advisory, days (median, 95% interval)', cell: interval },
      { key: 'early', label: 'Early fixes', numeric: true, cell: (g) => num(g.early) },
      { key: 'late', label: 'Late backports', numeric: true, cell: (g) => num(g.lateBackports) },
    ],
    groups,
    { id, empty: 'No advisories.' },
  );
}

export async function securityAdvisoriesPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const v: SecurityAdvisoriesView = await buildReport(ctx, REPORTS.securityAdvisories, { query: pc.query, reader: pc.reader });
  if (v.sources.advisories === 0) {
    return page(
      pc,
      'Security advisories',
      notice(
        'note',
        html`<p>No advisories in the store. Import them with <code>steward security advisories import DIR|FILE…</code> (e.g. the OSSA repository's <code>ossa/</code>).</p>`,
      ),
      { chooser: null },
    );
  }
  const cand = await buildReport(ctx, REPORTS.securityCandidates, { query: {}, reader: pc.reader });
  const years = v.byYear;
  const early = v.advisories.filter((a) => a.early);
  const late = v.advisories.flatMap((a) => a.backports.filter((b) => b.late).map((b) => ({ a, b })));
  const body = html`
<p class="lead">${num(v.total.advisories)} published advisories${v.options.products.length ? ` affecting ${v.options.products.join(', ')}` : ''}; code history: ${
    v.sources.codeHistory.length
      ? v.sources.codeHistory.map((h) => `${h.repo} (${h.branch}, ${num(h.commits)} commits)`).join(', ')
      : 'none synced'
  }. Early fix: landed more than ${v.options.earlyDays} days before the advisory; late backport: merged more than ${v.options.lateDays} days after it.</p>
${chart(
  'advisories-chart',
  'Advisories per year, and the median days from the fix landing to the advisory',
  {
    type: 'bar',
    labels: years.map((g) => g.year ?? 'all'),
    xTitle: 'Year',
    yTitle: 'advisories',
    y2Title: 'days',
    series: [
      { label: 'advisories', data: years.map((g) => g.advisories) },
      { label: 'linked to fixes', data: years.map((g) => g.linked) },
      { label: 'median fix to advisory (days)', data: years.map((g) => g.fixToAdvisoryDays.median), axis: 'y2' },
    ],
  },
  'Fix to advisory: days from the first fixing commit or change landing on the main branch to the advisory day; positive when the fix was public first (docs/security-advisories.md).',
)}
<h2>Per year</h2>
${groupTable('advisories-years', [...years, v.total], (g) => (g.year === null ? 'all' : String(g.year)))}
<h2>Per product</h2>
${groupTable('advisories-products', v.byProduct, (g) => g.product ?? 'all')}
<h2>Fixes that landed long before the advisory</h2>
${table(
  [
    { key: 'id', label: 'Advisory', cell: (a) => a.id },
    { key: 'date', label: 'Published', cell: (a) => a.date },
    { key: 'first', label: 'First fix landed', cell: (a) => day(a.firstFixAt) },
    { key: 'days', label: 'Days before', numeric: true, cell: (a) => days(a.fixToAdvisoryDays) },
    { key: 'title', label: 'Title', cell: (a) => a.title },
  ],
  early,
  { id: 'advisories-early', empty: 'None.' },
)}
<h2>Backports merged long after the advisory</h2>
${table(
  [
    { key: 'id', label: 'Advisory', cell: (x) => x.a.id },
    { key: 'branch', label: 'Branch', cell: (x) => x.b.branch },
    { key: 'change', label: 'Change', cell: (x) => `${x.b.project}#${x.b.number}` },
    { key: 'merged', label: 'Merged', cell: (x) => day(x.b.mergedAt) },
    { key: 'days', label: 'Days after', numeric: true, cell: (x) => days(x.b.daysAfterAdvisory) },
  ],
  late,
  { id: 'advisories-late', empty: 'None.' },
)}
<h2>Security team candidates</h2>
<p>People doing public security work from ${day(cand.window.since)} to ${day(cand.window.until)}: fixes and reviews of security changes after disclosure, and work in the ${num(cand.areas.length)} areas past fixes touched. Score = ${cand.weights.fix}×fixes + ${cand.weights.review}×security reviews + ${cand.weights.areaChange}×area changes + ${cand.weights.areaReview}×area reviews.</p>
${table(
  [
    { key: 'who', label: 'Who', cell: (c) => person(c) },
    { key: 'score', label: 'Score', numeric: true, cell: (c) => c.score.toFixed(1) },
    { key: 'fixes', label: 'Fixes', numeric: true, cell: (c) => num(c.fixes) },
    { key: 'reviews', label: 'Security reviews', numeric: true, cell: (c) => num(c.securityReviews) },
    { key: 'areaChanges', label: 'Area changes', numeric: true, cell: (c) => num(c.areaChanges) },
    { key: 'areaReviews', label: 'Area reviews', numeric: true, cell: (c) => num(c.areaReviews) },
    { key: 'evidence', label: 'Evidence', cell: (c) => [...c.evidence.fixes, ...c.evidence.securityReviews].slice(0, 6).join(' ') },
    { key: 'last', label: 'Last active', cell: (c) => day(c.lastActivity) },
  ],
  cand.candidates,
  { id: 'security-candidates', empty: 'No one did public security work in the window.' },
)}`;
  return page(pc, 'Security advisories', body, { chooser: null, api: ['/api/v1/security/advisories', '/api/v1/security/candidates'] });
}
