/**
 * Core candidates (`steward core candidates`): non-core reviewers ranked by a score that rewards
 * judgement (issue 21), with the counts behind every component. docs/reviewers-and-core.md.
 *
 * The score it replaced could be gamed: a +1 "LGTM" cast after the core's +2 always "agrees", a −1 "nit"
 * on every first patch set is always "confirmed" by the next revision, any text counts as reasoning,
 * and the Wilson lower bound rewards volume inside the quality half. Here:
 *
 * - **Independent votes only.** A Code-Review vote counts for judgement only when it was cast before
 *   any core's Code-Review vote on that patch set (dated by the reviewer's first vote of the final
 *   sign). Later votes are shown (`afterCore`) but earn nothing.
 * - **Agreement beyond chance.** Cohen's κ between the reviewer's signs and the verdicts on their
 *   independent votes — the latest core vote on the patch set, or, with none, its fate (merged as
 *   it was: +; revised or abandoned after the vote: −; still open: not counted). A reviewer who
 *   always votes the same way scores 0 however often that happens to match. Negative κ counts as 0.
 * - **Confirmed −1s.** An independent −1 is *confirmed* when a core also voted negative on that
 *   patch set, or when it carried substance ({@link isSubstantive}) and the owner then uploaded a
 *   code revision (not a trivial rebase) with no core having approved the −1'd patch set — our
 *   proxy for "the next revision addresses its comments" (Steward does not see which lines a
 *   revision changed). *Overruled*: a core voted positive on that patch set, or it merged as it
 *   was. *Unsupported*: revised, but the −1 said nothing of substance ("nit"). Pending −1s (no
 *   outcome yet) are left out. Share = confirmed / (confirmed + overruled + unsupported).
 * - **Reasoned** means substantive text or inline comments ({@link isSubstantive}); "LGTM", "+1",
 *   "nit" alone are not.
 * - **Quality** (weighted mean of κ, confirmed share, reasoned share) holds no count: volume stays
 *   in the activity half (independent reviews / the most among the candidates, active weeks, areas).
 *   Score = quality × activity.
 * - **Rank uncertainty.** Each candidate's reviews are resampled by change (a seeded bootstrap) and
 *   all scores recomputed with the normalisers held fixed; the 95% range of each candidate's rank is
 *   reported. Ranks whose ranges overlap are not clearly ordered.
 */
import type { Timestamp } from '../model/records.js';
import type { ChangeFacts, ReviewMessageText, TeamActColumns, TeamActRecord } from '../model/team.js';
import { areaOf, patchSetFate, type AreaRules } from './core-candidates.js';
import { actColumnsOf, coreVerdictSigns, type CoreRoster } from './reviewers.js';
import { NO_VALUE, reviewColumnsInPeriod } from './reviews.js';
import { cohensKappa, kappaOfTwo } from './stats/agreement.js';
import { percentileInterval } from './stats/bootstrap.js';
import type { Random } from './stats/random.js';
import { randomIndex } from './stats/random.js';
import { DAY_MS, round } from './stats.js';

// ---- substance ------------------------------------------------------------------------------------

const PATCH_SET_LINE = /^Patch Set \d+:[^\n]*(\n|$)/;
const INLINE_COMMENTS = /^\((\d+) (inline )?comments?\)$/m;
/** A word of a message: a run of letters, digits, `_`, `'` and `.` (in lower case). */
const WORD = /[a-z0-9_'.]+/g;
/** Words that say nothing about the change by themselves. */
const EMPTY_WORDS = new Set([
  'lgtm',
  'nit',
  'nits',
  'nitpick',
  'looks',
  'look',
  'good',
  'great',
  'fine',
  'nice',
  'ok',
  'okay',
  'to',
  'me',
  'thanks',
  'thank',
  'you',
  'ty',
  'ship',
  'it',
  'recheck',
  'minor',
  'lg',
  'lgtm.',
  'approve',
  'approved',
  'agreed',
  'agree',
  'same',
  'here',
  'also',
  'just',
  'a',
  'the',
  'this',
  'is',
  'some',
  'small',
  'see',
  'comment',
  'comments',
  'inline',
  'please',
  'fix',
  'done',
]);

/**
 * Does a review message carry substance? True when it has inline comments (Gerrit's "(N comments)"
 * line) or, besides the "Patch Set N: votes" line, at least three words that are not stock
 * phrases ("LGTM", "nit", "looks good to me", "thanks", …).
 *
 * A heuristic: it cannot tell a good comment from a long empty one, nor see what an inline comment
 * says.
 *
 * @example isSubstantive('Patch Set 1: Code-Review+1\n\nLGTM') // false
 * isSubstantive('Patch Set 1: Code-Review-1\n\nnit') // false
 * isSubstantive('Patch Set 1: Code-Review-1\n\n(2 comments)') // true
 * isSubstantive('Patch Set 1: Code-Review-1\n\nThis races with the resize.') // true
 */
export function isSubstantive(text: string): boolean {
  const body = text.replace(PATCH_SET_LINE, '');
  const inline = INLINE_COMMENTS.exec(body);
  if (inline && Number(inline[1]) > 0) return true;
  // The words are the runs of [a-z0-9_'.] in the lower-cased body, without leading or trailing
  // dots and quotes; counted until the third that says something (no array of every word).
  const lower = body.toLowerCase();
  let said = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(lower); m !== null; m = WORD.exec(lower)) {
    const w = m[0].replace(/^[.']+|[.']+$/g, '');
    if (w.length >= 2 && !EMPTY_WORDS.has(w) && !/^\d+$/.test(w) && ++said >= 3) return true;
  }
  return false;
}

