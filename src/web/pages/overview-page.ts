/** The overview page: the project at a glance, with links into every other page. */
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { notice, num, pct, person, stat, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

function syncBox(pc: PageContext): SafeHtml {
  const s = pc.sync;
  if (!s)
    return notice(
      'note',
      html`<p>This server does not sync by itself. Start it with <code>steward serve --sync-every 1h</code>, or run <code>steward sync</code> now and then.</p>`,
    );
  const t = (ms: number | null) => (ms === null ? 'not yet' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC');
  return html`<section class="sync-box${s.lastError ? ' failed' : ''}" aria-labelledby="sync-h"><h2 id="sync-h">Sync</h2>
<dl><dt>Every</dt><dd>${s.everyText}</dd><dt>Last run</dt><dd>${s.running ? html`running now (started ${t(s.lastStartedAt)})` : t(s.lastFinishedAt)}</dd>
<dt>Result</dt><dd>${s.lastError ? html`<strong class="bad">failed</strong>: ${s.lastError}` : s.runs ? 'ok' : '–'}</dd><dt>Next run</dt><dd>${s.running ? 'after this one' : t(s.nextRunAt)}</dd></dl></section>`;
}

export async function overviewPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const r = await buildReport(ctx, REPORTS.overview, { query: pc.query, reader: pc.reader });
  const q = pc.query as Record<string, unknown>;
  // The CI line and health, the core-team and queue sections are computed only when asked for (full=true): seconds each on a large store.
  const t = r.team;
  const h = r.ciHealth;
  const body = html`
<p class="lead">${r.projects.join(', ') || '(no projects)'} — ${r.period.since.slice(0, 10)} to ${r.period.until.slice(0, 10)} (${r.period.days} days), as of ${r.now.slice(0, 16).replace('T', ' ')} UTC.</p>
${syncBox(pc)}
<section aria-labelledby="changes-h"><h2 id="changes-h">Changes in the period</h2>
<div class="stats" id="overview-changes">${stat('opened', num(r.changes.opened))}${stat('merged', num(r.changes.merged))}${stat('abandoned', num(r.changes.abandoned))}</div></section>

<section aria-labelledby="queue-h"><h2 id="queue-h"><a href="${urlFor('/queue', q)}">Review queue</a></h2>
${
  r.queue
    ? html`<div class="stats" id="overview-queue">${stat('open', num(r.queue.open))}${stat('waiting on reviewers', num(r.queue.reviewers))}${stat('waiting on the author', num(r.queue.author))}${stat('waiting on CI', num(r.queue.ci))}${stat('approved', num(r.queue.approved))}${stat('work in progress', num(r.queue.wip))}</div>
<p>Of those waiting on reviewers: median ${num(r.queue.medianDaysSinceLatestPatchSet)} days since the latest patch set; ${num(r.queue.waitingMoreThanWeek)} waiting more than a week; ${num(r.queue.neverReviewed)} never reviewed; ${num(r.queue.onePlusTwoShort)} one +2 short. <a href="${urlFor('/waits', q)}">Why reviews wait</a>.</p>`
    : html`<div class="stats" id="overview-open">${stat('open', num(r.open.count))}${stat('work in progress', num(r.open.workInProgress))}${stat('median days since the latest patch set', num(r.open.waitingDaysSinceLatestPatchSet.median))}${stat('latest patch set older than 7 days', num(r.open.waitingMoreThan.days7))}</div>
<p>Who each change waits on: <a href="${urlFor('/queue', q)}">the queue page</a>, or <a href="${urlFor('/', q, { full: true })}">this overview with every section</a> (slower). <a href="${urlFor('/waits', q)}">Why reviews wait</a>.</p>`
}
<h3>Longest waiting since created</h3>
${table(
  [
    { key: 'number', label: 'Change', numeric: true, cell: (x) => html`${x.number}` },
    { key: 'subject', label: 'Subject', cell: (x) => x.subject },
    { key: 'days', label: 'Days', numeric: true, cell: (x) => num(x.days) },
  ],
  r.open.longestWaiting,
  { id: 'longest-waiting', empty: 'No open changes.' },
)}
</section>

<section aria-labelledby="reviewers-h"><h2 id="reviewers-h"><a href="${urlFor('/reviewers', q)}">Reviewers</a></h2>
<div class="stats" id="overview-reviewers">${stat('reviews', num(r.reviewers.reviews))}${stat('active reviewers', num(r.reviewers.active))}${stat('by cores', pct(r.reviewers.reviews && r.reviewers.core.reviews !== null ? r.reviewers.core.reviews / r.reviewers.reviews : null))}${t ? stat('core reviews per core per day', num(t.reviewers.coreReviewsPerCorePerDay)) : ''}</div>
${
  t
    ? table(
        [
          { key: 'who', label: 'Reviewer', cell: (x) => person(x) },
          { key: 'reviews', label: 'Reviews', numeric: true, cell: (x) => num(x.reviews) },
          { key: 'core', label: 'Core', cell: (x) => x.core },
          { key: 'disagreements', label: 'Disagreements', numeric: true, cell: (x) => num(x.disagreements) },
        ],
        t.reviewers.top,
        { id: 'top-reviewers', caption: 'Most reviews', empty: 'No reviews in the period.' },
      )
    : html`<p>Reviews per person: <a href="${urlFor('/reviewers', q)}">the reviewers page</a>.</p>`
}
</section>

<section aria-labelledby="team-h"><h2 id="team-h"><a href="${urlFor('/core', q)}">Core team</a></h2>
${
  t
    ? html`${t.idle ? html`<p><strong>${t.idle.count}</strong> idle core reviewer(s) (fewer than ${t.idle.threshold} reviews in ${t.idle.days} days)${t.idle.cores.length ? html`: ${t.idle.cores.map((c, i) => html`${i ? ', ' : ''}${person(c)} (${c.reviews})`)}` : ''}.</p>` : html`<p>No core team is configured (${r.sources.coreTeam}).</p>`}
${t.candidates ? html`<p>Top candidates (${t.candidates.ranked} ranked over ${t.candidates.days} days): ${t.candidates.top.map((c, i) => html`${i ? ', ' : ''}${person(c)} (score ${c.score})`)}.</p>` : ''}
${t.load ? html`<p>Core load: ${num(t.load.patchSetsNeedingReview)} patch sets needing review, ${num(t.load.coreReviews)} core reviews (${num(t.load.coreReviewsPerPatchSet)} per patch set); the busiest 20% of cores did ${pct(t.load.busiestShare)}.</p>` : ''}
<p>Mentoring: ${t.mentoring.active} running.</p>`
    : html`<p>Idle cores, candidates, load and mentoring: <a href="${urlFor('/core', q)}">the core team page</a>, or <a href="${urlFor('/', q, { full: true })}">this overview with every section</a> (slower).</p>`
}
</section>

<section aria-labelledby="ci-h"><h2 id="ci-h"><a href="${urlFor('/ci', q)}">CI</a></h2>
${r.ci ? html`<div class="stats" id="overview-ci">${stat('runs', num(r.ci.runs))}${stat('failure rate', pct(r.ci.failureRate))}${stat('voting jobs failure rate', pct(r.ci.voting.failureRate))}${h ? stat('voting false-failure baseline', pct(h.votingBaseline.rate)) : ''}</div>` : ''}
${
  h
    ? table(
        [
          { key: 'job', label: 'Job', cell: (x) => x.job },
          { key: 'voting', label: 'Voting', cell: (x) => (x.voting === null ? '?' : x.voting ? 'yes' : 'no') },
          { key: 'runs', label: 'Runs', numeric: true, cell: (x) => num(x.runs), sort: (x) => x.runs },
          { key: 'failureRate', label: 'Failure rate', numeric: true, cell: (x) => pct(x.failureRate), sort: (x) => x.failureRate },
          {
            key: 'falseFailureRate',
            label: 'False-failure rate',
            numeric: true,
            cell: (x) => pct(x.falseFailureRate),
            sort: (x) => x.falseFailureRate,
          },
          { key: 'readiness', label: 'Ready to vote?', cell: (x) => x.readiness?.verdict ?? '' },
        ],
        h.jobs,
        { id: 'ci-health', empty: 'No CI runs in the period.' },
      )
    : html`<p>Per job — failure and false-failure rates, readiness to vote: <a href="${urlFor('/ci', q)}">the CI page</a>, or <a href="${urlFor('/', q, { full: true })}">this overview with every section</a> (slower).</p>`
}
<p>Week by week, each non-voting job against the voting baseline: <a href="${urlFor('/ci', q)}">the CI page</a>.</p>
</section>
<section aria-labelledby="security-h"><h2 id="security-h"><a href="${urlFor('/security/advisories', q)}">Security advisories</a></h2>
<div class="stats" id="overview-security">${stat(`published in ${r.security.year}`, num(r.security.thisYear))}${stat('published in all', num(r.security.published))}${stat('last', r.security.last ? `${r.security.last.id} (${r.security.last.date})` : 'none')}</div></section>
<p class="sources">Core team: ${r.sources.coreTeam}. Bots: ${r.sources.bots}. Configuration: ${r.sources.config ?? 'defaults'}.</p>
`;
  return page(pc, 'Overview', body, { api: [urlFor('/api/v1/overview', q)] });
}
