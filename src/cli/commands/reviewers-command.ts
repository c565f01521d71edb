/**
 * `steward reviewers`: per-reviewer statistics (Steward's definitions, or reviewstats' with
 * `--compat reviewstats`). Also the gathering shared by the core-team commands (`steward core …`,
 * the overview's team section): which projects, who is a bot, who was core when.
 */
import type { Store } from '../../store/engine.js';
import type { StewardConfig } from '../../config/config-schema.js';
import { buildCoreRoster, computeReviewers, type CoreRoster, type CoreSource, type ReviewersResult } from '../../analysis/reviewers.js';
import { computeReviewstatsCompat } from '../../analysis/reviewstats-compat.js';
import type { AccountInfo } from '../../model/activity.js';
import type { TeamActRecord } from '../../model/team.js';
import { StewardError } from '../../model/errors.js';
import {
  renderReviewersCsv, renderReviewersText, renderReviewstatsCsv, renderReviewstatsText,
  type AccountLabel, type ReportSources, type ReviewersReport, type ReviewstatsReport,
} from '../../report/reviewers-report.js';
import { loadAccounts } from '../../store/queries/activity.js';
import { listProjectNames, loadCiReporters } from '../../store/queries/flow.js';
import { loadApprovalRecords, loadTeamActs } from '../../store/queries/reviewers.js';
import { loadGroupSnapshots } from '../../store/sync-store.js';
import { botIds, effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime, resolveWindow, type Window } from '../options.js';

export interface ReviewersCommandOptions extends GlobalOptions {
  project?: string[];
  days?: string;
  since?: string;
  until?: string;
  now?: string;
  format?: string;
  compat?: string;
}

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

function matches(a: AccountInfo, spec: string | number): boolean {
  return typeof spec === 'number' ? a.gerritId === spec : a.username === spec;
}

/** The host a configured project lives on: its own `host`, else the only configured host. */
export function projectHost(config: StewardConfig, p: StewardConfig['projects'][number]): string | null {
  return p.host ?? (config.hosts.length === 1 ? config.hosts[0]!.name : null);
}

/**
 * Gathers the team context: checks the projects asked for exist, resolves bots and builds the core
 * roster (per configured project: its core group's snapshots, else/and its configured members).
 */
export async function gatherTeamContext(store: Store, o: GlobalOptions & { project?: string[] }, rt: Runtime): Promise<TeamContext> {
  const { config, origin } = await effectiveConfig(o, rt, store);
  return teamContextFor(store, config, origin, o.project ?? []);
}

