/**
 * `steward queue --trivial`: the ranked queue of small, safe changes for the "trivial bug monkeys"
 * to clear, and how many such changes were cleared per week and by whom.
 *
 * A trivial-queue change is open and waiting on reviewers (queue-state.ts), its current patch set
 * passed the gating CI (final Verified > 0) and has no negative feedback, it changes at most
 * `maxDelta` lines (insertions + deletions of the latest patch set, default 30), and it fixes a
 * bug (Closes-Bug or Partial-Bug in the commit message, or a bug/N topic) or carries a
 * `TrivialFix` line. Ranked by how long it has waited without negative feedback
 * (queue.ts `sinceLastWithoutNegative`), weighted by the linked bug's importance when Steward knows
 * it (Critical ×4, High ×3, Medium ×2, Low ×1); Steward does not yet store Launchpad bug
 * importances, so the report says the weight is unknown and ranks by waiting time alone.
 *
 * Cleared: a change that merged in the period and meets the static part of the definition (small,
 * and a bug fix or TrivialFix); cleared by the account that approved it (final Workflow +1 on the
 * merged patch set), else by its last Code-Review +2.
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import type { OpenChangeFlow } from './queue.js';
import { finalVotes, type FlowContext } from './queue-state.js';
import { DAY_MS, round } from './stats.js';

export const DEFAULT_TRIVIAL_MAX_DELTA = 30;

/** A bug's importance as the trivial queue weighs it (Launchpad's, without 'Unknown'). */
export type TrivialBugImportance = 'Critical' | 'High' | 'Medium' | 'Low' | 'Wishlist' | 'Undecided';

const IMPORTANCE_WEIGHT: Record<TrivialBugImportance, number> = { Critical: 4, High: 3, Medium: 2, Low: 1, Wishlist: 1, Undecided: 1 };

export interface TrivialOptions {
  now: Timestamp;
  /** The clearance history's period [since, until). */
  since: Timestamp;
  until: Timestamp;
  maxDelta?: number;
  hostUrls: ReadonlyMap<string, string | null>;
  /** Importance of a bug number, when known. */
  bugImportance?: (bug: string) => TrivialBugImportance | null;
  /** Store id → display name. */
  nameOf: (accountId: number) => string;
}

export interface TrivialEntry {
  rank: number;
  number: number;
  project: string;
  subject: string;
  url: string | null;
  delta: number;
  why: Array<'TrivialFix' | 'bug fix'>;
  bugs: string[];
  bugImportance: TrivialBugImportance | null;
  waitingDays: number;
  score: number;
}

export interface TrivialReport {
  now: string;
  maxDelta: number;
  importanceKnown: boolean;
  queue: TrivialEntry[];
  cleared: {
    since: string;
    until: string;
    total: number;
    byWeek: Array<{ week: string; count: number; changes: number[] }>;
    byReviewer: Array<{ reviewer: string; count: number; changes: number[] }>;
  };
}

/** Bugs a change fixes: Closes-Bug and Partial-Bug lines, and a bug/N topic. */
export function fixedBugs(c: FlowChange): string[] {
  return [
    ...new Set(c.links.filter((l) => l.kind === 'closes-bug' || l.kind === 'partial-bug' || l.kind === 'topic-bug').map((l) => l.target)),
  ];
}

/** The static part of the definition: small, and a bug fix or TrivialFix. Needs details loaded. */
export function isTrivialKind(c: FlowChange, maxDelta: number): boolean {
  return c.insertions + c.deletions <= maxDelta && (c.trivialFix || fixedBugs(c).length > 0);
}

/** Open changes that may qualify before details are loaded (state, CI and size). */
export function trivialCandidates(flows: readonly OpenChangeFlow[], maxDelta: number): OpenChangeFlow[] {
  return flows.filter(
    (f) => f.state === 'reviewers' && f.situation.ci === 'passed' && f.change.insertions + f.change.deletions <= maxDelta,
  );
}

/** Monday 00:00 UTC of the week containing t. */
export function weekStart(t: Timestamp): Timestamp {
  const day = Math.floor(t / DAY_MS);
  // Days since Monday: day 0 (1 January 1970) was a Thursday (no Date needed: this runs per event).
  const dow = (((day + 3) % 7) + 7) % 7;
  return (day - dow) * DAY_MS;
}

