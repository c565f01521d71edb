/** Idle cores (`steward core idle`, `/api/v1/core/idle`): cores below the review threshold (analysis/core-idle.ts). */
import {
  computeIdleCores,
  coresNeedingHistory,
  idleFromTallies,
  quarterBlocks,
  withHistoryOf,
  type CoreActivity,
  type IdleResult,
} from '../analysis/core-idle.js';
import { DAY_MS } from '../analysis/stats.js';
import type { IdleReport, Labeled } from '../report/core-report.js';
import type { Store } from '../store/engine.js';
import { loadCoreReviewTallies } from '../store/queries/review-tally.js';
import { firstTeamActAt, loadTeamActs, loadTeamActsBefore } from '../store/queries/reviewers.js';
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

/** The quarters' span: four 91-day blocks (analysis/core-idle.ts). */
const QUARTERS_DAYS = 4 * 91;

/**
 * Gathers and computes idle cores as of `now`, people as store ids. Reads the cores' reviews of the
 * window and the quarters (with the earlier acts of reviews that began before them, so that each is
 * dated as the whole history dates it) and where their history begins; the whole history only of
 * the cores whose figures need it (analysis `coresNeedingHistory`): the same result as computing
 * over everything.
 */
export async function idleResult(
  store: Store,
  ctx: TeamContext,
  o: { now: number; threshold?: number; days?: number },
): Promise<IdleResult> {
  requireCoreTeam(ctx);
  const rules = ctx.config.coreRules;
  const rule = { threshold: o.threshold ?? rules.idleThreshold, days: o.days ?? rules.idleDays, counts: rules.idleCounts };
  const cores = [...ctx.roster.membersAt(o.now)];
  const from = o.now - Math.max(rule.days, QUARTERS_DAYS) * DAY_MS;
  const filter = { projects: ctx.filterProjects, actorIds: cores, engine: store.engine };
  const isBot = (id: number) => ctx.bots.has(id);
  let result: IdleResult;
  if (rule.counts === 'reviews') {
    // Every review counts: the database groups the acts into reviews and counts them per core.
    const [tallies, first] = await Promise.all([
      loadCoreReviewTallies(store.db, {
        projects: ctx.filterProjects,
        from,
        since: o.now - rule.days * DAY_MS,
        now: o.now,
        cores,
        reviewers: cores.filter((id) => !isBot(id)),
        threshold: rule.threshold,
        quarters: quarterBlocks(o.now),
        engine: store.engine,
      }),
      firstTeamActAt(store.db, { projects: ctx.filterProjects, until: o.now, actorIds: cores }),
    ]);
    const got = new Set(tallies.map((t) => t.accountId));
    // A core who is a bot has no reviews.
    for (const id of cores) if (!got.has(id)) tallies.push({ accountId: id, count: 0, quarters: [0, 0, 0, 0], last: null, times: [] });
    const historyFrom = Math.min(first ?? o.now, o.now);
    result = idleFromTallies(tallies, { roster: ctx.roster, historyFrom }, { now: o.now, rule });
  } else {
    const [recent, first] = await Promise.all([
      loadTeamActs(store.db, { ...filter, since: from, until: o.now }),
      firstTeamActAt(store.db, { projects: ctx.filterProjects, until: o.now, actorIds: cores }),
    ]);
    const earlier = await loadTeamActsBefore(store.db, { ...filter, from, changeIds: recent.map((a) => a.changeId) });
    const historyFrom = Math.min(first ?? o.now, o.now);
    result = computeIdleCores({ acts: recent.concat(earlier), isBot, roster: ctx.roster, historyFrom }, { now: o.now, rule });
  }
  const need = coresNeedingHistory(result, from);
  if (need.length === 0) return result;
  const acts = await loadTeamActs(store.db, { ...filter, actorIds: need, until: o.now });
  const full = computeIdleCores({ acts, isBot, roster: ctx.roster, historyFrom: Date.parse(result.historyFrom) }, { now: o.now, rule });
  return withHistoryOf(result, full, new Set(need));
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
