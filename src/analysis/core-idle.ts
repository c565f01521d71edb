/**
 * Idle cores (`steward core idle`): members of the core team whose reviews in the last `days` days
 * are below `threshold`, with the facts a thank-you note needs.
 *
 * Definitions (docs/reviewers-and-core.md, "Idle cores"):
 * - the cores: members of any reported project's core team at `now` (roster, reviewers.ts);
 * - what counts: reviews (reviews.ts) on the reported projects — every review (`reviews`), or only
 *   those with a final Code-Review vote (`code-review`);
 * - count: reviews in [now − days, now);
 * - idle: count < threshold, for a core who was core for the whole window; one who joined within
 *   it is listed apart as too new to judge;
 * - last review: the time of their latest review (any time before `now`);
 * - below since: the moment their rolling count (reviews in the `days` days before a moment) last
 *   fell below the threshold and stayed there; null with `neverReached` when it never reached the
 *   threshold in the history loaded (`historyFrom`);
 * - quarters: reviews in the four 91-day blocks before `now`, oldest first; trend: `falling` when the
 *   latest block is under ⅔ of the mean of the three before it, `rising` when over 1.5×, `steady`
 *   otherwise, `none` without reviews in any.
 */
import type { Timestamp } from '../model/records.js';
import type { CoreReviewTally, TeamActRecord } from '../model/team.js';
import { codeReviewSign, type CoreRoster } from './reviewers.js';
import { extractReviews, reviewsInPeriod } from './reviews.js';
import { DAY_MS } from './stats.js';

export type { CoreReviewTally };

export interface IdleRule {
  threshold: number;
  days: number;
  counts: 'reviews' | 'code-review';
}

export interface IdleInput {
  /** Review acts of the cores (at least) over their history up to `now`. */
  acts: readonly TeamActRecord[];
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
  /** The earliest time the acts cover. */
  historyFrom: Timestamp;
}

export interface CoreActivity {
  accountId: number;
  count: number;
  lastReviewAt: string | null;
  lastReviewChange: number | null;
  belowSince: string | null;
  /** True when the rolling count never reached the threshold in the history loaded. */
  neverReached: boolean;
  quarters: Array<{ from: string; to: string; reviews: number }>;
  trend: 'falling' | 'rising' | 'steady' | 'none';
  /** When their current membership began (null: core since before the known history). */
  coreSince: string | null;
  idle: boolean;
}

export interface IdleResult {
  now: string;
  rule: IdleRule;
  period: { since: string; until: string; days: number };
  historyFrom: string;
  /** Current cores who are idle, fewest reviews first. */
  idle: CoreActivity[];
  /** Current cores who joined within the window and are below the threshold: too new to judge. */
  tooNewToJudge: CoreActivity[];
  /** Every current core, fewest reviews first. */
  cores: CoreActivity[];
}

const iso = (t: Timestamp): string => new Date(t).toISOString();
const QUARTER_MS = 91 * DAY_MS;

/**
 * The last moment the count of `times` in a rolling window [t − span, t) was at least `k`:
 * max over runs of k consecutive times closer than `span` of (first of them + span).
 */
export function lastAtOrAbove(times: readonly number[], k: number, span: number): number | null {
  let last: number | null = null;
  for (let j = 0; j + k - 1 < times.length; j++) {
    const first = times[j] as number;
    if ((times[j + k - 1] as number) - first < span) last = first + span;
  }
  return last;
}

/**
 * Computes the idle-core report as of `now`.
 *
 * @example
 * const r = computeIdleCores({ acts, isBot, roster, historyFrom }, { now, rule: { threshold: 10, days: 90, counts: 'reviews' } });
 * r.idle.map((c) => c.accountId);
 */
export function computeIdleCores(input: IdleInput, opts: { now: Timestamp; rule: IdleRule }): IdleResult {
  const { now, rule } = opts;
  const span = rule.days * DAY_MS;
  const since = now - span;
  const cores = input.roster.membersAt(now);
  const { reviews } = extractReviews(
    input.acts.filter((a) => a.at < now && cores.has(a.actorId)),
    input.isBot,
  );
  const counted = rule.counts === 'reviews' ? reviews : reviews.filter((r) => codeReviewSign(r) !== null);
  const numbers = new Map<number, number>();
  for (const a of input.acts) numbers.set(a.changeId, a.changeNumber);
  const byCore = new Map<number, Array<{ at: number; changeId: number }>>();
  for (const id of cores) byCore.set(id, []);
  for (const r of counted) byCore.get(r.reviewerId)?.push({ at: r.at, changeId: r.changeId });
  // The count in the window is reviews in a period as every report counts them (reviews.ts); the
  // history (last review, below since, quarters) dates each review by its first act.
  const inWindow = new Map<number, number>();
  const windowReviews = reviewsInPeriod(
    input.acts.filter((a) => cores.has(a.actorId)),
    input.isBot,
    since,
    now,
  ).reviews;
  for (const r of rule.counts === 'reviews' ? windowReviews : windowReviews.filter((x) => codeReviewSign(x) !== null))
    inWindow.set(r.reviewerId, (inWindow.get(r.reviewerId) ?? 0) + 1);

  const tallies: CoreReviewTally[] = [];
  for (const [id, list] of byCore) {
    list.sort((a, b) => a.at - b.at);
    const times = list.map((x) => x.at);
    const last = list[list.length - 1];
    tallies.push({
      accountId: id,
      count: inWindow.get(id) ?? 0,
      quarters: quarterBlocks(now).map(([from, to]) => times.filter((t) => t >= from && t < to).length),
      last: last ? { at: last.at, changeNumber: numbers.get(last.changeId) ?? null } : null,
      times,
    });
  }
  return idleFromTallies(tallies, { roster: input.roster, historyFrom: input.historyFrom }, opts);
}

