/**
 * Mentoring trajectories (`steward core mentoring`): for each tracked mentorship, how the
 * candidate reviews since it started against the period before it, with a weekly series.
 *
 * Definitions (docs/reviewers-and-core.md, "Mentoring"):
 * - during: [start, end) — end is the mentorship's end, else `now`; before: the period of the same
 *   length (at least 4 weeks) just before the start;
 * - reviews: reviews in the period (reviews.ts `reviewsInPeriod`, as `steward reviewers` counts them
 *   over the same dates: a review whose acts straddle the mentorship's start counts in both periods,
 *   dated in each by its first act there); the weeks split each period's reviews by that date;
 * - reviews per week: reviews in the period / (its days / 7);
 * - agreement: agreed / (agreed + disagreed), on core-team-candidates' agreement (core-candidates.ts);
 * - breadth: distinct areas (core-candidates.ts) of the changes reviewed in the period;
 * - weeks: 7-day blocks aligned on the start (week 0 starts at the start; negative weeks are before).
 */
import type { Timestamp } from '../model/records.js';
import type { ChangeFacts, Mentorship, ReviewMessageText, TeamActRecord } from '../model/team.js';
import { assessReviews, reasonedAuthors, type AreaRules, type AssessedReview } from './core-candidates.js';
import { collectCoreVerdicts, type CoreRoster } from './reviewers.js';
import { reviewsInPeriod, type Review } from './reviews.js';
import { DAY_MS, ratio, round } from './stats.js';

export interface MentoringInput {
  mentorships: readonly Mentorship[];
  /** Review acts of everyone over the periods covered, up to `now`. */
  acts: readonly TeamActRecord[];
  messages: readonly ReviewMessageText[];
  changes: readonly ChangeFacts[];
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
}

export interface PeriodStats {
  from: string;
  to: string;
  days: number;
  reviews: number;
  reviewsPerWeek: number;
  agreed: number;
  disagreed: number;
  agreement: number | null;
  breadth: number;
  areas: string[];
}

export interface MentoringWeek {
  week: number;
  from: string;
  phase: 'before' | 'during';
  reviews: number;
  agreed: number;
  disagreed: number;
  areas: number;
}

export interface MentoringTrajectory {
  id: number;
  candidateId: number;
  mentorId: number;
  startedAt: string;
  endedAt: string | null;
  note: string | null;
  endNote: string | null;
  /** Is the candidate core now? */
  coreNow: boolean;
  before: PeriodStats;
  during: PeriodStats;
  change: { reviewsPerWeek: number; agreement: number | null; breadth: number };
  weeks: MentoringWeek[];
}

export interface MentoringResult {
  now: string;
  mentorships: MentoringTrajectory[];
}

const iso = (t: Timestamp): string => new Date(t).toISOString();
const WEEK_MS = 7 * DAY_MS;

function stats(list: readonly AssessedReview[], from: number, to: number): PeriodStats {
  const inside = list.filter((a) => a.review.at >= from && a.review.at < to);
  const agreed = inside.filter((a) => a.agreement === 'agreed').length;
  const disagreed = inside.filter((a) => a.agreement === 'disagreed').length;
  const areas = [...new Set(inside.flatMap((a) => a.areas))].sort();
  const days = (to - from) / DAY_MS;
  return {
    from: iso(from),
    to: iso(to),
    days: round(days, 2) ?? 0,
    reviews: inside.length,
    reviewsPerWeek: round(days > 0 ? inside.length / (days / 7) : 0, 2) ?? 0,
    agreed,
    disagreed,
    agreement: round(ratio(agreed, agreed + disagreed), 4),
    breadth: areas.length,
    areas,
  };
}

/** The span [from, to) of acts each mentorship needs, for loading. */
export function mentoringSpan(m: Mentorship, now: Timestamp): { from: Timestamp; to: Timestamp } {
  const end = Math.min(m.endedAt ?? now, now);
  const length = Math.max(end - m.startedAt, 4 * WEEK_MS);
  return { from: m.startedAt - length, to: Math.max(end, m.startedAt) };
}

/**
 * Computes every mentorship's trajectory as of `now`.
 *
 * @example
 * const r = computeMentoring({ mentorships, acts, messages, changes, isBot, roster }, { now, areaRules });
 * r.mentorships[0].during.reviewsPerWeek;
 */
export function computeMentoring(input: MentoringInput, opts: { now: Timestamp; areaRules: AreaRules }): MentoringResult {
  const { now } = opts;
  const candidates = new Set(input.mentorships.map((m) => m.candidateId));
  const verdicts = collectCoreVerdicts(input.acts, input.roster, input.isBot);
  // The candidates' own acts (a review is one reviewer's acts on a patch set: nobody else's matter).
  const actsOf = new Map<number, TeamActRecord[]>();
  for (const a of input.acts) {
    if (!candidates.has(a.actorId) || a.at >= now) continue;
    let l = actsOf.get(a.actorId);
    if (!l) actsOf.set(a.actorId, (l = []));
    l.push(a);
  }
  const assessment = {
    verdicts,
    changes: new Map(input.changes.map((c) => [c.id, c])),
    reasoned: reasonedAuthors(input.messages),
    areaRules: opts.areaRules,
    now,
  };
  const reviewsOf = (candidateId: number, since: number, until: number): AssessedReview[] => {
    const reviews: Review[] = reviewsInPeriod(actsOf.get(candidateId) ?? [], input.isBot, since, until).reviews;
    return assessReviews(reviews, assessment);
  };
  const coresNow = input.roster.membersAt(now);

  const out = input.mentorships.map((m): MentoringTrajectory => {
    const { from, to } = mentoringSpan(m, now);
    const beforeList = reviewsOf(m.candidateId, from, m.startedAt);
    const duringList = reviewsOf(m.candidateId, m.startedAt, to);
    const before = stats(beforeList, from, m.startedAt);
    const during = stats(duringList, m.startedAt, to);
    const weeks: MentoringWeek[] = [];
    const first = -Math.ceil((m.startedAt - from) / WEEK_MS);
    for (let w = first; m.startedAt + w * WEEK_MS < to; w++) {
      const ws = Math.max(from, m.startedAt + w * WEEK_MS);
      const we = Math.min(to, m.startedAt + (w + 1) * WEEK_MS);
      const s = stats(w < 0 ? beforeList : duringList, ws, we);
      weeks.push({
        week: w,
        from: iso(ws),
        phase: w < 0 ? 'before' : 'during',
        reviews: s.reviews,
        agreed: s.agreed,
        disagreed: s.disagreed,
        areas: s.breadth,
      });
    }
    return {
      id: m.id,
      candidateId: m.candidateId,
      mentorId: m.mentorId,
      startedAt: iso(m.startedAt),
      endedAt: m.endedAt === null ? null : iso(m.endedAt),
      note: m.note,
      endNote: m.endNote,
      coreNow: coresNow.has(m.candidateId),
      before,
      during,
      change: {
        reviewsPerWeek: round(during.reviewsPerWeek - before.reviewsPerWeek, 2) ?? 0,
        agreement: during.agreement === null || before.agreement === null ? null : round(during.agreement - before.agreement, 4),
        breadth: during.breadth - before.breadth,
      },
      weeks,
    };
  });
  return { now: iso(now), mentorships: out };
}
