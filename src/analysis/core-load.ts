/**
 * Review bandwidth (`steward core load`): per week, the demand (patch sets needing review) beside
 * the supply (reviews by the cores), how concentrated the cores' work is, and the load per core.
 *
 * Definitions (docs/reviewers-and-core.md, "Core load"):
 * - weeks: 7-day blocks from the window's start (the last one may be shorter; its `days` says so);
 * - patch sets needing review: patch sets uploaded in the week, except those that keep their votes
 *   (trivial rebases, commit-message-only and no-change uploads) and those on bots' changes;
 * - reviews (reviews.ts) in the week; core reviews: those by someone core at the time;
 * - busiest 20% of cores: the ⌈20%⌉ of the people core at some time in the period with the most core
 *   reviews; their share: their core reviews / all reviews in the period;
 * - patch sets per core per month: patch sets needing review / (core-days / 30.4375), core-days being
 *   the person-days of core membership in the period.
 */
import type { Timestamp } from '../model/records.js';
import type { PatchSetUpload, TeamActRecord } from '../model/team.js';
import type { CoreRoster } from './reviewers.js';
import { reviewsInPeriod, type Review } from './reviews.js';
import { DAY_MS, ratio, round } from './stats.js';

/** The patch set kinds that keep their votes: no new review needed. */
export const TRIVIAL_KINDS: ReadonlySet<string> = new Set([
  'TRIVIAL_REBASE',
  'TRIVIAL_REBASE_WITH_MESSAGE_UPDATE',
  'NO_CODE_CHANGE',
  'NO_CHANGE',
  'MERGE_FIRST_PARENT_UPDATE',
]);
const MONTH_DAYS = 30.4375;
const WEEK_MS = 7 * DAY_MS;

export interface LoadInput {
  uploads?: readonly PatchSetUpload[];
  /**
   * Instead of `uploads`: the patch sets needing review per week (index from the window's start:
   * week i is [since + i·7 days, since + (i+1)·7 days)), as the store counts them.
   */
  needingPerWeek?: ReadonlyMap<number, number>;
  acts?: readonly TeamActRecord[];
  /** Instead of `acts`: the window's reviews (reviewsInPeriod), as the store groups them. */
  reviews?: ReadonlyArray<Pick<Review, 'reviewerId' | 'project' | 'at'>>;
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
}

export interface LoadPeriod {
  from: string;
  to: string;
  days: number;
  patchSetsNeedingReview: number;
  reviews: number;
  coreReviews: number;
  /** coreReviews / patchSetsNeedingReview. */
  coreReviewsPerPatchSet: number | null;
  /** People core at some time in the period. */
  cores: number;
  coreDays: number;
  busiestCores: number;
  /** Share of all reviews made by the busiest 20% of cores. */
  busiestShare: number | null;
  patchSetsPerCorePerMonth: number | null;
}

export interface LoadResult {
  period: { since: string; until: string; days: number };
  now: string;
  total: LoadPeriod & { perCore: Array<{ accountId: number; coreReviews: number }> };
  weeks: LoadPeriod[];
}

const iso = (t: Timestamp): string => new Date(t).toISOString();

function period(
  from: number,
  to: number,
  needing: number,
  reviews: ReadonlyArray<Pick<Review, 'reviewerId' | 'project' | 'at'>>,
  input: LoadInput,
): LoadPeriod & { perCore: Array<{ accountId: number; coreReviews: number }> } {
  const inPeriod = reviews.filter((r) => r.at >= from && r.at < to);
  const perCore = new Map<number, number>();
  for (const id of input.roster.membersDuring(from, to)) perCore.set(id, 0);
  let coreReviews = 0;
  for (const r of inPeriod) {
    if (!input.roster.isCoreAt(r.project, r.reviewerId, r.at)) continue;
    coreReviews += 1;
    perCore.set(r.reviewerId, (perCore.get(r.reviewerId) ?? 0) + 1);
  }
  const ranked = [...perCore.entries()]
    .map(([accountId, n]) => ({ accountId, coreReviews: n }))
    .sort((a, b) => b.coreReviews - a.coreReviews || a.accountId - b.accountId);
  const busiest = Math.ceil(0.2 * ranked.length);
  const busiestReviews = ranked.slice(0, busiest).reduce((s, x) => s + x.coreReviews, 0);
  const coreDays = input.roster.coreDays(from, to);
  return {
    from: iso(from),
    to: iso(to),
    days: round((to - from) / DAY_MS, 2) ?? 0,
    patchSetsNeedingReview: needing,
    reviews: inPeriod.length,
    coreReviews,
    coreReviewsPerPatchSet: round(ratio(coreReviews, needing), 3),
    cores: ranked.length,
    coreDays: round(coreDays, 2) ?? 0,
    busiestCores: busiest,
    busiestShare: round(ratio(busiestReviews, inPeriod.length), 4),
    patchSetsPerCorePerMonth: round(ratio(needing, coreDays / MONTH_DAYS), 2),
    perCore: ranked,
  };
}

/**
 * Computes the bandwidth report over [since, until).
 *
 * @example
 * const r = computeCoreLoad({ uploads, acts, isBot, roster }, { since, until, now });
 * r.weeks.map((w) => [w.patchSetsNeedingReview, w.coreReviews]);
 */
export function computeCoreLoad(input: LoadInput, opts: { since: Timestamp; until: Timestamp; now: Timestamp }): LoadResult {
  const { since, until, now } = opts;
  const reviews = input.reviews ?? reviewsInPeriod(input.acts ?? [], input.isBot, since, until).reviews;
  const needingIn = (from: number, to: number): number =>
    input.needingPerWeek
      ? [...input.needingPerWeek].reduce((n, [i, k]) => (since + i * WEEK_MS >= from && since + i * WEEK_MS < to ? n + k : n), 0)
      : (input.uploads ?? []).filter(
          (u) => u.created >= from && u.created < to && !TRIVIAL_KINDS.has(u.kind ?? '') && !input.isBot(u.ownerId),
        ).length;
  const weeks: LoadPeriod[] = [];
  for (let from = since; from < until; from += WEEK_MS) {
    const to = Math.min(until, from + WEEK_MS);
    const { perCore: _perCore, ...w } = period(from, to, needingIn(from, to), reviews, input);
    weeks.push(w);
  }
  return {
    period: { since: iso(since), until: iso(until), days: round((until - since) / DAY_MS, 2) ?? 0 },
    now: iso(now),
    total: period(since, until, needingIn(since, until), reviews, input),
    weeks,
  };
}