/** The four 91-day blocks before `now`, oldest first, as [from, to). */
export function quarterBlocks(now: Timestamp): Array<[number, number]> {
  return [3, 2, 1, 0].map((q) => [now - (q + 1) * QUARTER_MS, now - q * QUARTER_MS]);
}

/**
 * The idle-core report from each current core's tally (one per core of the roster at `now`).
 *
 * @example idleFromTallies(tallies, { roster, historyFrom }, { now, rule })
 */
export function idleFromTallies(
  tallies: readonly CoreReviewTally[],
  input: { roster: CoreRoster; historyFrom: Timestamp },
  opts: { now: Timestamp; rule: IdleRule },
): IdleResult {
  const { now, rule } = opts;
  const span = rule.days * DAY_MS;
  const since = now - span;
  const blocks = quarterBlocks(now);
  const out: CoreActivity[] = [];
  for (const t of tallies) {
    const id = t.accountId;
    const count = t.count;
    const last = t.last;
    const quarters = blocks.map(([from, to], i) => ({ from: iso(from), to: iso(to), reviews: t.quarters[i] ?? 0 }));
    const q = quarters.map((x) => x.reviews);
    const before = ((q[0] as number) + (q[1] as number) + (q[2] as number)) / 3;
    const latest = q[3] as number;
    const trend: CoreActivity['trend'] = q.every((x) => x === 0)
      ? 'none'
      : latest < (2 / 3) * before
        ? 'falling'
        : latest > 1.5 * before
          ? 'rising'
          : 'steady';
    const below = count < rule.threshold;
    const lastAbove = below ? lastAtOrAbove(t.times ?? [], rule.threshold, span) : null;
    const coreSince = input.roster.coreSince(id, now);
    out.push({
      accountId: id,
      count,
      lastReviewAt: last ? iso(last.at) : null,
      lastReviewChange: last ? last.changeNumber : null,
      belowSince: below && lastAbove !== null ? iso(lastAbove) : null,
      neverReached: below && lastAbove === null,
      quarters,
      trend,
      coreSince: coreSince === null ? null : iso(coreSince),
      idle: below && (coreSince === null || coreSince <= since),
    });
  }
  out.sort((a, b) => a.count - b.count || a.accountId - b.accountId);
  return {
    now: iso(now),
    rule,
    period: { since: iso(since), until: iso(now), days: rule.days },
    historyFrom: iso(input.historyFrom),
    idle: out.filter((c) => c.idle),
    tooNewToJudge: out.filter((c) => !c.idle && c.count < rule.threshold),
    cores: out,
  };
}

/**
 * The reviews before `from` matter to few cores. Given only the reviews that began at or after
 * `from` (`from` no later than the window's start and the quarters' start), every figure of
 * {@link computeIdleCores} is final except for a core below the threshold whose rolling count last
 * reached it in a run that began before `from` (or never, in those reviews): their below since,
 * never reached and last review need the earlier history. Those cores' ids.
 *
 * @example coresNeedingHistory(computeIdleCores(recent, opts), from) // [] when every idle core fell below recently
 */
export function coresNeedingHistory(r: IdleResult, from: Timestamp): number[] {
  const span = r.rule.days * DAY_MS;
  return r.cores
    .filter((c) => c.count < r.rule.threshold && (c.belowSince === null || Date.parse(c.belowSince) < from + span))
    .map((c) => c.accountId);
}

/**
 * `recent` with the cores in `ids` taken from `full` (computed over their whole history): the same
 * result as {@link computeIdleCores} over everyone's whole history when `ids` are
 * {@link coresNeedingHistory} of `recent`.
 */
export function withHistoryOf(recent: IdleResult, full: IdleResult, ids: ReadonlySet<number>): IdleResult {
  const fromFull = new Map(full.cores.map((c) => [c.accountId, c]));
  const cores = recent.cores.map((c) => (ids.has(c.accountId) ? (fromFull.get(c.accountId) ?? c) : c));
  cores.sort((a, b) => a.count - b.count || a.accountId - b.accountId);
  return {
    ...recent,
    idle: cores.filter((c) => c.idle),
    tooNewToJudge: cores.filter((c) => !c.idle && c.count < recent.rule.threshold),
    cores,
  };
}
