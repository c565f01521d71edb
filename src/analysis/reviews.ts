/**
 * The definition of a "review", used by every report that counts them.
 *
 * A review is one reviewing act on a patch set by a human, dated when it was made:
 * - all of one person's acts on one patch set (votes on any label, vote changes, comment-only
 *   messages) form ONE review, dated by the first act; the final value per label is kept;
 * - votes Gerrit copied to a new patch set (rebases) are not acts and never reviews;
 * - bots (configured in steward.yaml `bots`) never review;
 * - a change owner's acts on their own change are not reviews; their self-votes are counted apart.
 *
 * Reviews in a period ({@link reviewsInPeriod}) are the period's acts grouped into reviews: a
 * review whose acts straddle the period's start counts once, dated by its first act in the period.
 * Every report that counts reviews in a window uses it, so a person's count is the same in each.
 */
import type { ReviewActRecord } from '../model/activity.js';
import type { Timestamp } from '../model/records.js';
import type { TeamActColumns } from '../model/team.js';

export interface Review {
  changeId: number;
  project: string;
  patchSet: number;
  reviewerId: number;
  at: Timestamp;
  /** Final value per label on that patch set (labels voted only). */
  votes: Record<string, number>;
  /** True when the review carries no vote at all (comment-only). */
  commentOnly: boolean;
}

export interface ReviewExtraction {
  reviews: Review[];
  /** Self-votes (owner voting on own change), one per (change, patch set, label) act group. */
  selfVotes: number;
}

/**
 * Groups acts into reviews. `acts` may come in any order; `isBot(accountId)` says who is a bot.
 */
export function extractReviews(acts: readonly ReviewActRecord[], isBot: (accountId: number) => boolean): ReviewExtraction {
  // Compared, not subtracted: a difference of two times is rarely a small integer, and unoptimised
  // code allocates a heap number for every other value (a fresh process sorts 100,000 acts).
  const sorted = [...acts].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  // Grouped by change (small-integer keys keep the Map fast), then found by patch set and
  // reviewer among the change's few reviews.
  const byChange = new Map<number, Review[]>();
  const reviews: Review[] = [];
  const self = new Set<string>();
  // Indexed loops: in a fresh process this code runs unoptimised at first, and there each step of
  // a for…of allocates an iterator result (a report's 100,000 acts: megabytes of garbage).
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    if (isBot(a.actorId)) continue;
    if (a.actorId === a.changeOwnerId) {
      if (a.type === 'vote' && a.label) self.add(`${a.changeId}:${a.patchSet}:${a.label}`);
      continue;
    }
    let list = byChange.get(a.changeId);
    if (!list) byChange.set(a.changeId, (list = []));
    let r: Review | undefined;
    for (let k = 0; k < list.length; k++) if (list[k]!.patchSet === a.patchSet && list[k]!.reviewerId === a.actorId) r = list[k];
    if (!r) {
      r = { changeId: a.changeId, project: a.project, patchSet: a.patchSet, reviewerId: a.actorId, at: a.at, votes: {}, commentOnly: true };
      list.push(r);
      reviews.push(r);
    }
    if (a.type === 'vote' && a.label && a.value !== null) {
      r.votes[a.label] = a.value;
      r.commentOnly = false;
    }
  }
  return { reviews, selfVotes: self.size };
}

/**
 * The reviews in [since, until): the acts in the period grouped into reviews (the one definition of
 * "reviews in a period" every report uses: reviewers, core idle, candidates, load, the overview).
 *
 * @example reviewsInPeriod(acts, isBot, Date.parse('2026-01-01'), Date.parse('2026-04-01')).reviews.length
 */
export function reviewsInPeriod(
  acts: readonly ReviewActRecord[],
  isBot: (accountId: number) => boolean,
  since: Timestamp,
  until: Timestamp,
): ReviewExtraction {
  const inPeriod = acts.every((a) => a.at >= since && a.at < until) ? acts : acts.filter((a) => a.at >= since && a.at < until);
  return extractReviews(inPeriod, isBot);
}

/** A vote without a value, in act columns (a record's `value: null`) and review columns (no such vote). */
export const NO_VALUE = -2147483648;

/**
 * Indexes of acts in time order, equal times in the order given (a stable sort): a natural merge
 * sort, linear for acts read in time order (as the loaders read them), n log n at worst.
 */
export function inTimeOrder(at: ArrayLike<number>, idx: Int32Array): Int32Array {
  // Two buffers merged into each other in turn.
  const n = idx.length;
  let a: Int32Array = idx;
  let b: Int32Array = new Int32Array(n);
  let bounds = [0];
  for (let i = 1; i < n; i++) if (at[a[i]!]! < at[a[i - 1]!]!) bounds.push(i);
  bounds.push(n);
  while (bounds.length > 2) {
    const next = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = r + 2 < bounds.length ? bounds[r + 2]! : mid;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = at[a[j]!]! < at[a[i]!]! ? a[j++]! : a[i++]!;
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
      next.push(hi);
    }
    bounds = next;
    [a, b] = [b, a];
  }
  return a;
}

