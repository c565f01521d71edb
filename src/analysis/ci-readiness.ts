/**
 * When is a non-voting job ready to vote (and an experimental job ready for the check queue)?
 * A non-inferiority test (docs/ci.md, "Voting readiness"; issue 21):
 *
 * - The job's **false-failure rate**: failures / runs over its known-fine runs in the window
 *   outside gate pipelines (runs on patch sets that merged unchanged: ci-outcomes.ts), with its
 *   95% Wilson interval.
 * - The **baseline**: the same rate pooled over the voting jobs' known-fine runs on the same patch
 *   sets, in named check-like pipelines, in the window. It is estimated from runs too, not known:
 *   its uncertainty enters the comparison.
 * - The **difference** job − baseline with its 95% Newcombe interval, adjusted for clustering by
 *   change (runs of one change fail or pass together; per-group design effects,
 *   stats/proportions.ts). The job and the baseline run on the same patch sets, so the two rates
 *   tend to move together and the interval, which treats them as independent, errs wide (cautious).
 * - The job is **non-inferior** when the interval's upper end is at most the `margin` (default
 *   0.05, i.e. 5 percentage points): the data rule out its being worse than the voting jobs by more.
 * - A **week** (ISO, Monday 00:00 UTC) meets the bar when the job has at least `minWeeklyRuns`
 *   known-fine runs that week (default 20) and that week's interval's upper end is at most the
 *   margin. Weeks with fewer runs, or no baseline, are not judged: they neither count nor break a
 *   run of weeks.
 * - **Weeks in a row**: consecutive judged weeks meeting the bar, counted back from the window's
 *   last judged week.
 * - Verdict: **unstable** when the whole window's interval lies above the margin (its lower end
 *   exceeds it: significantly worse than the voting jobs by more than the margin); **ready** when
 *   it has at least `minRuns` known-fine runs (default 100), met the bar `weeks` weeks in a row
 *   (default 4) and the whole window's upper end is at most the margin; otherwise **not yet**, with
 *   what is missing. No point estimate decides anything.
 * - Caught regressions: a two-sample comparison with Benjamini–Hochberg across the report's jobs
 *   (ci-caught.ts).
 */
import type { CiChangeRecord } from '../model/ci.js';
import type { Timestamp } from '../model/records.js';
import { isPass, isVotingRun, pipelineKind, type ClassifiedRun } from './ci-outcomes.js';
import { adjustCaught, caughtSentence, compareCaught, type CaughtComparison } from './ci-caught.js';
import {
  firstOf,
  rate,
  runRef,
  runsBetween,
  tally,
  windowRuns,
  type CiInput,
  type CiWindowOptions,
  type Rate,
  type RunRef,
} from './ci-jobs.js';
import { isoWeekName, isoWeeksBetween, WEEK_MS } from './ci-stats.js';
import { clusteredNewcombeDifference, type ClusterCount } from './stats/proportions.js';
import { round } from './stats.js';

export interface ReadinessRules {
  /** How far above the baseline a job's false-failure rate may be, as a fraction (0.05 = 5 points): the non-inferiority margin. */
  margin: number;
  /** Weeks in a row the job must meet the bar. */
  weeks: number;
  /** Runs on fine code (passes + false failures) in the window, at least. */
  minRuns: number;
  /** Runs on fine code in a week for the week to be judged. */
  minWeeklyRuns: number;
}

export const DEFAULT_READINESS_RULES: ReadinessRules = { margin: 0.05, weeks: 4, minRuns: 100, minWeeklyRuns: 20 };

export type ReadinessVerdict = 'ready' | 'not-yet' | 'unstable';

/** Job − baseline false-failure rate, with its 95% interval clustered by change. */
export interface ReadinessDifference {
  estimate: number;
  low: number;
  high: number;
  /** Design effects (variance inflation from clustering by change) of the job's runs and the baseline's. */
  designEffect: { job: number; baseline: number };
  /** Changes the job's runs and the baseline's runs come from (the clusters). */
  changes: { job: number; baseline: number };
}

