/** CI jobs and voting readiness: per job health, the weekly failure rate chart, which non-voting jobs could vote. */
import type { ReadinessReport, ReadinessWeek } from '../../analysis/ci-readiness.js';
import type { AppContext } from '../app-context.js';
import { html, type SafeHtml } from '../html.js';
import { buildReport, REPORTS } from '../reports.js';
import { chart, num, pct, table } from './components.js';
import { page, sortLink, urlFor, type PageContext } from './layout.js';

/**
 * One small chart per judged job (small multiples, one y scale for all): its weekly false-failure
 * rate against the voting baseline on the same patch sets, each with its 95% Wilson band, as the
 * voting-readiness JSON gives them (`weeks[].rate`, `rateCi95`, `baseline`, `baselineCi95`). A week
 * with fewer than `minWeeklyRuns` known-fine runs (the job's, or the baseline's for its line) is a
 * gap: the same weeks the readiness bar does not judge.
 */
export function ciReadinessCharts(readiness: ReadinessReport): SafeHtml {
  const min = readiness.rules.minWeeklyRuns;
  const jobs = readiness.jobs;
  if (jobs.length === 0) return html``;
  const shown = (w: ReadinessWeek) => w.knownFineRuns >= min;
  const shownBase = (w: ReadinessWeek) => w.baselineRuns >= min;
  let top = 0;
  for (const j of jobs)
    for (const w of j.weeks) {
      if (shown(w)) top = Math.max(top, w.rateCi95?.high ?? w.rate ?? 0);
      if (shownBase(w)) top = Math.max(top, w.baselineCi95?.high ?? w.baseline ?? 0);
    }
  const yMax = Math.min(1, Math.max(0.1, Math.ceil(top * 10) / 10));
  const charts = jobs.map((j, i) => {
    const own = (f: (w: ReadinessWeek) => number | null) => j.weeks.map((w) => (shown(w) ? f(w) : null));
    const base = (f: (w: ReadinessWeek) => number | null) => j.weeks.map((w) => (shownBase(w) ? f(w) : null));
    return chart(
      `ci-ready-chart-${i}`,
      `${j.job}: false-failure rate per week against the voting baseline`,
      {
        type: 'line',
        labels: j.weeks.map((w) => w.week),
        xTitle: 'Week',
        yTitle: 'false-failure rate',
        percent: true,
        gaps: true,
        yMax,
        small: true,
        series: [
          {
            label: j.job,
            data: own((w) => w.rate),
            band: { low: own((w) => w.rateCi95?.low ?? null), high: own((w) => w.rateCi95?.high ?? null) },
          },
          {
            label: 'voting baseline',
            data: base((w) => w.baseline),
            band: { low: base((w) => w.baselineCi95?.low ?? null), high: base((w) => w.baselineCi95?.high ?? null) },
          },
        ],
      },
      html`Verdict <span class="verdict ${j.verdict}">${j.verdict}</span>; ${num(j.weeksMetInARow)} week(s) in a row meeting the bar.`,
    );
  });
  return html`<h3 id="ci-ready-charts-h">Week by week</h3>
<p class="chart-intro">Each non-voting job's false-failure rate (failures among its runs on code that merged unchanged or passed later) against the voting jobs' on the same patch sets, each with its 95% Wilson interval as a shaded band. A week with fewer than ${num(min)} such runs is left as a gap: too few to say anything (the same weeks the bar does not judge). All charts share one scale.</p>
<div class="small-multiples">${charts}</div>`;
}

