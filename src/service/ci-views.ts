/**
 * The three CI reports from one gathering of the window's CI history (the web's CI page): each the
 * same object its own view returns (ci-jobs-view.ts, ci-readiness-view.ts, ci-experimental-view.ts),
 * for the cost of one load and classification instead of three.
 */
import { computeCiJobs } from '../analysis/ci-jobs.js';
import { computeCiExperimental, computeVotingReadiness } from '../analysis/ci-readiness.js';
import type { CiJobsOutput, CiSources, ExperimentalOutput, ReadinessOutput } from '../report/ci-report.js';
import type { Store } from '../store/engine.js';
import { checkJobs, gatherCi, type CiParams } from './ci-gather.js';
import type { EffectiveConfig } from './effective-config.js';

export interface CiViews {
  projects: string[];
  period: { since: string; until: string };
  now: string;
  sources: CiSources;
  jobs: CiJobsOutput;
  votingReadiness: ReadinessOutput;
  experimental: ExperimentalOutput;
}

/** `steward ci jobs`, `ci voting-readiness` and `ci experimental` as `--format json` prints them, together. */
export async function buildCiViews(store: Store, params: CiParams, config: EffectiveConfig, _now: number): Promise<CiViews> {
  const g = await gatherCi(store, params, config);
  checkJobs(g, params.job);
  const iso = (t: number) => new Date(t).toISOString();
  return {
    projects: g.sources.projects,
    period: { since: iso(g.win.since), until: iso(g.win.until) },
    now: iso(g.win.now),
    sources: g.sources,
    jobs: { projects: g.sources.projects, ...computeCiJobs(g.input, g.windowOptions), sources: g.sources },
    votingReadiness: {
      projects: g.sources.projects,
      ...computeVotingReadiness(g.input, g.windowOptions, g.readinessRules),
      sources: g.sources,
    },
    experimental: {
      projects: g.sources.projects,
      ...computeCiExperimental(g.input, g.windowOptions, g.readinessRules),
      sources: g.sources,
    },
  };
}
