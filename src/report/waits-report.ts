/**
 * `steward waits` and `steward waits --bandwidth` as text and CSV (JSON is the report object).
 */
import type { BandwidthReport } from '../analysis/bandwidth.js';
import type { EventTime } from '../analysis/flow-inference.js';
import { pWords, type FactorResult, type WaitsReport } from '../analysis/waits.js';
import type { FactorTest, LevelEffect } from '../analysis/waits-model.js';
import { toCsv } from './csv.js';

interface Sources {
  config: string;
  coreTeam: string;
  bots: string;
  gatingCi: string;
}

export type WaitsView = { kind: 'waits'; projects: string[]; sources: Sources } & WaitsReport;
export type BandwidthView = {
  kind: 'bandwidth';
  projects: string[];
  period: WaitsReport['period'];
  now: string;
  sources: Sources;
} & BandwidthReport;

const day = (iso: string): string => iso.slice(0, 10);
const et = (e: EventTime | null): string =>
  e === null ? 'n/a' : e.median === null ? 'not reached' : `${e.median}${e.low !== null ? ` [${e.low}–${e.high ?? '…'}]` : ''}`;
const hr = (l: LevelEffect): string =>
  l.reference ? 'reference' : l.hazardRatio === null ? 'n/a' : `${l.hazardRatio} [${l.lower}–${l.upper}]`;

function testLine(label: string, t: FactorTest | null): string | null {
  if (!t) return null;
  const verdict = t.declared ? 'associated' : 'inconclusive';
  return `  ${label}: ${verdict} (adjusted ${pWords(t.adjustedP)}, ${t.df} df)${t.proportionalHazardsFails ? `; proportional hazards fail (${pWords(t.proportionalHazardsP!)}): the ratio is an average over time` : ''}${t.pooled.length ? `; pooled: ${t.pooled.join(', ')}` : ''}`;
}

function factorBlock(f: FactorResult): string[] {
  const lines = [`${f.factor}${f.role === 'mediator' ? ' (mediator)' : ''}${f.note ? ` — ${f.note}` : ''}`];
  if (f.groups.length === 0) return [...lines, '  (no changes)'];
  const level = (t: FactorTest | null, g: string): LevelEffect | undefined => t?.levels.find((l) => l.level === g);
  lines.push(
    `  ${'group'.padEnd(28)}${'n'.padStart(6)}${'merged'.padStart(8)}${'open'.padStart(6)}  ${'to merge'.padEnd(20)}${'1st core review'.padEnd(20)}${'HR merge'.padEnd(22)}HR 1st core review`,
  );
  for (const g of f.groups) {
    const m = level(f.merge, g.group);
    const c = level(f.firstCoreReview, g.group);
    lines.push(
      `  ${g.group.slice(0, 27).padEnd(28)}${String(g.n).padStart(6)}${String(g.toMerge.events).padStart(8)}${String(g.toMerge.open).padStart(6)}  ${et(g.toMerge).padEnd(20)}${et(g.firstCoreReview).padEnd(20)}${(m && f.merge?.kind === 'categorical' ? hr(m) : '').padEnd(22)}${c && f.firstCoreReview?.kind === 'categorical' ? hr(c) : ''}`,
    );
  }
  for (const t of [f.merge, f.firstCoreReview]) {
    if (t?.kind === 'numeric' && t.named)
      lines.push(`  hazard ratio ${t.reference} (${t === f.merge ? 'merge' : 'first core review'}): ${hr(t.named)}`);
  }
  const a = testLine('time to merge', f.merge);
  const b = testLine('time to first core review', f.firstCoreReview);
  if (a) lines.push(a);
  if (b) lines.push(b);
  const d = f.difference;
  if (d && d.difference !== null)
    lines.push(
      `  median time to merge "${d.group}" − "${d.reference}": ${d.difference} d [${d.low ?? '?'}–${d.high ?? '?'}] → ${d.verdict === 'inconclusive' ? 'inconclusive' : d.verdict === 'above' ? 'longer' : 'shorter'} (bootstrap over ${d.clusters} owners, ${d.replicates} re-draws${d.failed ? `, ${d.failed} without a median` : ''})`,
    );
  return lines;
}

export function renderWaitsText(r: WaitsView): string {
  const t = r.totals;
  const lines = [
    `Where the time went: ${r.projects.join(', ')}, changes created ${day(r.period.since)} to ${day(r.period.until)}, followed to ${r.now.replace('.000Z', 'Z')}`,
    '',
    ...r.summary.map((s) => `• ${s}`),
    '',
    `Time of the ${r.cohort.total} changes so far (days, summed): waiting on reviewers ${t.reviewersDays}, on authors ${t.authorDays}, on CI ${t.ciDays}, work in progress ${t.wipDays}, of ${t.followDays} in all.`,
    `Medians, days [95% CI] (open changes censored): to merge ${et(r.overall.toMerge)} (abandonment competing); first human review ${et(r.overall.firstHumanReview)}; first core review ${et(r.overall.firstCoreReview)}`,
    '',
    'By factor: n changes of the cohort, merged and still open; median days to merge (cumulative incidence) and to the first core review (Kaplan–Meier) [95% CI];',
    'hazard ratios [95% CI] from the Cox models with every factor together (below 1: slower than the reference group).',
  ];
  for (const f of r.factors) lines.push('', ...factorBlock(f));
  if (r.overlaps.length)
    lines.push(
      '',
      `Overlap between factors (Cramér's V): ${r.overlaps.map((o) => `${o.factors[0]}–${o.factors[1]} ${o.cramersV}`).join(', ')}.`,
    );
  if (r.coreLoadThresholds)
    lines.push(
      '',
      `Core load thirds (changes waiting on reviewers per core, weekly average): low ≤ ${r.coreLoadThresholds.low}, medium ≤ ${r.coreLoadThresholds.high}, high above.`,
    );
  lines.push(
    '',
    `Core team from: ${r.sources.coreTeam}. Gating CI: ${r.sources.gatingCi}.`,
    'Definitions: docs/review-flow.md, "Where the time went"; methods: docs/inference.md. --format json has every change behind each number and the curves; --format csv one row per change.',
  );
  return lines.join('\n') + '\n';
}

