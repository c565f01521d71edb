/** The bug pages (issue 15): the backlog, the trivial-fix rota, targets, blueprints — the catalogue's results laid out, with charts. */
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, notice, num, pct, stat, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

const days = (x: number | null): string => (x === null ? '–' : `${x} d`);

function subnav(pc: PageContext): SafeHtml {
  const q = pc.query as Record<string, unknown>;
  return html`<p class="subnav"><a href="${urlFor('/bugs', q)}">Backlog</a> · <a href="${urlFor('/bugs/rota', q)}">Trivial-fix rota</a> · <a href="${urlFor('/bugs/targets', q)}">Targets</a> · <a href="${urlFor('/bugs/blueprints', q)}">Blueprints</a> · definitions in docs/bugs.md</p>`;
}

function restrictedNote(r: { restrictedHidden: number; restrictedShown: boolean }): SafeHtml | string {
  if (r.restrictedShown || r.restrictedHidden === 0) return '';
  return notice(
    'note',
    html`<p>${r.restrictedHidden} private or security bug(s) are left out of the lists (they are counted in the totals): seeing them by name needs a role with <code>bugs.private.read</code>.</p>`,
  );
}

export async function bugsBacklogPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const r = await buildReport(ctx, REPORTS.bugsBacklog, { query: pc.query, reader: pc.reader });
  const q = pc.query as Record<string, unknown>;
  if (r.projects.length === 0)
    return page(
      pc,
      'Bugs',
      html`${subnav(pc)}${notice('note', html`<p>No Launchpad bugs in the store: run <code>steward bugs sync</code> (or <code>steward bugs import</code>).</p>`)}`,
      {
        api: [urlFor('/api/v1/bugs/backlog', q)],
      },
    );
  const weeks = r.weeks.map((w) => w.week);
  const body = html`${subnav(pc)}
<p class="lead">${r.projects.join(', ')} as of ${r.now.slice(0, 10)}.</p>
<div class="stats" id="bugs-stats">${stat('open', num(r.open), `${num(r.restrictedOpen)} private or security`)}${stat('untriaged (New)', num(r.untriaged))}${stat('median age', days(r.age.medianDays))}${stat('median time to triage', days(r.timeToTriage.median), r.timeToTriage.median === null ? '' : `95% CI ${r.timeToTriage.lower ?? '?'}–${r.timeToTriage.upper ?? 'open'} d`)}${stat('median time to fix', days(r.timeToFix.median), r.timeToFix.median === null ? 'not reached' : `95% CI ${r.timeToFix.lower ?? '?'}–${r.timeToFix.upper ?? 'open'} d`)}${stat('backlog', r.growth.verdict, r.growth.shareOpened === null ? '' : `share opened ${r.growth.shareOpened} (${r.growth.lower}–${r.growth.upper})`)}</div>
${chart('bugs-backlog-chart', 'Backlog over time: open and untriaged bugs at each week’s end', {
  type: 'line',
  labels: weeks,
  series: [
    { label: 'open', data: r.weeks.map((w) => w.open) },
    { label: 'untriaged (New)', data: r.weeks.map((w) => w.untriaged) },
  ],
  xTitle: 'week',
  yTitle: 'bugs',
})}
${chart('bugs-flow-chart', 'Opened vs fixed per week', {
  type: 'bar',
  labels: weeks,
  series: [
    { label: 'opened', data: r.weeks.map((w) => w.opened) },
    { label: 'fixed', data: r.weeks.map((w) => w.fixed) },
    { label: 'closed otherwise', data: r.weeks.map((w) => w.closedOther) },
  ],
  xTitle: 'week',
  yTitle: 'bugs',
})}
${chart(
  'bugs-triage-chart',
  'Time to triage: share of bugs still New after so many days (Kaplan–Meier, still-New bugs censored)',
  {
    type: 'line',
    labels: r.timeToTriage.curve.map((p) => p.days),
    series: [
      { label: 'still New', data: r.timeToTriage.curve.map((p) => p.waiting), stepped: true },
      { label: 'lower 95%', data: r.timeToTriage.curve.map((p) => p.lower), stepped: true },
      { label: 'upper 95%', data: r.timeToTriage.curve.map((p) => p.upper), stepped: true },
    ],
    xTitle: 'days since created',
    percent: true,
  },
  html`Within 7 days ${pct(r.timeToTriage.within7)}, within 30 days ${pct(r.timeToTriage.within30)} (${num(r.timeToTriage.events)} of ${num(r.timeToTriage.n)} bugs created in the last year).`,
)}
<section aria-labelledby="stuck-h"><h2 id="stuck-h">In Progress with no open change — candidates to unassign</h2>
${table(
  [
    {
      key: 'bug',
      label: 'Bug',
      numeric: true,
      cell: (x) => html`<a href="https://bugs.launchpad.net/bugs/${x.bug}" rel="noopener noreferrer">${x.bug}</a>`,
    },
    { key: 'importance', label: 'Importance', cell: (x) => x.importance },
    { key: 'assignee', label: 'Assignee', cell: (x) => x.assignee ?? '–' },
    { key: 'idle', label: 'Idle (days)', numeric: true, cell: (x) => num(x.idleDays), sort: (x) => x.idleDays },
    { key: 'why', label: 'Why', cell: (x) => x.why },
    {
      key: 'last',
      label: 'Last change',
      cell: (x) =>
        x.lastChange
          ? html`${x.lastChange.number} ${x.lastChange.status}${x.lastChange.abandonReason ? html`: ${x.lastChange.abandonReason}` : ''}`
          : '–',
    },
    { key: 'title', label: 'Title', cell: (x) => x.title },
  ],
  r.inProgressStuck,
  { id: 'bugs-stuck', empty: 'None.' },
)}</section>
<section aria-labelledby="fixed-h"><h2 id="fixed-h">Fix merged, bug still open</h2>
${table(
  [
    { key: 'bug', label: 'Bug', numeric: true, cell: (x) => html`${x.bug}` },
    { key: 'status', label: 'Status', cell: (x) => x.status },
    { key: 'change', label: 'Change', numeric: true, cell: (x) => html`${x.change}` },
    { key: 'merged', label: 'Merged', cell: (x) => x.mergedAt },
    { key: 'title', label: 'Title', cell: (x) => x.title },
  ],
  r.fixedStillOpen,
  { id: 'bugs-fixed-open', empty: 'None.' },
)}</section>
<section aria-labelledby="areas-h"><h2 id="areas-h">Areas by open high-importance bugs</h2>
${table(
  [
    { key: 'tag', label: 'Tag', cell: (x) => x.tag },
    { key: 'openHigh', label: 'Open high', numeric: true, cell: (x) => num(x.openHigh), sort: (x) => x.openHigh },
    { key: 'open', label: 'Open', numeric: true, cell: (x) => num(x.open), sort: (x) => x.open },
    { key: 'oldest', label: 'Oldest high (days)', numeric: true, cell: (x) => num(x.oldestHighDays), sort: (x) => x.oldestHighDays },
    {
      key: 'median',
      label: 'Median age high (days)',
      numeric: true,
      cell: (x) => num(x.medianHighAgeDays),
      sort: (x) => x.medianHighAgeDays,
    },
  ],
  r.areas,
  { id: 'bugs-areas', empty: 'No tagged open bugs.' },
)}</section>
${restrictedNote(r)}`;
  return page(pc, 'Bugs: backlog', body, { api: [urlFor('/api/v1/bugs/backlog', q)] });
}