// ---- per-vote assessment ------------------------------------------------------------------------

/** One reviewer's review of one patch set, judged for the new score. */
export interface JudgedReview {
  /** The review's change (store id) and date (its first act in the window). */
  changeId: number;
  at: Timestamp;
  changeNumber: number;
  /** Sign of the final Code-Review vote; null for comment-only reviews. */
  sign: 1 | -1 | null;
  /** Cast before any core's Code-Review vote on that patch set (comment-only: dated by the review). */
  independent: boolean;
  /** The verdict it is compared with: the latest core vote, else the fate; null while undetermined. */
  verdict: 1 | -1 | null;
  verdictBasis: 'core-vote' | 'fate' | null;
  /** For −1s: what became of it; null otherwise. */
  minusOutcome: 'confirmed-by-core' | 'confirmed-by-revision' | 'overruled' | 'unsupported' | 'pending' | null;
  substantive: boolean;
  areas: string[];
}

/** What the candidates read of the cores' Code-Review votes on one patch set. */
interface PatchSetCoreVotes {
  patchSet: number;
  /** Earliest non-zero core Code-Review vote on the patch set (any core, final or not). */
  firstAt: Timestamp;
  /** Whether some core's final value (from then on) is negative, and whether some is positive. */
  negative: boolean;
  positive: boolean;
}

/**
 * The acts grouped by change (the acts' change index), each change's in input order, as one index
 * array: change c's acts are `acts[start[c] … start[c + 1])`. A change has a few dozen acts at
 * most, so a look-up by patch set and person scans them.
 */
function actsByChange(change: ArrayLike<number>, changes: number): { start: Int32Array; acts: Int32Array } {
  const start = new Int32Array(changes + 1);
  for (let i = 0; i < change.length; i++) start[change[i]! + 1]! += 1;
  for (let c = 0; c < changes; c++) start[c + 1]! += start[c]!;
  const fill = start.slice(0, changes);
  const acts = new Int32Array(change.length);
  for (let i = 0; i < change.length; i++) acts[fill[change[i]!]!++] = i;
  return { start, acts };
}

/**
 * Per patch set of change `c`: when a core first voted on it (non-zero Code-Review) and the signs
 * of each core's final value from then on (acts taken in time order, ties in input order).
 */
function coreVotesOfChange(
  a: TeamActColumns,
  byChange: { start: Int32Array; acts: Int32Array },
  c: number,
  cr: number,
  roster: CoreRoster,
  isBot: (id: number) => boolean,
): PatchSetCoreVotes[] {
  const project = a.projects[a.changeProject[c]!]!;
  const owner = a.changeOwnerId[c]!;
  const picked: number[] = [];
  for (let k = byChange.start[c]!, end = byChange.start[c + 1]!; k < end; k++) {
    const i = byChange.acts[k]!;
    if (a.label[i] !== cr || a.value[i] === NO_VALUE) continue;
    const actor = a.actorId[i]!;
    if (actor === owner || isBot(actor) || !roster.isCoreAt(project, actor, a.at[i]!)) continue;
    picked.push(i);
  }
  if (picked.length === 0) return [];
  // Time order, equal times in input order (the acts' indexes ascend in input order).
  const at = a.at;
  if (picked.length > 1) picked.sort((x, y) => (at[x]! < at[y]! ? -1 : at[x]! > at[y]! ? 1 : x - y));
  const entries: Array<{ patchSet: number; firstAt: Timestamp; voters: number[]; values: number[] }> = [];
  for (let k = 0; k < picked.length; k++) {
    const i = picked[k]!;
    const ps = a.patchSet[i]!;
    const v = a.value[i]!;
    let e: (typeof entries)[number] | undefined;
    for (let x = 0; x < entries.length; x++) if (entries[x]!.patchSet === ps) e = entries[x];
    if (v !== 0 && !e) entries.push((e = { patchSet: ps, firstAt: at[i]!, voters: [], values: [] }));
    if (!e) continue;
    const voter = a.actorId[i]!;
    const at0 = e.voters.indexOf(voter);
    if (at0 < 0) {
      e.voters.push(voter);
      e.values.push(v);
    } else e.values[at0] = v;
  }
  return entries.map((e) => ({
    patchSet: e.patchSet,
    firstAt: e.firstAt,
    negative: e.values.some((x) => x < 0),
    positive: e.values.some((x) => x > 0),
  }));
}

