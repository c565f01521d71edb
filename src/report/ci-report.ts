/**
 * Rendering of the CI-health reports (`steward ci jobs`, `ci voting-readiness`, `ci experimental`)
 * as text and CSV. JSON is the analysis result itself (plus the report header) and is the stable
 * contract; text is for people and may change.
 */
import type { CiHealthSummary } from '../analysis/ci-health.js';
import type { CaughtComparison } from '../analysis/ci-caught.js';
import type { CiJobsReport, Rate } from '../analysis/ci-jobs.js';
import type { ExperimentalReport, JobReadiness, ReadinessReport } from '../analysis/ci-readiness.js';
import { toCsv } from './csv.js';

/** Where the runs came from: shown with every CI report. */
export interface CiSources {
  projects: string[];
  /** Runs in the period known to both sources, to report messages only, to Zuul only. */
  runs: { both: number; messageOnly: number; zuulOnly: number };
  /** Zuul builds in the window whose change is not in the store (not analysed). */
  zuulBuildsWithoutChange: number;
  /** Zuul builds with no time at all (not analysed). */
  undatedZuulBuilds: number;
  config: string;
}

/** The projects a CI report covers (those asked for, else every project in the store) and where its runs came from. */
interface CiCommon {
  projects: string[];
  sources: CiSources;
}

export type CiJobsOutput = CiJobsReport & CiCommon;
export type ReadinessOutput = ReadinessReport & CiCommon;
export type ExperimentalOutput = ExperimentalReport & CiCommon;

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const day = (s: string): string => s.slice(0, 10);
const caughtWord = (c: CaughtComparison): string =>
  c.verdict === 'more-than-chance' ? `more, p=${c.adjustedP}` : c.verdict === 'no-data' ? 'n/a' : `chance, p=${c.adjustedP}`;
const rateText = (r: Rate): string => (r.rate === null ? 'n/a' : `${pct(r.rate)} [${pct(r.ci95?.low)}–${pct(r.ci95?.high)}]`);
const dur = (s: number | null): string => {
  if (s === null) return 'n/a';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
};

function sourcesLine(s: CiSources): string {
  const total = s.runs.both + s.runs.messageOnly + s.runs.zuulOnly;
  const extra = s.zuulBuildsWithoutChange ? `; ${s.zuulBuildsWithoutChange} Zuul builds of changes not in the store left out` : '';
  return `Runs in the period: ${total} (${s.runs.both} from Zuul and report messages, ${s.runs.messageOnly} from report messages only, ${s.runs.zuulOnly} from Zuul only${extra}). Rules from ${s.config}.`;
}

/** What the JSON's evidence lists leave out, and how to get it all; '' when nothing is left out. */
function evidenceNote(limit: number | null, falseFailures: number, caught: number): string {
  if (limit === null) return '';
  const left = [falseFailures ? `${falseFailures} false failures` : '', caught ? `${caught} caught regressions` : ''].filter(Boolean);
  return `--format json lists the first ${limit} false failures and caught regressions of each job${left.length ? ` (${left.join(' and ')} more in all: --evidence all lists them)` : ' (all of them here)'}.`;
}

const omittedCaught = (jobs: readonly JobReadiness[]): number => jobs.reduce((s, j) => s + j.evidenceOmitted.caughtRegressions, 0);

