/**
 * The project at a glance over a period [since, until) and as of `now`.
 *
 * Definitions (docs/review-flow.md, "Overview"):
 * - opened: changes created in the period; merged: changes whose merge time is in the period;
 *   abandoned: changes whose last abandonment is in the period (and still abandoned).
 * - open as of `now`: created ≤ now and neither merged nor abandoned at or before now. Its wait
 *   "since created" is now − created; "since latest patch set" is now − the newest patch set
 *   created ≤ now. Work-in-progress changes are counted apart and left out of the waits.
 * - reviews: see analysis/reviews.ts. Active reviewers: humans with ≥ 1 review in the period.
 *   Core reviewers: the configured core team (null when not configured).
 * - CI: every job result reported in the period. A failure is any result other than SUCCESS and
 *   SKIPPED; failure rate = failures / (runs − skipped).
 */
import type { ChangeTimeline, CiBuildRecord, CiResultCount, ReviewActRecord, ReviewTally } from '../model/activity.js';
import type { Timestamp } from '../model/records.js';
import type { CandidatesResult } from './judgement-candidates.js';
import type { IdleResult } from './core-idle.js';
import type { LoadResult } from './core-load.js';
import type { MentoringResult } from './mentoring.js';
import type { ReviewersResult } from './reviewers.js';
import { reviewsInPeriod } from './reviews.js';
import { DAY_MS, distribution, ratio, round, type Distribution } from './stats.js';

/**
 * What the overview reads of a change (a ChangeTimeline has it all): its dates, and the project
 * and subject that name it in the longest-waiting list, which the store reads only for the changes
 * listed (`labels`; {@link longestWaitingIds} says which).
 */
export type OverviewChange = Pick<
  ChangeTimeline,
  'id' | 'number' | 'status' | 'workInProgress' | 'created' | 'mergedAt' | 'abandonedAt' | 'patchSetCreated'
> &
  Partial<Pick<ChangeTimeline, 'project' | 'subject'>>;

export interface OverviewInput {
  /**
   * The changes the overview counts: at least those created, merged or abandoned in the period
   * and those open as of `now` (others are ignored); the store reads only these.
   */
  changes: readonly OverviewChange[];
  /** Project and subject by change id, for the changes listed as the longest waiting (else the change's own). */
  labels?: ReadonlyMap<number, { project: string; subject: string }>;
  /**
   * The period's opened, merged and abandoned changes, counted by the store: used instead of
   * counting `changes` when given (then `changes` need hold only the changes open as of `now`).
   */
  changeCounts?: { opened: number; merged: number; abandoned: number };
  /** The review acts of the period (at least); not needed when `reviewTally` is given. */
  acts?: readonly ReviewActRecord[];
  /** The period's reviews in counts (tallyReviews; the store groups them in SQL): used instead of `acts` when given. */
  reviewTally?: ReviewTally;
  /**
   * The period's job results, counted by pipeline, voting and result (countCiResults; the store
   * groups them in SQL); null when the CI line is left out (then so is the result's `ci`).
   */
  ci: readonly CiResultCount[] | null;
  isBot: (accountId: number) => boolean;
  /** Store ids of the core team, or null when no core team is configured. */
  coreIds: ReadonlySet<number> | null;
  /**
   * Store ids of the open changes that are work in progress as the queue classifies them (WIP flag
   * or Workflow −1: queue-state.ts), so both reports count the same; absent: the WIP flag alone.
   */
  wipChangeIds?: ReadonlySet<number>;
}

export interface OverviewOptions {
  since: Timestamp;
  until: Timestamp;
  now: Timestamp;
}

/** Counts the job results reported in [since, until) by pipeline, voting and result: what the store's grouped read returns. */
export function countCiResults(builds: readonly CiBuildRecord[], since: Timestamp, until: Timestamp): CiResultCount[] {
  const out = new Map<string, CiResultCount>();
  for (const b of builds) {
    if (b.reportedAt < since || b.reportedAt >= until) continue;
    const k = JSON.stringify([b.pipeline, b.voting, b.result]);
    const c = out.get(k);
    if (c) c.runs += 1;
    else out.set(k, { pipeline: b.pipeline, voting: b.voting, result: b.result, runs: 1 });
  }
  return [...out.values()];
}

export interface CiSummary {
  runs: number;
  skipped: number;
  failures: number;
  failureRate: number | null;
}

