/** Experimental jobs (`steward ci experimental`, `/api/v1/ci/experimental`): jobs run only on request (analysis/ci-readiness.ts). */
import { computeCiExperimental } from '../analysis/ci-readiness.js';
import type { ExperimentalOutput } from '../report/ci-report.js';
import type { Store } from '../store/engine.js';
import { checkJobs, gatherCi, type CiParams } from './ci-gather.js';
import type { EffectiveConfig } from './effective-config.js';

/** The experimental-jobs report as `--format json` prints it. */
export async function buildCiExperimentalView(
  store: Store,
  params: CiParams,
  config: EffectiveConfig,
  _now: number,
): Promise<ExperimentalOutput> {
  const g = await gatherCi(store, params, config);
  checkJobs(g, params.job);
  return { projects: g.sources.projects, ...computeCiExperimental(g.input, g.windowOptions, g.readinessRules), sources: g.sources };
}