export interface ReadinessWeek {
  week: string;
  start: string;
  knownFineRuns: number;
  failures: number;
  rate: number | null;
  /** The 95% Wilson interval of `rate` (ci-stats.ts); null with no runs. What the CI page's chart draws. */
  rateCi95: { low: number; high: number } | null;
  /** The voting jobs' known-fine runs on the same patch sets that week, and their failures. */
  baselineRuns: number;
  baselineFailures: number;
  baseline: number | null;
  /** The 95% Wilson interval of `baseline`; null with no runs. */
  baselineCi95: { low: number; high: number } | null;
  difference: ReadinessDifference | null;
  /** null: not judged (too few runs, or no baseline); else the difference's upper end ≤ the margin. */
  meets: boolean | null;
}

export interface JobReadiness {
  job: string;
  /** Where it runs now: `check` (check-like pipelines) or `experimental` (only on request). */
  queue: 'check' | 'experimental';
  /** Whether its latest run in the window voted (a voting job asked for is compared with the others). */
  voting: boolean;
  /** Counted runs outside gate pipelines in the window. */
  runs: number;
  falseFailureRate: Rate;
  baseline: (Rate & { patchSets: number; byJob: Array<{ job: string; failures: number; runs: number; rate: number | null }> }) | null;
  /** Job − baseline over the window; non-inferior when `difference.high` ≤ the margin. */
  difference: ReadinessDifference | null;
  weeks: ReadinessWeek[];
  weeksMetInARow: number;
  caughtRegressions: number;
  revisionChecks: number;
  /** Failure rate on code later fixed vs on known-fine code (ci-caught.ts), adjusted across the report's jobs. */
  caught: CaughtComparison;
  /** Its false failures in check buildsets where every voting job passed: rechecks it would have caused had it voted. */
  extraRechecksIfVoting: number;
  verdict: ReadinessVerdict;
  /** The numbers behind the verdict, and what would make the job ready. */
  reasons: string[];
  /** Its caught regressions, the earliest first: at most the report's `evidenceLimit`. */
  evidence: { caughtRegressions: Array<{ failed: RunRef; fixedBy: RunRef }> };
  /** How many caught regressions the evidence leaves out (0 when it lists them all). */
  evidenceOmitted: { caughtRegressions: number };
}

export interface ReadinessReport {
  period: { since: string; until: string };
  now: string;
  rules: ReadinessRules;
  /** Each job's evidence list shows at most this many runs; null: all (`--evidence all`). */
  evidenceLimit: number | null;
  jobs: JobReadiness[];
  /**
   * Non-voting jobs that ran in the period but are not judged here, and why (one that runs only in
   * experimental pipelines is `steward ci experimental`'s); empty when `--job` names the jobs.
   */
  leftOut: Array<{ job: string; reason: string }>;
}

const iso = (t: Timestamp): string => new Date(t).toISOString();
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const points = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
/** A run's patch set as one number (no string per run); patch set numbers stay far below 65,536. */
const psKey = (c: ClassifiedRun): number => c.run.changeId * 65_536 + c.run.patchSet;

/** Counted known-fine runs as clusters by change: failures of runs. */
function byChange(runs: readonly ClassifiedRun[]): ClusterCount[] {
  const m = new Map<number, ClusterCount>();
  for (const c of runs) {
    if (!c.knownFine || c.class === 'not-counted') continue;
    let k = m.get(c.run.changeId);
    if (!k) m.set(c.run.changeId, (k = { successes: 0, trials: 0 }));
    k.trials += 1;
    if (c.class !== 'pass') k.successes += 1;
  }
  return [...m.keys()].sort((a, b) => a - b).map((id) => m.get(id)!);
}

