/**
 * The core team's make-up by company (`steward core companies`, `/api/v1/core/companies`): the cores
 * at the report's time, one line per person (two accounts of one person count once), each at their
 * company then (recorded, else an e-mail domain guess), against steward.yaml `coreRules.maxPerCompany`.
 */
import { affiliationAt, type AffiliationBasis, type AffiliationSpan } from '../analysis/affiliations.js';
import { gerritKey } from '../analysis/identities.js';
import type { IdentityKey, Person } from '../model/people.js';
import type { Store } from '../store/engine.js';
import { loadAffiliations, loadCompanies } from '../store/queries/people.js';
import type { EffectiveConfig } from './effective-config.js';
import { loadPeople } from './people-service.js';
import { teamContextFor } from './team-context.js';

export interface CoreCompaniesView {
  kind: 'core-companies';
  at: string;
  /** steward.yaml coreRules.maxPerCompany, or null: no limit. */
  limit: number | null;
  companies: Array<{
    company: string | null;
    cores: number;
    overLimit: boolean;
    members: Array<{ person: IdentityKey; name: string | null; basis: AffiliationBasis }>;
  }>;
  /** Cores (people) in all. */
  cores: number;
  unit: 'people';
  sources: { coreTeam: string; affiliations: string };
}

export async function buildCoreCompaniesView(
  store: Store,
  params: { project?: readonly string[]; cwd: string },
  config: EffectiveConfig,
  now: number,
): Promise<CoreCompaniesView> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  const [set, affs, companies] = await Promise.all([
    loadPeople(store, config, params.cwd),
    loadAffiliations(store.db),
    loadCompanies(store.db),
  ]);
  const spans = new Map<IdentityKey, AffiliationSpan[]>();
  for (const a of affs)
    (spans.get(a.identity) ?? spans.set(a.identity, []).get(a.identity)!).push({ company: a.company, start: a.startAt, end: a.endAt });
  const domains = new Map<string, string>();
  for (const c of companies) for (const d of c.domains) domains.set(d, c.name);
  const people = new Map<IdentityKey, Person>();
  for (const id of ctx.roster.membersAt(now)) {
    const a = ctx.accountById.get(id);
    if (!a || a.gerritId === null) continue;
    const k = gerritKey(a.host, a.gerritId);
    const p = set.byIdentity.get(k) ?? {
      id: k,
      name: a.name,
      preferredEmail: a.email,
      identities: [k],
      bot: false,
      links: [],
      heldApart: [],
    };
    people.set(p.id, p);
  }
  const limit = config.config.coreRules.maxPerCompany ?? null;
  const by = new Map<string | null, CoreCompaniesView['companies'][number]>();
  for (const p of people.values()) {
    const aff = affiliationAt(p, now, spans, domains);
    const row =
      by.get(aff.company) ?? by.set(aff.company, { company: aff.company, cores: 0, overLimit: false, members: [] }).get(aff.company)!;
    row.cores++;
    row.members.push({ person: p.id, name: p.name, basis: aff.basis });
  }
  const rows = [...by.values()]
    .map((r) => ({
      ...r,
      overLimit: limit !== null && r.company !== null && r.cores > limit,
      members: r.members.sort((a, b) => String(a.name).localeCompare(String(b.name))),
    }))
    .sort((a, b) => b.cores - a.cores || String(a.company).localeCompare(String(b.company)));
  return {
    kind: 'core-companies',
    at: new Date(now).toISOString(),
    limit,
    companies: rows,
    cores: people.size,
    unit: 'people',
    sources: {
      coreTeam: ctx.sources.coreTeam,
      affiliations: affs.length
        ? `${affs.length} recorded affiliations (steward people import); else e-mail domain guesses`
        : 'none recorded: e-mail domain guesses only',
    },
  };
}
