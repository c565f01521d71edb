/** Core load (`steward core load`, `/api/v1/core/load`): review bandwidth per week (analysis/core-load.ts). */
import { computeCoreLoad, TRIVIAL_KINDS, type LoadResult } from '../analysis/core-load.js';
import { DAY_MS } from '../analysis/stats.js';
import type { LoadReport } from '../report/core-report.js';
import type { Store } from '../store/engine.js';
import { countUploadsNeedingReview, loadReviewTimes } from '../store/queries/review-tally.js';
import { requireCoreTeam } from './core-rules.js';
import type { EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { labelOf, teamContextFor, type TeamContext } from './team-context.js';

export interface CoreLoadParams {
  project?: readonly string[];
  window: Window;
}

/** Gathers and computes the load, people as store ids. */
export async function loadResult(store: Store, ctx: TeamContext, win: Window): Promise<LoadResult> {
  const filter = { projects: ctx.filterProjects, since: win.since, until: win.until };
  const bots = [...ctx.bots];
  // Counted and grouped in the database: the patch sets needing review per week, the reviews.
  const [needingPerWeek, reviews] = await Promise.all([
    countUploadsNeedingReview(store.db, {
      ...filter,
      blockMs: 7 * DAY_MS,
      keepVotesKinds: [...TRIVIAL_KINDS],
      excludeOwnerIds: bots,
      engine: store.engine,
    }),
    loadReviewTimes(store.db, { ...filter, excludeActorIds: bots, engine: store.engine }),
  ]);
  return computeCoreLoad({ needingPerWeek, reviews, isBot: (id) => ctx.bots.has(id), roster: ctx.roster }, win);
}

/** The load as `--format json` prints it. */
export async function buildCoreLoadView(store: Store, params: CoreLoadParams, config: EffectiveConfig, _now: number): Promise<LoadReport> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  requireCoreTeam(ctx);
  const result = await loadResult(store, ctx, params.window);
  return {
    projects: ctx.projects,
    ...result,
    total: { ...result.total, perCore: result.total.perCore.map(({ accountId, ...c }) => ({ ...labelOf(ctx, accountId), ...c })) },
    sources: ctx.sources,
  };
}
