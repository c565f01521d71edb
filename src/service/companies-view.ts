/**
 * Commits, merged changes and reviews per company (`steward people companies`,
 * `/api/v1/people/companies`): each attributed to its author's (reviewer's) company at its time
 * (analysis/affiliations.ts), people counted once however many addresses and accounts they have.
 * Reviews are the reviewer reports' reviews (people-reviews.ts).
 */
import { perCompany, type AffiliationSpan, type CompanyRow } from '../analysis/affiliations.js';
import type { IdentityKey, Person } from '../model/people.js';
import type { Store } from '../store/engine.js';
import { loadAffiliations, loadCompanies } from '../store/queries/people.js';
import type { EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { loadPeople } from './people-service.js';
import { activityPeriod, loadIdentityActivity } from './people-reviews.js';

export interface CompaniesView {
  kind: 'companies';
  /** The window counted: [since, until), ISO; `days` when given as a number of days. */
  period: { since: string; until: string; days?: number };
  /** The release whose window it is, or null (then the report's days before --until, 90 by default). */
  release: string | null;
  /** The same window as `period` (start, end). */
  window: { start: string | null; end: string | null };
  rows: CompanyRow[];
  /** What the counts count: commits and changes; `people` are people, not addresses. */
  unit: 'people';
  sources: { affiliations: string; people: string[]; activity: string };
}

export async function buildCompaniesView(
  store: Store,
  params: { release?: string | null; window: Window; project?: readonly string[]; cwd: string },
  config: EffectiveConfig,
): Promise<CompaniesView> {
  const period = activityPeriod(config, params.release, params.window);
  // Each contribution's time is needed only to find a recorded affiliation at that time.
  const affs = await loadAffiliations(store.db);
  const [activity, set, companies] = await Promise.all([
    loadIdentityActivity(store, config, { since: period.since, until: period.until, projects: params.project, times: affs.length > 0 }),
    loadPeople(store, config, params.cwd),
    loadCompanies(store.db),
  ]);
  const personOf = (k: IdentityKey): Person =>
    set.byIdentity.get(k) ?? { id: k, name: null, preferredEmail: null, identities: [k], bot: false, links: [], heldApart: [] };
  const kinds = [
    ['commit', activity.commits],
    ['change', activity.changes],
    ['review', activity.reviews],
  ] as const;
  const items = kinds.flatMap(([kind, xs]) => xs.map((x) => ({ person: personOf(x.identity), kind, n: x.n, times: x.times })));
  const spans = new Map<IdentityKey, AffiliationSpan[]>();
  for (const a of affs)
    (spans.get(a.identity) ?? spans.set(a.identity, []).get(a.identity)!).push({ company: a.company, start: a.startAt, end: a.endAt });
  const domains = new Map<string, string>();
  for (const c of companies) for (const d of c.domains) domains.set(d, c.name);
  const iso = (t: number) => new Date(t).toISOString();
  const sum = (xs: ReadonlyArray<{ n: number }>) => xs.reduce((s, x) => s + x.n, 0);
  return {
    kind: 'companies',
    period: { since: iso(period.since), until: iso(period.until), ...(period.days !== null ? { days: period.days } : {}) },
    release: period.release,
    window: { start: iso(period.since), end: iso(period.until) },
    rows: perCompany(items, spans, domains),
    unit: 'people',
    sources: {
      affiliations: affs.length
        ? `${affs.length} recorded affiliations from imported files (${[...new Set(affs.map((a) => a.source))].join(', ')}); without one at the time, the e-mail domain against ${companies.length} companies' domains ("guessed")`
        : `none recorded (steward people import FILE); only e-mail domain guesses against ${companies.length} companies' domains`,
      people: set.sources,
      activity: `in ${period.label}: ${sum(activity.commits)} commits landed (backports left out), ${sum(activity.changes)} merged Gerrit changes and ${sum(activity.reviews)} reviews (as steward reviewers counts them)`,
    },
  };
}