function table(header: string[], rows: string[][], right: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

export function renderCiJobsText(r: CiJobsOutput): string {
  const lines = [
    `CI jobs of ${r.sources.projects.join(', ') || '(no projects)'}, ${day(r.period.since)} to ${day(r.period.until)}${r.pipelines ? `, pipelines ${r.pipelines.join(', ')}` : ''}, as of ${r.now.replace('.000Z', 'Z')}`,
    sourcesLine(r.sources),
    '',
  ];
  if (r.jobs.length === 0) {
    lines.push('No CI runs in this period.');
    return lines.join('\n') + '\n';
  }
  lines.push(
    ...table(
      [
        'job',
        'voting',
        'runs',
        'failure rate [95% CI]',
        'false-failure rate [95% CI]',
        'false failures',
        'caught (vs chance)',
        'rechecks',
        'median',
        'p90',
      ],
      r.jobs.map((j) => [
        j.job,
        j.voting === null ? 'unknown' : j.voting ? 'yes' : 'no',
        String(j.runs),
        rateText(j.failureRate),
        rateText(j.falseFailureRate),
        String(j.falseFailures),
        `${j.caughtRegressions} (${caughtWord(j.caught)})`,
        String(j.rechecksAfterFailure),
        dur(j.durationSeconds.median),
        dur(j.durationSeconds.p90),
      ]),
      new Set([2, 5, 6, 7, 8, 9]),
    ),
    'Columns: false-failure rate = failures among runs on code known to be fine (merged with that code, or gated after approval); false failures = failures on fine code, rechecked ones included; caught = regressions it failed on that the next revision fixed, and whether more than by chance; rechecks = failed runs repeated on the same patch set; median, p90 = run durations.',
    '',
    'Failures by result:',
  );
  for (const j of r.jobs) {
    const parts = Object.entries(j.failuresByResult).map(([k, n]) => `${k} ${n}`);
    if (parts.length) lines.push(`  ${j.job}: ${parts.join(', ')}`);
  }
  lines.push('', 'False-failure rate per ISO week, % (oldest first; - = no runs on code that merged):');
  for (const j of r.jobs)
    lines.push(
      `  ${j.job.padEnd(Math.max(...r.jobs.map((x) => x.job.length)))}  ${j.weekly.map((w) => (w.falseFailureRate === null ? '-' : (w.falseFailureRate * 100).toFixed(1))).join(' ')}`,
    );
  lines.push(
    '',
    'failure rate = failures / runs; false-failure rate = failures / runs on code that merged unchanged (and approved gate runs);',
    'false failures = failures the same code later passed, merged, or gate failures of approved changes;',
    'caught = failures while every other voting job passed, fixed by the next revision; in brackets whether its failure rate there is clearly',
    '  above its rate on code that merged unchanged (clustered by change, Benjamini–Hochberg across jobs) — "chance" when not, "n/a" without data;',
    'rechecks = rechecks right after it failed.',
    'Definitions: docs/ci.md, section "CI health".',
    r.evidenceLimit === null
      ? '--format json lists every false failure and caught regression with links.'
      : evidenceNote(
          r.evidenceLimit,
          r.jobs.reduce((s, j) => s + j.evidenceOmitted.falseFailures, 0),
          r.jobs.reduce((s, j) => s + j.evidenceOmitted.caughtRegressions, 0),
        ),
  );
  return lines.join('\n') + '\n';
}

export function renderCiJobsCsv(r: CiJobsOutput): string {
  return toCsv(
    [
      'job',
      'voting',
      'runs',
      'passes',
      'failures',
      'failure_rate',
      'failure_rate_low',
      'failure_rate_high',
      'false_failures',
      'known_fine_runs',
      'false_failure_rate',
      'false_failure_rate_low',
      'false_failure_rate_high',
      'caught_regressions',
      'revision_checks',
      'caught_rate_difference',
      'caught_difference_low',
      'caught_difference_high',
      'caught_p',
      'caught_p_adjusted',
      'caught_verdict',
      'unexplained_failures',
      'rechecks_after_failure',
      'duration_median_s',
      'duration_p90_s',
      'failures_by_result',
    ],
    r.jobs.map((j) => [
      j.job,
      j.voting === null ? '' : j.voting ? 1 : 0,
      j.runs,
      j.passes,
      j.failures,
      j.failureRate.rate,
      j.failureRate.ci95?.low,
      j.failureRate.ci95?.high,
      j.falseFailures,
      j.falseFailureRate.of,
      j.falseFailureRate.rate,
      j.falseFailureRate.ci95?.low,
      j.falseFailureRate.ci95?.high,
      j.caughtRegressions,
      j.revisionChecks,
      j.caught.difference,
      j.caught.ci95?.low,
      j.caught.ci95?.high,
      j.caught.pValue,
      j.caught.adjustedP,
      j.caught.verdict,
      j.unexplainedFailures,
      j.rechecksAfterFailure,
      j.durationSeconds.median,
      j.durationSeconds.p90,
      Object.entries(j.failuresByResult)
        .map(([k, n]) => `${k}=${n}`)
        .join(' '),
    ]),
  );
}

function readinessBlock(j: JobReadiness): string[] {
  const verdict = j.verdict === 'ready' ? 'READY' : j.verdict === 'unstable' ? 'UNSTABLE' : 'NOT YET';
  const weeks = j.weeks.map((w) => `${w.week.slice(5)}${w.meets === null ? '·' : w.meets ? '✓' : '✗'}`).join(' ');
  return [
    `${j.job} (${j.queue === 'experimental' ? 'experimental queue' : j.voting ? 'voting' : 'non-voting'}) — ${verdict}`,
    ...j.reasons.map((x) => `  ${x}`),
    `  weeks meeting the bar (✓ met, ✗ missed, · not judged): ${weeks}`,
    `  ${j.weeksMetInARow} week(s) in a row; ${j.runs} runs; ${j.extraRechecksIfVoting} rechecks it would have caused as a voting job`,
  ];
}

export function renderReadinessText(r: ReadinessOutput): string {
  const rules = r.rules;
  const lines = [
    `Voting readiness, ${day(r.period.since)} to ${day(r.period.until)}, as of ${r.now.replace('.000Z', 'Z')}`,
    `Bar: the upper end of the 95% interval (clustered by change) of the job's false-failure rate minus the voting jobs' on the same patch sets at most ${(rules.margin * 100).toFixed(1)} points, ${rules.weeks} weeks in a row and over the period, with ≥ ${rules.minRuns} runs on code that merged (weeks with < ${rules.minWeeklyRuns} are not judged).`,
    sourcesLine(r.sources),
    '',
  ];
  if (r.jobs.length === 0) lines.push('No non-voting jobs ran in this period.');
  for (const j of r.jobs) lines.push(...readinessBlock(j), '');
  if (r.leftOut.length) lines.push('Non-voting jobs not judged here:', ...r.leftOut.map((x) => `  ${x.job}: ${x.reason}`), '');
  lines.push(
    `Definitions: docs/ci.md, "Voting readiness". --format json has every week and the caught regressions with links${
      r.evidenceLimit === null
        ? ''
        : ` (the first ${r.evidenceLimit} of each job${omittedCaught(r.jobs) ? `; ${omittedCaught(r.jobs)} more in all: --evidence all lists them` : ''})`
    }.`,
  );
  return lines.join('\n') + '\n';
}

export function renderReadinessCsv(r: ReadinessOutput): string {
  return toCsv(
    [
      'job',
      'queue',
      'verdict',
      'runs',
      'known_fine_failures',
      'known_fine_runs',
      'false_failure_rate',
      'rate_low',
      'rate_high',
      'baseline_failures',
      'baseline_runs',
      'baseline_rate',
      'difference',
      'difference_low',
      'difference_high',
      'margin',
      'weeks_met_in_a_row',
      'caught_regressions',
      'revision_checks',
      'caught_p_adjusted',
      'caught_verdict',
      'extra_rechecks_if_voting',
      'reasons',
    ],
    r.jobs.map((j) => [
      j.job,
      j.queue,
      j.verdict,
      j.runs,
      j.falseFailureRate.count,
      j.falseFailureRate.of,
      j.falseFailureRate.rate,
      j.falseFailureRate.ci95?.low,
      j.falseFailureRate.ci95?.high,
      j.baseline?.count ?? null,
      j.baseline?.of ?? null,
      j.baseline?.rate ?? null,
      j.difference?.estimate ?? null,
      j.difference?.low ?? null,
      j.difference?.high ?? null,
      r.rules.margin,
      j.weeksMetInARow,
      j.caughtRegressions,
      j.revisionChecks,
      j.caught.adjustedP,
      j.caught.verdict,
      j.extraRechecksIfVoting,
      j.reasons.join(' | '),
    ]),
  );
}

export function renderExperimentalText(r: ExperimentalOutput): string {
  const lines = [
    `Experimental queue (${r.pipelines.join(', ')}), ${day(r.period.since)} to ${day(r.period.until)}, as of ${r.now.replace('.000Z', 'Z')}`,
    sourcesLine(r.sources),
    '',
    `Requested ${r.requests} time(s) on ${r.changes} change(s); per ISO week: ${r.weekly.map((w) => w.requests).join(' ')}`,
    '',
  ];
  if (r.jobs.length === 0) lines.push('No job ran only in the experimental queue in this period.');
  for (const j of r.jobs) {
    lines.push(
      `${j.job}: ${j.runs} runs — ${Object.entries(j.results)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}; failure rate ${rateText(j.failureRate)}; false-failure rate ${rateText(j.falseFailureRate)}`,
      ...readinessBlock(j.readiness)
        .slice(1)
        .map((x) => x.replace(/^ {2}/, '  ')),
      `  ready for the check queue: ${j.readiness.verdict === 'ready' ? 'yes' : j.readiness.verdict === 'unstable' ? 'no (unstable)' : 'not yet'}`,
      '',
    );
  }
  const left = omittedCaught(r.jobs.map((j) => j.readiness));
  lines.push(
    `Definitions: docs/ci.md, section "Experimental queue".${left ? ` --format json lists the first ${r.evidenceLimit} caught regressions of each job (${left} more in all: --evidence all lists them).` : ''}`,
  );
  return lines.join('\n') + '\n';
}

export function renderExperimentalCsv(r: ExperimentalOutput): string {
  return toCsv(
    ['job', 'runs', 'results', 'failure_rate', 'false_failure_rate', 'verdict', 'reasons'],
    r.jobs.map((j) => [
      j.job,
      j.runs,
      Object.entries(j.results)
        .map(([k, n]) => `${k}=${n}`)
        .join(' '),
      j.failureRate.rate,
      j.falseFailureRate.rate,
      j.readiness.verdict,
      j.readiness.reasons.join(' | '),
    ]),
  );
}

/** The CI-health lines of `steward overview`'s text. */
export function renderCiHealthLines(h: CiHealthSummary): string[] {
  const lines = ['', `CI health (false-failure rate: failed although the code was fine; voting baseline ${pct(h.votingBaseline.rate)})`];
  for (const j of h.jobs) {
    const verdict = j.readiness
      ? `  ${j.readiness.verdict === 'ready' ? 'ready to vote' : j.readiness.verdict === 'unstable' ? 'unstable' : 'not yet ready'}`
      : '';
    lines.push(
      `  ${j.job.padEnd(28)} ${j.voting === null ? '(unknown) ' : j.voting ? 'voting    ' : 'non-voting'} ${String(j.runs).padStart(6)} runs  ${pct(j.failureRate).padStart(6)} failed  ${pct(j.falseFailureRate).padStart(6)} false${verdict}`,
    );
  }
  return lines;
}
