/** Voting readiness (`steward ci voting-readiness`, `/api/v1/ci/voting-readiness`): is each non-voting job ready to vote (analysis/ci-readiness.ts)? */
import { computeVotingReadiness } from '../analysis/ci-readiness.js';
import type { ReadinessOutput } from '../report/ci-report.js';
import type { Store } from '../store/engine.js';
import { checkJobs, gatherCi, type CiParams } from './ci-gather.js';
import type { EffectiveConfig } from './effective-config.js';

/** The voting-readiness report as `--format json` prints it. */
export async function buildCiReadinessView(
  store: Store,
  params: CiParams,
  config: EffectiveConfig,
  _now: number,
): Promise<ReadinessOutput> {
  const g = await gatherCi(store, params, config);
  checkJobs(g, params.job);
  return { projects: g.sources.projects, ...computeVotingReadiness(g.input, g.windowOptions, g.readinessRules), sources: g.sources };
}
