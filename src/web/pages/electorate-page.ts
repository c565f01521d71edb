/** The electorate of a release: who may vote, with the evidence (leads and admins only: it lists e-mail addresses). */
import type { ElectorateView } from '../../report/electorate-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, day, notice, num, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

export async function electoratePage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  if (!q.release)
    return page(pc, 'Electorate', notice('note', html`<p>Give the release the vote is for: <code>/electorate?release=NAME</code>.</p>`), {
      chooser: null,
    });
  const v: ElectorateView = await buildReport(ctx, REPORTS.electorate, { query: pc.query, reader: pc.reader });
  const body = html`
<p class="lead">${v.rule.text}: ${v.window.releases.join(', ')} (${day(v.window.start)} to ${day(v.window.end)}, exclusive). ${num(v.voters.length)} people; bots are never voters (${num(v.botContributions)} bot contributions left out).</p>
${chart('electorate-counts', 'Voters per release under the same rule', {
  type: 'bar',
  labels: v.counts.map((c) => c.release),
  xTitle: 'Release',
  yTitle: 'people',
  series: [{ label: 'voters', data: v.counts.map((c) => c.voters) }],
})}
${table(
  [
    { key: 'name', label: 'Name', cell: (x) => x.name ?? '(no name)' },
    { key: 'email', label: 'Preferred e-mail', cell: (x) => x.preferredEmail ?? '–' },
    { key: 'n', label: 'Contributions', numeric: true, cell: (x) => num(x.contributions) },
    { key: 'first', label: 'First', cell: (x) => `${x.first.kind} ${x.first.ref.slice(0, 60)} (${day(x.first.at)})` },
    { key: 'last', label: 'Last', cell: (x) => `${x.last.kind} ${x.last.ref.slice(0, 60)} (${day(x.last.at)})` },
  ],
  v.voters,
  { id: 'electorate-voters', filter: true, empty: 'Nobody qualifies under the rule.' },
)}
<p class="note">Contributions: ${v.sources.contributions}. People: ${v.sources.people.join('; ')}.</p>`;
  return page(pc, `Electorate: ${v.release}`, body, {
    chooser: null,
    api: [urlFor('/api/v1/electorate', q, {}, ['release', 'project', 'now'])],
  });
}
