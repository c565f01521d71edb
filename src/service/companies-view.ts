/**
 * Commits, merged changes and reviews per company (`steward people companies`,
 * `/api/v1/people/companies`): each attributed to its author's (reviewer's) company at its time
 * (analysis/affiliations.ts), people counted once however many addresses and accounts they have.
 * Reviews are the reviewer reports' reviews (people-reviews.ts).
 */
import { perCompany, type AffiliationSpan, type CompanyRow } from '../analysis/affiliations.js';
import { emailKey, gerritKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import type { IdentityKey, Person } from '../model/people.js';
import { findRelease } from '../model/release-calendar.js';
import type { Store } from '../store/engine.js';
import { loadHistoryCommits } from '../store/queries/code-history.js';
import { loadAffiliations, loadCompanies, loadMergedChangeOwners } from '../store/queries/people.js';
import type { EffectiveConfig } from './effective-config.js';
import { loadPeople } from './people-service.js';
import { loadIdentityReviews } from './people-reviews.js';
import { releaseCalendar } from './releases.js';

export interface CompaniesView {
  kind: 'companies';
  release: string | null;
  window: { start: string | null; end: string | null };
  rows: CompanyRow[];
  /** What the counts count: commits and changes; `people` are people, not addresses. */
  unit: 'people';
  sources: { affiliations: string; people: string[] };
}

export async function buildCompaniesView(
  store: Store,
  params: { release?: string | null; project?: readonly string[]; cwd: string },
  config: EffectiveConfig,
): Promise<CompaniesView> {
  const { calendar, source } = releaseCalendar(config.config, config.origin);
  const r = params.release ? findRelease(calendar, params.release) : null;
  if (params.release && !r)
    throw new StewardError('USAGE', `--release "${params.release}" is not in the release calendar (${source})`, {
      hint: `Known releases: ${calendar.map((x) => x.name).join(', ')}.`,
    });
  const [commits, changes, set, affs, companies, reviews] = await Promise.all([
    loadHistoryCommits(store.db),
    loadMergedChangeOwners(store.db, params.project),
    loadPeople(store, config, params.cwd),
    loadAffiliations(store.db),
    loadCompanies(store.db),
    loadIdentityReviews(store, config, { projects: params.project, since: r?.start, until: r?.release }),
  ]);
  const inWindow = (t: number) => !r || (t >= r.start && t < r.release);
  const personOf = (k: IdentityKey): Person =>
    set.byIdentity.get(k) ?? { id: k, name: null, preferredEmail: null, identities: [k], bot: false, links: [], heldApart: [] };
  const items = [
    ...commits
      .filter((c) => !c.backport && inWindow(c.landedAt))
      .map((c) => ({ person: personOf(emailKey(c.authorEmail)), kind: 'commit' as const, at: c.landedAt })),
    ...changes
      .filter((c) => inWindow(c.mergedAt))
      .map((c) => ({ person: personOf(gerritKey(c.host, c.ownerGerritId)), kind: 'change' as const, at: c.mergedAt })),
    ...reviews.map((x) => ({ person: personOf(x.identity), kind: 'review' as const, at: x.at })),
  ];
  const spans = new Map<IdentityKey, AffiliationSpan[]>();
  for (const a of affs)
    (spans.get(a.identity) ?? spans.set(a.identity, []).get(a.identity)!).push({ company: a.company, start: a.startAt, end: a.endAt });
  const domains = new Map<string, string>();
  for (const c of companies) for (const d of c.domains) domains.set(d, c.name);
  const iso = (t: number) => new Date(t).toISOString();
  return {
    kind: 'companies',
    release: r?.name ?? null,
    window: { start: r ? iso(r.start) : null, end: r ? iso(r.release) : null },
    rows: perCompany(items, spans, domains),
    unit: 'people',
    sources: {
      affiliations: affs.length
        ? `${affs.length} recorded affiliations from imported files (${[...new Set(affs.map((a) => a.source))].join(', ')}); without one at the time, the e-mail domain against ${companies.length} companies' domains ("guessed")`
        : `none recorded (steward people import FILE); only e-mail domain guesses against ${companies.length} companies' domains`,
      people: set.sources,
    },
  };
}
