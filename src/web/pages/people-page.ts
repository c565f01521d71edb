/**
 * People: identities joined into people (accounts per host, e-mails, Launchpad ids), affiliations
 * over time and activity; e-mail addresses only for leads and admins (the report decides by reader).
 */
import { activityWindowText, type PeopleView } from '../../report/people-report.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { num, table } from './components.js';
import { page, urlFor, type PageContext } from './layout.js';

const KEEP = ['search', 'person', 'release', 'days', 'since', 'until', 'limit', 'bots', 'now'];

export async function peoplePage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  const v: PeopleView = await buildReport(ctx, REPORTS.people, { query: pc.query, reader: pc.reader });
  const one = (p: PeopleView['people'][number]) =>
    html`<a href="${urlFor('/people', q, { person: p.id, search: undefined }, KEEP)}">${p.name ?? '(no name)'}</a>`;
  const body = html`
<form method="get" action="/people" class="filters"><label>Search <input name="search" value="${v.search ?? ''}"></label> <button>Find</button></form>
<p class="lead">${num(v.total)} people (identities joined, not addresses), activity in ${activityWindowText(v)}. ${v.emailsShown ? '' : 'E-mail addresses are shown to leads and admins only.'}</p>
${table(
  [
    { key: 'name', label: 'Name', cell: (p) => html`${one(p)}${p.bot ? ' [bot]' : ''}` },
    ...(v.emailsShown
      ? [{ key: 'email', label: 'Preferred e-mail', cell: (p: PeopleView['people'][number]) => p.preferredEmail ?? '–' }]
      : []),
    {
      key: 'gerrit',
      label: 'Gerrit accounts',
      cell: (p) => p.identities.gerrit.map((g) => `${g.host}/${g.id}${g.username ? ` (${g.username})` : ''}`).join(', ') || '–',
    },
    {
      key: 'emails',
      label: 'E-mails',
      numeric: !v.emailsShown,
      cell: (p) => (p.identities.emails ? p.identities.emails.join(', ') : num(p.identities.emailCount)),
    },
    { key: 'launchpad', label: 'Launchpad', cell: (p) => p.identities.launchpad.join(', ') || '–' },
    {
      key: 'company',
      label: 'Company now',
      cell: (p) => `${p.companyNow.company ?? '–'}${p.companyNow.basis === 'domain-guess' ? ' (guess)' : ''}`,
    },
    {
      key: 'affiliations',
      label: 'Affiliations',
      cell: (p) =>
        p.affiliations.map((a) => `${a.company} ${a.start?.slice(0, 10) ?? '…'}–${a.end?.slice(0, 10) ?? 'now'}`).join('; ') || '–',
    },
    { key: 'commits', label: 'Commits', numeric: true, cell: (p) => num(p.activity.commits), sort: (p) => p.activity.commits },
    { key: 'changes', label: 'Changes', numeric: true, cell: (p) => num(p.activity.changes), sort: (p) => p.activity.changes },
    { key: 'reviews', label: 'Reviews', numeric: true, cell: (p) => num(p.activity.reviews), sort: (p) => p.activity.reviews },
  ],
  v.people,
  { id: 'people', filter: true, empty: 'Nobody matches.' },
)}
<p class="note">People: ${v.sources.people.join('; ')}. Activity: ${v.sources.activity}.</p>`;
  return page(pc, 'People', body, { chooser: null, api: [urlFor('/api/v1/people', q, {}, KEEP)] });
}
