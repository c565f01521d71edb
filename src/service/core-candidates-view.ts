/** Core candidates (`steward core candidates`, `/api/v1/core/candidates`): non-core reviewers ranked by judgement with their evidence (analysis/judgement-candidates.ts). */
import { computeCandidatesOf, type CandidatesResult, type JudgementWeights } from '../analysis/judgement-candidates.js';
import { seededRandom } from '../analysis/stats/random.js';
import type { CandidatesReport } from '../report/core-report.js';
import type { Store } from '../store/engine.js';
import { loadChangeFactsOf, loadReviewMessages } from '../store/queries/reviewers.js';
import { areaRules, requireCoreTeam } from './core-rules.js';
import type { EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { actColumnsForVerdicts, labelOf, teamContextFor, type TeamContext } from './team-context.js';

export interface CoreCandidatesParams {
  project?: readonly string[];
  /** Default: the coreRules.candidateDays before now. */
  window?: Window;
}

/** The rank bootstrap's seed: fixed, so the same data give the same rank ranges. */
const RANK_SEED = 1;

/**
 * The configured ranking weights the judgement score uses: the quality weights, and volume,
 * consistency and breadth of the activity half. (`ownMerged`, `unreasonedVoteWeight` and
 * `driveByWeight` belonged to the score it replaced and no longer enter it.)
 */
function judgementWeights(r: { quality: JudgementWeights['quality']; activity: JudgementWeights['activity'] }): JudgementWeights {
  return {
    quality: { ...r.quality },
    activity: { volume: r.activity.volume, consistency: r.activity.consistency, breadth: r.activity.breadth },
  };
}

/** Gathers and computes the candidates, people as store ids. */
export async function candidatesResult(store: Store, ctx: TeamContext, win: Window): Promise<CandidatesResult> {
  const rules = ctx.config.coreRules;
  const filter = { projects: ctx.filterProjects, since: win.since, until: win.until };
  // Current cores are never candidates: of their acts the analysis reads only the Code-Review votes
  // (the cores' verdicts and when they first voted), so only those are read.
  const cores = ctx.roster.membersAt(win.now);
  const [acts, messages] = await Promise.all([
    actColumnsForVerdicts(store, ctx, win.since, Math.max(win.until, win.now) + 1, [...cores]),
    // Only candidates' texts are read (whether their review gave reasons): not the cores' or bots'.
    // Nor the owners' (they make no review) or those that are one "Patch Set N" line (no reasons).
    loadReviewMessages(store.db, {
      ...filter,
      excludeAuthorIds: [...cores, ...ctx.bots],
      reasonsOnly: { engine: store.engine },
    }),
  ]);
  const isBot = (id: number) => ctx.bots.has(id);
  // The facts of the changes the judged reviews are on (reviews in the window by someone neither
  // core now, nor a bot, nor the owner): the analysis reads no other change's. By change index.
  const judged = new Uint8Array(acts.changeId.length);
  const { at, actorId, change, changeOwnerId } = acts;
  for (let i = 0; i < acts.length; i++) {
    const actor = actorId[i]!;
    const c = change[i]!;
    if (at[i]! >= win.since && at[i]! < win.until && !cores.has(actor) && !isBot(actor) && actor !== changeOwnerId[c]) judged[c] = 1;
  }
  const ids: number[] = [];
  for (let c = 0; c < judged.length; c++) if (judged[c]) ids.push(acts.changeId[c]!);
  const changes = await loadChangeFactsOf(store.db, {
    ids,
    engine: store.engine,
    projects: ctx.filterProjects,
  });
  return computeCandidatesOf(
    { acts, messages, changes, isBot, roster: ctx.roster },
    {
      ...win,
      areaRules: areaRules(ctx),
      minReviews: rules.candidateMinReviews,
      weights: judgementWeights(rules.ranking),
      random: seededRandom(RANK_SEED),
    },
  );
}

/** The candidates as `--format json` prints them. */
export async function buildCoreCandidatesView(
  store: Store,
  params: CoreCandidatesParams,
  config: EffectiveConfig,
  now: number,
): Promise<CandidatesReport> {
  const ctx = await teamContextFor(store, config.config, config.origin, params.project ?? []);
  requireCoreTeam(ctx);
  const win = params.window ?? { since: now - config.config.coreRules.candidateDays * 86_400_000, until: now, now };
  const result = await candidatesResult(store, ctx, win);
  return {
    projects: ctx.projects,
    ...result,
    candidates: result.candidates.map(({ accountId, ...c }) => ({ ...labelOf(ctx, accountId), ...c })),
    sources: ctx.sources,
  };
}
