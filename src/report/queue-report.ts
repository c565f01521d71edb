/**
 * `steward queue` as text and CSV (JSON is the report object itself): the open queue, reviewstats'
 * openreviews layout, and the ranked trivial queue.
 */
import type { AgeStats, QueueEntry, QueueReport, QueueSummary } from '../analysis/queue.js';
import type { ReviewstatsAgeStats, ReviewstatsEntry, QueueReviewstatsReport } from '../analysis/queue-reviewstats.js';
import type { TrivialReport } from '../analysis/queue-trivial.js';
import { toCsv } from './csv.js';

interface Sources {
  config: string;
  coreTeam: string;
  bots: string;
  gatingCi: string;
}

/** `steward queue --format json`: the queue (default), reviewstats' `openreviews` (`--compat reviewstats`) or the trivial queue (`--trivial`). */
export type QueueView = QueueStateView | QueueReviewstatsView | QueueTrivialView;
export type QueueStateView = { kind: 'queue'; projects: string[]; branches: string[] | null; sources: Sources } & QueueReport;
export type QueueReviewstatsView = { kind: 'reviewstats'; projects: string[] } & QueueReviewstatsReport;
export type QueueTrivialView = { kind: 'trivial'; projects: string[]; sources: Sources } & TrivialReport;

const num = (x: number | null): string => (x === null ? 'n/a' : String(x));
const stamp = (iso: string): string => iso.replace('.000Z', 'Z');

/** Days as "3d 04h" (hours kept), for lists. */
export function dayHours(days: number): string {
  const totalHours = Math.round(days * 24);
  const d = Math.floor(totalHours / 24);
  const h = totalHours - d * 24;
  return `${d}d ${String(h).padStart(2, '0')}h`;
}

function entryLine(e: QueueEntry): string {
  return `    ${String(e.number).padStart(8)}  ${dayHours(e.days).padStart(9)}  ${e.subject.slice(0, 60).padEnd(60)}  ${e.url ?? `${e.project} ${e.number}`}`;
}

function statsRow(label: string, s: AgeStats): string {
  const cols = [s.meanDays, s.p25, s.median, s.p75, s.p90, s.maxDays].map((x) => num(x).padStart(7));
  return `  ${label.padEnd(44)}${cols.join('')}${String(s.moreThanWeek.count).padStart(9)}`;
}

export function renderQueueText(r: Extract<QueueView, { kind: 'queue' }>): string {
  const s = r.states;
  const w = r.waitingOnReviewers;
  const lines = [
    `Review queue of ${r.projects.join(', ') || '(no projects)'}${r.branches ? ` (branches ${r.branches.join(', ')})` : ''} as of ${stamp(r.now)}: ${r.open} open changes`,
    '',
    `  waiting on reviewers      ${String(s.reviewers.count).padStart(6)}`,
    `  waiting on the author     ${String(s.author.count).padStart(6)}   (negative review ${s.author.negativeReview}, failed CI only ${s.author.ciFailedOnly}; blocked by a -2: ${s.author.blocked})`,
    `  waiting on CI             ${String(s.ci.count).padStart(6)}   (no result yet on the latest patch set)`,
    `  approved, waiting to merge${String(s.approved.count).padStart(6)}`,
    `  work in progress          ${String(s.wip.count).padStart(6)}   (WIP flag ${s.wip.flag}, Workflow -1 ${s.wip.workflow})`,
    '',
    `Waiting on reviewers (${s.reviewers.count} changes), in days:`,
    `  ${''.padEnd(44)}${['mean', 'p25', 'median', 'p75', 'p90', 'max'].map((x) => x.padStart(7)).join('')}${'> 1 week'.padStart(9)}`,
    statsRow('since the latest patch set', w.sinceLatestPatchSet),
    statsRow('since the first patch set', w.sinceFirstPatchSet),
    statsRow('since the last patch set without negative', w.sinceLastWithoutNegative),
  ];
  const list = (title: string, entries: QueueEntry[]) => {
    if (!entries.length) return;
    lines.push('', title);
    for (const e of entries) lines.push(entryLine(e));
  };
  list('Longest waiting since the latest patch set:', w.sinceLatestPatchSet.longest);
  list('Longest waiting since the last patch set without negative feedback:', w.sinceLastWithoutNegative.longest);
  list('Oldest (since the first patch set):', w.sinceFirstPatchSet.longest);
  lines.push('', `Never reviewed by a human (work in progress left out): ${r.neverReviewed.count}`);
  for (const e of r.neverReviewed.oldest) lines.push(entryLine(e));
  lines.push('', `One +2 short (one Code-Review +2, waiting for a second): ${r.onePlusTwoShort.count}`);
  for (const e of r.onePlusTwoShort.longest) lines.push(entryLine(e));
  lines.push(
    '',
    `Core team from: ${r.sources.coreTeam}. Bots: ${r.sources.bots}. Gating CI: ${r.sources.gatingCi}.`,
    'Definitions: docs/review-flow.md, section "Review queue". Use --format json for every change number behind the counts.',
  );
  return lines.join('\n') + '\n';
}

// ---- reviewstats openreviews layout ---------------------------------------------------------

function rsStats(title: string, st: ReviewstatsAgeStats, extra?: string): string[] {
  const out = [
    `--> ${title}: `,
    `----> Average wait time: ${st.average}`,
    `----> 1st quartile wait time: ${st.q1}`,
    `----> Median wait time: ${st.median}`,
    `----> 3rd quartile wait time: ${st.q3}`,
  ];
  if (extra) out.push(`----> ${extra}`);
  return out;
}

