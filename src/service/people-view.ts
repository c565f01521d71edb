/**
 * The people report (`steward people list`, `/api/v1/people`, the /people page): the people the
 * store's identities make (people-service.ts), searched, each with their identities — Gerrit
 * accounts per host, e-mail addresses, Launchpad ids —, recorded affiliations over time, and their
 * activity (commits landed, merged changes owned, reviews as `steward reviewers` counts them) in
 * the window. E-mail addresses are shown only to readers allowed `electorate.read` (leads and admins
 * with `steward serve --auth`), and on the command line and a server without --auth, as for the
 * electorate; others see names, accounts and counts, and their search does not look at addresses.
 */
import { affiliationAt, type AffiliationSpan } from '../analysis/affiliations.js';
import { gerritKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import type { IdentityKey, Person } from '../model/people.js';
import type { Store } from '../store/engine.js';
import { loadGerritAccounts, loadAffiliations, loadCompanies, type AffiliationRecord } from '../store/queries/people.js';
import { authorize } from './authorize.js';
import type { Reader } from './catalogue/report-entry.js';
import type { EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { identityOf, loadPeople } from './people-service.js';
import { activityPeriod, loadIdentityActivity } from './people-reviews.js';
import type { PeopleView, PersonRow } from '../report/people-report.js';
import { createHash } from 'node:crypto';

export interface PeopleParams {
  /** Text searched in names, Gerrit usernames, Launchpad ids (and addresses, for readers who see them). */
  search?: string | null;
  /** One person: any of their identities (an address, HOST/ID, launchpad:ID). */
  person?: string | null;
  /** One release window for the activity counts (instead of `window`). */
  release?: string | null;
  /** The activity window when no release is given (the report's --days/--since/--until; 90 days by default). */
  window: Window;
  /** People listed at most (the total is given). */
  limit: number;
  includeBots: boolean;
  cwd: string;
}

export type { PeopleView, PersonRow };

/** Whether `reader` may see e-mail addresses: as the electorate (no reader: the command line or a server without --auth). */
export function mayShowEmails(reader: Reader | undefined): boolean {
  return reader ? authorize(reader, 'electorate.read', { kind: 'report' }).allowed : true;
}

/** Builds the people report (see the module comment). */
export async function buildPeopleView(
  store: Store,
  params: PeopleParams,
  config: EffectiveConfig,
  now: number,
  reader?: Reader,
): Promise<PeopleView> {
  const showEmails = mayShowEmails(reader);
  const period = activityPeriod(config, params.release, params.window);
  const { since, until } = period;
  const [set, accounts, affs, companies, counted] = await Promise.all([
    loadPeople(store, config, params.cwd),
    loadGerritAccounts(store.db),
    loadAffiliations(store.db),
    loadCompanies(store.db),
    loadIdentityActivity(store, config, { since, until }),
  ]);
  let people: Person[] = set.people;
  if (params.person) {
    if (!showEmails && params.person.includes('@'))
      throw new StewardError('USAGE', 'give the person as a Gerrit account (HOST/ID) or launchpad:ID: addresses are for leads and admins');
    const p = set.byIdentity.get(identityOf(params.person, set));
    people = p ? [p] : [];
  }
  if (!params.includeBots && !params.person) people = people.filter((p) => !p.bot);
  const account = new Map(accounts.map((a) => [gerritKey(a.host, a.gerritId), a]));
  const text = params.search?.trim().toLowerCase();
  if (text)
    people = people.filter(
      (p) =>
        (p.name ?? '').toLowerCase().includes(text) ||
        p.identities.some((k) => {
          if (k.startsWith('email:')) return showEmails && k.includes(text);
          if (k.startsWith('gerrit:')) return (account.get(k)?.username ?? '').toLowerCase().includes(text) || k.includes(text);
          return k.includes(text);
        }),
    );
  const count = new Map<IdentityKey, { commits: number; changes: number; reviews: number }>();
  const total = { commits: 0, changes: 0, reviews: 0 };
  for (const what of ['commits', 'changes', 'reviews'] as const)
    for (const x of counted[what]) {
      const id = set.byIdentity.get(x.identity)?.id ?? x.identity;
      const c = count.get(id) ?? count.set(id, { commits: 0, changes: 0, reviews: 0 }).get(id)!;
      c[what] += x.n;
      total[what] += x.n;
    }
  const spans = new Map<IdentityKey, AffiliationSpan[]>();
  const recorded = new Map<IdentityKey, AffiliationRecord[]>();
  for (const a of affs) {
    (spans.get(a.identity) ?? spans.set(a.identity, []).get(a.identity)!).push({ company: a.company, start: a.startAt, end: a.endAt });
    (recorded.get(a.identity) ?? recorded.set(a.identity, []).get(a.identity)!).push(a);
  }
  const domains = new Map<string, string>();
  for (const c of companies) for (const d of c.domains) domains.set(d, c.name);
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const activity = (p: Person) => count.get(p.id) ?? { commits: 0, changes: 0, reviews: 0 };
  people = [...people].sort((a, b) => {
    const x = activity(a);
    const y = activity(b);
    return y.commits + y.changes + y.reviews - (x.commits + x.changes + x.reviews) || (a.name ?? a.id).localeCompare(b.name ?? b.id);
  });
  const rows: PersonRow[] = people.slice(0, params.limit).map((p) => {
    const emails = p.identities.filter((k) => k.startsWith('email:')).map((k) => k.slice(6));
    const now_ = affiliationAt(p, now, spans, domains);
    return {
      // The id is the smallest identity key: an address for people with no account; others get a digest of it.
      id: showEmails || !p.id.startsWith('email:') ? p.id : `person:${createHash('sha256').update(p.id).digest('hex').slice(0, 16)}`,
      name: p.name,
      preferredEmail: showEmails ? p.preferredEmail : null,
      bot: p.bot,
      identities: {
        gerrit: p.identities
          .filter((k) => k.startsWith('gerrit:'))
          .map((k) => {
            const [host, id] = [k.slice(7, k.lastIndexOf('/')), Number(k.slice(k.lastIndexOf('/') + 1))];
            return { host, id, username: account.get(k)?.username ?? null };
          }),
        emails: showEmails ? emails : null,
        emailCount: emails.length,
        launchpad: p.identities.filter((k) => k.startsWith('launchpad:')).map((k) => k.slice(10)),
      },
      affiliations: p.identities
        .flatMap((k) => recorded.get(k) ?? [])
        .sort((a, b) => (a.startAt ?? -Infinity) - (b.startAt ?? -Infinity))
        .map((a) => ({ company: a.company, start: iso(a.startAt), end: iso(a.endAt), source: a.source })),
      companyNow: { company: now_.company, basis: now_.basis },
      activity: activity(p),
    };
  });
  return {
    kind: 'people',
    period: { since: iso(since)!, until: iso(until)!, ...(period.days !== null ? { days: period.days } : {}) },
    release: period.release,
    window: { start: iso(since), end: iso(until) },
    search: params.search?.trim() || null,
    emailsShown: showEmails,
    total: people.length,
    people: rows,
    unit: 'people',
    sources: {
      people: set.sources,
      activity: `in ${period.label}: ${total.commits} commits landed (backports left out), ${total.changes} merged Gerrit changes by owner and ${total.reviews} reviews (as steward reviewers counts them)`,
    },
  };
}
