/**
 * Core candidates (`steward core candidates`): non-core reviewers ranked with the evidence beside
 * each, and the per-review assessment the mentoring report reuses.
 *
 * Definitions (README, "Core candidates"):
 * - a review's **agreement** with the cores: its Code-Review sign against the cores' verdict on that
 *   patch set (reviewers.ts); when no core voted on it, against the patch set's fate — merged as it
 *   was: positive; revised (a later patch set that is not a trivial rebase or commit-message-only
 *   change) or abandoned after the review: negative; otherwise undetermined;
 * - a −1 (or −2) is **confirmed** when a core's verdict on the patch set is negative or the change
 *   was revised or abandoned after it; **overruled** when a core's verdict is positive or the patch
 *   set merged as it was; else pending;
 * - a review is **reasoned** when it is comment-only or one of its messages says more than the
 *   "Patch Set N: votes" line (text, or inline comments);
 * - a **drive-by** is a +1 without reasoning on a patch set that then failed review (a negative
 *   core verdict, or revised or abandoned after it);
 * - **areas**: per file of the change's latest patch set, the longest configured prefix it starts
 *   with, else its directory at `areaDepth` levels (1 = top-level directory; files at the root: `/`);
 * - **ranking**: score = quality × activity, each a weighted mean of components in [0, 1]. Quality:
 *   agreement (95% Wilson lower bound of agreed / (agreed + disagreed)), confirmed −1s (Wilson lower
 *   bound of confirmed / (confirmed + overruled); left out of the mean when the person has none),
 *   reasoning (reasoned / reviews). Activity: volume (weighted reviews / the largest among the
 *   candidates: a vote without reasoning weighs `unreasonedVoteWeight`, a drive-by `driveByWeight`),
 *   consistency (active weeks / weeks), breadth (areas / the largest), own merged changes (/ the
 *   largest). Volume alone never ranks anyone first: without quality the score is 0.
 */
import type { Timestamp } from '../model/records.js';
import type { ChangeFacts, ReviewMessageText, TeamActRecord } from '../model/team.js';
import { codeReviewSign, collectCoreVerdicts, psKey, type CoreRoster, type CoreVerdicts } from './reviewers.js';
import { extractReviews, type Review } from './reviews.js';
import { DAY_MS, quantileSorted, ratio, round } from './stats.js';

// ---- areas -------------------------------------------------------------------------------------

export interface AreaRules {
  /** Configured area prefixes (`nova/compute/`). */
  prefixes: readonly string[];
  /** Directory depth of an area for files outside the prefixes (1 = top-level directory). */
  depth: number;
}

/**
 * The area a file belongs to.
 *
 * @example areaOf('nova/compute/manager.py', { prefixes: [], depth: 1 }) // 'nova/'
 * areaOf('nova/compute/manager.py', { prefixes: ['nova/compute/'], depth: 1 }) // 'nova/compute/'
 * areaOf('setup.py', { prefixes: [], depth: 1 }) // '/'
 */
export function areaOf(path: string, rules: AreaRules): string {
  let best: string | null = null;
  for (const p of rules.prefixes) if (path.startsWith(p) && (best === null || p.length > best.length)) best = p;
  if (best !== null) return best;
  const parts = path.split('/');
  if (parts.length <= 1) return '/';
  return `${parts.slice(0, Math.min(rules.depth, parts.length - 1)).join('/')}/`;
}

// ---- reasoning ---------------------------------------------------------------------------------

const PATCH_SET_LINE = /^Patch Set \d+:[^\n]*(\n|$)/;

/**
 * Does a review message carry reasoning? True when it has anything besides the "Patch Set N: votes"
 * first line: a written comment, or the "(N comments)" line of inline comments.
 *
 * @example hasReasoning('Patch Set 2: Code-Review+1') // false
 * hasReasoning('Patch Set 2: Code-Review-1\n\n(3 comments)') // true
 */
export function hasReasoning(text: string): boolean {
  return text.replace(PATCH_SET_LINE, '').trim().length > 0;
}