export interface Overview {
  period: { since: string; until: string; days: number };
  now: string;
  changes: { opened: number; merged: number; abandoned: number };
  open: {
    count: number;
    workInProgress: number;
    waitingDaysSinceCreated: Distribution;
    waitingDaysSinceLatestPatchSet: Distribution;
    waitingMoreThan: { days7: number; days30: number; days90: number };
    longestWaiting: Array<{ project: string; number: number; subject: string; days: number }>;
  };
  reviewers: {
    active: number;
    reviews: number;
    commentOnlyReviews: number;
    selfVotes: number;
    core: { configured: number | null; active: number | null; reviews: number | null };
  };
  /** Null when left out (the overview's `skipped`). */
  ci: (CiSummary & { voting: CiSummary; nonVoting: CiSummary; byPipeline: Array<CiSummary & { pipeline: string }> }) | null;
}

const iso = (t: Timestamp): string => new Date(t).toISOString();

/** Is the change open at time t? */
export function isOpenAt(c: Pick<ChangeTimeline, 'created' | 'mergedAt' | 'status' | 'abandonedAt'>, t: Timestamp): boolean {
  if (c.created > t) return false;
  if (c.mergedAt !== null && c.mergedAt <= t) return false;
  if (c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt <= t) return false;
  return true;
}

function ciSummary(counts: readonly CiResultCount[]): CiSummary {
  let runs = 0;
  let skipped = 0;
  let failures = 0;
  for (const c of counts) {
    runs += c.runs;
    if (c.result === 'SKIPPED') skipped += c.runs;
    else if (c.result !== 'SUCCESS') failures += c.runs;
  }
  const rate = ratio(failures, runs - skipped);
  return { runs, skipped, failures, failureRate: round(rate, 4) };
}

const roundDist = (d: Distribution): Distribution => ({
  count: d.count,
  min: round(d.min),
  p25: round(d.p25),
  median: round(d.median),
  p75: round(d.p75),
  p90: round(d.p90),
  max: round(d.max),
  mean: round(d.mean),
});

/**
 * The reviews in [since, until) in counts, per person who acted (ascending id; bots left out): what
 * the store's grouped read (loadReviewTally) returns.
 *
 * @example tallyReviews(acts, (id) => bots.has(id), since, until).byActor.filter((a) => a.reviews > 0).length // active reviewers
 */
export function tallyReviews(
  acts: readonly ReviewActRecord[],
  isBot: (accountId: number) => boolean,
  since: Timestamp,
  until: Timestamp,
): ReviewTally {
  const inPeriod = acts.filter((a) => a.at >= since && a.at < until);
  const { reviews } = reviewsInPeriod(inPeriod, isBot, since, until);
  const by = new Map<number, ReviewTally['byActor'][number]>();
  const of = (id: number) => {
    let t = by.get(id);
    if (!t) by.set(id, (t = { actorId: id, reviews: 0, commentOnly: 0, selfVotes: 0 }));
    return t;
  };
  for (const r of reviews) {
    const t = of(r.reviewerId);
    t.reviews += 1;
    if (r.commentOnly) t.commentOnly += 1;
  }
  // Self-votes as extractReviews counts them: one per (change, patch set, label) of the owner's votes.
  const self = new Set<string>();
  for (const a of inPeriod) {
    if (isBot(a.actorId) || a.actorId !== a.changeOwnerId || a.type !== 'vote' || !a.label) continue;
    const k = `${a.changeId}:${a.patchSet}:${a.label}`;
    if (self.has(k)) continue;
    self.add(k);
    of(a.actorId).selfVotes += 1;
  }
  return { byActor: [...by.values()].sort((a, b) => a.actorId - b.actorId) };
}

/**
 * The changes open as of `now`: how many are work in progress, and the others with their waits
 * (days since created, since the latest patch set), longest waiting first (ties: lower number).
 */
