/**
 * `steward waits` and `steward waits --bandwidth` as text and CSV (JSON is the report object).
 */
import type { BandwidthReport } from '../analysis/bandwidth.js';
import type { FactorResult, WaitsReport } from '../analysis/waits.js';
import type { MedianCi } from '../analysis/waits-stats.js';
import { toCsv } from './csv.js';

interface Sources {
  config: string;
  coreTeam: string;
  bots: string;
  gatingCi: string;
}

export type WaitsView = { kind: 'waits'; projects: string[]; sources: Sources } & WaitsReport;
export type BandwidthView = { kind: 'bandwidth'; projects: string[]; period: WaitsReport['period']; now: string; sources: Sources } & BandwidthReport;

const mci = (m: MedianCi): string => (m.median === null ? 'n/a' : `${m.median}${m.low !== null ? ` [${m.low}–${m.high}]` : ''}`);
const day = (iso: string): string => iso.slice(0, 10);

function factorBlock(f: FactorResult): string[] {
  const lines = [`${f.factor}${f.note ? ` — ${f.note}` : ''}`];
  if (f.groups.length === 0) return [...lines, '  (no changes)'];
  lines.push(`  ${'group'.padEnd(28)}${'n'.padStart(6)}  ${'on reviewers'.padEnd(22)}${'on author'.padEnd(22)}${'to merge (KM median)'.padEnd(22)}first human review`);
  for (const g of f.groups) {
    lines.push(
      `  ${g.group.slice(0, 27).padEnd(28)}${String(g.n).padStart(6)}  ${mci(g.medians.reviewersDays).padEnd(22)}${mci(g.medians.authorDays).padEnd(22)}${(g.survival.medianDays === null ? 'not reached' : `${g.survival.medianDays} d`).padEnd(22)}${mci(g.medians.firstHumanReviewDays)}`,
    );
  }
  const c = f.comparison;
  if (c) lines.push(`  → ${c.clear ? 'clear difference' : 'within noise'}: "${c.highest.group}" ${c.highest.median} d vs "${c.lowest.group}" ${c.lowest.median} d on reviewers (${c.differenceDays} d${c.ratio ? `, ${c.ratio}×` : ''})`);
  return lines;
}

export function renderWaitsText(r: WaitsView): string {
  const t = r.totals;
  const lines = [
    `Where the time went: ${r.projects.join(', ')}, changes merged or abandoned ${day(r.period.since)} to ${day(r.period.until)}, as of ${r.now.replace('.000Z', 'Z')}`,
    '',
    ...r.summary.map((s) => `• ${s}`),
    '',
    `Time of the ${r.closed.total} closed changes (days, summed): waiting on reviewers ${t.reviewersDays}, on authors ${t.authorDays}, on CI ${t.ciDays}, work in progress ${t.wipDays}, of ${t.lifeDays} in all.`,
    `Medians per change, days [95% CI]: on reviewers ${mci(r.overall.reviewersDays)}, on author ${mci(r.overall.authorDays)}, on CI ${mci(r.overall.ciDays)}, WIP ${mci(r.overall.wipDays)}, life ${mci(r.overall.lifeDays)}`,
    `  first human review ${mci(r.overall.firstHumanReviewDays)}; first core review ${mci(r.overall.firstCoreReviewDays)}`,
    '',
    'By factor: medians in days [95% CI]; "to merge" is the Kaplan–Meier median of changes created in the period (open ones censored).',
  ];
  for (const f of r.factors) lines.push('', ...factorBlock(f));
  if (r.coreLoadThresholds) lines.push('', `Core load thirds (changes waiting on reviewers per core, weekly average): low ≤ ${r.coreLoadThresholds.low}, medium ≤ ${r.coreLoadThresholds.high}, high above.`);
  lines.push(
    '',
    `Core team from: ${r.sources.coreTeam}. Gating CI: ${r.sources.gatingCi}.`,
    'Definitions: README, section "Where the time went". --format json has every change behind each number and the survival curves; --format csv one row per change.',
  );
  return lines.join('\n') + '\n';
}

export function renderWaitsCsv(r: WaitsView): string {
  const factorNames = r.factors.map((f) => f.factor);
  return toCsv(
    ['number', 'project', 'branch', 'outcome', 'created', 'closed', 'life_days', 'reviewers_days', 'author_days', 'ci_days', 'wip_days', 'abandoned_days', 'first_human_review_days', 'first_core_review_days', ...factorNames.map((f) => f.replace(/ /g, '_')), 'url'],
    r.changes.map((c) => [c.number, c.project, c.branch, c.outcome, c.created, c.closed, c.lifeDays, c.reviewersDays, c.authorDays, c.ciDays, c.wipDays, c.abandonedDays, c.firstHumanReviewDays, c.firstCoreReviewDays, ...factorNames.map((f) => c.factors[f]), c.url]),
  );
}

export function renderBandwidthText(r: BandwidthView): string {
  const lines = [
    `Is it bandwidth? ${r.projects.join(', ')}, weeks ${day(r.period.since)} to ${day(r.period.until)}, as of ${r.now.replace('.000Z', 'Z')}`,
    '',
    ...r.summary.map((s) => `• ${s}`),
    '',
    `  ${'week of'.padEnd(12)}${'arrivals'.padStart(9)}${'entries'.padStart(9)}${'queue@start'.padStart(12)}${'queue avg'.padStart(10)}${'wait d'.padStart(8)}${'λ×W'.padStart(8)}${'reviews'.padStart(9)}${'core rev.'.padStart(10)}${'cores'.padStart(7)}`,
  ];
  for (const w of r.weeks) {
    lines.push(
      `  ${w.week.padEnd(12)}${String(w.arrivals).padStart(9)}${String(w.queueEntries).padStart(9)}${String(w.queueAtStart).padStart(12)}${String(w.queueAverage).padStart(10)}${String(w.meanWaitDays ?? 'n/a').padStart(8)}${String(w.littleLambdaW ?? 'n/a').padStart(8)}${String(w.reviews).padStart(9)}${String(w.coreReviews ?? 'n/a').padStart(10)}${String(w.cores ?? 'n/a').padStart(7)}`,
    );
  }
  lines.push('', 'Definitions: README, section "Is it bandwidth?". --format csv gives the weekly table.');
  return lines.join('\n') + '\n';
}

export function renderBandwidthCsv(r: BandwidthView): string {
  return toCsv(
    ['week', 'arrivals', 'queue_entries', 'queue_at_start', 'queue_average', 'mean_wait_days', 'little_lambda_w', 'reviews', 'core_reviews', 'cores'],
    r.weeks.map((w) => [w.week, w.arrivals, w.queueEntries, w.queueAtStart, w.queueAverage, w.meanWaitDays, w.littleLambdaW, w.reviews, w.coreReviews, w.cores]),
  );
}
