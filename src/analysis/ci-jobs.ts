/**
 * Per-job CI health over a window [since, until): runs, failures by result, failure rate and
 * false-failure rate with 95% Wilson intervals, caught regressions, rechecks, durations and a
 * weekly series (ISO weeks). Definitions: ci-outcomes.ts and docs/ci.md "CI health".
 *
 * - failure rate = counted failures / counted runs;
 * - false failures: every failure one of the three rules shows false (a later pass of the same
 *   code, a merge of the same code, a gate failure of an approved change), listed with links;
 * - false-failure rate = failures / runs over the known-fine runs (the patch set merged unchanged,
 *   or a gate run of an approved change): how often the job fails when the code is fine, measured
 *   the same way for voting and non-voting jobs;
 * - caught regressions, compared with the job's failures on known-fine code (ci-caught.ts: a
 *   two-sample comparison clustered by change, Benjamini–Hochberg across the jobs): only a failure
 *   rate on code later fixed clearly above the rate on fine code is evidence that the job catches
 *   regressions.
 *
 * Every number is traceable: the report lists the runs behind each false failure and caught
 * regression, with the Gerrit change URL (hosts.url + /c/PROJECT/+/NUMBER/PATCHSET).
 */
import type { CiChangeRecord } from '../model/ci.js';
import type { Timestamp } from '../model/records.js';
import type { CiRun } from './ci-match.js';
import {
  isCounted,
  isPass,
  pipelineKind,
  type CiOutcomes,
  type CiPipelineRules,
  type ClassifiedRun,
  type FalseReason,
  type RevisionCheck,
} from './ci-outcomes.js';
import { adjustCaught, compareCaught, type CaughtComparison } from './ci-caught.js';
import { isoWeekName, isoWeeksBetween, wilson, WEEK_MS, type RateInterval } from './ci-stats.js';
import { quantileSorted, ratio, round } from './stats.js';

export interface CiInput {
  outcomes: CiOutcomes;
  changes: readonly CiChangeRecord[];
}

export interface CiWindowOptions {
  since: Timestamp;
  until: Timestamp;
  now: Timestamp;
  rules: CiPipelineRules;
  /** Count only runs in these pipelines (all when empty or absent). */
  pipelines?: readonly string[];
  /** Only these jobs (all when empty or absent). */
  jobs?: readonly string[];
  /**
   * At most this many runs in each evidence list of a job (false failures, caught regressions),
   * the earliest first; null or absent: all of them. The counts are always over all runs.
   */
  evidenceLimit?: number | null;
}

/** The first `limit` items of a list (all with a null or absent limit). */
export function firstOf<T>(items: readonly T[], limit: number | null | undefined): T[] {
  return limit === null || limit === undefined ? [...items] : items.slice(0, limit);
}

/** A proportion with its 95% Wilson interval (rounded to 4 digits). */
export interface Rate {
  count: number;
  of: number;
  rate: number | null;
  ci95: RateInterval | null;
}

/** One run as evidence: enough to find it in Gerrit and Zuul. */
export interface RunRef {
  id: string;
  change: number;
  patchSet: number;
  url: string | null;
  project: string | null;
  job: string;
  pipeline: string | null;
  result: string;
  at: string;
  logUrl: string | null;
  uuid: string | null;
  source: CiRun['source'];
}

export interface CiWeek {
  week: string;
  start: string;
  runs: number;
  failures: number;
  failureRate: number | null;
  /** Known-fine runs and the failures among them. */
  knownFineRuns: number;
  knownFineFailures: number;
  falseFailureRate: number | null;
}