/**
 * When `reviewerId`'s final Code-Review sign `sign` on `patchSet` was first cast, from change `c`'s
 * acts (any time): null without such a vote. A re-vote of the same sign after a core voted does not
 * make an early vote late.
 */
function firstVoteAt(
  a: TeamActColumns,
  byChange: { start: Int32Array; acts: Int32Array },
  c: number,
  cr: number,
  patchSet: number,
  reviewerId: number,
  sign: 1 | -1,
): Timestamp | null {
  let first: Timestamp | null = null;
  for (let k = byChange.start[c]!, end = byChange.start[c + 1]!; k < end; k++) {
    const i = byChange.acts[k]!;
    if (a.actorId[i] !== reviewerId || a.patchSet[i] !== patchSet || a.label[i] !== cr) continue;
    const v = a.value[i]!;
    if (v === NO_VALUE || v === 0 || (v > 0 ? 1 : -1) !== sign) continue;
    if (first === null || a.at[i]! < first) first = a.at[i]!;
  }
  return first;
}

// ---- the ranking ----------------------------------------------------------------------------------

export interface JudgementWeights {
  quality: { agreement: number; confirmedMinusOnes: number; reasoning: number };
  activity: { volume: number; consistency: number; breadth: number };
}

export const DEFAULT_JUDGEMENT_WEIGHTS: JudgementWeights = {
  quality: { agreement: 2, confirmedMinusOnes: 1, reasoning: 1 },
  activity: { volume: 1, consistency: 1, breadth: 1 },
};

export interface JudgementInput {
  /** Review acts of everyone from `since` to `now` (cores' votes included). */
  acts: readonly TeamActRecord[];
  /** Review messages with text, for substance. */
  messages: readonly ReviewMessageText[];
  changes: readonly ChangeFacts[];
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
}

/** {@link JudgementInput} with the acts as columns (as the store's `loadTeamActColumns` reads them). */
export interface JudgementColumnsInput extends Omit<JudgementInput, 'acts'> {
  acts: TeamActColumns;
}

export interface JudgementOptions {
  since: Timestamp;
  until: Timestamp;
  now: Timestamp;
  areaRules: AreaRules;
  /** Reviews (of any timing) needed to be listed. */
  minReviews: number;
  weights?: JudgementWeights;
  /** Seeded source for the rank bootstrap (e.g. `seededRandom(1)` from stats/random.ts). */
  random: Random;
  /** Bootstrap resamples for the rank ranges (default 200). */
  replicates?: number;
}

export interface JudgementCandidate {
  rank: number;
  /** 95% range of the rank over the bootstrap: best (smallest) and worst. */
  rankRange: { best: number; worst: number };
  accountId: number;
  score: number;
  quality: number;
  activity: number;
  components: {
    agreement: number;
    confirmedMinusOnes: number | null;
    reasoning: number;
    volume: number;
    consistency: number;
    breadth: number;
  };
  reviews: number;
  /** Reviews made before any core vote on the patch set (votes and comments). */
  independent: number;
  /** Votes cast after a core had voted on the patch set: shown, not scored. */
  afterCore: number;
  /** κ over independent votes with a determined verdict, with its 95% interval (clipped to [−1, 1]). */
  kappa: { value: number | null; lower: number | null; upper: number | null; votes: number; agreed: number };
  minusOnes: {
    total: number;
    confirmedByCore: number;
    confirmedByRevision: number;
    overruled: number;
    unsupported: number;
    pending: number;
  };
  substantive: number;
  activeWeeks: number;
  weeks: number;
  areas: string[];
}

export interface JudgementResult {
  candidates: JudgementCandidate[];
  /** Non-core humans with at least one review but fewer than `minReviews`. */
  belowMinimum: number;
  replicates: number;
}

interface Raw {
  agreement: number;
  confirmed: number | null;
  reasoning: number;
  volume: number;
  activeWeeks: number;
  areas: number;
}

/**
 * One person's judgements grouped by change and packed once for the rank bootstrap: per change what
 * the components read, as counts in typed arrays, and each change's weeks and areas as small
 * indexes into the person's own lists, so a re-draw adds numbers and marks indexes instead of
 * copying judgements or filling sets.
 */
