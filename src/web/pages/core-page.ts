/** The core team: idle cores, candidates with their evidence, mentoring progress, load per week, membership history. */
import { isStewardError } from '../../model/errors.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import type { ParamDefs } from '../../service/catalogue/param-schema.js';
import type { ReportEntry } from '../../service/catalogue/report-entry.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, day, notice, num, pct, person, table } from './components.js';
import { page, sortLink, urlFor, type PageContext } from './layout.js';

/** A section's report, or the reason it cannot be shown (no core team, no group) as a note. */
async function section<S extends ParamDefs, P, R>(
  entry: ReportEntry<S, P, R>,
  pc: PageContext,
  ctx: AppContext,
  q: object = pc.query,
): Promise<{ ok: R } | { note: SafeHtml }> {
  try {
    return { ok: await buildReport(ctx, entry, { query: q, reader: pc.reader }) };
  } catch (e) {
    if (isStewardError(e) && e.code === 'CONFIG')
      return { note: notice('note', html`<p>${e.message}</p>${e.details.hint ? html`<p>${e.details.hint}</p>` : ''}`) };
    throw e;
  }
}

export async function corePage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  // Idle cores look back `days` from now; the other sections take the window.
  const idle = await section(REPORTS.coreIdle, pc, ctx, { ...pc.query, since: undefined, until: undefined });
  const candidates = await section(REPORTS.coreCandidates, pc, ctx);
  const load = await section(REPORTS.coreLoad, pc, ctx);
  const mentoring = await section(REPORTS.coreMentoring, pc, ctx, { project: pc.query.project, now: pc.query.now, all: true });
  const history = await section(REPORTS.coreHistory, pc, ctx);

  const idleHtml =
    'note' in idle
      ? idle.note
      : html`
<p>Fewer than ${idle.ok.rule.threshold} ${idle.ok.rule.counts === 'reviews' ? 'reviews' : 'reviews with a Code-Review vote'} in the last ${idle.ok.rule.days} days (${day(idle.ok.period.since)} to ${day(idle.ok.period.until)}): <strong id="idle-count">${idle.ok.idle.length}</strong> of ${idle.ok.cores.length} cores.</p>
${table(
  [
    { key: 'who', label: 'Core', cell: (x) => person(x) },
    { key: 'count', label: 'Reviews', numeric: true, cell: (x) => num(x.count), sort: (x) => x.count },
    { key: 'idle', label: 'Idle', cell: (x) => (x.idle ? 'idle' : '') },
    { key: 'last', label: 'Last review', cell: (x) => day(x.lastReviewAt) },
    { key: 'below', label: 'Below since', cell: (x) => (x.neverReached ? `before ${day(idle.ok.historyFrom)}` : day(x.belowSince)) },
    { key: 'quarters', label: 'Last four quarters', cell: (x) => x.quarters.map((qq) => qq.reviews).join(' → ') },
    { key: 'trend', label: 'Trend', cell: (x) => x.trend },
  ],
  idle.ok.cores,
  { id: 'core-idle', empty: 'No cores.' },
)}`;

  const candHtml =
    'note' in candidates
      ? candidates.note
      : html`
<p>Non-core reviewers with at least ${candidates.ok.minReviews} reviews from ${day(candidates.ok.period.since)} to ${day(candidates.ok.period.until)}, ranked by judgement (votes before any core vote, agreement beyond chance); the evidence beside each (${num(candidates.ok.belowMinimum)} below the minimum left out).</p>
${table(
  [
    { key: 'rank', label: '#', numeric: true, cell: (x) => num(x.rank), sort: (x) => x.rank },
    { key: 'who', label: 'Reviewer', cell: (x) => person(x), sort: (x) => (x.username ?? x.name ?? '').toLowerCase() },
    { key: 'score', label: 'Score', numeric: true, cell: (x) => x.score.toFixed(3), sort: (x) => x.score },
    {
      key: 'range',
      label: 'Rank range (95%)',
      numeric: true,
      cell: (x) => `${x.rankRange.best}–${x.rankRange.worst}`,
      sort: (x) => x.rankRange.worst,
    },
    {
      key: 'reviews',
      label: 'Reviews (before any core vote)',
      numeric: true,
      cell: (x) => html`${num(x.reviews)} <small>(${num(x.independent)})</small>`,
      sort: (x) => x.independent,
    },
    { key: 'weeks', label: 'Active weeks', numeric: true, cell: (x) => `${x.activeWeeks}/${x.weeks}`, sort: (x) => x.activeWeeks },
    {
      key: 'kappa',
      label: 'Agreement beyond chance (κ)',
      numeric: true,
      cell: (x) => html`${x.kappa.value === null ? '–' : x.kappa.value.toFixed(2)} <small>${x.kappa.agreed}/${x.kappa.votes}</small>`,
      sort: (x) => x.kappa.value,
    },
    {
      key: 'minusOnes',
      label: 'Confirmed −1s',
      numeric: true,
      cell: (x) => `${x.minusOnes.confirmedByCore + x.minusOnes.confirmedByRevision}/${x.minusOnes.total - x.minusOnes.pending}`,
      sort: (x) => x.minusOnes.confirmedByCore + x.minusOnes.confirmedByRevision,
    },
    {
      key: 'breadth',
      label: 'Areas',
      numeric: true,
      cell: (x) => html`<span title="${x.areas.join(', ')}">${x.areas.length}</span>`,
      sort: (x) => x.areas.length,
    },
    { key: 'reasoned', label: 'With reasons', numeric: true, cell: (x) => num(x.substantive), sort: (x) => x.substantive },
  ],
  candidates.ok.candidates,
  {
    id: 'core-candidates',
    filter: true,
    sort: { key: pc.query.sort, dir: pc.query.dir, link: sortLink(pc) },
    empty: 'No candidates in the period.',
  },
)}`;

  const loadHtml =
    'note' in load
      ? load.note
      : html`
<p>${num(load.ok.total.patchSetsNeedingReview)} patch sets needed review; the cores did ${num(load.ok.total.coreReviews)} reviews (${num(load.ok.total.coreReviewsPerPatchSet)} per patch set, ${num(load.ok.total.patchSetsPerCorePerMonth)} patch sets per core per month); the busiest 20% did ${pct(load.ok.total.busiestShare)}.</p>
${chart(
  'core-reviews-chart',
  'Reviews per week by core reviewers',
  {
    type: 'bar',
    labels: load.ok.weeks.map((w) => w.from.slice(0, 10)),
    xTitle: 'Week from',
    yTitle: 'reviews',
    series: [
      { label: 'core reviews', data: load.ok.weeks.map((w) => w.coreReviews) },
      { label: 'all reviews', data: load.ok.weeks.map((w) => w.reviews) },
      { label: 'patch sets needing review', data: load.ok.weeks.map((w) => w.patchSetsNeedingReview) },
    ],
  },
  'Human reviews per week (docs/reviewers-and-core.md, "Core load"); the last week may be partial.',
)}`;

  const mentHtml =
    'note' in mentoring
      ? mentoring.note
      : mentoring.ok.mentorships.length === 0
        ? html`<p>No mentorships recorded. Start one with <code>steward core mentor add CANDIDATE --mentor CORE</code>.</p>`
        : table(
            [
              { key: 'candidate', label: 'Candidate', cell: (x) => person(x.candidate) },
              { key: 'mentor', label: 'Mentor', cell: (x) => person(x.mentor) },
              { key: 'since', label: 'Since', cell: (x) => day(x.startedAt) },
              { key: 'ended', label: 'Ended', cell: (x) => day(x.endedAt) },
              { key: 'core', label: 'Core now', cell: (x) => (x.coreNow ? 'yes' : '') },
              {
                key: 'rpw',
                label: 'Reviews/week before → during',
                cell: (x) => `${num(x.before.reviewsPerWeek)} → ${num(x.during.reviewsPerWeek)}`,
              },
              {
                key: 'agree',
                label: 'Agreement before → during',
                cell: (x) => `${pct(x.before.agreement, 0)} → ${pct(x.during.agreement, 0)}`,
              },
              { key: 'breadth', label: 'Areas before → during', cell: (x) => `${num(x.before.breadth)} → ${num(x.during.breadth)}` },
            ],
            mentoring.ok.mentorships,
            { id: 'core-mentoring' },
          );

  const histHtml =
    'note' in history
      ? history.note
      : history.ok.groups.map(
          (
            g,
          ) => html`<h3>${g.project}: group ${g.group}</h3><p>${g.snapshots} snapshot(s), last checked ${g.lastChecked ? day(g.lastChecked) : 'never (run steward sync)'}; ${g.currentMembers.length} members now: ${g.currentMembers.join(', ')}.</p>
${table(
  [
    { key: 'date', label: 'Seen', cell: (x) => day(x.date) },
    { key: 'between', label: 'Happened after', cell: (x) => (x.notBefore ? day(x.notBefore) : 'first snapshot') },
    { key: 'change', label: 'Change', cell: (x) => x.change },
    { key: 'who', label: 'Who', cell: (x) => person(x) },
  ],
  g.events,
  { id: `core-history-${g.group}`, empty: 'No membership recorded yet.' },
)}`,
        );

  const body = html`
<section aria-labelledby="idle-h"><h2 id="idle-h">Idle cores</h2>${idleHtml}</section>
<section aria-labelledby="cand-h"><h2 id="cand-h">Candidates</h2>${candHtml}</section>
<section aria-labelledby="ment-h"><h2 id="ment-h">Mentoring</h2>${mentHtml}</section>
<section aria-labelledby="load-h"><h2 id="load-h">Core load</h2>${loadHtml}</section>
<section aria-labelledby="hist-h"><h2 id="hist-h">Membership history</h2>${histHtml}</section>`;
  return page(pc, 'Core team', body, {
    api: [
      urlFor('/api/v1/core/idle', q, { since: undefined, until: undefined }),
      urlFor('/api/v1/core/candidates', q),
      urlFor('/api/v1/core/mentoring', q, { all: true }, ['project', 'now']),
      urlFor('/api/v1/core/load', q),
      urlFor('/api/v1/core/history', q, {}, ['project']),
    ],
  });
}