// ---- patch set fates ---------------------------------------------------------------------------

const TRIVIAL_KINDS = new Set(['TRIVIAL_REBASE', 'TRIVIAL_REBASE_WITH_MESSAGE_UPDATE', 'NO_CODE_CHANGE', 'NO_CHANGE', 'MERGE_FIRST_PARENT_UPDATE']);

export type PatchSetFate = 'revised' | 'abandoned' | 'merged' | 'open';

/**
 * What became of patch set `ps` after time `after`, as of `now`: revised (a later patch set that
 * changes code, created after `after`), abandoned after `after`, merged (with no such revision), or
 * still open. Unknown patch set kinds count as revisions.
 */
export function patchSetFate(c: ChangeFacts, ps: number, after: Timestamp, now: Timestamp): PatchSetFate {
  for (const p of c.patchSets) {
    if (p.number > ps && p.created > after && p.created <= now && !TRIVIAL_KINDS.has(p.kind ?? '')) return 'revised';
  }
  if (c.status === 'ABANDONED' && c.abandonedAt !== null && c.abandonedAt > after && c.abandonedAt <= now) return 'abandoned';
  if (c.mergedAt !== null && c.mergedAt <= now) return 'merged';
  return 'open';
}

// ---- per-review assessment ---------------------------------------------------------------------

export interface AssessedReview {
  review: Review;
  changeNumber: number;
  /** Sign of the final Code-Review vote; null without one. */
  sign: 1 | -1 | null;
  agreement: 'agreed' | 'disagreed' | null;
  /** What the agreement was judged against. */
  agreementBasis: 'core-vote' | 'fate' | null;
  /** For −1/−2: confirmed, overruled or pending; null otherwise. */
  minusFate: 'confirmed' | 'overruled' | 'pending' | null;
  reasoned: boolean;
  driveBy: boolean;
  areas: string[];
}

export interface AssessmentContext {
  verdicts: CoreVerdicts;
  changes: ReadonlyMap<number, ChangeFacts>;
  /** psKey → authors whose messages on that patch set carry reasoning. */
  reasoned: ReadonlyMap<number, ReadonlySet<number>>;
  areaRules: AreaRules;
  now: Timestamp;
}

/** Indexes review messages by patch set: who gave reasons where. */
export function reasonedAuthors(messages: readonly ReviewMessageText[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const m of messages) {
    if (!hasReasoning(m.text)) continue;
    const k = psKey(m.changeId, m.patchSet);
    let s = out.get(k);
    if (!s) out.set(k, (s = new Set()));
    s.add(m.authorId);
  }
  return out;
}

/** Assesses each review (agreement, −1 fate, reasoning, drive-by, areas); see the module comment. */
export function assessReviews(reviews: readonly Review[], ctx: AssessmentContext): AssessedReview[] {
  const areaCache = new Map<number, string[]>();
  const areasOf = (c: ChangeFacts): string[] => {
    let a = areaCache.get(c.id);
    if (!a) areaCache.set(c.id, (a = [...new Set(c.files.map((f) => areaOf(f, ctx.areaRules)))].sort()));
    return a;
  };
  return reviews.map((r) => {
    const c = ctx.changes.get(r.changeId);
    const sign = codeReviewSign(r);
    const verdict = ctx.verdicts.verdict(r.changeId, r.patchSet, r.reviewerId);
    const fate = c ? patchSetFate(c, r.patchSet, r.at, ctx.now) : 'open';
    const failed = verdict?.sign === -1 || fate === 'revised' || fate === 'abandoned';
    let agreement: AssessedReview['agreement'] = null;
    let basis: AssessedReview['agreementBasis'] = null;
    if (sign !== null) {
      if (verdict) {
        agreement = verdict.sign === sign ? 'agreed' : 'disagreed';
        basis = 'core-vote';
      } else if (fate !== 'open') {
        const fateSign = fate === 'merged' ? 1 : -1;
        agreement = fateSign === sign ? 'agreed' : 'disagreed';
        basis = 'fate';
      }
    }
    let minusFate: AssessedReview['minusFate'] = null;
    if (sign === -1) {
      if (failed) minusFate = 'confirmed';
      else if (verdict?.sign === 1 || fate === 'merged') minusFate = 'overruled';
      else minusFate = 'pending';
    }
    const reasoned = r.commentOnly || (ctx.reasoned.get(psKey(r.changeId, r.patchSet))?.has(r.reviewerId) ?? false);
    return {
      review: r,
      changeNumber: c?.number ?? r.changeId,
      sign,
      agreement,
      agreementBasis: basis,
      minusFate,
      reasoned,
      driveBy: r.votes['Code-Review'] === 1 && !reasoned && failed,
      areas: c ? areasOf(c) : [],
    };
  });
}

