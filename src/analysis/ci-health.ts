/**
 * The short form of CI health for `steward overview` and the dashboard: per job its voting flag,
 * runs, failure rate, false-failure rate and (non-voting jobs) readiness verdict, the voting
 * jobs' pooled false-failure rate as the baseline, and weekly series for charts. Every number is
 * the one `steward ci jobs` / `steward ci voting-readiness` gives for the same window.
 */
import { computeCiJobs, rate, tally, windowRuns, type CiInput, type CiWeek, type CiWindowOptions, type Rate } from './ci-jobs.js';
import { isVotingRun } from './ci-outcomes.js';
import { computeVotingReadiness, DEFAULT_READINESS_RULES, type ReadinessRules, type ReadinessVerdict } from './ci-readiness.js';

export interface CiHealthSummary {
  /** False-failure rate pooled over the voting jobs' known-fine runs in named check-like pipelines. */
  votingBaseline: Rate;
  jobs: Array<{
    job: string;
    voting: boolean | null;
    runs: number;
    failureRate: number | null;
    falseFailureRate: number | null;
    caughtRegressions: number;
    /** Non-voting jobs only (see `steward ci voting-readiness`). */
    /** `differenceHigh`: upper end of the 95% interval of job − voting baseline (non-inferior when ≤ the margin). */
    readiness: { verdict: ReadinessVerdict; weeksMetInARow: number; differenceHigh: number | null } | null;
  }>;
  /** Weekly failure and false-failure rates per job (ISO weeks), for charts. */
  weekly: Array<{ job: string; voting: boolean | null; weeks: CiWeek[] }>;
}

/**
 * @example computeCiHealth({ outcomes, changes }, { since, until, now, rules: DEFAULT_PIPELINE_RULES })
 */
export function computeCiHealth(input: CiInput, opts: CiWindowOptions, rules: ReadinessRules = DEFAULT_READINESS_RULES): CiHealthSummary {
  // No evidence lists: the summary shows none.
  const jobs = computeCiJobs(input, { ...opts, evidenceLimit: 0 }).jobs;
  const readiness = new Map(
    computeVotingReadiness(input, { ...opts, jobs: undefined, evidenceLimit: 0 }, rules).jobs.map((j) => [j.job, j]),
  );
  const voting = windowRuns(input.outcomes, opts).filter((c) => isVotingRun(c.run, opts.rules));
  const t = tally(voting);
  return {
    votingBaseline: rate(t.fineFailures, t.fine),
    jobs: jobs.map((j) => {
      const r = readiness.get(j.job);
      return {
        job: j.job,
        voting: j.voting,
        runs: j.runs,
        failureRate: j.failureRate.rate,
        falseFailureRate: j.falseFailureRate.rate,
        caughtRegressions: j.caughtRegressions,
        readiness: r ? { verdict: r.verdict, weeksMetInARow: r.weeksMetInARow, differenceHigh: r.difference?.high ?? null } : null,
      };
    }),
    weekly: jobs.map((j) => ({ job: j.job, voting: j.voting, weeks: j.weekly })),
  };
}