/**
 * The job − baseline difference with its cluster-adjusted 95% Newcombe interval (per-group design
 * effects): `view` rounded for output, `lower`/`upper` unrounded for the verdicts.
 */
function readinessDifference(
  job: readonly ClassifiedRun[],
  baseline: readonly ClassifiedRun[],
): { view: ReadinessDifference; lower: number; upper: number } | null {
  const a = byChange(job);
  const b = byChange(baseline);
  const d = clusteredNewcombeDifference(a, b, 0.95, 'per-group');
  if (!d) return null;
  const view = {
    estimate: round(d.difference, 4)!,
    low: round(d.lower, 4)!,
    high: round(d.upper, 4)!,
    designEffect: { job: round(d.first.designEffect, 3)!, baseline: round(d.second.designEffect, 3)! },
    changes: { job: a.length, baseline: b.length },
  };
  return { view, lower: d.lower, upper: d.upper };
}

/**
 * Readiness of each of `jobs` over the window's classified runs (all jobs' runs: the baseline needs
 * them), their caught-regression p-values adjusted across them (Benjamini–Hochberg).
 */
export function evaluateReadiness(
  jobs: readonly string[],
  runs: readonly ClassifiedRun[],
  input: CiInput,
  opts: CiWindowOptions,
  rules: ReadinessRules,
  ctx: ReadinessContext = readinessContext(runs, input, opts),
): JobReadiness[] {
  const out = jobs.map((j) => readinessBeforeAdjustment(j, ctx, input, opts, rules));
  adjustCaught(out.map((r) => r.caught));
  for (const r of out) r.reasons.push(caughtSentence(r.caught));
  return out;
}

/**
 * What every job's readiness reads of the window's runs, gathered in one pass over them rather
 * than one per job: the runs by job, the voting jobs' known-fine runs by patch set, the runs by
 * buildset, each job's latest run.
 */
export interface ReadinessContext {
  changes: Map<number, CiChangeRecord>;
  /** Each job's runs, in the window's (time) order. */
  byJob: Map<string, ClassifiedRun[]>;
  /** Known-fine voting runs in named check-like pipelines, by patch set (change id × 65,536 + patch set number), in time order. */
  votingByPs: Map<number, ClassifiedRun[]>;
  byBuildset: Map<string, ClassifiedRun[]>;
  /** Each job's latest run (the last of the latest time). */
  latest: Map<string, ClassifiedRun>;
}

export function readinessContext(runs: readonly ClassifiedRun[], input: CiInput, opts: CiWindowOptions): ReadinessContext {
  const ctx: ReadinessContext = {
    changes: new Map(input.changes.map((c) => [c.id, c])),
    byJob: new Map(),
    votingByPs: new Map(),
    byBuildset: new Map(),
    latest: new Map(),
  };
  for (const c of runs) {
    const job = c.run.job;
    listIn(ctx.byJob, job).push(c);
    listIn(ctx.byBuildset, c.run.buildset).push(c);
    if (c.knownFine && isVotingRun(c.run, opts.rules)) listIn(ctx.votingByPs, psKey(c)).push(c);
    const l = ctx.latest.get(job);
    if (!l || c.run.at >= l.run.at) ctx.latest.set(job, c);
  }
  return ctx;
}

function listIn<K, V>(m: Map<K, V[]>, k: K): V[] {
  let l = m.get(k);
  if (!l) m.set(k, (l = []));
  return l;
}

