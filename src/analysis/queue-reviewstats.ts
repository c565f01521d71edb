/**
 * `steward queue --compat reviewstats`: reviewstats' `openreviews` figures, computed as its
 * openreviews.py and utils.py compute them, from the store instead of a live `gerrit query`
 * (reproducible on SSH-format data, which carries every patch set's approvals):
 *
 * - candidates: open changes on branches whose name does not contain "stable";
 * - skipped as work in progress: status not NEW, or any Workflow < 0 approval on the latest patch
 *   set (Gerrit's WIP flag is not looked at);
 * - skipped as approved: a Workflow > 0 approval, or any approval of the legacy Approved label, on
 *   the latest patch set;
 * - waiting on the submitter: the latest patch set has a Code-Review or Verified approval of −1 or
 *   −2 from anyone, CI included; otherwise waiting on reviewers;
 * - a patch set's start: the earliest `grantedOn` among its approvals (all labels, copied ones
 *   included), else its `createdOn`;
 * - age: now − start of the latest patch set; age2: of the first; age3: of the oldest patch set in
 *   the trailing run without a −1 or −2 on any label (0 when the latest has one); whole seconds;
 * - statistics over the changes waiting on reviewers only: the average is the integer division of
 *   the total by the count; quartile q is element `sorted[len × q div 4]` of the ascending list;
 *   "waiting more than M days" counts age ≥ M days; periods print as "D days, H hours, M minutes";
 * - the longest-waiting lists are sorted by age, descending. reviewstats breaks ties in dictionary
 *   order; Steward breaks them by change number.
 *
 * An approval is a voter's final non-zero vote on a label of a patch set (the store keeps every
 * vote; the final one is what Gerrit's `--all-approvals` lists, with its `grantedOn`).
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import { finalVotes, type FinalVote } from './queue-state.js';

export interface ReviewstatsOptions {
  now: Timestamp;
  hostUrls: ReadonlyMap<string, string | null>;
  /** reviewstats `--waiting-more` (default 7). */
  waitingMoreDays?: number;
  /** reviewstats `--longest-waiting` (default 5). */
  longestWaiting?: number;
  /** reviewstats `--stable`: include branches containing "stable". */
  includeStable?: boolean;
}

export interface ReviewstatsAgeStats {
  /** Seconds, or null for no changes (reviewstats prints 0). */
  averageSeconds: number | null;
  q1Seconds: number | null;
  medianSeconds: number | null;
  q3Seconds: number | null;
  /** The same as reviewstats prints them. */
  average: string;
  q1: string;
  median: string;
  q3: string;
}

export interface ReviewstatsEntry {
  number: number;
  project: string;
  seconds: number;
  period: string;
  url: string | null;
  subject: string;
}

export interface QueueReviewstatsReport {
  compat: 'reviewstats';
  now: string;
  totalOpenReviews: number;
  waitingOnSubmitter: number;
  waitingOnReviewer: number;
  skipped: { stable: number; workInProgress: number; approved: number };
  latestRevision: ReviewstatsAgeStats & { waitingMoreThan: { days: number; count: number } };
  lastWithoutNack: ReviewstatsAgeStats;
  firstRevision: ReviewstatsAgeStats;
  longestWaitingLatest: ReviewstatsEntry[];
  longestWaitingWithoutNack: ReviewstatsEntry[];
  oldest: ReviewstatsEntry[];
  /** Change numbers behind the counts. */
  changes: { waitingOnReviewer: number[]; waitingOnSubmitter: number[] };
}

/** reviewstats' sec_to_period_string. */
export function periodString(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor(seconds / 3600) - d * 24;
  const m = Math.floor(seconds / 60) - d * 24 * 60 - h * 60;
  return `${d} days, ${h} hours, ${m} minutes`;
}

const seconds = (t: Timestamp): number => Math.floor(t / 1000);

/** The approvals Gerrit would list for a patch set at `now`. */
function approvals(c: FlowChange, patchSet: number, now: Timestamp): FinalVote[] {
  return finalVotes(c.votes, patchSet, now);
}

function ageOfPatch(c: FlowChange, patchSet: { number: number; created: Timestamp }, now: Timestamp): number {
  const a = approvals(c, patchSet.number, now);
  const start = a.length ? Math.min(...a.map((x) => x.at)) : patchSet.created;
  return seconds(now) - seconds(start);
}

interface Row {
  c: FlowChange;
  age: number;
  age2: number;
  age3: number;
}

