/**
 * The reviewers report (`steward reviewers`, `/api/v1/reviewers`): per reviewer, Steward's
 * definitions (analysis/reviewers.ts), or reviewstats' (`compat: 'reviewstats'`,
 * analysis/reviewstats-compat.ts).
 */
import { computeReviewstatsColumns } from '../analysis/reviewstats-compat.js';
import type { ReviewersReport, ReviewstatsReport } from '../report/reviewers-report.js';
import type { Store } from '../store/engine.js';
import { loadApprovalRecords } from '../store/queries/reviewers.js';
import type { EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { labelOf, reviewersResult, teamContextFor, type TeamContext } from './team-context.js';

export interface ReviewersParams {
  project?: readonly string[];
  window: Window;
}

export interface ReviewstatsParams {
  project?: readonly string[];
  /** reviewstats counts from now − `days`, with no upper bound. */
  days: number;
}

/** The reviewers report (Steward's definitions) as `--format json` prints it. */
export async function buildReviewersView(
  store: Store,
  params: ReviewersParams,
  config: EffectiveConfig,
  _now: number,
): Promise<ReviewersReport> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  return reviewersReport(store, ctx, params.window);
}

/** The reviewers report with reviewstats' definitions (`--compat reviewstats`) as `--format json` prints it. */
export async function buildReviewstatsView(
  store: Store,
  params: ReviewstatsParams,
  config: EffectiveConfig,
  now: number,
): Promise<ReviewstatsReport> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  return reviewstatsReport(store, ctx, now, params.days);
}

/** The reviewers report (Steward's definitions) for a gathered team context. */
export async function reviewersReport(store: Store, ctx: TeamContext, win: Window): Promise<ReviewersReport> {
  const result = await reviewersResult(store, ctx, win);
  return {
    projects: ctx.projects,
    ...result,
    // People without a review in the period are not reviewers (a self-vote alone is no review): they
    // stay out of the rows, and their self-votes are in totals.selfVotes.
    rows: result.rows.filter((row) => row.reviews > 0).map(({ accountId, ...row }) => ({ ...labelOf(ctx, accountId), ...row })),
    sources: ctx.sources,
  };
}

/** The reviewers report with reviewstats' definitions. */
export async function reviewstatsReport(store: Store, ctx: TeamContext, now: number, days: number): Promise<ReviewstatsReport> {
  const cut = Math.floor((now - days * 86_400_000) / 1000) * 1000;
  const { records, usernames, changes, formats } = await loadApprovalRecords(store.db, {
    projects: ctx.filterProjects,
    since: cut,
    engine: store.engine,
  });
  const coreUsernames = new Map<string, Set<string>>();
  // reviewstats sums the core lists of its project files; a team covering several repositories
  // (teams: in steward.yaml, one reviewstats file) is one list, counted once.
  const teamSizes = new Map<string, number>();
  for (const p of ctx.config.projects) {
    if (ctx.filterProjects && !ctx.filterProjects.includes(p.name)) continue;
    const names = new Set<string>();
    let size = 0;
    if (p.core?.members) {
      for (const spec of p.core.members) {
        if (typeof spec === 'string') names.add(spec);
        else {
          const a = ctx.accounts.find((x) => x.gerritId === spec);
          if (a?.username) names.add(a.username);
        }
      }
      size = p.core.members.length;
    } else if (p.core?.group) {
      // No list configured: the group's latest recorded membership stands in for it.
      const members = ctx.roster.projectMembersAt(p.name, now);
      for (const id of members) {
        const u = ctx.accountById.get(id)?.username;
        if (u) names.add(u);
      }
      size = members.size;
    }
    coreUsernames.set(p.name, names);
    if (p.core) teamSizes.set(p.team !== undefined ? `team:${p.team}` : `project:${p.name}`, size);
  }
  const coreTeamSize = [...teamSizes.values()].reduce((a, b) => a + b, 0);
  const recordChanges = new Map(changes.map((c) => [c.id, c]));
  const result = computeReviewstatsColumns({ records, usernames, recordChanges, changes, coreUsernames, coreTeamSize }, { now, days });
  // The formats of the changes the records come from (not of the whole store).
  const kinds = formats.sort();
  return {
    compat: 'reviewstats',
    projects: ctx.projects,
    ...result,
    sources: {
      ...ctx.sources,
      coreTeam: `core.members in ${ctx.origin} (reviewstats' core-team list), for the whole window; a team over several repositories counted once`,
      bots: 'only accounts named jenkins or smokestack are left out, as reviewstats does',
      data:
        kinds.length === 1 && kinds[0] === 'ssh'
          ? 'imported from SSH exports: the approval records are those reviewstats reads'
          : `imported from ${kinds.join(' and ') || 'no'} exports: REST data lacks votes Gerrit copied to older patch sets, so numbers can differ from reviewstats' (import the SSH export for exact numbers)`,
    },
  };
}