interface PackedGroups {
  n: number;
  independent: Int32Array;
  substantive: Int32Array;
  settled: Int32Array;
  confirmed: Int32Array;
  /** Per change, the voted independent judgements counted by (sign, verdict): ++, +−, −+, −−. */
  pairs: Int32Array;
  /** Per change, the sign of its first voted independent judgement (0: none). */
  firstSign: Int8Array;
  /** Per change, which signs and verdicts occur: bit 0 sign +, 1 sign −, 2 verdict +, 3 verdict −. */
  seen: Uint8Array;
  /** Per change, its distinct weeks (indexes into the person's weeks), from `weekStart[g]`. */
  weekStart: Int32Array;
  weekIdx: Int32Array;
  weekCount: number;
  areaStart: Int32Array;
  areaIdx: Int32Array;
  areaCount: number;
}

const pairIndex = (sign: 1 | -1, verdict: 1 | -1): number => (sign > 0 ? 0 : 2) + (verdict > 0 ? 0 : 1);

/**
 * Packs one person's judgements grouped by change (changes ascending by id, each change's
 * judgements in list order): what the rank bootstrap re-draws.
 */
function packGroups(list: readonly JudgedReview[], since: Timestamp): PackedGroups {
  // The judgements' order by change, then list position (a stable sort by change id).
  const order = new Int32Array(list.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((x, y) => list[x]!.changeId - list[y]!.changeId || x - y);
  let n = 0;
  for (let k = 0; k < order.length; k++) if (k === 0 || list[order[k]!]!.changeId !== list[order[k - 1]!]!.changeId) n++;
  const p: PackedGroups = {
    n,
    independent: new Int32Array(n),
    substantive: new Int32Array(n),
    settled: new Int32Array(n),
    confirmed: new Int32Array(n),
    pairs: new Int32Array(4 * n),
    firstSign: new Int8Array(n),
    seen: new Uint8Array(n),
    weekStart: new Int32Array(n + 1),
    weekIdx: new Int32Array(0),
    weekCount: 0,
    areaStart: new Int32Array(n + 1),
    areaIdx: new Int32Array(0),
    areaCount: 0,
  };
  const weekOf = new Map<number, number>();
  const areaOfName = new Map<string, number>();
  const weekList: number[] = [];
  const areaList: number[] = [];
  // A change's distinct weeks and areas: an index is new to the change when its mark is not g + 1.
  let weekMarks: Int32Array<ArrayBuffer> = new Int32Array(16);
  let areaMarks: Int32Array<ArrayBuffer> = new Int32Array(16);
  let g = -1;
  for (let k = 0; k < order.length; k++) {
    const j = list[order[k]!]!;
    if (k === 0 || j.changeId !== list[order[k - 1]!]!.changeId) {
      if (g >= 0) {
        p.weekStart[g + 1] = weekList.length;
        p.areaStart[g + 1] = areaList.length;
      }
      g++;
    }
    if (!j.independent) continue;
    p.independent[g]! += 1;
    if (j.substantive) p.substantive[g]! += 1;
    if (j.minusOutcome !== null && j.minusOutcome !== 'pending') {
      p.settled[g]! += 1;
      if (j.minusOutcome === 'confirmed-by-core' || j.minusOutcome === 'confirmed-by-revision') p.confirmed[g]! += 1;
    }
    const week = Math.floor((j.at - since) / (7 * DAY_MS));
    let w = weekOf.get(week);
    if (w === undefined) weekOf.set(week, (w = weekOf.size));
    if (w >= weekMarks.length) weekMarks = grown(weekMarks, w);
    if (weekMarks[w] !== g + 1) {
      weekMarks[w] = g + 1;
      weekList.push(w);
    }
    for (let x = 0; x < j.areas.length; x++) {
      const name = j.areas[x]!;
      let a = areaOfName.get(name);
      if (a === undefined) areaOfName.set(name, (a = areaOfName.size));
      if (a >= areaMarks.length) areaMarks = grown(areaMarks, a);
      if (areaMarks[a] !== g + 1) {
        areaMarks[a] = g + 1;
        areaList.push(a);
      }
    }
    if (j.sign === null || j.verdict === null) continue;
    if (p.firstSign[g] === 0) p.firstSign[g] = j.sign;
    p.seen[g]! |= (j.sign > 0 ? 1 : 2) | (j.verdict > 0 ? 4 : 8);
    p.pairs[4 * g + pairIndex(j.sign, j.verdict)]! += 1;
  }
  if (g >= 0) {
    p.weekStart[g + 1] = weekList.length;
    p.areaStart[g + 1] = areaList.length;
  }
  p.weekIdx = Int32Array.from(weekList);
  p.areaIdx = Int32Array.from(areaList);
  p.weekCount = weekOf.size;
  p.areaCount = areaOfName.size;
  return p;
}

/** `marks` with room for index `i` (the new entries 0). */
function grown(marks: Int32Array, i: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(Math.max(i + 1, 2 * marks.length));
  out.set(marks);
  return out;
}

/**
 * The raw components of a person from their packed judgements (the independent judgements: κ of
 * their signs against the verdicts, confirmed −1s, reasoned share, volume, weeks, areas): the sums over every change (κ from the
 * same counts: with one or two categories its sums have two terms at most, so their order does not
 * change a bit), the distinct weeks and areas.
 */
function rawOfPacked(p: PackedGroups): Raw {
  let independent = 0;
  let substantive = 0;
  let settled = 0;
  let confirmed = 0;
  let seen = 0;
  let pp = 0;
  let pm = 0;
  let mp = 0;
  let mm = 0;
  for (let g = 0; g < p.n; g++) {
    independent += p.independent[g]!;
    substantive += p.substantive[g]!;
    settled += p.settled[g]!;
    confirmed += p.confirmed[g]!;
    seen |= p.seen[g]!;
    pp += p.pairs[4 * g]!;
    pm += p.pairs[4 * g + 1]!;
    mp += p.pairs[4 * g + 2]!;
    mm += p.pairs[4 * g + 3]!;
  }
  const voted = pp + pm + mp + mm;
  let agreement = 0;
  if (voted > 0) {
    // Categories: two when + and − both occur, among the signs and the verdicts.
    const two = (seen & 5) !== 0 && (seen & 10) !== 0;
    const kappa = kappaOfTwo(two ? 2 : 1, pp, pm, mp, mm, voted);
    agreement = Number.isNaN(kappa) ? 0 : Math.max(0, kappa);
  }
  return {
    agreement,
    confirmed: settled > 0 ? confirmed / settled : null,
    reasoning: independent ? substantive / independent : 0,
    volume: independent,
    activeWeeks: p.weekCount,
    areas: p.areaCount,
  };
}

/**
 * Marks for counting distinct weeks and areas over one re-draw: an index counts when its mark is
 * not yet the re-draw's stamp.
 */
class Marks {
  weeks = new Int32Array(64);
  areas = new Int32Array(64);
  stamp = 0;
  /** The re-draw's indexes, when the source fills them at once (`Random.indexes`). */
  drawn = new Int32Array(64);
  /** Room for the given counts, and a fresh stamp. */
  next(weeks: number, areas: number): void {
    if (weeks > this.weeks.length) this.weeks = new Int32Array(Math.max(weeks, 2 * this.weeks.length));
    if (areas > this.areas.length) this.areas = new Int32Array(Math.max(areas, 2 * this.areas.length));
    this.stamp += 1;
  }
}

/**
 * The score (`scoreOf(rawOfPacked(…))` of the drawn changes) of the judgements of `p.n` changes drawn with `random`
 * (`randomIndex`, one draw each, in order), from the packed tallies: the same value to the last bit
 * (κ from the same table of counts, its categories in the same order as the judgements would give
 * them: every sign in order of first appearance, then the verdicts; the weighted means summed in the
 * same order). One tight loop over typed arrays, no object made: it runs millions of times.
 */
function scoreOfDraw(p: PackedGroups, random: Random, marks: Marks, scale: Scale, w: JudgementWeights): number {
  let independent = 0;
  let substantive = 0;
  let settled = 0;
  let confirmed = 0;
  let weeks = 0;
  let areas = 0;
  let first = 0;
  let seen = 0;
  let pp = 0;
  let pm = 0;
  let mp = 0;
  let mm = 0;
  marks.next(p.weekCount, p.areaCount);
  const n = p.n;
  // The draws made at once where the source can (the same indexes in the same order).
  if (random.indexes && n > marks.drawn.length) marks.drawn = new Int32Array(Math.max(n, 2 * marks.drawn.length));
  random.indexes?.(n, marks.drawn, n);
  const drawn = random.indexes ? marks.drawn : null;
  const index = random.index;
  const stamp = marks.stamp;
  const weekMarks = marks.weeks;
  const areaMarks = marks.areas;
  const { weekStart, weekIdx, areaStart, areaIdx, pairs, firstSign } = p;
  const ind = p.independent;
  const sub = p.substantive;
  const set = p.settled;
  const conf = p.confirmed;
  const seenOf = p.seen;
  for (let i = 0; i < n; i++) {
    const g = drawn !== null ? drawn[i]! : index !== undefined ? index(n) : randomIndex(random, n);
    independent += ind[g]!;
    substantive += sub[g]!;
    settled += set[g]!;
    confirmed += conf[g]!;
    for (let k = weekStart[g]!, end = weekStart[g + 1]!; k < end; k++) {
      const wk = weekIdx[k]!;
      if (weekMarks[wk] !== stamp) {
        weekMarks[wk] = stamp;
        weeks += 1;
      }
    }
    for (let k = areaStart[g]!, end = areaStart[g + 1]!; k < end; k++) {
      const a = areaIdx[k]!;
      if (areaMarks[a] !== stamp) {
        areaMarks[a] = stamp;
        areas += 1;
      }
    }
    if (first === 0) first = firstSign[g]!;
    seen |= seenOf[g]!;
    const q = 4 * g;
    pp += pairs[q]!;
    pm += pairs[q + 1]!;
    mp += pairs[q + 2]!;
    mm += pairs[q + 3]!;
  }
  const voted = pp + pm + mp + mm;
  // κ over the categories [first, other?]: the cell (s, v) is the count of sign s against verdict v.
  let agreement = 0;
  if (voted > 0) {
    const other = -first;
    const two = (seen & (other > 0 ? 1 : 2)) !== 0 || (seen & (other > 0 ? 4 : 8)) !== 0;
    // first +: cells ++, +−, −+, −−; first −: −−, −+, +−, ++.
    const kappa = first > 0 ? kappaOfTwo(two ? 2 : 1, pp, pm, mp, mm, voted) : kappaOfTwo(two ? 2 : 1, mm, mp, pm, pp, voted);
    agreement = Number.isNaN(kappa) ? 0 : Math.max(0, kappa);
  }
  const confirmedShare = settled > 0 ? confirmed / settled : null;
  const reasoning = independent ? substantive / independent : 0;
  // scoreOf, with weightedMean's sums in its order.
  const volume = scale.volume > 0 ? Math.min(1, independent / scale.volume) : 0;
  const breadth = scale.areas > 0 ? Math.min(1, areas / scale.areas) : 0;
  const consistency = weeks / scale.weeks;
  let num = 0;
  let den = 0;
  num += agreement * w.quality.agreement;
  den += w.quality.agreement;
  if (confirmedShare !== null) {
    num += confirmedShare * w.quality.confirmedMinusOnes;
    den += w.quality.confirmedMinusOnes;
  }
  num += reasoning * w.quality.reasoning;
  den += w.quality.reasoning;
  const quality = den === 0 ? 0 : num / den;
  num = 0;
  den = 0;
  num += volume * w.activity.volume;
  den += w.activity.volume;
  num += consistency * w.activity.consistency;
  den += w.activity.consistency;
  num += breadth * w.activity.breadth;
  den += w.activity.breadth;
  const activity = den === 0 ? 0 : num / den;
  return quality * activity;
}

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

interface Scale {
  volume: number;
  areas: number;
  weeks: number;
}

function scoreOf(
  r: Raw,
  scale: Scale,
  w: JudgementWeights,
): { score: number; quality: number; activity: number; volume: number; consistency: number; breadth: number } {
  const volume = scale.volume > 0 ? Math.min(1, r.volume / scale.volume) : 0;
  const breadth = scale.areas > 0 ? Math.min(1, r.areas / scale.areas) : 0;
  const consistency = r.activeWeeks / scale.weeks;
  const quality = weightedMean([
    [r.agreement, w.quality.agreement],
    [r.confirmed, w.quality.confirmedMinusOnes],
    [r.reasoning, w.quality.reasoning],
  ]);
  const activity = weightedMean([
    [volume, w.activity.volume],
    [consistency, w.activity.consistency],
    [breadth, w.activity.breadth],
  ]);
  return { score: quality * activity, quality, activity, volume, consistency, breadth };
}

/** Ranks (1 = best) of `scores`, ties broken by `tieBreak` ascending. */
function ranksOf(scores: readonly number[], tieBreak: readonly number[]): number[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || tieBreak[a]! - tieBreak[b]!);
  const out = new Array<number>(scores.length);
  order.forEach((idx, r) => (out[idx] = r + 1));
  return out;
}