function readinessBeforeAdjustment(
  job: string,
  ctx: ReadinessContext,
  input: CiInput,
  opts: CiWindowOptions,
  rules: ReadinessRules,
): JobReadiness {
  const changes = ctx.changes;
  const mine = (ctx.byJob.get(job) ?? []).filter((c) => pipelineKind(c.run.pipeline, opts.rules) !== 'gate');
  const queue =
    mine.length > 0 && mine.every((c) => pipelineKind(c.run.pipeline, opts.rules) === 'experimental') ? 'experimental' : 'check';
  const fineOf = (own: readonly ClassifiedRun[]) => own.filter((c) => c.knownFine && c.class !== 'not-counted');
  // The other voting jobs' runs on the patch sets where `own` ran on fine code.
  const baselineOver = (own: readonly ClassifiedRun[]): ClassifiedRun[] =>
    [...new Set(fineOf(own).map(psKey))].flatMap((k) => (ctx.votingByPs.get(k) ?? []).filter((c) => c.run.job !== job));

  const t = tally(mine);
  const ff = rate(t.fineFailures, t.fine);
  const base = baselineOver(mine);
  const bt = tally(base);
  let baseline: JobReadiness['baseline'] = null;
  if (bt.fine > 0) {
    const baseByJob = new Map<string, ClassifiedRun[]>();
    for (const c of base) listIn(baseByJob, c.run.job).push(c);
    const jobs = [...baseByJob.keys()].sort();
    baseline = {
      ...rate(bt.fineFailures, bt.fine),
      patchSets: new Set(fineOf(mine).map(psKey)).size,
      byJob: jobs.map((j) => {
        const jt = tally(baseByJob.get(j)!);
        return { job: j, failures: jt.fineFailures, runs: jt.fine, rate: round(jt.fine ? jt.fineFailures / jt.fine : null, 4) };
      }),
    };
  }
  const diff = readinessDifference(mine, base);
  const difference = diff?.view ?? null;

  const weeks: ReadinessWeek[] = isoWeeksBetween(opts.since, opts.until).map((start) => {
    const w = runsBetween(mine, start, start + WEEK_MS);
    const wBaseRuns = baselineOver(w);
    const wt = tally(w);
    const wb = tally(wBaseRuns);
    const wd = wt.fine > 0 && wb.fine > 0 ? readinessDifference(w, wBaseRuns) : null;
    const meets = wt.fine >= rules.minWeeklyRuns && wd !== null ? wd.upper <= rules.margin : null;
    return {
      week: isoWeekName(start),
      start: iso(start),
      knownFineRuns: wt.fine,
      failures: wt.fineFailures,
      rate: round(wt.fine ? wt.fineFailures / wt.fine : null, 4),
      rateCi95: rate(wt.fineFailures, wt.fine).ci95,
      baselineRuns: wb.fine,
      baselineFailures: wb.fineFailures,
      baseline: round(wb.fine > 0 ? wb.fineFailures / wb.fine : null, 4),
      baselineCi95: rate(wb.fineFailures, wb.fine).ci95,
      difference: wd?.view ?? null,
      meets,
    };
  });
  let inARow = 0;
  for (let i = weeks.length - 1; i >= 0; i--) {
    const m = weeks[i]!.meets;
    if (m === null) continue;
    if (!m) break;
    inARow += 1;
  }

  // Rechecks it would have caused: its false failures in check where every voting job of the buildset passed.
  const byBuildset = ctx.byBuildset;
  const extraRechecks = mine.filter((c) => {
    if (c.class !== 'false-failure' || pipelineKind(c.run.pipeline, opts.rules) !== 'check') return false;
    const others = (byBuildset.get(c.run.buildset) ?? []).filter(
      (o) => o.run.job !== job && o.class !== 'not-counted' && isVotingRun(o.run, opts.rules),
    );
    return others.length > 0 && others.every((o) => isPass(o.run.result));
  }).length;
  const caught = mine.filter((c) => c.class === 'caught-regression');
  const checks = input.outcomes.revisionChecks.filter((rc) => rc.job === job && rc.last.at >= opts.since && rc.last.at < opts.until);
  const comparison = compareCaught(
    job,
    mine.filter((c) => c.knownFine && c.class !== 'not-counted'),
    checks,
  );

  const reasons: string[] = [];
  let verdict: ReadinessVerdict;
  const margin = points(rules.margin);
  if (t.fine === 0) {
    verdict = 'not-yet';
    reasons.push('no runs on patch sets that merged unchanged in the period: nothing to judge it on yet');
  } else if (baseline === null || diff === null || difference === null) {
    verdict = 'not-yet';
    reasons.push('no voting-job runs on the same patch sets to compare with');
  } else {
    const summary =
      `false-failure rate ${pct(t.fineFailures / t.fine)} (${t.fineFailures} failures in ${t.fine} runs on code that merged, ${difference.changes.job} changes) ` +
      `vs voting baseline ${pct(bt.fineFailures / bt.fine)} (${bt.fineFailures} in ${bt.fine} runs on the same ${baseline.patchSets} patch sets): ` +
      `difference ${points(difference.estimate)} points, 95% CI ${points(difference.low)} to ${points(difference.high)} (clustered by change); margin ${margin}`;
    if (diff.lower > rules.margin) {
      verdict = 'unstable';
      reasons.push(`${summary}: worse than the voting jobs by more than the margin`);
      reasons.push(
        `to become ready the upper end of the interval would have to fall to ${margin} points or less, ${rules.weeks} weeks in a row`,
      );
    } else {
      const missing: string[] = [];
      if (t.fine < rules.minRuns)
        missing.push(`${rules.minRuns - t.fine} more runs on code that merged (has ${t.fine}, needs ${rules.minRuns})`);
      if (inARow < rules.weeks)
        missing.push(`${rules.weeks - inARow} more week(s) meeting the bar in a row (has ${inARow}, needs ${rules.weeks})`);
      if (diff.upper > rules.margin)
        missing.push(
          `the upper end of the interval to fall by ${((diff.upper - rules.margin) * 100).toFixed(1)} points to the margin (more runs narrow it; fewer failures lower it)`,
        );
      if (missing.length === 0) {
        verdict = 'ready';
        reasons.push(`${summary}: no worse than the voting jobs by more than the margin, ${inARow} week(s) in a row`);
      } else {
        verdict = 'not-yet';
        reasons.push(summary);
        reasons.push(`needs ${missing.join('; ')}`);
      }
    }
  }
  const listed = firstOf(caught, opts.evidenceLimit);
  return {
    job,
    queue,
    voting: ctx.latest.get(job)?.run.voting ?? false,
    runs: t.runs,
    falseFailureRate: ff,
    baseline,
    difference,
    weeks,
    weeksMetInARow: inARow,
    caughtRegressions: caught.length,
    revisionChecks: checks.length,
    caught: comparison,
    extraRechecksIfVoting: extraRechecks,
    verdict,
    reasons,
    evidence: { caughtRegressions: listed.map((c) => ({ failed: runRef(c.run, changes), fixedBy: runRef(c.fixedBy!, changes) })) },
    evidenceOmitted: { caughtRegressions: caught.length - listed.length },
  };
}