function ageStats(rows: readonly Row[], key: 'age' | 'age2' | 'age3'): ReviewstatsAgeStats {
  if (rows.length === 0)
    return { averageSeconds: null, q1Seconds: null, medianSeconds: null, q3Seconds: null, average: '0', q1: '0', median: '0', q3: '0' };
  const total = rows.reduce((s, r) => s + r[key], 0);
  const avg = Math.floor(total / rows.length);
  const asc = [...rows].sort((a, b) => a[key] - b[key] || a.c.number - b.c.number);
  const q = (k: number): number => asc[Math.floor((rows.length * k) / 4)]![key];
  return {
    averageSeconds: avg,
    q1Seconds: q(1),
    medianSeconds: q(2),
    q3Seconds: q(3),
    average: periodString(avg),
    q1: periodString(q(1)),
    median: periodString(q(2)),
    q3: periodString(q(3)),
  };
}

/** Computes reviewstats' openreviews figures. Pure. */
export function computeReviewstatsQueue(changes: readonly FlowChange[], opts: ReviewstatsOptions): QueueReviewstatsReport {
  const now = opts.now;
  const longest = opts.longestWaiting ?? 5;
  const more = opts.waitingMoreDays ?? 7;
  const skipped = { stable: 0, workInProgress: 0, approved: 0 };
  const onReviewer: Row[] = [];
  const onSubmitter: Row[] = [];
  for (const c of changes) {
    const open =
      c.created <= now &&
      !(c.mergedAt !== null && c.mergedAt <= now) &&
      !(c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt <= now);
    const sets = c.patchSets.filter((p) => p.created <= now);
    if (!open || sets.length === 0) continue;
    if (!opts.includeStable && c.branch.includes('stable')) {
      skipped.stable += 1;
      continue;
    }
    const latest = sets[sets.length - 1]!;
    const latestApprovals = approvals(c, latest.number, now);
    // The store's status is as of now: a change open at a past `now` was NEW then.
    if (latestApprovals.some((a) => a.label === 'Workflow' && a.value < 0)) {
      skipped.workInProgress += 1;
      continue;
    }
    if (latestApprovals.some((a) => a.label === 'Approved' || (a.label === 'Workflow' && a.value > 0))) {
      skipped.approved += 1;
      continue;
    }
    const nacked = latestApprovals.some((a) => (a.label === 'Code-Review' || a.label === 'Verified') && (a.value === -1 || a.value === -2));
    let oldest: { number: number; created: Timestamp } | null = null;
    for (let i = sets.length - 1; i >= 0; i--) {
      if (approvals(c, sets[i]!.number, now).some((a) => a.value === -1 || a.value === -2)) break;
      oldest = sets[i]!;
    }
    const row: Row = {
      c,
      age: ageOfPatch(c, latest, now),
      age2: ageOfPatch(c, sets[0]!, now),
      age3: oldest ? ageOfPatch(c, oldest, now) : 0,
    };
    (nacked ? onSubmitter : onReviewer).push(row);
  }
  const desc = (key: 'age' | 'age2' | 'age3'): ReviewstatsEntry[] =>
    [...onReviewer]
      .sort((a, b) => b[key] - a[key] || a.c.number - b.c.number)
      .slice(0, longest)
      .map((r) => ({
        number: r.c.number,
        project: r.c.project,
        seconds: r[key],
        period: periodString(r[key]),
        url: changeUrl(opts.hostUrls.get(r.c.host), r.c.project, r.c.number),
        subject: r.c.subject,
      }));
  return {
    compat: 'reviewstats',
    now: new Date(now).toISOString(),
    totalOpenReviews: onReviewer.length + onSubmitter.length,
    waitingOnSubmitter: onSubmitter.length,
    waitingOnReviewer: onReviewer.length,
    skipped,
    latestRevision: {
      ...ageStats(onReviewer, 'age'),
      waitingMoreThan: { days: more, count: onReviewer.filter((r) => r.age >= more * 86_400).length },
    },
    lastWithoutNack: ageStats(onReviewer, 'age3'),
    firstRevision: ageStats(onReviewer, 'age2'),
    longestWaitingLatest: desc('age'),
    longestWaitingWithoutNack: desc('age3'),
    oldest: desc('age2'),
    changes: {
      waitingOnReviewer: onReviewer.map((r) => r.c.number).sort((a, b) => a - b),
      waitingOnSubmitter: onSubmitter.map((r) => r.c.number).sort((a, b) => a - b),
    },
  };
}