function openWaiting(
  input: Pick<OverviewInput, 'changes' | 'wipChangeIds'>,
  now: Timestamp,
): { wip: number; open: Array<{ c: OverviewChange; days: number }>; waitCreated: number[]; waitLatest: number[] } {
  let wip = 0;
  const waitCreated: number[] = [];
  const waitLatest: number[] = [];
  const open: Array<{ c: OverviewChange; days: number }> = [];
  for (const c of input.changes) {
    if (!isOpenAt(c, now)) continue;
    // The WIP flag is known as it is now, not as it was; replaying the past treats it as current.
    if (input.wipChangeIds ? input.wipChangeIds.has(c.id) : c.workInProgress) {
      wip += 1;
      continue;
    }
    let latest = c.created;
    for (const t of c.patchSetCreated) if (t <= now && t > latest) latest = t;
    const days = (now - c.created) / DAY_MS;
    waitCreated.push(days);
    waitLatest.push((now - latest) / DAY_MS);
    open.push({ c, days });
  }
  open.sort((a, b) => b.days - a.days || a.c.number - b.c.number);
  return { wip, open, waitCreated, waitLatest };
}

/** How many changes the overview lists as the longest waiting. */
const LONGEST_LISTED = 5;

/** Ids of the changes {@link computeOverview} lists as the longest waiting: the ones whose project and subject it prints (`labels`). */
export function longestWaitingIds(input: Pick<OverviewInput, 'changes' | 'wipChangeIds'>, now: Timestamp): number[] {
  return openWaiting(input, now)
    .open.slice(0, LONGEST_LISTED)
    .map(({ c }) => c.id);
}

/** Computes the overview. Pure: everything it needs is in `input`. */
export function computeOverview(input: OverviewInput, opts: OverviewOptions): Overview {
  const { since, until, now } = opts;
  const inPeriod = (t: Timestamp | null): boolean => t !== null && t >= since && t < until;

  let opened = 0;
  let merged = 0;
  let abandoned = 0;
  const counted = input.changeCounts;
  if (counted) ({ opened, merged, abandoned } = counted);
  else
    for (const c of input.changes) {
      if (inPeriod(c.created)) opened += 1;
      if (inPeriod(c.mergedAt)) merged += 1;
      if (c.status === 'ABANDONED' && inPeriod(c.abandonedAt)) abandoned += 1;
    }
  const { wip, open, waitCreated, waitLatest } = openWaiting(input, now);

  const tally = input.reviewTally ?? tallyReviews(input.acts ?? [], input.isBot, since, until);
  let selfVotes = 0;
  let reviewCount = 0;
  let activeReviewers = 0;
  let activeCore = 0;
  let coreReviews = 0;
  let commentOnly = 0;
  for (const r of tally.byActor) {
    if (input.isBot(r.actorId)) continue;
    selfVotes += r.selfVotes;
    if (r.reviews === 0) continue;
    activeReviewers += 1;
    reviewCount += r.reviews;
    commentOnly += r.commentOnly;
    if (input.coreIds?.has(r.actorId)) {
      activeCore += 1;
      coreReviews += r.reviews;
    }
  }

  const builds = input.ci;
  const pipelines = new Map<string, CiResultCount[]>();
  for (const b of builds ?? []) {
    const k = b.pipeline ?? '(none)';
    let list = pipelines.get(k);
    if (!list) pipelines.set(k, (list = []));
    list.push(b);
  }

  return {
    period: { since: iso(since), until: iso(until), days: round((until - since) / DAY_MS, 2) ?? 0 },
    now: iso(now),
    changes: { opened, merged, abandoned },
    open: {
      count: waitCreated.length + wip,
      workInProgress: wip,
      waitingDaysSinceCreated: roundDist(distribution(waitCreated)),
      waitingDaysSinceLatestPatchSet: roundDist(distribution(waitLatest)),
      waitingMoreThan: {
        days7: waitLatest.filter((d) => d > 7).length,
        days30: waitLatest.filter((d) => d > 30).length,
        days90: waitLatest.filter((d) => d > 90).length,
      },
      longestWaiting: open.slice(0, LONGEST_LISTED).map(({ c, days }) => {
        const label = input.labels?.get(c.id);
        return {
          project: label?.project ?? c.project ?? '',
          number: c.number,
          subject: label?.subject ?? c.subject ?? '',
          days: round(days, 1) ?? 0,
        };
      }),
    },
    reviewers: {
      active: activeReviewers,
      reviews: reviewCount,
      commentOnlyReviews: commentOnly,
      selfVotes,
      core: input.coreIds
        ? { configured: input.coreIds.size, active: activeCore, reviews: coreReviews }
        : { configured: null, active: null, reviews: null },
    },
    ci: builds
      ? {
          ...ciSummary(builds),
          voting: ciSummary(builds.filter((b) => b.voting)),
          nonVoting: ciSummary(builds.filter((b) => !b.voting)),
          byPipeline: [...pipelines.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([pipeline, list]) => ({ pipeline, ...ciSummary(list) })),
        }
      : null,
  };
}