export async function bugsRotaPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const r = await buildReport(ctx, REPORTS.bugsRota, { query: pc.query, reader: pc.reader });
  const q = pc.query as Record<string, unknown>;
  const rate = (c: typeof r.constraints.reverted) =>
    html`trivial ${num(c.trivial.count)}/${num(c.trivial.of)} (${pct(c.trivial.rate)}), other ${num(c.other.count)}/${num(c.other.of)} (${pct(c.other.rate)}): <strong>${c.verdict}</strong>${c.difference === null ? '' : html` (difference ${c.difference}, 95% CI ${c.lower}–${c.upper}, Fisher p ${c.fisherP})`}`;
  const body = html`${subnav(pc)}
${r.configured ? html`<p class="lead">Rota: ${r.members.join(', ')}. Trivial path: at most ${r.rules.maxLines} lines, a <code>${r.rules.tag}</code> line or bugs of importance ${r.rules.importances.join(', ')}${r.rules.neverPaths.length ? html`; never ${r.rules.neverPaths.join(', ')}` : ''}.</p>` : notice('note', html`<p>No rota in steward.yaml (<code>bugs.rota.members</code>): the queue and the constraints only.</p>`)}
<div class="stats" id="rota-stats">${stat('trivial fixes waiting', num(r.queueSize))}${stat('weeks with nobody on duty active', num(r.deadWeeks))}${stat('members who stopped reviewing', num(r.people.filter((p) => p.stoppedReviewing).length))}</div>
${chart('rota-weeks-chart', 'Rota weeks: trivial fixes cleared, by the rota, and rota members active', {
  type: 'bar',
  labels: r.weeks.map((w) => w.week),
  series: [
    { label: 'cleared', data: r.weeks.map((w) => w.cleared) },
    { label: 'cleared by the rota', data: r.weeks.map((w) => w.clearedByRota) },
    { label: 'members active', data: r.weeks.map((w) => w.active.length), axis: 'y2' },
  ],
  xTitle: 'week',
  yTitle: 'changes',
  y2Title: 'members',
})}
<section aria-labelledby="members-h"><h2 id="members-h">Who on the rota reviewed</h2>
${table(
  [
    { key: 'who', label: 'Member', cell: (x) => x.who },
    { key: 'reviews', label: 'Reviews', numeric: true, cell: (x) => num(x.reviews), sort: (x) => x.reviews },
    { key: 'recent', label: 'Recent quarter', numeric: true, cell: (x) => num(x.reviewsRecent), sort: (x) => x.reviewsRecent },
    { key: 'trivial', label: 'Trivial fixes approved', numeric: true, cell: (x) => num(x.trivialApproved), sort: (x) => x.trivialApproved },
    { key: 'weeks', label: 'Weeks active', numeric: true, cell: (x) => num(x.weeksActive), sort: (x) => x.weeksActive },
    { key: 'last', label: 'Last review', cell: (x) => x.lastReview ?? 'never' },
    { key: 'stopped', label: 'Stopped reviewing', cell: (x) => (x.stoppedReviewing ? html`<strong class="bad">yes</strong>` : 'no') },
  ],
  r.people,
  { id: 'rota-members', empty: 'No rota configured.' },
)}</section>
<section aria-labelledby="queue-h"><h2 id="queue-h">The trivial-fix queue now</h2>
${table(
  [
    { key: 'number', label: 'Change', numeric: true, cell: (x) => html`${x.number}` },
    { key: 'delta', label: 'Lines', numeric: true, cell: (x) => num(x.delta), sort: (x) => x.delta },
    {
      key: 'bugs',
      label: 'Bugs',
      cell: (x) => x.bugs.map((b) => `#${b.bug}${b.importance ? ` ${b.importance}` : ''}`).join(' ') || (x.tagged ? 'TrivialFix' : '–'),
    },
    { key: 'waiting', label: 'Waiting (days)', numeric: true, cell: (x) => num(x.waitingDays), sort: (x) => x.waitingDays },
    { key: 'subject', label: 'Subject', cell: (x) => x.subject },
  ],
  r.queue,
  { id: 'rota-queue', empty: 'No trivial fixes waiting.' },
)}</section>
<section aria-labelledby="constraints-h"><h2 id="constraints-h">Did the constraints hold?</h2>
<p id="rota-reverted">Reverted: ${rate(r.constraints.reverted)}.</p>
<p id="rota-reopened">Bug reopened: ${rate(r.constraints.reopened)}.</p>
${table(
  [
    { key: 'what', label: 'What', cell: (x) => x.what },
    { key: 'number', label: 'Change', numeric: true, cell: (x) => html`${x.number}` },
    { key: 'merged', label: 'Merged', cell: (x) => x.mergedAt },
    { key: 'subject', label: 'Subject', cell: (x) => x.subject },
  ],
  r.constraints.breaches,
  { id: 'rota-breaches', empty: 'No trivial fix was reverted or reopened its bug.' },
)}</section>`;
  return page(pc, 'Bugs: trivial-fix rota', body, { api: [urlFor('/api/v1/bugs/rota', q)] });
}

export async function bugsTargetsPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const r = await buildReport(ctx, REPORTS.bugsTargets, { query: pc.query, reader: pc.reader });
  const q = pc.query as Record<string, unknown>;
  const body = html`${subnav(pc)}