/**
 * Readiness of every non-voting job that runs outside experimental pipelines (or of `opts.jobs`,
 * whatever they are). Pure.
 *
 * @example computeVotingReadiness({ outcomes, changes }, { since, until, now, rules: DEFAULT_PIPELINE_RULES }, DEFAULT_READINESS_RULES)
 */
export function computeVotingReadiness(
  input: CiInput,
  opts: CiWindowOptions,
  rules: ReadinessRules = DEFAULT_READINESS_RULES,
): ReadinessReport {
  const runs = windowRuns(input.outcomes, { ...opts, jobs: undefined });
  const ctx = readinessContext(runs, input, opts);
  let jobs: string[];
  const leftOut: ReadinessReport['leftOut'] = [];
  if (opts.jobs?.length) {
    jobs = [...opts.jobs];
  } else {
    const names = [...ctx.byJob.keys()].sort();
    jobs = [];
    for (const j of names) {
      if (ctx.latest.get(j)?.run.voting !== false) continue;
      const kinds = [...new Set(ctx.byJob.get(j)!.map((c) => pipelineKind(c.run.pipeline, opts.rules)))].sort();
      if (kinds.includes('check')) jobs.push(j);
      else
        leftOut.push({
          job: j,
          reason: kinds.includes('experimental')
            ? 'runs only on request, in experimental pipelines: see steward ci experimental'
            : `never ran in a check pipeline in the period (only: ${kinds.join(', ')})`,
        });
    }
  }
  return {
    period: { since: iso(opts.since), until: iso(opts.until) },
    now: iso(opts.now),
    rules,
    evidenceLimit: opts.evidenceLimit ?? null,
    jobs: evaluateReadiness(jobs.sort(), runs, input, opts, rules, ctx),
    leftOut,
  };
}

