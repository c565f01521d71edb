/** Core load (`steward core load`, `/api/v1/core/load`): review bandwidth per week (analysis/core-load.ts). */
import { computeCoreLoad, type LoadResult } from '../analysis/core-load.js';
import type { LoadReport } from '../report/core-report.js';
import type { Store } from '../store/engine.js';
import { loadPatchSetUploads, loadTeamActs } from '../store/queries/reviewers.js';
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
  const [uploads, acts] = await Promise.all([
    loadPatchSetUploads(store.db, filter),
    loadTeamActs(store.db, { ...filter, excludeActorIds: [...ctx.bots], engine: store.engine }),
  ]);
  return computeCoreLoad({ uploads, acts, isBot: (id) => ctx.bots.has(id), roster: ctx.roster }, win);
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