// ---- the core team in short (steward reviewers, core idle/candidates/load/mentoring) ---------------

export interface TeamSummaryInput {
  reviewers: ReviewersResult;
  /** Null when no core team is configured (then so are candidates and load). */
  idle: IdleResult | null;
  candidates: CandidatesResult | null;
  load: LoadResult | null;
  mentoring: MentoringResult;
}

/** The core-team reports in short, for the overview; `W` is how a person is named. */
export interface TeamSummary<W> {
  reviewers: {
    reviews: number;
    activeReviewers: number;
    coreReviews: number;
    /** coreReviews / reviews. */
    coreShare: number | null;
    coreReviewsPerCorePerDay: number | null;
    /** The five reviewers with the most reviews. */
    top: Array<W & { reviews: number; core: 'yes' | 'no' | 'partly'; disagreements: number }>;
  };
  idle: { threshold: number; days: number; count: number; cores: Array<W & { reviews: number; lastReviewAt: string | null }> } | null;
  candidates: {
    days: number;
    ranked: number;
    top: Array<W & { rank: number; score: number; reviews: number; kappa: number | null; rankRange: { best: number; worst: number } }>;
  } | null;
  load: {
    patchSetsNeedingReview: number;
    coreReviews: number;
    coreReviewsPerPatchSet: number | null;
    busiestShare: number | null;
    patchSetsPerCorePerMonth: number | null;
  } | null;
  mentoring: {
    active: number;
    mentorships: Array<{ candidate: W; mentor: W; startedAt: string; reviewsPerWeekBefore: number; reviewsPerWeekDuring: number }>;
  };
}

/**
 * Shortens the core-team reports for the overview. Pure; `name` turns an account id into how the
 * caller names people.
 *
 * @example summariseTeam({ reviewers, idle, candidates, load, mentoring }, (id) => ({ username: names.get(id) }))
 */
export function summariseTeam<W extends object>(input: TeamSummaryInput, name: (accountId: number) => W): TeamSummary<W> {
  const r = input.reviewers;
  return {
    reviewers: {
      reviews: r.totals.reviews,
      activeReviewers: r.totals.activeReviewers,
      coreReviews: r.totals.coreReviews,
      coreShare: round(ratio(r.totals.coreReviews, r.totals.reviews), 4),
      coreReviewsPerCorePerDay: r.totals.coreReviewsPerCorePerDay,
      top: r.rows
        .filter((x) => x.reviews > 0)
        .slice(0, 5)
        .map((x) => ({ ...name(x.accountId), reviews: x.reviews, core: x.core, disagreements: x.disagreements })),
    },
    idle: input.idle
      ? {
          threshold: input.idle.rule.threshold,
          days: input.idle.rule.days,
          count: input.idle.idle.length,
          cores: input.idle.idle.map((c) => ({ ...name(c.accountId), reviews: c.count, lastReviewAt: c.lastReviewAt })),
        }
      : null,
    candidates: input.candidates
      ? {
          days: input.candidates.period.days,
          ranked: input.candidates.candidates.length,
          top: input.candidates.candidates.slice(0, 3).map((c) => ({
            ...name(c.accountId),
            rank: c.rank,
            score: c.score,
            reviews: c.reviews,
            kappa: c.kappa.value,
            rankRange: c.rankRange,
          })),
        }
      : null,
    load: input.load
      ? {
          patchSetsNeedingReview: input.load.total.patchSetsNeedingReview,
          coreReviews: input.load.total.coreReviews,
          coreReviewsPerPatchSet: input.load.total.coreReviewsPerPatchSet,
          busiestShare: input.load.total.busiestShare,
          patchSetsPerCorePerMonth: input.load.total.patchSetsPerCorePerMonth,
        }
      : null,
    mentoring: {
      active: input.mentoring.mentorships.filter((m) => m.endedAt === null).length,
      mentorships: input.mentoring.mentorships.map((m) => ({
        candidate: name(m.candidateId),
        mentor: name(m.mentorId),
        startedAt: m.startedAt,
        reviewsPerWeekBefore: m.before.reviewsPerWeek,
        reviewsPerWeekDuring: m.during.reviewsPerWeek,
      })),
    },
  };
}
