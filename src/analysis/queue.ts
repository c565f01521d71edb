/**
 * The open review queue as of `now` (`steward queue`): what every open change waits on (the
 * states of queue-state.ts) and, for the changes waiting on reviewers, how long they have waited.
 *
 * Ages of a change waiting on reviewers, in days:
 * - `sinceLatestPatchSet`: now − creation of its current patch set;
 * - `sinceFirstPatchSet`: now − creation of its first patch set (the change's age);
 * - `sinceLastWithoutNegative`: now − creation of the oldest patch set of the trailing run of patch
 *   sets without negative feedback (no final negative Code-Review or Verified from a human or the
 *   gating CI): rebases and revisions nobody objected to do not restart this clock.
 * Each is summarised as count, mean, p25, median, p75, p90 (stats.ts quantiles), max, the number
 * waiting more than a week (> 7 days) and the longest waiting.
 *
 * Also: open changes never reviewed by a human (no review as reviews.ts defines it, on any patch
 * set; work in progress left out), and changes waiting on reviewers whose current patch set has
 * exactly one human Code-Review +2 ("one +2 short").
 */
import type { FlowChange } from '../model/flow.js';
import { changeUrl } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import {
  changeReviews,
  hasNegativeFeedback,
  situationAt,
  sortSmall,
  type FlowContext,
  type FlowState,
  type Situation,
} from './queue-state.js';
import { DAY_MS, distribution, round } from './stats.js';

export interface QueueOptions {
  now: Timestamp;
  /** Host name → web URL, for links. */
  hostUrls: ReadonlyMap<string, string | null>;
  /** How many of the longest waiting to list (default 5). */
  longest?: number;
}

export interface QueueEntry {
  number: number;
  project: string;
  branch: string;
  subject: string;
  url: string | null;
  /** The age the list is sorted by, in days. */
  days: number;
}

export interface AgeStats {
  count: number;
  meanDays: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  maxDays: number | null;
  moreThanWeek: { count: number; changes: number[] };
  longest: QueueEntry[];
}

export interface QueueReport {
  now: string;
  open: number;
  states: {
    reviewers: { count: number; changes: number[] };
    author: { count: number; negativeReview: number; ciFailedOnly: number; blocked: number; changes: number[] };
    ci: { count: number; changes: number[] };
    approved: { count: number; changes: number[] };
    wip: { count: number; flag: number; workflow: number; changes: number[] };
  };
  waitingOnReviewers: {
    sinceLatestPatchSet: AgeStats;
    sinceFirstPatchSet: AgeStats;
    sinceLastWithoutNegative: AgeStats;
  };
  neverReviewed: { count: number; changes: number[]; oldest: QueueEntry[] };
  onePlusTwoShort: { count: number; changes: number[]; longest: QueueEntry[] };
}

/** A change's flow as of `now`, with the ages the queue reports. */
export interface OpenChangeFlow {
  change: FlowChange;
  situation: Situation;
  state: FlowState;
  /** Ages in ms (see the module comment); null unless waiting on reviewers. */
  ages: { latest: number; first: number; withoutNegative: number } | null;
}

/**
 * Age of the oldest patch set in the trailing run without negative feedback, as of `now`; 0 when
 * the current patch set has negative feedback.
 */
export function sinceLastWithoutNegative(c: FlowChange, ctx: FlowContext, now: Timestamp): number {
  const sets = sortSmall(
    c.patchSets.filter((p) => p.created <= now),
    (a, b) => b.number - a.number,
  );
  let oldest: Timestamp | null = null;
  for (const p of sets) {
    if (hasNegativeFeedback(c.votes, p.number, now, ctx)) break;
    oldest = p.created;
  }
  return oldest === null ? 0 : now - oldest;
}

/**
 * Whether a human other than the owner ever reviewed the change (reviews.ts): a cheap yes when
 * such a person voted, else the full definition over votes and comments.
 */
export function everReviewed(c: FlowChange, ctx: FlowContext): boolean {
  if (c.votes.some((v) => !v.copied && v.voterId !== c.ownerId && !ctx.isBot(v.voterId))) return true;
  return changeReviews(c, ctx.isBot).reviews.length > 0;
}

