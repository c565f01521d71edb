/** Initiatives: the list, and one's status with its burn-up chart and stall timeline (the same JSON as /api/v1/initiatives/NAME). */
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { changeLink, chart, day, notice, num, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

export async function initiativesPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const list = await buildReport(ctx, REPORTS.initiativeList, { query: {}, reader: pc.reader });
  const q = pc.query as Record<string, unknown>;
  const body = list.initiatives.length
    ? table(
        [
          {
            key: 'name',
            label: 'Initiative',
            cell: (i) => html`<a href="${urlFor(`/initiatives/${encodeURIComponent(i.name)}`, q, {}, ['project', 'now'])}">${i.title}</a>`,
          },
          {
            key: 'milestones',
            label: 'Milestones',
            cell: (i) =>
              i.milestones.map((m) => m.release ?? day(m.targetDate === null ? null : new Date(m.targetDate).toISOString())).join(' → '),
          },
          { key: 'questions', label: 'Open questions', numeric: true, cell: (i) => num(i.openQuestions) },
          { key: 'origin', label: 'Defined in', cell: (i) => (i.origin === 'config' ? 'steward.yaml' : `the store (#${i.id})`) },
        ],
        list.initiatives,
        { id: 'initiatives' },
      )
    : notice(
        'note',
        html`<p>No initiatives: add them under <code>initiatives</code> in steward.yaml, with <code>steward initiative add</code>, or with the form for leads.</p>`,
      );
  return page(pc, 'Initiatives', body, { chooser: { window: false }, api: ['/api/v1/initiatives'] });
}

/** A horizontal timeline of the period with the stalls drawn on it (SVG: no inline styles). */
function stallTimeline(
  start: number,
  end: number,
  stalls: ReadonlyArray<{ from: string; to: string | null; weeks: number; ongoing: boolean }>,
): SafeHtml {
  const span = Math.max(1, end - start);
  const x = (t: number): number => Math.round(((t - start) / span) * 1000) / 10;
  return html`<figure class="timeline"><figcaption>Stalls over the period, ${day(new Date(start).toISOString())} to ${day(new Date(end).toISOString())}</figcaption>
<svg id="stall-timeline" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="stall timeline" width="100%" height="36"><rect x="0" y="2" width="100" height="2" fill="#ccc"></rect>${stalls.map(
    (s) => {
      const from = x(Date.parse(s.from));
      const to = x(s.to === null ? end : Date.parse(s.to));
      return html`<rect class="stall" x="${from}" y="0" width="${Math.max(0.3, to - from)}" height="6" fill="${s.ongoing ? '#c0392b' : '#e67e22'}"><title>${day(s.from)} to ${s.ongoing ? 'now' : day(s.to)}: ${s.weeks} weeks</title></rect>`;
    },
  )}</svg></figure>`;
}

