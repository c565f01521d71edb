/** The review queue: what each open change waits on and for how long; the trivial-fix queue; the queue over time. */
import type { QueueEntry } from '../../analysis/queue.js';
import type { BandwidthView } from '../../report/waits-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { changeLink, chart, num, stat, table } from './components.js';
import { page, sortLink, urlFor, type PageContext } from './layout.js';

function entries(id: string, list: readonly QueueEntry[], empty: string): SafeHtml {
  return table(
    [
      { key: 'number', label: 'Change', numeric: true, cell: (x) => changeLink(x.number, x.url) },
      { key: 'project', label: 'Project', cell: (x) => x.project },
      { key: 'branch', label: 'Branch', cell: (x) => x.branch },
      { key: 'subject', label: 'Subject', cell: (x) => x.subject },
      { key: 'days', label: 'Days', numeric: true, cell: (x) => num(x.days) },
    ],
    list,
    { id, empty },
  );
}

/**
 * The queue over time, from the bandwidth report: how many changes wait on reviewers (left axis) and
 * how long those waiting at each week's end have waited (right axis: median and 90th percentile).
 */
export function queueChart(b: BandwidthView): SafeHtml {
  return chart(
    'queue-chart',
    'Review queue: its size, and how long what is in it has waited',
    {
      type: 'line',
      labels: b.weeks.map((w) => w.week),
      xTitle: 'Week from',
      yTitle: 'changes waiting on reviewers',
      y2Title: 'days waiting so far',
      series: [
        { label: 'changes waiting at the week’s end', data: b.weeks.map((w) => w.waitingAtEnd) },
        { label: 'median days waited by them (right axis)', data: b.weeks.map((w) => w.medianAgeAtEndDays), axis: 'y2' },
        { label: '90th percentile days waited (right axis)', data: b.weeks.map((w) => w.p90AgeAtEndDays), axis: 'y2' },
      ],
    },
    html`Left axis: the changes waiting on reviewers at the end of each week (the last week: now). Right axis: how long those changes had been waiting on reviewers without a break by then — half had waited longer than the median line, one in ten longer than the 90th percentile line. The mean length of the waits that began in a week (<code>meanWaitDays</code> in the JSON) is not drawn: recent weeks' waits have not ended yet, so it reads low. Definitions: docs/review-flow.md, "Is it bandwidth?".`,
  );
}