/**
 * Ranks the non-core reviewers with at least `minReviews` reviews in [since, until) by judgement;
 * see the module comment for every definition. Pure: the rank bootstrap draws from
 * `options.random`, so a seed fixes the ranges.
 *
 * @example
 * computeJudgementCandidates({ acts, messages, changes, isBot, roster },
 *   { since, until, now, areaRules, minReviews: 10, random: seededRandom(1) }).candidates[0].rankRange
 */
export function computeJudgementCandidates(input: JudgementInput, options: JudgementOptions): JudgementResult {
  return computeJudgementCandidatesOf({ ...input, acts: actColumnsOf(input.acts) }, options);
}

/**
 * {@link computeJudgementCandidates} over act columns: the reviews, the cores' verdicts and their
 * first votes are read from the columns (reviews.ts `reviewColumnsInPeriod`, reviewers.ts
 * `coreVerdictSigns`), without an object per act or per review.
 */
export function computeJudgementCandidatesOf(input: JudgementColumnsInput, options: JudgementOptions): JudgementResult {
  const { since, until, now } = options;
  const weights = options.weights ?? DEFAULT_JUDGEMENT_WEIGHTS;
  const replicates = options.replicates ?? 200;
  const acts = input.acts;
  const crLabel = acts.labels.indexOf('Code-Review');
  // No Code-Review label: no act matches (-1 is a comment's).
  const cr = crLabel < 0 ? -3 : crLabel;
  const verdictSign = coreVerdictSigns(acts, input.roster, input.isBot);
  const byChange = actsByChange(acts.change, acts.changeId.length);
  const coreVotes = new Map<number, PatchSetCoreVotes[]>();
  const changes = new Map(input.changes.map((c) => [c.id, c]));
  const rv = reviewColumnsInPeriod(acts, input.isBot, since, until);
  // Per change, the (patch set, author) pairs of substantive messages, flat.
  const substantiveBy = new Map<number, number[]>();
  for (let i = 0; i < input.messages.length; i++) {
    const m = input.messages[i]!;
    if (!isSubstantive(m.text)) continue;
    let s = substantiveBy.get(m.changeId);
    if (!s) substantiveBy.set(m.changeId, (s = []));
    s.push(m.patchSet, m.authorId);
  }
  const isSubstantiveBy = (changeId: number, patchSet: number, authorId: number): boolean => {
    const s = substantiveBy.get(changeId);
    if (s) for (let i = 0; i < s.length; i += 2) if (s[i] === patchSet && s[i + 1] === authorId) return true;
    return false;
  };
  const cores = input.roster.membersAt(now);
  const areaCache = new Map<number, string[]>();
  // Paths recur across changes: each one's area worked out once.
  const areaOfPath = new Map<string, string>();
  const areaOfCached = (f: string): string => {
    let a = areaOfPath.get(f);
    if (a === undefined) areaOfPath.set(f, (a = areaOf(f, options.areaRules)));
    return a;
  };

  const byPerson = new Map<number, JudgedReview[]>();
  for (let r = 0; r < rv.length; r++) {
    const reviewer = rv.reviewer[r]!;
    if (cores.has(reviewer) || input.isBot(reviewer)) continue;
    const ch = rv.change[r]!;
    const ps = rv.patchSet[r]!;
    const id = acts.changeId[ch]!;
    const c = changes.get(id);
    const v = rv.codeReview[r]!;
    const sign: 1 | -1 | null = v === NO_VALUE || v === 0 ? null : v > 0 ? 1 : -1;
    const reviewAt = rv.at[r]!;
    const at = sign === null ? reviewAt : (firstVoteAt(acts, byChange, ch, cr, ps, reviewer, sign) ?? reviewAt);
    let ofChange = coreVotes.get(ch);
    if (!ofChange) coreVotes.set(ch, (ofChange = coreVotesOfChange(acts, byChange, ch, cr, input.roster, input.isBot)));
    let core: PatchSetCoreVotes | undefined;
    for (let x = 0; x < ofChange.length; x++) if (ofChange[x]!.patchSet === ps) core = ofChange[x];
    const independent = !core || at < core.firstAt;
    const coreVerdict = verdictSign(ch, ps, reviewer);
    const fate = c ? patchSetFate(c, ps, at, now) : 'open';
    let verdict: 1 | -1 | null = null;
    let verdictBasis: JudgedReview['verdictBasis'] = null;
    if (coreVerdict !== 0) {
      verdict = coreVerdict > 0 ? 1 : -1;
      verdictBasis = 'core-vote';
    } else if (fate !== 'open') {
      verdict = fate === 'merged' ? 1 : -1;
      verdictBasis = 'fate';
    }
    const substantive = isSubstantiveBy(id, ps, reviewer);
    let minusOutcome: JudgedReview['minusOutcome'] = null;
    if (sign === -1) {
      if (core?.negative) minusOutcome = 'confirmed-by-core';
      else if (core?.positive || fate === 'merged') minusOutcome = 'overruled';
      else if (fate === 'revised') minusOutcome = substantive ? 'confirmed-by-revision' : 'unsupported';
      else minusOutcome = 'pending';
    }
    let areas: string[] = [];
    if (c) {
      const cached = areaCache.get(c.id);
      if (cached) areas = cached;
      else areaCache.set(c.id, (areas = [...new Set(c.files.map(areaOfCached))].sort()));
    }
    let list = byPerson.get(reviewer);
    if (!list) byPerson.set(reviewer, (list = []));
    list.push({
      changeId: id,
      at: reviewAt,
      changeNumber: c?.number ?? id,
      sign,
      independent,
      verdict,
      verdictBasis,
      minusOutcome,
      substantive,
      areas,
    });
  }

  let belowMinimum = 0;
  const people: Array<{ id: number; list: JudgedReview[]; raw: Raw; packed: PackedGroups }> = [];
  for (const [id, list] of byPerson) {
    if (list.length < options.minReviews) {
      belowMinimum += 1;
      continue;
    }
    // Packed once: the point components and the bootstrap's re-draws read the same tallies.
    const packed = packGroups(list, since);
    people.push({ id, list, raw: rawOfPacked(packed), packed });
  }
  const weeks = Math.max(1, Math.ceil((until - since) / (7 * DAY_MS)));
  const scale: Scale = {
    volume: Math.max(0, ...people.map((p) => p.raw.volume)),
    areas: Math.max(0, ...people.map((p) => p.raw.areas)),
    weeks,
  };
  const point = people.map((p) => scoreOf(p.raw, scale, weights));
  const ids = people.map((p) => p.id);
  const pointRanks = ranksOf(
    point.map((s) => s.score),
    ids,
  );

  // Rank bootstrap: each person's reviews resampled by change, normalisers held at the point values.
  const packed = people.map((p) => p.packed);
  const rankSamples: number[][] = people.map(() => []);
  const marks = new Marks();
  for (let b = 0; b < replicates; b++) {
    const scores = packed.map((groups) => scoreOfDraw(groups, options.random, marks, scale, weights));
    ranksOf(scores, ids).forEach((r, i) => rankSamples[i]!.push(r));
  }

  const candidates: JudgementCandidate[] = people.map((p, i) => {
    const s = point[i]!;
    const ind = p.list.filter((j) => j.independent);
    const voted = ind.filter((j) => j.sign !== null && j.verdict !== null);
    const k = cohensKappa(
      voted.map((j) => j.sign),
      voted.map((j) => j.verdict),
    );
    const minus = { total: 0, confirmedByCore: 0, confirmedByRevision: 0, overruled: 0, unsupported: 0, pending: 0 };
    for (const j of ind) {
      if (j.minusOutcome === null) continue;
      minus.total += 1;
      if (j.minusOutcome === 'confirmed-by-core') minus.confirmedByCore += 1;
      else if (j.minusOutcome === 'confirmed-by-revision') minus.confirmedByRevision += 1;
      else minus[j.minusOutcome] += 1;
    }
    const range = percentileInterval(rankSamples[i]!);
    const areas = new Set<string>();
    for (const j of ind) for (const a of j.areas) areas.add(a);
    return {
      rank: pointRanks[i]!,
      rankRange: range
        ? { best: Math.round(range.lower), worst: Math.round(range.upper) }
        : { best: pointRanks[i]!, worst: pointRanks[i]! },
      accountId: p.id,
      score: round(s.score, 4) ?? 0,
      quality: round(s.quality, 4) ?? 0,
      activity: round(s.activity, 4) ?? 0,
      components: {
        agreement: round(p.raw.agreement, 4) ?? 0,
        confirmedMinusOnes: round(p.raw.confirmed, 4),
        reasoning: round(p.raw.reasoning, 4) ?? 0,
        volume: round(s.volume, 4) ?? 0,
        consistency: round(s.consistency, 4) ?? 0,
        breadth: round(s.breadth, 4) ?? 0,
      },
      reviews: p.list.length,
      independent: ind.length,
      afterCore: p.list.filter((j) => !j.independent && j.sign !== null).length,
      kappa: {
        value: round(k.kappa, 4),
        lower: round(k.lower === null ? null : Math.max(-1, k.lower), 4),
        upper: round(k.upper === null ? null : Math.min(1, k.upper), 4),
        votes: voted.length,
        agreed: voted.filter((j) => j.sign === j.verdict).length,
      },
      minusOnes: minus,
      substantive: ind.filter((j) => j.substantive).length,
      activeWeeks: p.raw.activeWeeks,
      weeks,
      areas: [...areas].sort(),
    };
  });
  candidates.sort((a, b) => a.rank - b.rank);
  return { candidates, belowMinimum, replicates };
}