/** {@link gatherTeamContext} with the configuration given (benchmarks, tests). */
export async function teamContextFor(store: Store, config: StewardConfig, origin: string, projectFilter: readonly string[]): Promise<TeamContext> {
  const known = await listProjectNames(store.db);
  const missing = projectFilter.filter((p) => !known.includes(p));
  if (missing.length) {
    throw new StewardError('NOT_FOUND', `no changes of project ${missing.map((m) => `"${m}"`).join(', ')} in the store`, {
      hint: known.length ? `Projects in the store: ${known.join(', ')}.` : 'The store is empty: run `steward import FILE` or `steward demo`.',
    });
  }
  const [accounts, ciReporters] = await Promise.all([loadAccounts(store.db), loadCiReporters(store.db)]);
  const bots = botIds(config, accounts, ciReporters);
  const selected = config.projects.filter((p) => !projectFilter.length || projectFilter.includes(p.name));
  const sources: CoreSource[] = [];
  const described: string[] = [];
  for (const p of selected) {
    if (!p.core) continue;
    const configured = p.core.members ? new Set(accounts.filter((a) => p.core!.members!.some((s) => matches(a, s))).map((a) => a.id)) : null;
    const host = projectHost(config, p);
    const snapshots = p.core.group && host ? await loadGroupSnapshots(store.db, host, p.core.group) : [];
    sources.push({ project: p.name, snapshots, configured });
    described.push(
      snapshots.length
        ? `${p.name}: group ${p.core.group} (${snapshots.length} snapshot${snapshots.length > 1 ? 's' : ''} from ${new Date(snapshots[0]!.takenAt).toISOString().slice(0, 10)}${configured ? `; before them core.members` : ''})`
        : configured
          ? `${p.name}: core.members in ${origin}`
          : `${p.name}: group ${p.core.group} (no snapshots yet: run steward sync)`,
    );
  }
  return {
    config,
    origin,
    filterProjects: projectFilter.length ? [...projectFilter] : undefined,
    projects: projectFilter.length ? [...projectFilter] : known,
    accounts,
    accountById: new Map(accounts.map((a) => [a.id, a])),
    bots,
    roster: buildCoreRoster(sources),
    sources: {
      config: origin,
      coreTeam: described.length ? described.join('; ') : `no core team in ${origin}`,
      bots: `${config.bots.length} configured in ${origin}, plus every account that posted CI build reports (${bots.size} accounts in all)`,
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
export async function actsForVerdicts(store: Store, ctx: TeamContext, since: number, horizon: number): Promise<TeamActRecord[]> {
  const everCore = [...ctx.roster.membersDuring(0, horizon)];
  return loadTeamActs(store.db, { projects: ctx.filterProjects, since, until: horizon, excludeActorIds: [...ctx.bots], priorCodeReviewBy: everCore, engine: store.engine });
}

/** Gathers and computes `steward reviewers` (Steward's definitions), people as store ids. */
export async function reviewersResult(store: Store, ctx: TeamContext, win: Window): Promise<ReviewersResult> {
  const acts = await actsForVerdicts(store, ctx, win.since, Math.max(win.until, win.now) + 1);
  return computeReviewers({ acts, isBot: (id) => ctx.bots.has(id), roster: ctx.roster }, win);
}

/** `steward reviewers` as `--format json` prints it. */
export async function buildReviewersReport(store: Store, ctx: TeamContext, win: Window): Promise<ReviewersReport> {
  const result = await reviewersResult(store, ctx, win);
  return {
    report: 'reviewers',
    projects: ctx.projects,
    ...result,
    rows: result.rows.map(({ accountId, ...row }) => ({ ...labelOf(ctx, accountId), ...row })),
    sources: ctx.sources,
  };
}

/** Gathers and computes `steward reviewers --compat reviewstats`. */
export async function buildReviewstatsReport(store: Store, ctx: TeamContext, now: number, days: number): Promise<ReviewstatsReport> {
  const cut = Math.floor((now - days * 86_400_000) / 1000) * 1000;
  const { approvals, changes } = await loadApprovalRecords(store.db, { projects: ctx.filterProjects, since: cut });
  const coreUsernames = new Map<string, Set<string>>();
  let coreTeamSize = 0;
  for (const p of ctx.config.projects) {
    if (ctx.filterProjects && !ctx.filterProjects.includes(p.name)) continue;
    const names = new Set<string>();
    if (p.core?.members) {
      for (const spec of p.core.members) {
        if (typeof spec === 'string') names.add(spec);
        else {
          const a = ctx.accounts.find((x) => x.gerritId === spec);
          if (a?.username) names.add(a.username);
        }
      }
      coreTeamSize += p.core.members.length;
    } else if (p.core?.group) {
      // No list configured: the group's latest recorded membership stands in for it.
      const members = ctx.roster.projectMembersAt(p.name, now);
      for (const id of members) {
        const u = ctx.accountById.get(id)?.username;
        if (u) names.add(u);
      }
      coreTeamSize += members.size;
    }
    coreUsernames.set(p.name, names);
  }
  const result = computeReviewstatsCompat({ approvals, changes, coreUsernames, coreTeamSize }, { now, days });
  const formats = await store.db.selectFrom('changes').select('source_format').distinct().execute();
  const kinds = formats.map((f) => f.source_format).sort();
  return {
    report: 'reviewers',
    compat: 'reviewstats',
    projects: ctx.projects,
    ...result,
    sources: {
      ...ctx.sources,
      coreTeam: `core.members in ${ctx.origin} (reviewstats' core-team list), for the whole window`,
      bots: 'only accounts named jenkins or smokestack are left out, as reviewstats does',
      data:
        kinds.length === 1 && kinds[0] === 'ssh'
          ? 'imported from SSH exports: the approval records are those reviewstats reads'
          : `imported from ${kinds.join(' and ') || 'no'} exports: REST data lacks votes Gerrit copied to older patch sets, so numbers can differ from reviewstats' (import the SSH export for exact numbers)`,
    },
  };
}

export async function runReviewers(o: ReviewersCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (o.compat !== undefined && o.compat !== 'reviewstats') {
    throw new StewardError('USAGE', `--compat must be "reviewstats", not "${o.compat}"`, { hint: 'Leave --compat out for Steward\'s own definitions.' });
  }
  if (o.compat && (o.since || o.until)) {
    throw new StewardError('USAGE', '--compat reviewstats counts from now − N days with no upper bound: give --days N (and --now T to replay), not --since/--until');
  }
  const store = await openStoreFor(o, rt);
  try {
    const ctx = await gatherTeamContext(store, o, rt);
    if (o.compat) {
      const now = o.now ? parseTime(o.now, '--now') : rt.clock();
      const days = o.days ? parsePositiveInt(o.days, '--days', 36_500) : 90;
      const report = await buildReviewstatsReport(store, ctx, now, days);
      if (format === 'json') rt.stdout(JSON.stringify(report, null, 2) + '\n');
      else if (format === 'csv') rt.stdout(renderReviewstatsCsv(report));
      else rt.stdout(renderReviewstatsText(report));
      return;
    }
    const win = resolveWindow(o, rt.clock, 90);
    const report = await buildReviewersReport(store, ctx, win);
    if (format === 'json') rt.stdout(JSON.stringify(report, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderReviewersCsv(report));
    else rt.stdout(renderReviewersText(report));
  } finally {
    await store.close();
  }
}