<div class="stats" id="targets-stats">${stat('open high-importance', num(r.openHigh))}${stat('nobody working on', num(r.unattended), `${num(r.restrictedUnattended)} private or security`)}</div>
${table(
  [
    { key: 'rank', label: '#', numeric: true, cell: (x) => num(x.rank), sort: (x) => x.rank },
    {
      key: 'bug',
      label: 'Bug',
      numeric: true,
      cell: (x) => html`<a href="https://bugs.launchpad.net/bugs/${x.bug}" rel="noopener noreferrer">${x.bug}</a>`,
    },
    { key: 'importance', label: 'Importance', cell: (x) => x.importance },
    { key: 'age', label: 'Age (days)', numeric: true, cell: (x) => num(x.ageDays), sort: (x) => x.ageDays },
    { key: 'heat', label: 'Heat', numeric: true, cell: (x) => num(x.heat), sort: (x) => x.heat },
    { key: 'dups', label: 'Duplicates', numeric: true, cell: (x) => num(x.duplicates), sort: (x) => x.duplicates },
    { key: 'tags', label: 'Area', cell: (x) => x.tags.join(' ') },
    { key: 'why', label: 'Unattended', cell: (x) => x.unattended },
    {
      key: 'tried',
      label: 'Tried',
      cell: (x) =>
        x.abandoned.length
          ? x.abandoned.map(
              (a, i) => html`${i ? '; ' : ''}${a.number} abandoned ${a.abandonedAt ?? ''}${a.reason ? html`: ${a.reason}` : ''}`,
            )
          : '–',
    },
    { key: 'fixers', label: 'Fixed bugs here before', cell: (x) => x.fixersInArea.map((f) => `${f.who} (${f.fixes})`).join(', ') || '–' },
    { key: 'title', label: 'Title', cell: (x) => x.title },
  ],
  r.targets,
  { id: 'bugs-targets', filter: true, empty: 'No open high-importance bug is unattended.' },
)}
${restrictedNote(r)}`;
  return page(pc, 'Bugs: targets', body, { api: [urlFor('/api/v1/bugs/targets', q)] });
}

const seriesLabel = (s: string | null): string => s ?? 'no series goal';

export async function bugsBlueprintsPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const r = await buildReport(ctx, REPORTS.bugsBlueprints, { query: pc.query, reader: pc.reader });
  const q = pc.query as Record<string, unknown>;
  const api = urlFor('/api/v1/bugs/blueprints', q, {}, ['project', 'series']);
  if (r.total === 0)
    return page(
      pc,
      'Bugs: blueprints',
      html`${subnav(pc)}${notice('note', html`<p>No Launchpad blueprints in the store: run <code>steward bugs sync</code> (or <code>steward bugs import</code>).</p>`)}`,
      { api: [api] },
    );
  // Every implementation status any series has, the most frequent first: one bar per status in each series.
  const statusTotals = new Map<string, number>();
  for (const s of r.seriesList) for (const c of s.byImplementation) statusTotals.set(c.status, (statusTotals.get(c.status) ?? 0) + c.count);
  const statuses = [...statusTotals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);
  const sum = (f: (s: (typeof r.seriesList)[number]) => number) => r.seriesList.reduce((n, s) => n + f(s), 0);
  const bpLink = (b: { project: string; name: string }) =>
    html`<a href="https://blueprints.launchpad.net/${b.project}/+spec/${b.name}" rel="noopener noreferrer">${b.name}</a>`;
  const accepted = (x: boolean | null) => (x === null ? '–' : x ? 'accepted' : html`<strong class="bad">not accepted</strong>`);
  const body = html`${subnav(pc)}