// ---- the report -----------------------------------------------------------------------------------

export interface CandidatesResult extends JudgementResult {
  period: { since: string; until: string; days: number };
  now: string;
  minReviews: number;
  weights: JudgementWeights;
}

/**
 * `steward core candidates`: {@link computeJudgementCandidates} with the period and the rules it
 * used, as the report prints them. Pure (the rank bootstrap draws from `options.random`).
 *
 * @example computeCandidates(input, { since, until, now, areaRules, minReviews: 10, random: seededRandom(1) }).candidates[0].kappa
 */
export function computeCandidates(input: JudgementInput, options: JudgementOptions): CandidatesResult {
  return computeCandidatesOf({ ...input, acts: actColumnsOf(input.acts) }, options);
}

/** {@link computeCandidates} over act columns (as the store's `loadTeamActColumns` reads them). */
export function computeCandidatesOf(input: JudgementColumnsInput, options: JudgementOptions): CandidatesResult {
  const r = computeJudgementCandidatesOf(input, options);
  return {
    period: {
      since: new Date(options.since).toISOString(),
      until: new Date(options.until).toISOString(),
      days: round((options.until - options.since) / DAY_MS, 2) ?? 0,
    },
    now: new Date(options.now).toISOString(),
    minReviews: options.minReviews,
    weights: options.weights ?? DEFAULT_JUDGEMENT_WEIGHTS,
    ...r,
  };
}