export async function ciPage(pc: PageContext, ctx: AppContext): Promise<SafeHtml> {
  const q = pc.query as Record<string, unknown>;
  // One gathering for the three reports (service/ci-views.ts).
  const { jobs, votingReadiness: readiness, experimental } = await buildReport(ctx, REPORTS.ci, { query: pc.query, reader: pc.reader });
  const body = html`
<p class="lead">${jobs.sources.projects.join(', ')} — ${jobs.period.since.slice(0, 10)} to ${jobs.period.until.slice(0, 10)}.</p>
<section aria-labelledby="jobs-h"><h2 id="jobs-h">Jobs</h2>
${table(
  [
    { key: 'job', label: 'Job', cell: (x) => x.job },
    { key: 'voting', label: 'Voting', cell: (x) => (x.voting === null ? '?' : x.voting ? 'yes' : 'no') },
    { key: 'runs', label: 'Runs', numeric: true, cell: (x) => num(x.runs), sort: (x) => x.runs },
    { key: 'failures', label: 'Failures', numeric: true, cell: (x) => num(x.failures), sort: (x) => x.failures },
    { key: 'failureRate', label: 'Failure rate', numeric: true, cell: (x) => pct(x.failureRate.rate), sort: (x) => x.failureRate.rate },
    {
      key: 'falseFailureRate',
      label: 'False-failure rate',
      numeric: true,
      cell: (x) =>
        html`${pct(x.falseFailureRate.rate)}${x.falseFailureRate.ci95 ? html` <small>[${pct(x.falseFailureRate.ci95.low)}–${pct(x.falseFailureRate.ci95.high)}]</small>` : ''}`,
      sort: (x) => x.falseFailureRate.rate,
    },
    { key: 'caught', label: 'Caught regressions', numeric: true, cell: (x) => num(x.caughtRegressions), sort: (x) => x.caughtRegressions },
    {
      key: 'rechecks',
      label: 'Rechecks after failure',
      numeric: true,
      cell: (x) => num(x.rechecksAfterFailure),
      sort: (x) => x.rechecksAfterFailure,
    },
    {
      key: 'duration',
      label: 'Median duration (min)',
      numeric: true,
      cell: (x) => (x.durationSeconds.median === null ? '–' : (x.durationSeconds.median / 60).toFixed(1)),
      sort: (x) => x.durationSeconds.median,
    },
  ],
  jobs.jobs,
  { id: 'ci-jobs', filter: true, sort: { key: pc.query.sort, dir: pc.query.dir, link: sortLink(pc) }, empty: 'No CI runs in the period.' },
)}
</section>
<section aria-labelledby="ready-h"><h2 id="ready-h">Voting readiness</h2>
<p>A non-voting job is ready when the upper end of the 95% interval (clustered by change) of its false-failure rate minus the voting jobs' is at most ${pct(readiness.rules.margin)}, over the period and ${readiness.rules.weeks} weeks in a row, with at least ${readiness.rules.minRuns} runs.</p>
${table(
  [
    { key: 'job', label: 'Job', cell: (x) => x.job },
    { key: 'runs', label: 'Runs', numeric: true, cell: (x) => num(x.runs), sort: (x) => x.runs },
    {
      key: 'ffr',
      label: 'False-failure rate',
      numeric: true,
      cell: (x) => pct(x.falseFailureRate.rate),
      sort: (x) => x.falseFailureRate.rate,
    },
    { key: 'baseline', label: 'Voting baseline', numeric: true, cell: (x) => pct(x.baseline?.rate), sort: (x) => x.baseline?.rate ?? null },
    {
      key: 'difference',
      label: 'Difference [95% CI]',
      numeric: true,
      cell: (x) =>
        x.difference ? html`${pct(x.difference.estimate)} <small>[${pct(x.difference.low)}–${pct(x.difference.high)}]</small>` : '–',
      sort: (x) => x.difference?.high ?? null,
    },
    { key: 'weeks', label: 'Weeks met in a row', numeric: true, cell: (x) => num(x.weeksMetInARow), sort: (x) => x.weeksMetInARow },
    { key: 'verdict', label: 'Verdict', cell: (x) => html`<span class="verdict ${x.verdict}">${x.verdict}</span>`, sort: (x) => x.verdict },
    { key: 'reasons', label: 'Why', cell: (x) => x.reasons.join('; ') },
  ],
  readiness.jobs,
  { id: 'ci-readiness', empty: 'No non-voting jobs ran in the period.' },
)}
${ciReadinessCharts(readiness)}
</section>
<section aria-labelledby="exp-h"><h2 id="exp-h">Experimental jobs</h2>
<p>${num(experimental.requests)} requests on ${num(experimental.changes)} changes.</p>
${table(
  [
    { key: 'job', label: 'Job', cell: (x) => x.job },
    { key: 'runs', label: 'Runs', numeric: true, cell: (x) => num(x.runs), sort: (x) => x.runs },
    { key: 'failureRate', label: 'Failure rate', numeric: true, cell: (x) => pct(x.failureRate.rate), sort: (x) => x.failureRate.rate },
    { key: 'verdict', label: 'Ready for the check queue?', cell: (x) => x.readiness?.verdict ?? '–' },
  ],
  experimental.jobs,
  { id: 'ci-experimental', empty: 'No experimental runs in the period.' },
)}
</section>`;
  return page(pc, 'CI jobs and voting readiness', body, {
    api: [
      urlFor('/api/v1/ci', q),
      urlFor('/api/v1/ci/jobs', q),
      urlFor('/api/v1/ci/voting-readiness', q),
      urlFor('/api/v1/ci/experimental', q),
    ],
  });
}
