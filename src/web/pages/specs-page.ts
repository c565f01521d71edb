/** Specs per release: approved, implemented, and why the rest did not land (with the evidence per spec for one release). */
import { isStewardError } from '../../model/errors.js';
import type { SpecsReportView } from '../../report/specs-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, day, notice, num, pct, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

export async function specsPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  let v: SpecsReportView;
  try {
    v = await buildReport(ctx, REPORTS.specs, { query: pc.query, reader: pc.reader });
  } catch (e) {
    // No specs synced yet: say how to get them, as for an empty store.
    if (isStewardError(e) && e.code === 'NOT_FOUND' && /no specs/.test(e.message)) {
      return page(pc, 'Specs', notice('note', html`<p>${e.message}.</p><p>${e.details.hint ?? ''}</p>`), { chooser: { window: false } });
    }
    throw e;
  }
  const releases = v.releases.filter((r) => r.approved > 0);
  const releaseLink = (name: string) => html`<a href="${urlFor('/specs', q, { release: name }, ['project', 'now'])}">${name}</a>`;
  const body = html`
<p class="lead">Specs from ${v.repo.path} at ${v.repo.head.slice(0, 12)} (${day(v.repo.headAt)}), synced ${day(v.repo.syncedAt)}; release calendar: ${v.calendar.source}.</p>
${chart(
  'specs-chart',
  'Specs approved vs landed per release',
  {
    type: 'bar',
    labels: releases.map((r) => r.release),
    xTitle: 'Release',
    yTitle: 'specs',
    series: [
      { label: 'approved', data: releases.map((r) => r.approved) },
      { label: 'implemented', data: releases.map((r) => r.implemented) },
      { label: 'not landed', data: releases.map((r) => r.notLanded) },
    ],
  },
  'A spec landed when it was implemented in its release (docs/specs-and-priorities.md, "Specs").',
)}
${table(
  [
    { key: 'release', label: 'Release', cell: (r) => releaseLink(r.release) },
    { key: 'freeze', label: 'Feature freeze', cell: (r) => day(r.featureFreeze) },
    { key: 'approved', label: 'Approved', numeric: true, cell: (r) => num(r.approved) },
    { key: 'implemented', label: 'Implemented', numeric: true, cell: (r) => num(r.implemented) },
    { key: 'share', label: 'Share', numeric: true, cell: (r) => pct(r.implementedShare) },
    { key: 'notLanded', label: 'Not landed', numeric: true, cell: (r) => num(r.notLanded) },
    { key: 'landedLater', label: 'Landed later', numeric: true, cell: (r) => num(r.landedLater) },
    {
      key: 'reasons',
      label: 'Why not landed (first reason)',
      cell: (r) =>
        r.reasons
          .filter((x) => x.specs > 0)
          .map((x) => `${x.reason} ${x.specs}`)
          .join(', '),
    },
    {
      key: 'data',
      label: 'Data',
      cell: (r) => [r.reviewData ? 'reviews' : null, r.commitData ? 'commits' : null].filter(Boolean).join(' + ') || 'specs only',
    },
  ],
  releases,
  { id: 'specs-releases', empty: 'No approved specs.' },
)}
${
  v.release
    ? html`<h2>${v.release}: every spec</h2>
${table(
  [
    { key: 'landed', label: 'Landed', cell: (e) => (e.landed ? '✓' : '✗') },
    {
      key: 'blueprint',
      label: 'Blueprint',
      cell: (e) =>
        e.blueprintUrl && /^https?:\/\//i.test(e.blueprintUrl)
          ? html`<a href="${e.blueprintUrl}" rel="noopener noreferrer">${e.blueprint}</a>`
          : e.blueprint,
    },
    { key: 'title', label: 'Title', cell: (e) => e.title ?? '' },
    { key: 'approved', label: 'Approved', cell: (e) => day(e.approvedAt) },
    { key: 'implemented', label: 'Implemented', cell: (e) => day(e.implementedAt) },
    { key: 'reason', label: 'Reason', cell: (e) => e.reason ?? '' },
    { key: 'evidence', label: 'Evidence', cell: (e) => e.evidence ?? '' },
  ],
  v.specs,
  {
    id: 'specs-entries',
    filter: true,
    sort: {
      key: pc.query.sort,
      dir: pc.query.dir,
      link: (k, d) => urlFor('/specs', q, { sort: k, dir: d }, ['project', 'now', 'release']),
    },
  },
)}`
    : html`<p>Choose a release above for every spec with the reason it did not land.</p>`
}
${v.unknownReleases.length ? html`<p class="note">Left out (not in the calendar): ${v.unknownReleases.map((u) => `${u.release} (${u.specs})`).join(', ')}.</p>` : ''}`;
  return page(pc, v.release ? `Specs: ${v.release}` : 'Specs per release', body, {
    chooser: { window: false },
    api: [urlFor('/api/v1/specs/report', q, {}, ['project', 'now', 'release'])],
  });
}
