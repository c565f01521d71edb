/**
 * Does a job catch regressions, or do its "catches" come from its flakiness alone? A two-sample
 * comparison, shared by `steward ci jobs` and `ci voting-readiness` (issue 21):
 *
 * - **On code later fixed**: the job's revision checks (ci-outcomes.ts) — its last run on a patch
 *   set that every other voting job passed and that was then revised, with the job passing on the
 *   revision. A failure there is a "caught regression".
 * - **On known-fine code**: the job's counted runs outside gate pipelines on patch sets that merged
 *   unchanged (or gate runs of approved changes are left out: revision checks are never in gate).
 * - The difference of the two failure rates (fixed − fine) with a 95% Newcombe interval adjusted
 *   for clustering by change (stats/proportions.ts, pooled design effect: under "no difference" the
 *   two groups share one process), and the two-sided p-value found by inverting that interval (the
 *   largest confidence level whose interval still excludes 0). Nothing is plugged in as if known:
 *   both rates are estimated, with their uncertainty.
 * - Across the jobs of one report the p-values are adjusted by Benjamini–Hochberg; a job catches
 *   regressions **more than chance** when its adjusted p-value is below 0.05 and the rate on code
 *   later fixed is the higher one; otherwise **no more than chance** (which does not prove it
 *   catches nothing: with few revision checks the comparison has little power).
 */
import type { ClassifiedRun, RevisionCheck } from './ci-outcomes.js';
import { clusteredNewcombeDifference, newcombeDifference, type ClusterCount } from './stats/proportions.js';
import { benjaminiHochberg } from './stats/multiple-testing.js';
import { round } from './stats.js';

export interface CaughtSample {
  failures: number;
  runs: number;
  /** Changes the runs belong to (the clusters). */
  changes: number;
}

export interface CaughtComparison {
  onFixedCode: CaughtSample;
  onFineCode: CaughtSample;
  /** Failure rate on code later fixed − on known-fine code; null when either sample is empty. */
  difference: number | null;
  /** 95% cluster-adjusted Newcombe interval of the difference. */
  ci95: { low: number; high: number } | null;
  /** The pooled design effect used (1 = runs as good as independent). */
  designEffect: number | null;
  /** Two-sided p-value of "same failure rate on both". */
  pValue: number | null;
  /** Benjamini–Hochberg adjusted across the report's jobs. */
  adjustedP: number | null;
  verdict: 'more-than-chance' | 'no-more-than-chance' | 'no-data';
}

const LEVEL = 0.95;
const ALPHA = 0.05;

function clusters<T>(items: readonly T[], changeOf: (x: T) => number, failed: (x: T) => boolean): ClusterCount[] {
  const m = new Map<number, ClusterCount>();
  for (const x of items) {
    const k = changeOf(x);
    let c = m.get(k);
    if (!c) m.set(k, (c = { successes: 0, trials: 0 }));
    c.trials += 1;
    if (failed(x)) c.successes += 1;
  }
  return [...m.keys()].sort((a, b) => a - b).map((k) => m.get(k)!);
}

/**
 * Two-sided p-value of "p₁ = p₂" by inverting the cluster-adjusted Newcombe interval: 1 − the
 * confidence level at which the interval's end nearest 0 touches 0 (bisection on the level).
 * 1 when the difference is 0.
 */
export function clusteredNewcombePValue(first: readonly ClusterCount[], second: readonly ClusterCount[]): number | null {
  const point = clusteredNewcombeDifference(first, second, 0.5, 'pooled');
  if (!point) return null;
  // The design effects do not depend on the level: found once, not at every bisection step (each
  // a pass over thousands of changes). The same arguments clusteredNewcombeDifference passes.
  const a = point.first;
  const b = point.second;
  const at = (level: number) =>
    newcombeDifference(a.proportion * a.effectiveTrials, a.effectiveTrials, b.proportion * b.effectiveTrials, b.effectiveTrials, level);
  if (point.difference === 0) return 1;
  const excludes = (level: number): boolean => {
    const d = at(level)!;
    return point.difference > 0 ? d.lower > 0 : d.upper < 0;
  };
  // A (near) zero-width interval excludes 0. (Not smaller: normalQuantile returns NaN within ~1e-9 of ½.)
  let lo = 1e-6;
  let hi = 1 - 1e-15;
  if (excludes(hi)) return 1 - hi;
  if (!excludes(lo)) return 1;
  for (let i = 0; i < 100 && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (excludes(mid)) lo = mid;
    else hi = mid;
  }
  return 1 - (lo + hi) / 2;
}

