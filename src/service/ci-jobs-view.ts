/** CI job health (`steward ci jobs`, `/api/v1/ci/jobs`): per job, failures, false failures, trend (analysis/ci-jobs.ts). */
import { computeCiJobs } from '../analysis/ci-jobs.js';
import type { CiJobsOutput } from '../report/ci-report.js';
import type { Store } from '../store/engine.js';
import { checkJobs, gatherCi, type CiParams } from './ci-gather.js';
import type { EffectiveConfig } from './effective-config.js';

/** The CI jobs report as `--format json` prints it. */
export async function buildCiJobsView(store: Store, params: CiParams, config: EffectiveConfig, _now: number): Promise<CiJobsOutput> {
  const g = await gatherCi(store, params, config);
  checkJobs(g, params.job);
  return { projects: g.sources.projects, ...computeCiJobs(g.input, g.windowOptions), sources: g.sources };
}