export interface CiJobReport {
  job: string;
  /** As of its latest run in the window; null when no run of it names a pipeline (old Jenkins, third-party CI reports do not say). */
  voting: boolean | null;
  pipelines: Array<{ pipeline: string; runs: number }>;
  runs: number;
  notCounted: number;
  passes: number;
  failures: number;
  failuresByResult: Record<string, number>;
  failureRate: Rate;
  falseFailures: number;
  falseFailuresBy: Record<FalseReason, number>;
  /** Failures among known-fine runs / known-fine runs. */
  falseFailureRate: Rate;
  caughtRegressions: number;
  /** Situations in which it could have caught one (revision checks). */
  revisionChecks: number;
  /** Failure rate on code later fixed vs on known-fine code outside gate (ci-caught.ts), adjusted across the report's jobs. */
  caught: CaughtComparison;
  unexplainedFailures: number;
  pendingFailures: number;
  /** Rechecks in the window that followed a buildset where this job failed. */
  rechecksAfterFailure: number;
  durationSeconds: { count: number; median: number | null; p90: number | null };
  weekly: CiWeek[];
  /** The runs behind the counts, the earliest first: at most the report's `evidenceLimit` per list. */
  evidence: {
    falseFailures: Array<RunRef & { reasons: FalseReason[] }>;
    caughtRegressions: Array<{ failed: RunRef; fixedBy: RunRef }>;
  };
  /** How many runs each evidence list leaves out (0 when it lists them all). */
  evidenceOmitted: { falseFailures: number; caughtRegressions: number };
}

export interface CiJobsReport {
  period: { since: string; until: string };
  now: string;
  pipelines: string[] | null;
  /** Each evidence list shows at most this many runs; null: all (`--evidence all`). */
  evidenceLimit: number | null;
  jobs: CiJobReport[];
}

const iso = (t: Timestamp): string => new Date(t).toISOString();

/** A rate with its interval, rounded for JSON. */
export function rate(count: number, of: number): Rate {
  const ci = wilson(count, of);
  return { count, of, rate: round(ratio(count, of), 4), ci95: ci ? { low: round(ci.low, 4)!, high: round(ci.high, 4)! } : null };
}

/** Gerrit's URL of a change's patch set, from the host's URL; null when the host URL is unknown. */
export function changeUrl(c: CiChangeRecord | undefined, patchSet?: number): string | null {
  if (!c?.hostUrl) return null;
  return `${c.hostUrl.replace(/\/+$/, '')}/c/${c.project}/+/${c.number}${patchSet !== undefined ? `/${patchSet}` : ''}`;
}

export function runRef(r: CiRun, changes: ReadonlyMap<number, CiChangeRecord>): RunRef {
  const c = changes.get(r.changeId);
  return {
    id: r.id,
    change: c?.number ?? r.changeId,
    patchSet: r.patchSet,
    url: changeUrl(c, r.patchSet),
    project: c?.project ?? null,
    job: r.job,
    pipeline: r.pipeline,
    result: r.result,
    at: iso(r.at),
    logUrl: r.logUrl,
    uuid: r.uuid,
    source: r.source,
  };
}

/** The classified runs inside the window that pass the pipeline and job filters, in time order. */
export function windowRuns(outcomes: CiOutcomes, opts: CiWindowOptions): ClassifiedRun[] {
  const pipes = opts.pipelines?.length ? new Set(opts.pipelines) : null;
  const jobs = opts.jobs?.length ? new Set(opts.jobs) : null;
  const inWindow = runsBetween(outcomes.runs, opts.since, opts.until);
  return pipes || jobs ? inWindow.filter((c) => (!pipes || pipes.has(c.run.pipeline ?? '')) && (!jobs || jobs.has(c.run.job))) : inWindow;
}

