/**
 * Who worked for whom, when (pure; docs/people-and-history.md, "Affiliations"): a person's company
 * at a time from the recorded affiliations of any of their identities (imported files); failing
 * that, a guess from their e-mail domains against the companies' known domains, labelled as one.
 */
import type { IdentityKey, Person } from '../model/people.js';

export interface AffiliationSpan {
  company: string;
  /** Epoch ms, null for an open start. */
  start: number | null;
  /** Epoch ms (exclusive), null for an open end. */
  end: number | null;
}

export type AffiliationBasis = 'recorded' | 'domain-guess' | 'unknown';

export interface Affiliation {
  company: string | null;
  basis: AffiliationBasis;
}

/** The company of `person` at `t` (see the module comment); `domains` maps a lower-cased e-mail domain to its company. */
export function affiliationAt(
  person: Person,
  t: number,
  spans: ReadonlyMap<IdentityKey, readonly AffiliationSpan[]>,
  domains: ReadonlyMap<string, string>,
): Affiliation {
  for (const k of person.identities)
    for (const s of spans.get(k) ?? [])
      if ((s.start === null || s.start <= t) && (s.end === null || t < s.end)) return { company: s.company, basis: 'recorded' };
  const emails = [person.preferredEmail, ...person.identities.filter((k) => k.startsWith('email:')).map((k) => k.slice(6))].filter(
    (e): e is string => !!e,
  );
  for (const e of emails) {
    const d = e.slice(e.lastIndexOf('@') + 1).toLowerCase();
    for (let x = d; x.includes('.'); x = x.slice(x.indexOf('.') + 1)) {
      const c = domains.get(x);
      if (c) return { company: c, basis: 'domain-guess' };
    }
  }
  return { company: null, basis: 'unknown' };
}

export interface CompanyRow {
  /** null: people whose company is unknown. */
  company: string | null;
  commits: number;
  changes: number;
  /** Reviews (analysis/reviews.ts: the definition `steward reviewers` counts), each at the reviewer's company at its time. */
  reviews: number;
  /** People (not addresses) with a commit, change or review, bots left out. */
  people: number;
  /** Of the commits, changes and reviews, those attributed by an e-mail domain guess. */
  guessed: number;
}

/**
 * Commits, merged changes and reviews per company, each attributed to its author's (reviewer's)
 * company at its time. `items` are one person's contributions of one kind: how many (`n`) and
 * their times (one per contribution); bots are left out. A person with no recorded affiliation has
 * one company (or guess) at every time, found once: their times are not needed (null).
 */
export function perCompany(
  items: ReadonlyArray<{ person: Person; kind: 'commit' | 'change' | 'review'; n: number; times: readonly number[] | null }>,
  spans: ReadonlyMap<IdentityKey, readonly AffiliationSpan[]>,
  domains: ReadonlyMap<string, string>,
): CompanyRow[] {
  const rows = new Map<string | null, CompanyRow & { ids: Set<string> }>();
  const add = (person: Person, kind: 'commit' | 'change' | 'review', a: Affiliation, n: number) => {
    const r =
      rows.get(a.company) ??
      rows
        .set(a.company, { company: a.company, commits: 0, changes: 0, reviews: 0, people: 0, guessed: 0, ids: new Set() })
        .get(a.company)!;
    if (kind === 'commit') r.commits += n;
    else if (kind === 'change') r.changes += n;
    else r.reviews += n;
    if (a.basis === 'domain-guess') r.guessed += n;
    r.ids.add(person.id);
  };
  for (const it of items) {
    if (it.person.bot || it.n === 0) continue;
    if (!it.person.identities.some((k) => spans.has(k))) add(it.person, it.kind, affiliationAt(it.person, 0, spans, domains), it.n);
    else if (it.times?.length !== it.n)
      throw new Error(`perCompany: ${it.person.id} has recorded affiliations; give each ${it.kind}'s time`);
    else for (const t of it.times) add(it.person, it.kind, affiliationAt(it.person, t, spans, domains), 1);
  }
  return [...rows.values()]
    .map(({ ids, ...r }) => ({ ...r, people: ids.size }))
    .sort(
      (a, b) =>
        b.commits + b.changes + b.reviews - (a.commits + a.changes + a.reviews) || String(a.company).localeCompare(String(b.company)),
    );
}
