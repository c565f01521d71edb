/** Idle cores (`steward core idle`, `/api/v1/core/idle`): cores below the review threshold (analysis/core-idle.ts). */
import { computeIdleCores, type CoreActivity, type IdleResult } from '../analysis/core-idle.js';
import type { IdleReport, Labeled } from '../report/core-report.js';
import type { Store } from '../store/engine.js';
import { loadTeamActs } from '../store/queries/reviewers.js';
import { requireCoreTeam } from './core-rules.js';
import type { EffectiveConfig } from './effective-config.js';
import { labelOf, teamContextFor, type TeamContext } from './team-context.js';

export interface CoreIdleParams {
  project?: readonly string[];
  /** Fewer reviews than this is idle (default: coreRules.idleThreshold). */
  threshold?: number;
  /** The window: the N days before now (default: coreRules.idleDays). */
  days?: number;
}

/** Gathers and computes idle cores as of `now`, people as store ids. */
export async function idleResult(
  store: Store,
  ctx: TeamContext,
  o: { now: number; threshold?: number; days?: number },
): Promise<IdleResult> {
  requireCoreTeam(ctx);
  const rules = ctx.config.coreRules;
  const rule = { threshold: o.threshold ?? rules.idleThreshold, days: o.days ?? rules.idleDays, counts: rules.idleCounts };
  const cores = [...ctx.roster.membersAt(o.now)];
  const acts = await loadTeamActs(store.db, { projects: ctx.filterProjects, until: o.now, actorIds: cores, engine: store.engine });
  const historyFrom = acts.reduce((m, a) => Math.min(m, a.at), o.now);
  return computeIdleCores({ acts, isBot: (id) => ctx.bots.has(id), roster: ctx.roster, historyFrom }, { now: o.now, rule });
}

/** Idle cores as `--format json` prints them. */
export async function buildCoreIdleView(store: Store, params: CoreIdleParams, config: EffectiveConfig, now: number): Promise<IdleReport> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  const result = await idleResult(store, ctx, { now, threshold: params.threshold, days: params.days });
  const label = (c: CoreActivity) => {
    const { accountId, ...rest } = c;
    return { ...labelOf(ctx, accountId), ...rest };
  };
  // A configured core who matches no account has no trace in the store at all: the most idle core
  // of all, listed with 0 reviews (and named in sources.unmatched), never left out.
  const quarters = result.cores[0]?.quarters.map((q) => ({ ...q, reviews: 0 })) ?? [];
  const seen = new Set<string>();
  const traceless: Array<Labeled<CoreActivity>> = [];
  for (const u of ctx.sources.unmatched ?? []) {
    if (u.as !== 'core' || seen.has(String(u.name))) continue;
    seen.add(String(u.name));
    traceless.push({
      username: typeof u.name === 'string' ? u.name : null,
      name: null,
      gerritAccountId: typeof u.name === 'number' ? u.name : null,
      count: 0,
      lastReviewAt: null,
      lastReviewChange: null,
      belowSince: null,
      neverReached: true,
      quarters,
      trend: 'none',
      coreSince: null,
      idle: true,
    });
  }
  return {
    projects: ctx.projects,
    ...result,
    idle: [...traceless, ...result.idle.map(label)],
    tooNewToJudge: result.tooNewToJudge.map(label),
    cores: [...traceless, ...result.cores.map(label)],
    sources: ctx.sources,
  };
}
