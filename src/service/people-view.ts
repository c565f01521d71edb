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
import { emailKey, gerritKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import type { IdentityKey, Person } from '../model/people.js';
import { findRelease } from '../model/release-calendar.js';
import type { Store } from '../store/engine.js';
import { loadGerritAccounts, loadAffiliations, loadCompanies, loadMergedChangeOwners } from '../store/queries/people.js';
import { loadLandedCommits } from '../store/queries/code-history.js';
import { authorize } from './authorize.js';
import type { Reader } from './catalogue/report-entry.js';
import type { EffectiveConfig } from './effective-config.js';
import { identityOf, loadPeople } from './people-service.js';
import { loadIdentityReviews } from './people-reviews.js';
import { releaseCalendar } from './releases.js';
import type { PeopleView, PersonRow } from '../report/people-report.js';
import { createHash } from 'node:crypto';

export interface PeopleParams {
  /** Text searched in names, Gerrit usernames, Launchpad ids (and addresses, for readers who see them). */
  search?: string | null;
  /** One person: any of their identities (an address, HOST/ID, launchpad:ID). */
  person?: string | null;
  /** One release window for the activity counts (default: the whole history). */
  release?: string | null;
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
  const { calendar, source } = releaseCalendar(config.config, config.origin);
  const r = params.release ? findRelease(calendar, params.release) : null;
  if (params.release && !r)
    throw new StewardError('USAGE', `release "${params.release}" is not in the release calendar (${source})`, {
      hint: `Known releases: ${calendar.map((x) => x.name).join(', ')}.`,
    });
  const since = r?.start ?? 0;
  const until = r?.release ?? Number.MAX_SAFE_INTEGER;
  const [set, accounts, affs, companies, commits, changes, reviews] = await Promise.all([
    loadPeople(store, config, params.cwd),
    loadGerritAccounts(store.db),
    loadAffiliations(store.db),
    loadCompanies(store.db),
    loadLandedCommits(store.db, since, until),
    loadMergedChangeOwners(store.db),
    loadIdentityReviews(store, config, { since, until }),
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
  const bump = (k: IdentityKey, what: 'commits' | 'changes' | 'reviews') => {
    const id = set.byIdentity.get(k)?.id ?? k;
    const c = count.get(id) ?? count.set(id, { commits: 0, changes: 0, reviews: 0 }).get(id)!;
    c[what]++;
  };
  for (const c of commits) bump(emailKey(c.authorKey), 'commits');
  for (const c of changes) if (c.mergedAt >= since && c.mergedAt < until) bump(gerritKey(c.host, c.ownerGerritId), 'changes');
  for (const x of reviews) bump(x.identity, 'reviews');
  const spans = new Map<IdentityKey, AffiliationSpan[]>();
  for (const a of affs)
    (spans.get(a.identity) ?? spans.set(a.identity, []).get(a.identity)!).push({ company: a.company, start: a.startAt, end: a.endAt });
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
        .flatMap((k) => affs.filter((a) => a.identity === k))
        .sort((a, b) => (a.startAt ?? -Infinity) - (b.startAt ?? -Infinity))
        .map((a) => ({ company: a.company, start: iso(a.startAt), end: iso(a.endAt), source: a.source })),
      companyNow: { company: now_.company, basis: now_.basis },
      activity: activity(p),
    };
  });
  return {
    kind: 'people',
    release: r?.name ?? null,
    window: { start: r ? iso(r.start) : null, end: r ? iso(r.release) : null },
    search: params.search?.trim() || null,
    emailsShown: showEmails,
    total: people.length,
    people: rows,
    unit: 'people',
    sources: {
      people: set.sources,
      activity: `${commits.length} commits landed (backports left out), merged Gerrit changes by owner and ${reviews.length} reviews (as steward reviewers counts them)${r ? ` in ${r.name}'s window` : ' over the whole history'}`,
    },
  };
}