export interface ExperimentalJob {
  job: string;
  runs: number;
  results: Record<string, number>;
  failureRate: Rate;
  falseFailureRate: Rate;
  readiness: JobReadiness;
}

export interface ExperimentalReport {
  period: { since: string; until: string };
  now: string;
  pipelines: string[];
  /** Each job's evidence list (in its readiness) shows at most this many runs; null: all (`--evidence all`). */
  evidenceLimit: number | null;
  /** Requests: buildsets in experimental pipelines ("check experimental" comments answered). */
  requests: number;
  changes: number;
  weekly: Array<{ week: string; start: string; requests: number }>;
  jobs: ExperimentalJob[];
}

/**
 * Jobs that run only on request (every run of theirs in the window is in an experimental
 * pipeline): how often they are requested, their results, and whether they are ready for the check
 * queue (the readiness rules above). Pure.
 */
export function computeCiExperimental(
  input: CiInput,
  opts: CiWindowOptions,
  rules: ReadinessRules = DEFAULT_READINESS_RULES,
): ExperimentalReport {
  const runs = windowRuns(input.outcomes, { ...opts, jobs: undefined });
  const experimental = runs.filter((c) => pipelineKind(c.run.pipeline, opts.rules) === 'experimental');
  const ctx = readinessContext(runs, input, opts);
  const names = [...new Set(experimental.map((c) => c.run.job))].filter((j) =>
    ctx.byJob.get(j)!.every((c) => pipelineKind(c.run.pipeline, opts.rules) === 'experimental'),
  );
  const wanted = opts.jobs?.length ? names.filter((j) => opts.jobs!.includes(j)) : names;
  const requestAt = new Map<string, number>();
  for (const c of experimental) requestAt.set(c.run.buildset, Math.min(requestAt.get(c.run.buildset) ?? Infinity, c.run.at));
  const sortedWanted = wanted.sort();
  const readiness = evaluateReadiness(sortedWanted, runs, input, opts, rules, ctx);
  const jobs = sortedWanted.map((job, i) => {
    const own = ctx.byJob.get(job)!.filter((c) => pipelineKind(c.run.pipeline, opts.rules) === 'experimental');
    const t = tally(own);
    const results: Record<string, number> = {};
    for (const c of own) results[c.run.result] = (results[c.run.result] ?? 0) + 1;
    return {
      job,
      runs: t.runs,
      results: Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b))),
      failureRate: rate(t.failures, t.runs),
      falseFailureRate: rate(t.fineFailures, t.fine),
      readiness: readiness[i]!,
    };
  });
  return {
    period: { since: iso(opts.since), until: iso(opts.until) },
    now: iso(opts.now),
    pipelines: [...opts.rules.experimentalPipelines],
    evidenceLimit: opts.evidenceLimit ?? null,
    requests: requestAt.size,
    changes: new Set(experimental.map((c) => c.run.changeId)).size,
    weekly: isoWeeksBetween(opts.since, opts.until).map((start) => ({
      week: isoWeekName(start),
      start: iso(start),
      requests: [...requestAt.values()].filter((t) => t >= start && t < start + WEEK_MS).length,
    })),
    jobs,
  };
}