/** The situation of every change at `now` (queue-state.ts), keeping the open ones with their ages. */
export function openChangeFlows(changes: readonly FlowChange[], ctx: FlowContext, now: Timestamp): OpenChangeFlow[] {
  const out: OpenChangeFlow[] = [];
  for (const c of changes) {
    if (c.created > now) continue;
    const situation = situationAt(c, ctx, now);
    const state = situation.state;
    if (state === 'closed') continue;
    const ages =
      state === 'reviewers'
        ? {
            latest: now - (situation.patchSetCreated ?? c.created),
            first: now - (c.patchSets[0]?.created ?? c.created),
            withoutNegative: sinceLastWithoutNegative(c, ctx, now),
          }
        : null;
    out.push({ change: c, situation, state, ages });
  }
  return out;
}

/**
 * Which changes the queue needs more messages for (the loaders bring votes and patch sets only):
 * comments where no human but the owner has voted (a comment-only review decides "never
 * reviewed"), rechecks where the gating CI failed (a pending re-run decides "waiting on CI").
 */
export function queueMessageNeeds(flows: readonly OpenChangeFlow[], ctx: FlowContext): { comments: FlowChange[]; rechecks: FlowChange[] } {
  const comments: FlowChange[] = [];
  const rechecks: FlowChange[] = [];
  for (const f of flows) {
    const c = f.change;
    if (needsComments(c, ctx)) comments.push(c);
    if (needsRechecks(f)) rechecks.push(c);
  }
  return { comments, rechecks };
}

/** Whether the queue needs a change's rechecks ({@link queueMessageNeeds}): the gating CI failed it. */
export function needsRechecks(f: OpenChangeFlow): boolean {
  return f.situation.ci === 'failed';
}

/**
 * Whether the queue needs a change's comments ({@link queueMessageNeeds}): no human but the owner
 * has voted on it. It depends on the votes alone, so the comments can be read before the
 * situations are computed.
 */
export function needsComments(c: FlowChange, ctx: FlowContext): boolean {
  return !c.votes.some((v) => !v.copied && v.voterId !== c.ownerId && !ctx.isBot(v.voterId));
}

const days = (ms: number): number => round(ms / DAY_MS, 2) ?? 0;

/** Computes the queue report. Pure: `flows` from {@link openChangeFlows}. */
export function computeQueue(flows: readonly OpenChangeFlow[], ctx: FlowContext, opts: QueueOptions): QueueReport {
  const longest = opts.longest ?? 5;
  const entry = (c: FlowChange, ms: number): QueueEntry => ({
    number: c.number,
    project: c.project,
    branch: c.branch,
    subject: c.subject,
    url: changeUrl(opts.hostUrls.get(c.host), c.project, c.number),
    days: days(ms),
  });
  const byNumber = (a: OpenChangeFlow, b: OpenChangeFlow) => a.change.number - b.change.number;
  const sorted = [...flows].sort(byNumber);
  const numbers = (list: readonly OpenChangeFlow[]) => list.map((f) => f.change.number);
  // Each state's changes by number, in one pass.
  const byState: Record<FlowState, OpenChangeFlow[]> = { reviewers: [], author: [], ci: [], approved: [], wip: [] };
  for (const f of sorted) byState[f.state].push(f);
  const reviewers = byState.reviewers;
  const author = byState.author;
  const wip = byState.wip;

  const ageStats = (pick: (f: OpenChangeFlow) => number): AgeStats => {
    const values = reviewers.map((f) => pick(f) / DAY_MS);
    const d = distribution(values);
    // Longest first (ties by number): the first `longest` of that order, kept as they come
    // rather than sorting every change for them.
    const order = (a: OpenChangeFlow, b: OpenChangeFlow) => pick(b) - pick(a) || a.change.number - b.change.number;
    const top = topOf(reviewers, longest, order);
    // Over a week, by number: `reviewers` is in number order already.
    const overWeek = reviewers.filter((f) => pick(f) > 7 * DAY_MS);
    return {
      count: d.count,
      meanDays: round(d.mean),
      p25: round(d.p25),
      median: round(d.median),
      p75: round(d.p75),
      p90: round(d.p90),
      maxDays: round(d.max),
      moreThanWeek: { count: overWeek.length, changes: numbers(overWeek).sort((a, b) => a - b) },
      longest: top.map((f) => entry(f.change, pick(f))),
    };
  };

  const never = sorted
    .filter((f) => f.state !== 'wip' && !everReviewed(f.change, ctx))
    .sort((a, b) => a.change.created - b.change.created || a.change.number - b.change.number);
  const oneShort = sorted
    .filter((f) => (f.state === 'reviewers' || f.state === 'ci') && oneVoter(f.situation.plusTwos))
    .map((f) => ({ f, since: earliest(f.situation.plusTwos) }))
    .sort((a, b) => a.since - b.since || a.f.change.number - b.f.change.number);

  return {
    now: new Date(opts.now).toISOString(),
    open: flows.length,
    states: {
      reviewers: { count: reviewers.length, changes: numbers(reviewers) },
      author: {
        count: author.length,
        negativeReview: author.filter((f) => f.situation.negativeReviewers.length > 0).length,
        ciFailedOnly: author.filter((f) => f.situation.negativeReviewers.length === 0).length,
        blocked: author.filter((f) => f.situation.blocked).length,
        changes: numbers(author),
      },
      ci: { count: byState.ci.length, changes: numbers(byState.ci) },
      approved: { count: byState.approved.length, changes: numbers(byState.approved) },
      wip: {
        count: wip.length,
        flag: wip.filter((f) => f.situation.wip === 'flag').length,
        workflow: wip.filter((f) => f.situation.wip === 'workflow').length,
        changes: numbers(wip),
      },
    },
    waitingOnReviewers: {
      sinceLatestPatchSet: ageStats((f) => f.ages!.latest),
      sinceFirstPatchSet: ageStats((f) => f.ages!.first),
      sinceLastWithoutNegative: ageStats((f) => f.ages!.withoutNegative),
    },
    neverReviewed: {
      count: never.length,
      changes: numbers(never).sort((a, b) => a - b),
      oldest: never.slice(0, longest).map((f) => entry(f.change, opts.now - f.change.created)),
    },
    onePlusTwoShort: {
      count: oneShort.length,
      changes: oneShort.map((x) => x.f.change.number).sort((a, b) => a - b),
      longest: oneShort.slice(0, longest).map((x) => entry(x.f.change, opts.now - x.since)),
    },
  };
}