function rsList(title: string, list: ReviewstatsEntry[]): string[] {
  return [`--> ${title}: `, ...list.map((e) => `----> ${e.period} ${e.url ?? e.number} (${e.subject})`)];
}

export function renderReviewstatsText(r: Extract<QueueView, { kind: 'reviewstats' }>): string {
  const lines = [
    `> Projects: [${r.projects.map((p) => `'${p}'`).join(', ')}]`,
    `--> Total Open Reviews: ${r.totalOpenReviews}`,
    `--> Waiting on Submitter: ${r.waitingOnSubmitter}`,
    `--> Waiting on Reviewer: ${r.waitingOnReviewer}`,
    ...rsStats(
      'Stats since the latest revision',
      r.latestRevision,
      `Number waiting more than ${r.latestRevision.waitingMoreThan.days} days: ${r.latestRevision.waitingMoreThan.count}`,
    ),
    ...rsStats('Stats since the last revision without -1 or -2 ', r.lastWithoutNack),
    ...rsStats('Stats since the first revision (total age)', r.firstRevision),
    ...rsList('Longest waiting reviews (based on latest revision)', r.longestWaitingLatest),
    ...rsList('Longest waiting reviews (based on oldest rev without -1 or -2)', r.longestWaitingWithoutNack),
    ...rsList('Oldest reviews (time since first revision)', r.oldest),
    '',
    `As reviewstats' openreviews computes them (steward queue --compat reviewstats), as of ${stamp(r.now)}; skipped: ${r.skipped.stable} on stable branches, ${r.skipped.workInProgress} work in progress, ${r.skipped.approved} approved.`,
    'Definitions and the differences from Steward\'s own queue: docs/review-flow.md, section "Review queue".',
  ];
  return lines.join('\n') + '\n';
}

// ---- trivial queue ----------------------------------------------------------------------------

export function renderTrivialText(r: Extract<QueueView, { kind: 'trivial' }>): string {
  const lines = [
    `Trivial-fix queue of ${r.projects.join(', ')} as of ${stamp(r.now)}: ${r.queue.length} changes`,
    `(waiting on reviewers, CI passed, no negative feedback, at most ${r.maxDelta} lines, a bug fix or TrivialFix; ranked by days waiting without negative feedback${r.importanceKnown ? ' × bug importance' : '; bug importance not known to Steward'})`,
    '',
  ];
  for (const e of r.queue.slice(0, 50)) {
    lines.push(
      `  ${String(e.rank).padStart(4)}. ${String(e.number).padStart(8)}  ${dayHours(e.waitingDays).padStart(9)}  ${String(e.delta).padStart(4)} lines  ${e.why.join('+').padEnd(19)} ${e.subject.slice(0, 50).padEnd(50)}  ${e.url ?? ''}`,
    );
  }
  if (r.queue.length > 50) lines.push(`  … ${r.queue.length - 50} more (--format json lists them all)`);
  lines.push('', `Cleared (merged) ${r.cleared.since.slice(0, 10)} to ${r.cleared.until.slice(0, 10)}: ${r.cleared.total}`);
  for (const w of r.cleared.byWeek) lines.push(`  week of ${w.week}  ${String(w.count).padStart(4)}`);
  if (r.cleared.byReviewer.length) {
    lines.push('  by whom (the approver, else the last +2):');
    for (const p of r.cleared.byReviewer) lines.push(`    ${p.reviewer.padEnd(24)} ${String(p.count).padStart(4)}`);
  }
  lines.push('', 'Definitions: docs/review-flow.md, section "Trivial-fix queue".');
  return lines.join('\n') + '\n';
}

/** CSV: the trivial queue as a table; the other views as (metric, value) rows. */
export function renderQueueCsv(r: QueueView): string {
  if (r.kind === 'trivial') {
    return toCsv(
      ['rank', 'number', 'project', 'waiting_days', 'delta', 'why', 'bugs', 'score', 'url', 'subject'],
      r.queue.map((e) => [
        e.rank,
        e.number,
        e.project,
        e.waitingDays,
        e.delta,
        e.why.join('+'),
        e.bugs.join(' '),
        e.score,
        e.url,
        e.subject,
      ]),
    );
  }
  // One row per open change: what it waits on (docs/review-flow.md, "Review queue", CSV).
  if (r.kind === 'reviewstats') {
    const rows = [...r.changes.waitingOnReviewer.map((n) => [n, 'reviewer']), ...r.changes.waitingOnSubmitter.map((n) => [n, 'submitter'])];
    return toCsv(
      ['number', 'waiting_on'],
      rows.sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
  }
  const rows = Object.entries(r.states).flatMap(([state, s]) => s.changes.map((n) => [n, state]));
  return toCsv(
    ['number', 'state'],
    rows.sort((a, b) => (a[0] as number) - (b[0] as number)),
  );
}

/** The overview's queue section (steward queue in short). */
export function renderQueueLines(q: QueueSummary): string[] {
  const d = (x: number | null) => (x === null ? 'n/a' : `${x} d`);
  return [
    '',
    'Review queue (steward queue)',
    `  ${q.open} open: ${q.reviewers} waiting on reviewers, ${q.author} on their authors, ${q.ci} on CI, ${q.approved} approved, ${q.wip} work in progress`,
    `  waiting on reviewers: median ${d(q.medianDaysSinceLatestPatchSet)} since the latest patch set, ${d(q.medianDaysWithoutNegative)} without negative feedback; ${q.waitingMoreThanWeek} more than a week`,
    `  never reviewed ${q.neverReviewed}; one +2 short ${q.onePlusTwoShort}`,
  ];
}