export async function queuePage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const trivial = pc.query.trivial === true;
  const tabs = html`<p class="tabs"><a href="${urlFor('/queue', q)}"${trivial ? '' : html` aria-current="page"`}>Open queue</a> <a href="${urlFor('/queue', q, { trivial: true })}"${trivial ? html` aria-current="page"` : ''}>Trivial fixes</a></p>`;
  if (trivial) {
    const r = await buildReport(ctx, REPORTS.queue, { query: { ...pc.query, compat: undefined }, reader: pc.reader });
    if (r.kind !== 'trivial') throw new Error('expected the trivial queue');
    const body = html`${tabs}
<p class="lead">Open changes of at most ${r.maxDelta} lines that are TrivialFix or bug fixes and pass CI, ranked by how long they have waited. ${num(r.cleared.total)} such changes were merged from ${r.cleared.since.slice(0, 10)} to ${r.cleared.until.slice(0, 10)}.</p>
${table(
  [
    { key: 'rank', label: '#', numeric: true, cell: (x) => num(x.rank), sort: (x) => x.rank },
    { key: 'number', label: 'Change', numeric: true, cell: (x) => changeLink(x.number, x.url), sort: (x) => x.number },
    { key: 'subject', label: 'Subject', cell: (x) => x.subject },
    { key: 'delta', label: 'Lines', numeric: true, cell: (x) => num(x.delta), sort: (x) => x.delta },
    { key: 'why', label: 'Why', cell: (x) => x.why.join(', ') },
    { key: 'waitingDays', label: 'Waiting (days)', numeric: true, cell: (x) => num(x.waitingDays), sort: (x) => x.waitingDays },
  ],
  r.queue,
  {
    id: 'trivial-queue',
    filter: true,
    sort: { key: pc.query.sort, dir: pc.query.dir, link: sortLink(pc, ['trivial']) },
    empty: 'No trivial fixes waiting.',
  },
)}
<h2>Who cleared them</h2>
${table(
  [
    { key: 'reviewer', label: 'Reviewer', cell: (x) => x.reviewer },
    { key: 'count', label: 'Changes', numeric: true, cell: (x) => num(x.count), sort: (x) => x.count },
  ],
  r.cleared.byReviewer,
  { id: 'trivial-cleared', empty: 'None merged in the period.' },
)}`;
    return page(pc, 'Review queue', body, { api: [urlFor('/api/v1/queue', q, { trivial: true })] });
  }
  const r = await buildReport(ctx, REPORTS.queue, { query: { ...pc.query, compat: undefined, trivial: undefined }, reader: pc.reader });
  if (r.kind !== 'queue') throw new Error('expected the queue');
  const bandwidth = await buildReport(ctx, REPORTS.waits, { query: { ...pc.query, bandwidth: true }, reader: pc.reader });
  if (bandwidth.kind !== 'bandwidth') throw new Error('expected the bandwidth report');
  const w = r.waitingOnReviewers;
  const body = html`${tabs}
<p class="lead">${r.projects.join(', ')} — the queue as of ${r.now.slice(0, 16).replace('T', ' ')} UTC. <a href="${urlFor('/dashboards', q)}">Dashboards</a> list the changes by Gerrit search.</p>
<div class="stats" id="queue-states">${stat('open', num(r.open))}${stat('waiting on reviewers', num(r.states.reviewers.count))}${stat('waiting on the author', num(r.states.author.count), `${r.states.author.negativeReview} negative review, ${r.states.author.ciFailedOnly} CI failed`)}${stat('waiting on CI', num(r.states.ci.count))}${stat('approved', num(r.states.approved.count))}${stat('work in progress', num(r.states.wip.count))}</div>
<h2>Waiting on reviewers</h2>
${table(
  [
    { key: 'measure', label: 'Waiting since', cell: (x) => x[0] },
    { key: 'count', label: 'Changes', numeric: true, cell: (x) => num(x[1].count) },
    { key: 'median', label: 'Median days', numeric: true, cell: (x) => num(x[1].median) },
    { key: 'p75', label: 'p75', numeric: true, cell: (x) => num(x[1].p75) },
    { key: 'p90', label: 'p90', numeric: true, cell: (x) => num(x[1].p90) },
    { key: 'week', label: 'More than a week', numeric: true, cell: (x) => num(x[1].moreThanWeek.count) },
  ],
  [
    ['the latest patch set', w.sinceLatestPatchSet],
    ['the first patch set', w.sinceFirstPatchSet],
    ['the last patch set without negative feedback', w.sinceLastWithoutNegative],
  ] as const,
  { id: 'queue-ages' },
)}
${queueChart(bandwidth)}
<h2>Longest waiting since the latest patch set</h2>${entries('queue-longest', w.sinceLatestPatchSet.longest, 'None waiting on reviewers.')}
<h2>Never reviewed (${num(r.neverReviewed.count)})</h2>${entries('queue-never', r.neverReviewed.oldest, 'None.')}
<h2>One +2 short (${num(r.onePlusTwoShort.count)})</h2>${entries('queue-one-short', r.onePlusTwoShort.longest, 'None.')}
<p class="sources">Core team: ${r.sources.coreTeam}. Gating CI: ${r.sources.gatingCi}. Bots: ${r.sources.bots}.</p>`;
  return page(pc, 'Review queue', body, {
    api: [
      urlFor('/api/v1/queue', q, { days: undefined, since: undefined, until: undefined }),
      urlFor('/api/v1/waits', q, { bandwidth: true }),
    ],
  });
}