/** Whether the +2s are all one person's (and there is one). */
function oneVoter(plusTwos: ReadonlyArray<{ voterId: number }>): boolean {
  return plusTwos.length > 0 && plusTwos.every((p) => p.voterId === plusTwos[0]!.voterId);
}

function earliest(plusTwos: ReadonlyArray<{ at: number }>): number {
  let t = Number.POSITIVE_INFINITY;
  for (const p of plusTwos) if (p.at < t) t = p.at;
  return t;
}

/**
 * The first `k` of `list` in the order `cmp` (stable, as `[...list].sort(cmp).slice(0, k)`), in
 * one pass: each element goes after those that sort before it or equal to it.
 */
function topOf<T>(list: readonly T[], k: number, cmp: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  if (k <= 0) return top;
  for (const x of list) {
    if (top.length === k && cmp(top[k - 1]!, x) <= 0) continue;
    let i = top.length;
    while (i > 0 && cmp(top[i - 1]!, x) > 0) i--;
    top.splice(i, 0, x);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Every entry list in a report, for filling subjects after the fact (`fillSubjects`). */
export function queueEntries(r: QueueReport): QueueEntry[] {
  const w = r.waitingOnReviewers;
  return [
    ...w.sinceLatestPatchSet.longest,
    ...w.sinceFirstPatchSet.longest,
    ...w.sinceLastWithoutNegative.longest,
    ...r.neverReviewed.oldest,
    ...r.onePlusTwoShort.longest,
  ];
}

/** The queue in short, for the overview (docs/review-flow.md "Review queue"). */
export interface QueueSummary {
  open: number;
  reviewers: number;
  author: number;
  ci: number;
  approved: number;
  wip: number;
  /** Median days since the latest patch set / since the last patch set without negative feedback, of changes waiting on reviewers. */
  medianDaysSinceLatestPatchSet: number | null;
  medianDaysWithoutNegative: number | null;
  waitingMoreThanWeek: number;
  neverReviewed: number;
  onePlusTwoShort: number;
}

export function summarizeQueue(q: QueueReport): QueueSummary {
  const w = q.waitingOnReviewers;
  return {
    open: q.open,
    reviewers: q.states.reviewers.count,
    author: q.states.author.count,
    ci: q.states.ci.count,
    approved: q.states.approved.count,
    wip: q.states.wip.count,
    medianDaysSinceLatestPatchSet: w.sinceLatestPatchSet.median,
    medianDaysWithoutNegative: w.sinceLastWithoutNegative.median,
    waitingMoreThanWeek: w.sinceLatestPatchSet.moreThanWeek.count,
    neverReviewed: q.neverReviewed.count,
    onePlusTwoShort: q.onePlusTwoShort.count,
  };
}