/**
 * {@link reviewsInPeriod} over act columns, as columns: review r is entry r of each, in the order
 * `reviewsInPeriod` gives them (by first act in time order). No object per act or per review.
 */
export interface ReviewColumns {
  /** How many reviews. */
  length: number;
  /** The review's change: its index in the acts' change columns. */
  change: Int32Array;
  patchSet: Int32Array;
  reviewer: Int32Array;
  /** The review's first act in the period. */
  at: Float64Array;
  /** 1 when the review carries a vote (not comment-only). */
  voted: Uint8Array;
  /** Final values of Code-Review, Workflow and Approved; `NO_VALUE` without one. */
  codeReview: Int32Array;
  workflow: Int32Array;
  approved: Int32Array;
  /** The reviews of a change chained from `head[change]` through `next` (latest first; -1 ends). */
  head: Int32Array;
  next: Int32Array;
  /** Self-votes per person (one per change, patch set and label), and their total. */
  selfVotes: Map<number, number>;
  selfTotal: number;
}

/**
 * The reviews in [since, until) of act columns (a vote on the label '' counts as none): the one
 * definition of {@link reviewsInPeriod}, for the reports that read a window's acts whole.
 *
 * @example reviewColumnsInPeriod(acts, isBot, since, until).length
 */
export function reviewColumnsInPeriod(
  acts: TeamActColumns,
  isBot: (accountId: number) => boolean,
  since: Timestamp,
  until: Timestamp,
): ReviewColumns {
  const { change, patchSet, actorId, at, label, value, labels, changeOwnerId } = acts;
  // The period's acts in time order.
  const picked = new Int32Array(acts.length);
  let m = 0;
  for (let i = 0; i < acts.length; i++) if (at[i]! >= since && at[i]! < until) picked[m++] = i;
  const order = inTimeOrder(at, picked.subarray(0, m));
  // A label named '' is no label (extractReviews takes only named labels).
  const named = labels.map((l) => l !== '');
  const codeOf = (name: string): number => {
    const l = labels.indexOf(name);
    return l < 0 ? -2 : l;
  };
  const CR = codeOf('Code-Review');
  const WF = codeOf('Workflow');
  const AP = codeOf('Approved');
  const rChange = new Int32Array(m);
  const rPatchSet = new Int32Array(m);
  const rReviewer = new Int32Array(m);
  const rAt = new Float64Array(m);
  const rVoted = new Uint8Array(m);
  const rCodeReview = new Int32Array(m).fill(NO_VALUE);
  const rWorkflow = new Int32Array(m).fill(NO_VALUE);
  const rApproved = new Int32Array(m).fill(NO_VALUE);
  const rNext = new Int32Array(m);
  const head = new Int32Array(changeOwnerId.length).fill(-1);
  let total = 0;
  // Self-votes: one per (change, patch set, label) of an owner's votes, counted per person.
  const selfSeen = new Set<number>();
  const selfVotes = new Map<number, number>();
  let selfTotal = 0;
  for (let o = 0; o < m; o++) {
    const i = order[o]!;
    const actor = actorId[i]!;
    if (isBot(actor)) continue;
    const ch = change[i]!;
    const ps = patchSet[i]!;
    const l = label[i]!;
    if (actor === changeOwnerId[ch]) {
      if (l >= 0 && named[l]) {
        const key = (ch * 65_536 + ps) * labels.length + l;
        if (!selfSeen.has(key)) {
          selfSeen.add(key);
          selfVotes.set(actor, (selfVotes.get(actor) ?? 0) + 1);
          selfTotal++;
        }
      }
      continue;
    }
    let r = -1;
    const first = head[ch]!;
    for (let x = first; x >= 0; x = rNext[x]!)
      if (rPatchSet[x] === ps && rReviewer[x] === actor) {
        r = x;
        break;
      }
    if (r < 0) {
      r = total++;
      rChange[r] = ch;
      rPatchSet[r] = ps;
      rReviewer[r] = actor;
      rAt[r] = at[i]!;
      rNext[r] = first;
      head[ch] = r;
    }
    if (l >= 0 && named[l] && value[i] !== NO_VALUE) {
      rVoted[r] = 1;
      if (l === CR) rCodeReview[r] = value[i]!;
      else if (l === WF) rWorkflow[r] = value[i]!;
      else if (l === AP) rApproved[r] = value[i]!;
    }
  }
  return {
    length: total,
    change: rChange,
    patchSet: rPatchSet,
    reviewer: rReviewer,
    at: rAt,
    voted: rVoted,
    codeReview: rCodeReview,
    workflow: rWorkflow,
    approved: rApproved,
    head,
    next: rNext,
    selfVotes,
    selfTotal,
  };
}
