/**
 * What every CI report needs (`steward ci jobs|voting-readiness|experimental`, the overview's CI
 * health): the window's CI history from the store, merged from report messages and Zuul, classified.
 */
import { computeCiHealth, type CiHealthSummary } from '../analysis/ci-health.js';
import type { CiInput, CiWindowOptions } from '../analysis/ci-jobs.js';
import { mergeCiRuns } from '../analysis/ci-match.js';
import { classifyCiRuns, type CiPipelineRules } from '../analysis/ci-outcomes.js';
import type { ReadinessRules } from '../analysis/ci-readiness.js';
import { StewardError } from '../model/errors.js';
import type { CiSources } from '../report/ci-report.js';
import type { Store } from '../store/engine.js';
import { listProjects } from '../store/queries/activity.js';
import { loadCiHistory } from '../store/queries/ci.js';
import type { EffectiveConfig } from './effective-config.js';
import { checkProjects } from './known-projects.js';
import type { Window } from './params.js';

/** The parameters every CI report takes. */
export interface CiParams {
  project?: readonly string[];
  window: Window;
  /** Only runs in these pipelines (default: all). */
  pipeline?: readonly string[];
  /** Only these jobs. */
  job?: readonly string[];
  /** At most this many runs in each evidence list of a job; null or absent: all. */
  evidenceLimit?: number | null;
}

/** The window, the rules in effect and the classified runs. */
export interface CiGathered {
  win: Window;
  input: CiInput;
  sources: CiSources;
  pipelineRules: CiPipelineRules;
  readinessRules: ReadinessRules;
  windowOptions: CiWindowOptions;
}

/** Gathers the CI history of the window from the store and classifies it. */
export async function gatherCi(store: Store, params: CiParams, effective: EffectiveConfig): Promise<CiGathered> {
  const win = params.window;
  const known = await listProjects(store.db);
  checkProjects(
    params.project,
    known.map((k) => k.project),
  );
  const { config, origin } = effective;
  const projects = params.project?.length ? [...params.project] : [...new Set(known.map((k) => k.project))];
  const history = await loadCiHistory(store.db, {
    projects: params.project?.length ? [...params.project] : undefined,
    since: win.since,
    until: win.until,
    now: win.now,
  });
  // Links need the Gerrit host's URL: the store's, else steward.yaml's.
  for (const c of history.changes) c.hostUrl ??= config.hosts.find((h) => h.name === c.host)?.url ?? null;
  const merged = mergeCiRuns(history.reported, history.zuul, { toleranceMs: config.ci.matchToleranceMinutes * 60_000 });
  // The records are in the runs now: let the garbage collector have them (300,000 objects on a large
  // store it would otherwise mark again at every major collection until the report is built).
  history.reported.length = 0;
  history.zuul.length = 0;
  const pipelineRules: CiPipelineRules = { gatePipelines: config.ci.gatePipelines, experimentalPipelines: config.ci.experimentalPipelines };
  const outcomes = classifyCiRuns(merged.runs, history.changes, pipelineRules);
  const bySource = { both: 0, message: 0, zuul: 0 };
  for (const r of merged.runs) if (r.at >= win.since && r.at < win.until) bySource[r.source] += 1;
  return {
    win,
    input: { outcomes, changes: history.changes },
    sources: {
      projects,
      runs: { both: bySource.both, messageOnly: bySource.message, zuulOnly: bySource.zuul },
      zuulBuildsWithoutChange: history.zuulWithoutChange,
      undatedZuulBuilds: merged.undated,
      config: origin,
    },
    pipelineRules,
    readinessRules: config.ci.readiness,
    windowOptions: {
      since: win.since,
      until: win.until,
      now: win.now,
      rules: pipelineRules,
      pipelines: params.pipeline ? [...params.pipeline] : undefined,
      jobs: params.job ? [...params.job] : undefined,
      evidenceLimit: params.evidenceLimit ?? null,
    },
  };
}

/**
 * Refuses jobs with no runs in the period, listing those that have. (A job no run in the store ever
 * ran is refused before, by the catalogue's `inStore` check, listing the jobs the store holds.)
 */
export function checkJobs(g: CiGathered, jobs: readonly string[] | undefined): void {
  if (!jobs?.length) return;
  const seen = new Set(g.input.outcomes.runs.filter((c) => c.run.at >= g.win.since && c.run.at < g.win.until).map((c) => c.run.job));
  const unknown = jobs.filter((j) => !seen.has(j));
  if (unknown.length) {
    throw new StewardError('NOT_FOUND', `job ${unknown.map((j) => `"${j}"`).join(', ')}: no runs in the period`, {
      field: 'job',
      hint: seen.size
        ? `Jobs with runs in the period: ${[...seen].sort().join(', ')}.`
        : 'There are no CI runs in the period: widen it with --days or --since.',
    });
  }
}

/** CI health in short, for the overview (same definitions as the CI reports). */
export async function buildCiHealth(
  store: Store,
  project: readonly string[] | undefined,
  window: Window,
  config: EffectiveConfig,
): Promise<CiHealthSummary> {
  const g = await gatherCi(store, { project, window }, config);
  return computeCiHealth(g.input, g.windowOptions, g.readinessRules);
}