/** 95% Wilson score lower bound of a proportion; 0 when n = 0. */
export function wilsonLower(successes: number, n: number, z = 1.96): number {
  if (n === 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  return Math.max(0, (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n));
}

// ---- the candidates report -----------------------------------------------------------------------

export interface RankingWeights {
  quality: { agreement: number; confirmedMinusOnes: number; reasoning: number };
  activity: { volume: number; consistency: number; breadth: number; ownMerged: number };
  unreasonedVoteWeight: number;
  driveByWeight: number;
}

export const DEFAULT_RANKING: RankingWeights = {
  quality: { agreement: 2, confirmedMinusOnes: 1, reasoning: 1 },
  activity: { volume: 1, consistency: 1, breadth: 1, ownMerged: 0.5 },
  unreasonedVoteWeight: 0.5,
  driveByWeight: 0.25,
};

export interface CandidatesInput {
  /** Review acts of everyone from `since` to `now` (the cores' verdicts need theirs). */
  acts: readonly TeamActRecord[];
  /** Review messages with text in the window, for reasoning. */
  messages: readonly ReviewMessageText[];
  /** The changes acted on, created or merged in the window. */
  changes: readonly ChangeFacts[];
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
}

export interface CandidatesOptions {
  since: Timestamp;
  until: Timestamp;
  now: Timestamp;
  areaRules: AreaRules;
  minReviews: number;
  weights: RankingWeights;
}

export interface Candidate {
  rank: number;
  accountId: number;
  score: number;
  quality: number;
  activity: number;
  /** Each component in [0, 1] as it entered the score; null when left out (no evidence). */
  components: {
    agreement: number;
    confirmedMinusOnes: number | null;
    reasoning: number;
    volume: number;
    consistency: number;
    breadth: number;
    ownMerged: number;
  };
  reviews: number;
  /** Reviews weighted as the volume component counts them. */
  weightedReviews: number;
  activeWeeks: number;
  weeks: number;
  agreement: { agreed: number; disagreed: number; undetermined: number; byCoreVote: number; byFate: number; rate: number | null };
  minusOnes: { total: number; confirmed: number; overruled: number; pending: number };
  commentOnly: number;
  reasoned: number;
  unreasonedVotes: number;
  driveBys: number;
  breadth: { count: number; areas: string[] };
  firstReview: { newChangesReviewed: number; medianHours: number | null; firstReviewerOn: number };
  ownMerged: { count: number; changes: number[] };
  /** Where their Code-Review went against the verdict. */
  disagreedOn: Array<{ change: number; patchSet: number }>;
  driveBysOn: Array<{ change: number; patchSet: number }>;
}

export interface CandidatesResult {
  period: { since: string; until: string; days: number };
  now: string;
  minReviews: number;
  weights: RankingWeights;
  candidates: Candidate[];
  /** Non-core humans with at least one review but fewer than `minReviews`. */
  belowMinimum: number;
}

const iso = (t: Timestamp): string => new Date(t).toISOString();

function weightedMean(parts: Array<[number | null, number]>): number {
  let num = 0;
  let den = 0;
  for (const [v, w] of parts) {
    if (v === null) continue;
    num += v * w;
    den += w;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Ranks the non-core reviewers (not core at `now` in any project) with at least `minReviews`
 * reviews in [since, until).
 *
 * @example
 * const r = computeCandidates({ acts, messages, changes, isBot, roster }, { since, until, now, areaRules, minReviews: 10, weights: DEFAULT_RANKING });
 * r.candidates[0].components;
 */
export function computeCandidates(input: CandidatesInput, opts: CandidatesOptions): CandidatesResult {
  const { since, until, now, weights } = opts;
  const verdicts = collectCoreVerdicts(input.acts, input.roster, input.isBot);
  const changes = new Map(input.changes.map((c) => [c.id, c]));
  const windowActs = input.acts.filter((a) => a.at >= since && a.at < until);
  const { reviews } = extractReviews(windowActs, input.isBot);
  const cores = input.roster.membersAt(now);
  const assessed = assessReviews(reviews, { verdicts, changes, reasoned: reasonedAuthors(input.messages), areaRules: opts.areaRules, now });

  // First review of each change by anyone (non-owner human), for "first reviewer".
  const firstOnChange = new Map<number, Timestamp>();
  for (const r of reviews) {
    const f = firstOnChange.get(r.changeId);
    if (f === undefined || r.at < f) firstOnChange.set(r.changeId, r.at);
  }
  const ownMerged = new Map<number, number[]>();
  for (const c of input.changes) {
    if (c.mergedAt === null || c.mergedAt < since || c.mergedAt >= until) continue;
    let l = ownMerged.get(c.ownerId);
    if (!l) ownMerged.set(c.ownerId, (l = []));
    l.push(c.number);
  }

  const byPerson = new Map<number, AssessedReview[]>();
  for (const a of assessed) {
    let l = byPerson.get(a.review.reviewerId);
    if (!l) byPerson.set(a.review.reviewerId, (l = []));
    l.push(a);
  }
  const weeks = Math.max(1, Math.ceil((until - since) / (7 * DAY_MS)));
  let belowMinimum = 0;
  const rows: Candidate[] = [];
  for (const [id, list] of byPerson) {
    if (cores.has(id) || input.isBot(id)) continue;
    if (list.length < opts.minReviews) {
      belowMinimum += 1;
      continue;
    }
    const activeWeeks = new Set(list.map((a) => Math.floor((a.review.at - since) / (7 * DAY_MS)))).size;
    let agreed = 0;
    let disagreed = 0;
    let undetermined = 0;
    let byCoreVote = 0;
    let byFate = 0;
    const minus = { total: 0, confirmed: 0, overruled: 0, pending: 0 };
    let commentOnly = 0;
    let reasoned = 0;
    let unreasonedVotes = 0;
    let driveBys = 0;
    let weighted = 0;
    const areas = new Set<string>();
    const disagreedOn: Candidate['disagreedOn'] = [];
    const driveBysOn: Candidate['driveBysOn'] = [];
    const firstByChange = new Map<number, AssessedReview>();
    for (const a of list) {
      if (a.agreement === 'agreed') agreed += 1;
      else if (a.agreement === 'disagreed') {
        disagreed += 1;
        disagreedOn.push({ change: a.changeNumber, patchSet: a.review.patchSet });
      } else if (a.sign !== null) undetermined += 1;
      if (a.agreementBasis === 'core-vote') byCoreVote += 1;
      else if (a.agreementBasis === 'fate') byFate += 1;
      if (a.minusFate) {
        minus.total += 1;
        minus[a.minusFate] += 1;
      }
      if (a.review.commentOnly) commentOnly += 1;
      if (a.reasoned) reasoned += 1;
      else if (!a.review.commentOnly) unreasonedVotes += 1;
      if (a.driveBy) {
        driveBys += 1;
        driveBysOn.push({ change: a.changeNumber, patchSet: a.review.patchSet });
      }
      weighted += a.driveBy ? weights.driveByWeight : a.reasoned ? 1 : weights.unreasonedVoteWeight;
      for (const x of a.areas) areas.add(x);
      const f = firstByChange.get(a.review.changeId);
      if (!f || a.review.at < f.review.at) firstByChange.set(a.review.changeId, a);
    }
    const hours: number[] = [];
    let firstReviewerOn = 0;
    for (const [changeId, a] of firstByChange) {
      const c = changes.get(changeId);
      if (!c || c.created < since || c.created >= until) continue;
      hours.push((a.review.at - c.created) / 3_600_000);
      if (firstOnChange.get(changeId) === a.review.at) firstReviewerOn += 1;
    }
    hours.sort((x, y) => x - y);
    const merged = (ownMerged.get(id) ?? []).sort((x, y) => x - y);
    rows.push({
      rank: 0,
      accountId: id,
      score: 0,
      quality: 0,
      activity: 0,
      components: {
        agreement: wilsonLower(agreed, agreed + disagreed),
        confirmedMinusOnes: minus.confirmed + minus.overruled > 0 ? wilsonLower(minus.confirmed, minus.confirmed + minus.overruled) : null,
        reasoning: reasoned / list.length,
        volume: weighted,
        consistency: activeWeeks / weeks,
        breadth: areas.size,
        ownMerged: merged.length,
      },
      reviews: list.length,
      weightedReviews: round(weighted, 2) ?? 0,
      activeWeeks,
      weeks,
      agreement: { agreed, disagreed, undetermined, byCoreVote, byFate, rate: round(ratio(agreed, agreed + disagreed), 4) },
      minusOnes: minus,
      commentOnly,
      reasoned,
      unreasonedVotes,
      driveBys,
      breadth: { count: areas.size, areas: [...areas].sort() },
      firstReview: { newChangesReviewed: hours.length, medianHours: round(quantileSorted(hours, 0.5), 1), firstReviewerOn },
      ownMerged: { count: merged.length, changes: merged },
      disagreedOn: disagreedOn.sort((x, y) => x.change - y.change || x.patchSet - y.patchSet),
      driveBysOn: driveBysOn.sort((x, y) => x.change - y.change || x.patchSet - y.patchSet),
    });
  }

  // Normalise the relative components by the largest value among the candidates.
  const maxOf = (f: (c: Candidate) => number): number => Math.max(0, ...rows.map(f));
  const maxVolume = maxOf((c) => c.components.volume);
  const maxBreadth = maxOf((c) => c.components.breadth);
  const maxMerged = maxOf((c) => c.components.ownMerged);
  for (const c of rows) {
    const k = c.components;
    k.volume = maxVolume > 0 ? k.volume / maxVolume : 0;
    k.breadth = maxBreadth > 0 ? k.breadth / maxBreadth : 0;
    k.ownMerged = maxMerged > 0 ? k.ownMerged / maxMerged : 0;
    const q = weights.quality;
    const act = weights.activity;
    c.quality = weightedMean([[k.agreement, q.agreement], [k.confirmedMinusOnes, q.confirmedMinusOnes], [k.reasoning, q.reasoning]]);
    c.activity = weightedMean([[k.volume, act.volume], [k.consistency, act.consistency], [k.breadth, act.breadth], [k.ownMerged, act.ownMerged]]);
    c.score = c.quality * c.activity;
    c.components = {
      agreement: round(k.agreement, 4) ?? 0,
      confirmedMinusOnes: round(k.confirmedMinusOnes, 4),
      reasoning: round(k.reasoning, 4) ?? 0,
      volume: round(k.volume, 4) ?? 0,
      consistency: round(k.consistency, 4) ?? 0,
      breadth: round(k.breadth, 4) ?? 0,
      ownMerged: round(k.ownMerged, 4) ?? 0,
    };
    c.quality = round(c.quality, 4) ?? 0;
    c.activity = round(c.activity, 4) ?? 0;
    c.score = round(c.score, 4) ?? 0;
  }
  rows.sort((a, b) => b.score - a.score || b.reviews - a.reviews || a.accountId - b.accountId);
  rows.forEach((c, i) => (c.rank = i + 1));

  return {
    period: { since: iso(since), until: iso(until), days: round((until - since) / DAY_MS, 2) ?? 0 },
    now: iso(now),
    minReviews: opts.minReviews,
    weights,
    candidates: rows,
    belowMinimum,
  };
}
