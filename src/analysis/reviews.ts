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