export function renderWaitsCsv(r: WaitsView): string {
  const factorNames = r.factors.map((f) => f.factor);
  return toCsv(
    [
      'number',
      'project',
      'branch',
      'owner',
      'outcome',
      'created',
      'closed',
      'follow_days',
      'reviewers_days',
      'author_days',
      'ci_days',
      'wip_days',
      'abandoned_days',
      'first_human_review_days',
      'first_core_review_days',
      'review_follow_days',
      // The factor each change falls in, apart from its own columns (`branch` is both).
      ...factorNames.map((f) => `factor_${f.replace(/ /g, '_')}`),
      'url',
    ],
    r.changes.map((c) => [
      c.number,
      c.project,
      c.branch,
      c.ownerId,
      c.outcome,
      c.created,
      c.closed,
      c.followDays,
      c.reviewersDays,
      c.authorDays,
      c.ciDays,
      c.wipDays,
      c.abandonedDays,
      c.firstHumanReviewDays,
      c.firstCoreReviewDays,
      c.reviewFollowDays,
      ...factorNames.map((f) => c.factors[f]),
      c.url,
    ]),
  );
}

export function renderBandwidthText(r: BandwidthView): string {
  const lines = [
    `Is it bandwidth? ${r.projects.join(', ')}, weeks ${day(r.period.since)} to ${day(r.period.until)}, as of ${r.now.replace('.000Z', 'Z')}`,
    '',
    ...r.summary.map((s) => `• ${s}`),
    '',
    `  ${'week of'.padEnd(12)}${'arrivals'.padStart(9)}${'entries'.padStart(9)}${'exits'.padStart(7)}${'queue@start'.padStart(12)}${'queue avg'.padStart(10)}${'wait d'.padStart(8)}${'λ×W'.padStart(8)}${'waiting@end'.padStart(12)}${'age med'.padStart(8)}${'age p90'.padStart(8)}${'reviews'.padStart(9)}${'core rev.'.padStart(10)}${'cores'.padStart(7)}`,
  ];
  for (const w of r.weeks) {
    lines.push(
      `  ${w.week.padEnd(12)}${String(w.arrivals).padStart(9)}${String(w.queueEntries).padStart(9)}${String(w.queueExits).padStart(7)}${String(w.queueAtStart).padStart(12)}${String(w.queueAverage).padStart(10)}${String(w.meanWaitDays ?? 'n/a').padStart(8)}${String(w.littleLambdaW ?? 'n/a').padStart(8)}${String(w.waitingAtEnd).padStart(12)}${String(w.medianAgeAtEndDays ?? 'n/a').padStart(8)}${String(w.p90AgeAtEndDays ?? 'n/a').padStart(8)}${String(w.reviews).padStart(9)}${String(w.coreReviews ?? 'n/a').padStart(10)}${String(w.cores ?? 'n/a').padStart(7)}`,
    );
  }
  lines.push(
    "Columns: arrivals = patch sets uploaded that need review; entries/exits = times a change started/stopped waiting on reviewers; queue@start = waiting at the week's start; queue avg = waiting on average over the week (Little's L); wait d = mean wait on reviewers of the waits that started in the week, in days (W); λ×W = entries per day × wait d, to compare with queue avg; waiting@end = waiting on reviewers at the week's end; age med = median of how long those had been waiting, unbroken, at the week's end, in days (the age of the queue); age p90 = its 90th percentile; reviews = human reviews; core rev. = by cores; cores = core team size at the week's start.",
  );
  const g = r.regression;
  if (g) {
    lines.push('', `Weekly net queue change (entries − exits) ~ arrivals + core reviews, ${g.weeks} full weeks, Newey–West lag ${g.lag}:`);
    for (const t of g.terms) lines.push(`  ${t.name.padEnd(14)}${String(t.estimate).padStart(9)}  [${t.low} to ${t.high}]  ${t.verdict}`);
  }
  lines.push('', 'Definitions: docs/review-flow.md, "Is it bandwidth?". --format csv gives the weekly table.');
  return lines.join('\n') + '\n';
}

export function renderBandwidthCsv(r: BandwidthView): string {
  return toCsv(
    [
      'week',
      'arrivals',
      'queue_entries',
      'queue_exits',
      'queue_at_start',
      'queue_average',
      'mean_wait_days',
      'little_lambda_w',
      'waiting_at_end',
      'median_age_at_end_days',
      'p90_age_at_end_days',
      'reviews',
      'core_reviews',
      'cores',
    ],
    r.weeks.map((w) => [
      w.week,
      w.arrivals,
      w.queueEntries,
      w.queueExits,
      w.queueAtStart,
      w.queueAverage,
      w.meanWaitDays,
      w.littleLambdaW,
      w.waitingAtEnd,
      w.medianAgeAtEndDays,
      w.p90AgeAtEndDays,
      w.reviews,
      w.coreReviews,
      w.cores,
    ]),
  );
}
