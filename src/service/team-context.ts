/**
 * The gathering shared by the reviewer and core-team reports (reviewers, core idle, candidates,
 * load, mentoring, the overview's team section): which projects, who is a bot, who was core when.
 */
import { buildCoreRoster, computeReviewersOf, type CoreRoster, type CoreSource, type ReviewersResult } from '../analysis/reviewers.js';
import type { StewardConfig } from '../config/config-schema.js';
import type { AccountInfo } from '../model/activity.js';
import type { TeamActColumns, TeamActRecord } from '../model/team.js';
import type { AccountLabel, ReportSources, UnmatchedName } from '../report/reviewers-report.js';
import type { Store } from '../store/engine.js';
import { loadAccounts } from '../store/queries/activity.js';
import { listProjectNames, loadCiReporters } from '../store/queries/flow.js';
import { loadTeamActColumns, loadTeamActs, type TeamFilter } from '../store/queries/reviewers.js';
import { loadGroupSnapshots } from '../store/sync-store.js';
import { accountMatches, botIds } from './effective-config.js';
import { checkProjects } from './known-projects.js';
import type { Window } from './params.js';

/** Everything the core-team reports need besides the review data itself. */
export interface TeamContext {
  config: StewardConfig;
  origin: string;
  /** Projects asked for (none = every project in the store). */
  filterProjects: string[] | undefined;
  /** Projects reported on, for headers. */
  projects: string[];
  accounts: AccountInfo[];
  accountById: Map<number, AccountInfo>;
  bots: Set<number>;
  roster: CoreRoster;
  sources: ReportSources;
}

/** The host a configured project lives on: its own `host`, else the only configured host. */
export function projectHost(config: StewardConfig, p: StewardConfig['projects'][number]): string | null {
  return p.host ?? (config.hosts.length === 1 ? config.hosts[0]!.name : null);
}

/**
 * Gathers the team context: checks the projects asked for exist, resolves bots and builds the core
 * roster (per configured project: its core group's snapshots, else/and its configured members).
 */
export async function teamContextFor(
  store: Store,
  config: StewardConfig,
  origin: string,
  projectFilter: readonly string[],
): Promise<TeamContext> {
  const storeProjects = await listProjectNames(store.db);
  checkProjects(projectFilter, storeProjects);
  const [accounts, ciReporters] = await Promise.all([loadAccounts(store.db), loadCiReporters(store.db)]);
  const bots = botIds(config, accounts, ciReporters);
  const selected = config.projects.filter((p) => !projectFilter.length || projectFilter.includes(p.name));
  const sources: CoreSource[] = [];
  const described: string[] = [];
  const known = (spec: string | number) => accounts.some((a) => accountMatches(a, spec));
  const unmatched: UnmatchedName[] = config.bots.filter((b) => !known(b)).map((name) => ({ name, as: 'bot' as const }));
  // A team over several repositories is resolved once and shared by its repositories.
  const groups = new Map<string, Array<StewardConfig['projects'][number]>>();
  for (const p of selected) {
    if (!p.core) continue;
    const key = p.team !== undefined ? `team:${p.team}` : `project:${p.name}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const members of groups.values()) {
    const p = members[0]!;
    const core = p.core!;
    const label = p.team !== undefined ? `team ${p.team} (${members.map((m) => m.name).join(', ')})` : p.name;
    const configured = core.members
      ? new Set(accounts.filter((a) => core.members!.some((s) => accountMatches(a, s))).map((a) => a.id))
      : null;
    for (const m of core.members ?? []) if (!known(m)) unmatched.push({ name: m, as: 'core', project: p.team ?? p.name });
    const host = projectHost(config, p);
    const snapshots = core.group && host ? await loadGroupSnapshots(store.db, host, core.group) : [];
    for (const m of members) sources.push({ project: m.name, snapshots, configured });
    described.push(
      snapshots.length
        ? `${label}: group ${core.group} (${snapshots.length} snapshot${snapshots.length > 1 ? 's' : ''} from ${new Date(snapshots[0]!.takenAt).toISOString().slice(0, 10)}${configured ? `; before them core.members` : ''})`
        : configured
          ? `${label}: core.members in ${origin}`
          : `${label}: group ${core.group} (no snapshots yet: run steward sync)`,
    );
  }
  return {
    config,
    origin,
    filterProjects: projectFilter.length ? [...projectFilter] : undefined,
    projects: projectFilter.length ? [...projectFilter] : storeProjects,
    accounts,
    accountById: new Map(accounts.map((a) => [a.id, a])),
    bots,
    roster: buildCoreRoster(sources),
    sources: {
      config: origin,
      coreTeam: described.length ? described.join('; ') : `no core team in ${origin}`,
      bots: `${config.bots.length} configured in ${origin}, plus every account that posted CI build reports (${bots.size} accounts in all)`,
      ...(unmatched.length ? { unmatched } : {}),
    },
  };
}

/** How reports name an account. */
export function labelOf(ctx: TeamContext, id: number): AccountLabel {
  const a = ctx.accountById.get(id);
  return { username: a?.username ?? null, name: a?.name ?? null, gerritAccountId: a?.gerritId ?? null };
}

/**
 * Review acts from `since` up to `horizon` (exclusive), plus the Code-Review votes cores cast
 * before `since` on the changes voted on in that span: the cores' verdict on a patch set takes every
 * core vote on it, also those before the window.
 */
export async function actsForVerdicts(
  store: Store,
  ctx: TeamContext,
  since: number,
  horizon: number,
  /** Of these accounts' acts, only their Code-Review votes (see `loadTeamActs`). */
  codeReviewOnlyBy?: readonly number[],
): Promise<TeamActRecord[]> {
  return loadTeamActs(store.db, verdictFilter(store, ctx, since, horizon, codeReviewOnlyBy));
}

/** `actsForVerdicts` as columns (no object per act). */
export async function actColumnsForVerdicts(
  store: Store,
  ctx: TeamContext,
  since: number,
  horizon: number,
  codeReviewOnlyBy?: readonly number[],
): Promise<TeamActColumns> {
  return loadTeamActColumns(store.db, verdictFilter(store, ctx, since, horizon, codeReviewOnlyBy));
}

/** What `actsForVerdicts` reads. */
function verdictFilter(store: Store, ctx: TeamContext, since: number, horizon: number, codeReviewOnlyBy?: readonly number[]): TeamFilter {
  return {
    projects: ctx.filterProjects,
    since,
    until: horizon,
    excludeActorIds: [...ctx.bots],
    priorCodeReviewBy: [...ctx.roster.membersDuring(0, horizon)],
    engine: store.engine,
    ...(codeReviewOnlyBy?.length ? { codeReviewOnlyBy } : {}),
  };
}

/** Gathers and computes the reviewers report (Steward's definitions), people as store ids. */
export async function reviewersResult(store: Store, ctx: TeamContext, win: Window): Promise<ReviewersResult> {
  // As `actsForVerdicts` reads them, as columns: no object per act.
  const acts = await loadTeamActColumns(store.db, verdictFilter(store, ctx, win.since, Math.max(win.until, win.now) + 1));
  return computeReviewersOf({ acts, isBot: (id) => ctx.bots.has(id), roster: ctx.roster }, win);
}