/** Who cleared a merged change: its approver (final Workflow/Approved +1), else its last +2. */
export function clearedBy(c: FlowChange, ctx: FlowContext): number | null {
  const last = c.patchSets[c.patchSets.length - 1];
  if (!last) return null;
  const final = finalVotes(c.votes, last.number);
  const approver = final
    .filter((v) => (v.label === 'Workflow' || v.label === 'Approved') && v.value > 0 && !ctx.isBot(v.voterId))
    .sort((a, b) => b.at - a.at)[0];
  if (approver) return approver.voterId;
  const plusTwo = final.filter((v) => v.label === 'Code-Review' && v.value >= 2 && !ctx.isBot(v.voterId)).sort((a, b) => b.at - a.at)[0];
  return plusTwo?.voterId ?? null;
}

/** Computes the trivial queue. `candidates` from {@link trivialCandidates} with details loaded; `merged` the period's merged changes with details. */
export function computeTrivialQueue(
  candidates: readonly OpenChangeFlow[],
  merged: readonly FlowChange[],
  ctx: FlowContext,
  opts: TrivialOptions,
): TrivialReport {
  const maxDelta = opts.maxDelta ?? DEFAULT_TRIVIAL_MAX_DELTA;
  const importanceOf = (c: FlowChange): TrivialBugImportance | null => {
    let best: TrivialBugImportance | null = null;
    for (const b of fixedBugs(c)) {
      const i = opts.bugImportance?.(b) ?? null;
      if (i && (!best || IMPORTANCE_WEIGHT[i] > IMPORTANCE_WEIGHT[best])) best = i;
    }
    return best;
  };
  const rows = candidates
    .filter((f) => isTrivialKind(f.change, maxDelta) && f.situation.negativeReviewers.length === 0)
    .map((f) => {
      const c = f.change;
      const waiting = f.ages?.withoutNegative ?? 0;
      const importance = importanceOf(c);
      const why: TrivialEntry['why'] = [];
      if (c.trivialFix) why.push('TrivialFix');
      if (fixedBugs(c).length) why.push('bug fix');
      return {
        number: c.number,
        project: c.project,
        subject: c.subject,
        url: changeUrl(opts.hostUrls.get(c.host), c.project, c.number),
        delta: c.insertions + c.deletions,
        why,
        bugs: fixedBugs(c),
        bugImportance: importance,
        waitingDays: round(waiting / DAY_MS, 2) ?? 0,
        score: round((waiting / DAY_MS) * (importance ? IMPORTANCE_WEIGHT[importance] : 1), 2) ?? 0,
      };
    })
    .sort((a, b) => b.score - a.score || a.number - b.number)
    .map((r, i) => ({ rank: i + 1, ...r }));

  const cleared = merged.filter(
    (c) => c.mergedAt !== null && c.mergedAt >= opts.since && c.mergedAt < opts.until && isTrivialKind(c, maxDelta),
  );
  const weeks = new Map<number, number[]>();
  for (let w = weekStart(opts.since); w < opts.until; w += 7 * DAY_MS) weeks.set(w, []);
  const people = new Map<string, number[]>();
  for (const c of cleared.sort((a, b) => a.number - b.number)) {
    weeks.get(weekStart(c.mergedAt!))?.push(c.number);
    const who = clearedBy(c, ctx);
    const name = who === null ? '(unknown)' : opts.nameOf(who);
    let l = people.get(name);
    if (!l) people.set(name, (l = []));
    l.push(c.number);
  }
  return {
    now: new Date(opts.now).toISOString(),
    maxDelta,
    importanceKnown: opts.bugImportance !== undefined,
    queue: rows,
    cleared: {
      since: new Date(opts.since).toISOString(),
      until: new Date(opts.until).toISOString(),
      total: cleared.length,
      byWeek: [...weeks.entries()].map(([w, list]) => ({
        week: new Date(w).toISOString().slice(0, 10),
        count: list.length,
        changes: list,
      })),
      byReviewer: [...people.entries()]
        .map(([reviewer, list]) => ({ reviewer, count: list.length, changes: list }))
        .sort((a, b) => b.count - a.count || a.reviewer.localeCompare(b.reviewer)),
    },
  };
}