export async function initiativePage(pc: PageContext, ctx: AppContext, path: Record<string, string>): Promise<SafeHtml> {
  const name = path.name ?? '';
  const q = pc.query as Record<string, unknown>;
  const v = await buildReport(ctx, REPORTS.initiativeStatus, { query: pc.query, path: { name }, reader: pc.reader });
  const burn = chart(
    'burnup',
    'Burn-up: planned (specs approved + changes proposed) and done (specs implemented + changes merged), commits landed',
    {
      type: 'line',
      labels: v.burnup.map((p) => p.at.slice(0, 10)),
      series: [
        { label: 'planned', data: v.burnup.map((p) => p.planned) },
        { label: 'done', data: v.burnup.map((p) => p.done) },
        { label: 'commits landed', data: v.burnup.map((p) => p.commitsLanded), axis: 'y2' },
      ],
      yTitle: 'specs and changes',
      y2Title: 'commits',
      xTitle: 'week ending',
    },
  );
  const start = v.burnup.length ? Date.parse(v.burnup[0]!.at) - 7 * 86_400_000 : Date.parse(v.asOf);
  const body = html`<p class="lead">${v.goal || v.title}${v.owners.length ? html` — owners: ${v.owners.join(', ')}` : ''}. As of ${day(v.asOf)}.</p>
${v.openQuestions.length ? html`<section id="open-questions"><h2>Open questions</h2><ul>${v.openQuestions.map((n) => html`<li>${n.text} <small>(${day(new Date(n.at).toISOString())}${n.by ? `, ${n.by}` : ''})</small>${n.link ? html` <a href="${n.link}">link</a>` : ''}</li>`)}</ul></section>` : ''}
${v.emptyScope ? notice('warn', html`<p>${v.emptyScope}.</p>`) : ''}
<ul class="summary">${v.summary.map((s) => html`<li>${s}</li>`)}</ul>
<h2>Milestones</h2>
${table(
  [
    { key: 'title', label: 'Milestone', cell: (m) => m.title },
    { key: 'release', label: 'Release', cell: (m) => m.release ?? '' },
    { key: 'due', label: 'Due', cell: (m) => day(m.due) },
    { key: 'status', label: 'Status', cell: (m) => m.status },
    { key: 'specs', label: 'Specs implemented / approved', numeric: true, cell: (m) => `${m.specsImplemented} / ${m.specsApproved}` },
    {
      key: 'changes',
      label: 'Changes merged / proposed (open)',
      numeric: true,
      cell: (m) => `${m.changesMerged} / ${m.changesProposed} (${m.changesOpen})`,
    },
    { key: 'commits', label: 'Commits', numeric: true, cell: (m) => num(m.commitsLanded) },
    { key: 'bugs', label: 'Bugs fixed / open', numeric: true, cell: (m) => `${m.bugsFixed} / ${m.bugsOpen}` },
    { key: 'met', label: 'Met', cell: (m) => (m.metAt ? `${day(m.metAt)}${m.lateDays ? ` (${m.lateDays} d late)` : ''}` : '') },
  ],
  v.milestones,
  { id: 'milestones' },
)}
${burn}
<h2>Stalls</h2>
${stallTimeline(start, Date.parse(v.asOf), v.stalls)}
${table(
  [
    { key: 'from', label: 'From', cell: (s) => day(s.from) },
    { key: 'to', label: 'To', cell: (s) => (s.ongoing ? 'now' : day(s.to)) },
    { key: 'weeks', label: 'Weeks', numeric: true, cell: (s) => String(s.weeks) },
    { key: 'why', label: 'Why', cell: (s) => s.why },
  ],
  v.stalls,
  { id: 'stalls', empty: `No stall: never ${v.stallWeeks} weeks without a merged change or landed commit.` },
)}
<h2>Blockers</h2>
${table(
  [
    { key: 'number', label: 'Change', cell: (b) => changeLink(b.number, b.url) },
    { key: 'by', label: '−2 by', cell: (b) => b.by },
    { key: 'since', label: 'Since', cell: (b) => day(b.since) },
    { key: 'subject', label: 'Subject', cell: (b) => b.subject },
  ],
  v.blockers.vetoed,
  { id: 'vetoed', empty: 'No change in scope carries a −2.' },
)}
${table(
  [
    { key: 'number', label: 'Change', cell: (b) => changeLink(b.number, b.url) },
    { key: 'reviewers', label: 'Days on reviewers', numeric: true, cell: (b) => String(b.reviewersDays) },
    { key: 'author', label: 'On author', numeric: true, cell: (b) => String(b.authorDays) },
    { key: 'ci', label: 'On CI', numeric: true, cell: (b) => String(b.ciDays) },
    { key: 'wip', label: 'WIP', numeric: true, cell: (b) => String(b.wipDays) },
  ],
  v.blockers.waitingOnReviewers,
  {
    id: 'waiting',
    empty: `No open change waiting on reviewers longer than the project's median (${v.blockers.projectMedianReviewersDays ?? '–'} d).`,
  },
)}
<h2>People</h2>
<p>Doing: ${v.people.doing.map((p) => `${p.name} (${p.changes + p.commits})`).join(', ') || 'nobody yet'}. Reviewing: ${v.people.reviewing.map((p) => `${p.name} (${p.reviews})`).join(', ') || 'nobody yet'}.</p>
<h2>Notes</h2>
${table(
  [
    { key: 'kind', label: 'Kind', cell: (n) => n.kind },
    { key: 'status', label: 'Status', cell: (n) => n.status },
    {
      key: 'text',
      label: 'Text',
      cell: (n) => html`${n.text}${n.link ? html` <a href="${n.link}">link</a>` : ''}${n.resolution ? html` → ${n.resolution}` : ''}`,
    },
    { key: 'at', label: 'When', cell: (n) => day(n.at) },
    { key: 'by', label: 'By', cell: (n) => n.by ?? '' },
  ],
  v.notes,
  { id: 'notes', empty: 'No notes.' },
)}`;
  return page(pc, `Initiative: ${v.title}`, body, {
    chooser: { window: false },
    api: [urlFor(`/api/v1/initiatives/${encodeURIComponent(name)}`, q, {}, ['project', 'now'])],
  });
}