<p class="lead">Launchpad blueprints as of the last sync${r.series === null ? '' : html`, goals of series ${r.series}`}.</p>
<div class="stats" id="blueprints-stats">${stat('blueprints', num(r.total))}${stat('approved, not started', num(sum((s) => s.approvedNotStarted.length)), 'goals accepted for their series')}${stat('goal proposed, not accepted', num(sum((s) => s.goalNotAccepted.length)), 'not planned for the series')}</div>
${chart('blueprints-chart', 'Blueprints per series goal by implementation status', {
  type: 'bar',
  labels: r.seriesList.map((s) => seriesLabel(s.series)),
  series: statuses.map((st) => ({ label: st, data: r.seriesList.map((s) => s.byImplementation.find((c) => c.status === st)?.count ?? 0) })),
  xTitle: 'series goal',
  yTitle: 'blueprints',
})}
${r.seriesList.map(
  (
    s,
    i,
  ) => html`<section aria-labelledby="bp-${i}-h" class="blueprint-series" data-series="${seriesLabel(s.series)}"><h2 id="bp-${i}-h">${seriesLabel(s.series)}: ${num(s.total)} blueprint(s)</h2>
<p>Definition: ${s.byDefinition.map((c) => `${c.status} ${c.count}`).join(', ')}.${s.series === null ? '' : html` Series goal: accepted ${num(s.goal.accepted)}, not accepted (proposed or declined) ${num(s.goal.notAccepted)}${s.goal.unknown ? html`, not known ${num(s.goal.unknown)}` : ''}.`}</p>
${
  s.series === null
    ? ''
    : html`<h3>Approved, not started</h3>
${table(
  [
    { key: 'name', label: 'Blueprint', cell: (x) => bpLink(x) },
    { key: 'priority', label: 'Priority', cell: (x) => x.priority },
    { key: 'assignee', label: 'Assignee', cell: (x) => x.assignee ?? 'unassigned' },
  ],
  s.approvedNotStarted,
  { id: `bp-${i}-approved`, empty: 'None.' },
)}
<h3>Goal proposed, not accepted (not planned)</h3>
${table(
  [
    { key: 'name', label: 'Blueprint', cell: (x) => bpLink(x) },
    { key: 'priority', label: 'Priority', cell: (x) => x.priority },
    { key: 'definition', label: 'Definition', cell: (x) => x.definitionStatus },
    { key: 'implementation', label: 'Implementation', cell: (x) => x.implementationStatus },
  ],
  s.goalNotAccepted,
  { id: `bp-${i}-proposed`, empty: 'None.' },
)}`
}
<h3>All</h3>
${table(
  [
    { key: 'name', label: 'Blueprint', cell: (x) => bpLink(x) },
    { key: 'priority', label: 'Priority', cell: (x) => x.priority },
    { key: 'goal', label: 'Series goal', cell: (x) => (s.series === null ? '–' : accepted(x.seriesGoalAccepted)) },
    { key: 'definition', label: 'Definition', cell: (x) => x.definitionStatus },
    { key: 'implementation', label: 'Implementation', cell: (x) => x.implementationStatus },
    { key: 'assignee', label: 'Assignee', cell: (x) => x.assignee ?? 'unassigned' },
    { key: 'merged', label: 'Changes merged', numeric: true, cell: (x) => num(x.changes.merged), sort: (x) => x.changes.merged },
    { key: 'open', label: 'Changes open', numeric: true, cell: (x) => num(x.changes.open), sort: (x) => x.changes.open },
    { key: 'commits', label: 'Commits', numeric: true, cell: (x) => num(x.commits), sort: (x) => x.commits },
  ],
  s.blueprints,
  { id: `bp-${i}-all`, empty: 'None.' },
)}</section>`,
)}`;
  return page(pc, 'Bugs: blueprints', body, { api: [api] });
}