/** The runs of a time-ordered list with `from <= at < to`: two binary searches and a slice. */
export function runsBetween(runs: readonly ClassifiedRun[], from: Timestamp, to: Timestamp): ClassifiedRun[] {
  const first = (t: Timestamp): number => {
    let lo = 0;
    let hi = runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (runs[mid]!.run.at < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return runs.slice(first(from), first(to));
}

export interface Tally {
  runs: number;
  passes: number;
  failures: number;
  falseFailures: number;
  /** Known-fine runs, and the failures among them. */
  fine: number;
  fineFailures: number;
}

/** Counted runs, passes, failures, false failures and known-fine runs of a list of classified runs. */
export function tally(runs: readonly ClassifiedRun[]): Tally {
  const t: Tally = { runs: 0, passes: 0, failures: 0, falseFailures: 0, fine: 0, fineFailures: 0 };
  for (const c of runs) {
    if (c.class === 'not-counted') continue;
    t.runs += 1;
    if (c.class === 'pass') t.passes += 1;
    else t.failures += 1;
    if (c.class === 'false-failure') t.falseFailures += 1;
    if (c.knownFine) {
      t.fine += 1;
      if (c.class !== 'pass') t.fineFailures += 1;
    }
  }
  return t;
}

/** The weekly series of a job's runs over the ISO weeks overlapping [since, until). */
export function weeklySeries(runs: readonly ClassifiedRun[], since: Timestamp, until: Timestamp): CiWeek[] {
  const starts = isoWeeksBetween(since, until);
  // One pass: each run into its week's list (the weeks are consecutive, WEEK_MS apart).
  const byWeek: ClassifiedRun[][] = starts.map(() => []);
  const first = starts[0] ?? 0;
  for (const c of runs) {
    const i = Math.floor((c.run.at - first) / WEEK_MS);
    if (i >= 0 && i < starts.length) byWeek[i]!.push(c);
  }
  return starts.map((start, i) => {
    const t = tally(byWeek[i]!);
    return {
      week: isoWeekName(start),
      start: iso(start),
      runs: t.runs,
      failures: t.failures,
      failureRate: round(ratio(t.failures, t.runs), 4),
      knownFineRuns: t.fine,
      knownFineFailures: t.fineFailures,
      falseFailureRate: round(ratio(t.fineFailures, t.fine), 4),
    };
  });
}

/**
 * Per-job CI health in the window. Pure.
 *
 * @example
 * const report = computeCiJobs({ outcomes, changes }, { since, until, now, rules: DEFAULT_PIPELINE_RULES });
 * report.jobs.find((j) => j.job === 'nova-live-migration')?.falseFailureRate.rate // 0.25
 */
export function computeCiJobs(input: CiInput, opts: CiWindowOptions): CiJobsReport {
  const changes = new Map(input.changes.map((c) => [c.id, c]));
  const inWindow = windowRuns(input.outcomes, opts);
  const byJob = new Map<string, ClassifiedRun[]>();
  for (const c of inWindow) {
    let l = byJob.get(c.run.job);
    if (!l) byJob.set(c.run.job, (l = []));
    l.push(c);
  }
  const rechecks = input.outcomes.rechecks.filter((r) => r.at >= opts.since && r.at < opts.until);
  const pipes = opts.pipelines?.length ? new Set(opts.pipelines) : null;
  const revisionChecks = input.outcomes.revisionChecks.filter(
    (rc) => rc.last.at >= opts.since && rc.last.at < opts.until && (!pipes || pipes.has(rc.last.pipeline ?? '')),
  );
  // Per job in one pass each, rather than one pass over all of them for every job.
  const checksByJob = new Map<string, RevisionCheck[]>();
  for (const rc of revisionChecks) {
    let l = checksByJob.get(rc.job);
    if (!l) checksByJob.set(rc.job, (l = []));
    l.push(rc);
  }
  const rechecksByJob = new Map<string, number>();
  for (const r of rechecks) {
    const failed = r.after?.failedJobs ?? [];
    for (let i = 0; i < failed.length; i++)
      if (failed.indexOf(failed[i]!) === i) rechecksByJob.set(failed[i]!, (rechecksByJob.get(failed[i]!) ?? 0) + 1);
  }

  const jobs: CiJobReport[] = [...byJob.entries()].map(([job, runs]) => {
    const t = tally(runs);
    const pipelines = new Map<string, number>();
    const failuresByResult: Record<string, number> = {};
    const falseFailuresBy: Record<FalseReason, number> = { 'passed-later': 0, 'merged-unchanged': 0, 'gate-approved': 0 };
    const durations: number[] = [];
    let caught = 0;
    let unexplained = 0;
    let pending = 0;
    const evidence: CiJobReport['evidence'] = { falseFailures: [], caughtRegressions: [] };
    const omitted: CiJobReport['evidenceOmitted'] = { falseFailures: 0, caughtRegressions: 0 };
    const limit = opts.evidenceLimit ?? Infinity;
    for (const c of runs) {
      const p = c.run.pipeline ?? '(none)';
      pipelines.set(p, (pipelines.get(p) ?? 0) + 1);
      if (!isCounted(c.run.result)) continue;
      if (c.run.durationSeconds !== null) durations.push(c.run.durationSeconds);
      if (isPass(c.run.result)) continue;
      failuresByResult[c.run.result] = (failuresByResult[c.run.result] ?? 0) + 1;
      if (c.class === 'false-failure') {
        for (const r of c.reasons) falseFailuresBy[r] += 1;
        if (evidence.falseFailures.length < limit) evidence.falseFailures.push({ ...runRef(c.run, changes), reasons: [...c.reasons] });
        else omitted.falseFailures += 1;
      } else if (c.class === 'caught-regression') {
        caught += 1;
        if (evidence.caughtRegressions.length < limit)
          evidence.caughtRegressions.push({ failed: runRef(c.run, changes), fixedBy: runRef(c.fixedBy!, changes) });
        else omitted.caughtRegressions += 1;
      } else {
        unexplained += 1;
        if (c.pending) pending += 1;
      }
    }
    // A typed array sorts numbers without a comparator call per pair (the same order: no NaN).
    const sortedDurations = Array.from(Float64Array.from(durations).sort());
    // Its latest run naming a pipeline (the last of the latest time).
    let latest: ClassifiedRun | null = null;
    for (let i = 0; i < runs.length; i++) {
      const c = runs[i]!;
      if (c.run.pipeline !== null && (latest === null || c.run.at >= latest.run.at)) latest = c;
    }
    const ffRate = rate(t.fineFailures, t.fine);
    const jobChecks = checksByJob.get(job) ?? [];
    const checks = jobChecks.length;
    return {
      job,
      voting: latest ? latest.run.voting : null,
      pipelines: [...pipelines.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([pipeline, n]) => ({ pipeline, runs: n })),
      runs: t.runs,
      notCounted: runs.length - t.runs,
      passes: t.passes,
      failures: t.failures,
      failuresByResult: Object.fromEntries(Object.entries(failuresByResult).sort(([a], [b]) => a.localeCompare(b))),
      failureRate: rate(t.failures, t.runs),
      falseFailures: t.falseFailures,
      falseFailuresBy,
      falseFailureRate: ffRate,
      caughtRegressions: caught,
      revisionChecks: checks,
      caught: compareCaught(
        job,
        runs.filter((c) => c.knownFine && c.class !== 'not-counted' && pipelineKind(c.run.pipeline, opts.rules) !== 'gate'),
        jobChecks,
      ),
      unexplainedFailures: unexplained,
      pendingFailures: pending,
      rechecksAfterFailure: rechecksByJob.get(job) ?? 0,
      durationSeconds: {
        count: sortedDurations.length,
        median: round(quantileSorted(sortedDurations, 0.5), 0),
        p90: round(quantileSorted(sortedDurations, 0.9), 0),
      },
      weekly: weeklySeries(runs, opts.since, opts.until),
      evidence,
      evidenceOmitted: omitted,
    };
  });
  const order = (v: boolean | null): number => (v === true ? 0 : v === false ? 1 : 2);
  jobs.sort((a, b) => order(a.voting) - order(b.voting) || a.job.localeCompare(b.job));
  adjustCaught(jobs.map((j) => j.caught));
  return {
    period: { since: iso(opts.since), until: iso(opts.until) },
    now: iso(opts.now),
    pipelines: opts.pipelines?.length ? [...opts.pipelines] : null,
    evidenceLimit: opts.evidenceLimit ?? null,
    jobs,
  };
}

/** Whether a run is in a check-like pipeline (not gate, not experimental). */
export function inCheck(r: CiRun, rules: CiPipelineRules): boolean {
  return pipelineKind(r.pipeline, rules) === 'check';
}