/** The comparison for one job, before the adjustment across jobs (adjustedP and verdict unset). */
export function compareCaught(job: string, fineRuns: readonly ClassifiedRun[], checks: readonly RevisionCheck[]): CaughtComparison {
  const fine = fineRuns.filter((c) => c.run.job === job);
  const mine = checks.filter((rc) => rc.job === job);
  const a = clusters(
    mine,
    (rc) => rc.changeId,
    (rc) => rc.caught,
  );
  const b = clusters(
    fine,
    (c) => c.run.changeId,
    (c) => c.class !== 'pass',
  );
  const sample = (cs: readonly ClusterCount[]): CaughtSample => ({
    failures: cs.reduce((s, c) => s + c.successes, 0),
    runs: cs.reduce((s, c) => s + c.trials, 0),
    changes: cs.length,
  });
  const d = clusteredNewcombeDifference(a, b, LEVEL, 'pooled');
  return {
    onFixedCode: sample(a),
    onFineCode: sample(b),
    difference: d ? round(d.difference, 4) : null,
    ci95: d ? { low: round(d.lower, 4)!, high: round(d.upper, 4)! } : null,
    designEffect: d ? round(d.first.designEffect, 3) : null,
    pValue: d ? clusteredNewcombePValue(a, b) : null,
    adjustedP: null,
    verdict: 'no-data',
  };
}

/** Adjusts the p-values across jobs (Benjamini–Hochberg) and sets each verdict; rounds for output. */
export function adjustCaught(comparisons: readonly CaughtComparison[]): void {
  const tested = comparisons.filter((c) => c.pValue !== null);
  const adjusted = benjaminiHochberg(tested.map((c) => c.pValue!));
  tested.forEach((c, i) => {
    c.adjustedP = adjusted[i]!;
    c.verdict = c.adjustedP < ALPHA && (c.difference ?? 0) > 0 ? 'more-than-chance' : 'no-more-than-chance';
  });
  for (const c of comparisons) {
    c.pValue = c.pValue === null ? null : Number(c.pValue.toPrecision(3));
    c.adjustedP = c.adjustedP === null ? null : Number(c.adjustedP.toPrecision(3));
  }
}

/** One line for people: the counts, the difference with its interval, and the verdict. */
export function caughtSentence(c: CaughtComparison): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const rateOf = (s: CaughtSample): string => (s.runs ? pct(s.failures / s.runs) : 'n/a');
  const head = `caught ${c.onFixedCode.failures} regression(s) the voting jobs passed, in ${c.onFixedCode.runs} revision(s) of ${c.onFixedCode.changes} change(s) where it could have (failure rate ${rateOf(c.onFixedCode)}) vs ${c.onFineCode.failures} failures in ${c.onFineCode.runs} runs on code that merged unchanged (${rateOf(c.onFineCode)})`;
  if (c.verdict === 'no-data' || c.difference === null || c.ci95 === null) return `${head}: too little data to compare`;
  const diff = `difference ${(c.difference * 100).toFixed(1)} points (95% CI ${(c.ci95.low * 100).toFixed(1)} to ${(c.ci95.high * 100).toFixed(1)}, clustered by change), p = ${c.pValue}, adjusted across jobs ${c.adjustedP}`;
  return `${head}; ${diff}: ${c.verdict === 'more-than-chance' ? 'more than chance' : 'no more than chance'}`;
}
