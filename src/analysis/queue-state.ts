/**
 * THE definition of what an open change is waiting on, at any moment of its life. The queue
 * (`steward queue`), the waits (`steward waits`), the bandwidth view and the dashboards all call
 * this module; nothing else decides it.
 *
 * At a moment t, with the change's current patch set being the newest one created at or before t
 * and "final votes" meaning each voter's latest vote per label on that patch set (copied votes
 * included, a removed vote being no vote), the change is:
 *
 * 1. `wip` — work in progress: Gerrit's WIP flag is set, or someone voted Workflow −1;
 * 2. `author` — waiting on the author: a human's final Code-Review or Verified vote is negative
 *    (a −2 makes it `blocked` too), or the gating CI's final Verified vote is negative and no
 *    re-run is pending;
 * 3. `approved` — approved (Workflow +1, or the legacy Approved label) and waiting to merge;
 * 4. `ci` — waiting on CI: the gating CI has not yet voted on the patch set since its upload or
 *    since the last "recheck" comment (see {@link CI_SILENCE_LIMIT_MS});
 * 5. `reviewers` — waiting on reviewers: everything else.
 *
 * The gating CI is the set of accounts whose Verified vote decides merging: bots that ever voted
 * Verified ±2 (Zuul and Jenkins do in the gate; third-party CI systems vote ±1 at most). When no
 * bot ever did, every bot's Verified vote counts. A third-party CI's vote or failed report alone
 * never puts a change on its author.
 *
 * A merged change is closed from its merge time; an abandoned one from each "Abandoned" message
 * (or its abandon time) until a "Restored" message.
 */
import type { ReviewActRecord } from '../model/activity.js';
import type { FlowChange, FlowVote } from '../model/flow.js';
import type { Timestamp } from '../model/records.js';
import type { Review } from './reviews.js';

export type FlowState = 'wip' | 'author' | 'approved' | 'ci' | 'reviewers';
export type FlowPhase = FlowState | 'closed';

export const FLOW_STATES: readonly FlowState[] = ['reviewers', 'author', 'ci', 'approved', 'wip'];

/**
 * How long a patch set the gating CI never votes on counts as waiting on CI: 24 hours (an outage,
 * a CI that skips the change). A vote that does come, however late, ends the wait when it comes.
 */
export const CI_SILENCE_LIMIT_MS = 24 * 3_600_000;

/**
 * Sorts in place exactly as Array.prototype.sort does (stably, by `cmp`), by insertion for the
 * few elements a patch set's votes or a change's events usually are: the built-in sort copies
 * every array it sorts into fresh work arrays, which across a store's worth of tiny arrays was a
 * third of what the queue allocated.
 */
export function sortSmall<T>(a: T[], cmp: (x: T, y: T) => number): T[] {
  if (a.length > 32) return a.sort(cmp);
  for (let i = 1; i < a.length; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && cmp(a[j]!, x) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
  return a;
}

const byTimeThenVoter = (a: { at: number; voterId: number }, b: { at: number; voterId: number }): number =>
  a.at - b.at || a.voterId - b.voterId;

export interface FlowContext {
  isBot: (accountId: number) => boolean;
  /** Accounts whose Verified vote decides merging (see {@link gatingCiIds}). */
  gatingCi: ReadonlySet<number>;
}

/**
 * The gating CI: bots among `verifiedPlusMinusTwo` (accounts that ever voted Verified ±2); when
 * none is a bot, every bot (so every bot's Verified vote counts).
 */
export function gatingCiIds(verifiedPlusMinusTwo: Iterable<number>, bots: Iterable<number>): Set<number> {
  const botSet = new Set(bots);
  const gating = new Set([...verifiedPlusMinusTwo].filter((id) => botSet.has(id)));
  return gating.size ? gating : botSet;
}

export interface FinalVote {
  voterId: number;
  label: string;
  value: number;
  at: Timestamp;
  copied: boolean;
}

/** Each voter's latest vote per label on `patchSet` cast at or before t, non-zero ones only. */
export function finalVotes(votes: readonly FlowVote[], patchSet: number, t: Timestamp = Number.MAX_SAFE_INTEGER): FinalVote[] {
  // A patch set has a handful of votes: a linear search beats hashing composite keys.
  const last: FlowVote[] = [];
  for (const v of votes) {
    if (v.patchSet !== patchSet || v.at > t) continue;
    let k = 0;
    while (k < last.length && (last[k]!.voterId !== v.voterId || last[k]!.label !== v.label)) k++;
    if (k === last.length) last.push(v);
    else if (v.at >= last[k]!.at) last[k] = v;
  }
  const out: FinalVote[] = [];
  for (const v of last) if (v.value !== 0) out.push({ voterId: v.voterId, label: v.label, value: v.value, at: v.at, copied: v.copied });
  return sortSmall(out, byTimeThenVoter);
}

/**
 * Whether a final vote on `patchSet` at t is negative feedback: `finalVotes(votes, patchSet,
 * t).some((v) => isNegativeFeedback(v, ctx))`, without building the list (the queue asks it of
 * every patch set of every change waiting on reviewers). A vote is final when no vote of the same
 * voter and label on the patch set, cast at or before t, is later, or as late and after it in
 * `votes` (finalVotes keeps the last of equal times).
 */
export function hasNegativeFeedback(votes: readonly FlowVote[], patchSet: number, t: Timestamp, ctx: FlowContext): boolean {
  const n = votes.length;
  for (let i = 0; i < n; i++) {
    const v = votes[i]!;
    if (v.patchSet !== patchSet || v.at > t || v.value >= 0 || !isNegativeFeedback(v, ctx)) continue;
    let final = true;
    for (let j = 0; j < n && final; j++) {
      if (j === i) continue;
      const w = votes[j]!;
      if (w.patchSet !== patchSet || w.at > t || w.voterId !== v.voterId || w.label !== v.label) continue;
      if (w.at > v.at || (w.at === v.at && j > i)) final = false;
    }
    if (final) return true;
  }
  return false;
}

/** Whether a final vote is negative feedback: a human's (or the gating CI's) Code-Review or Verified below 0. */
export function isNegativeFeedback(v: { voterId: number; label: string; value: number }, ctx: FlowContext): boolean {
  if (v.value >= 0) return false;
  if (v.label === 'Code-Review') return !ctx.isBot(v.voterId);
  if (v.label === 'Verified') return !ctx.isBot(v.voterId) || ctx.gatingCi.has(v.voterId);
  return false;
}

/** What a change looks like at one moment: its state and the facts that decided it. */
export interface Situation {
  state: FlowPhase;
  /** Current patch set (0 before the first one). */
  patchSet: number;
  patchSetCreated: Timestamp | null;
  wip: 'flag' | 'workflow' | null;
  /** Humans whose final Code-Review or Verified vote is negative. */
  negativeReviewers: number[];
  /** Someone's final Code-Review is −2. */
  blocked: boolean;
  ci: 'passed' | 'failed' | 'pending' | 'none';
  approved: boolean;
  /** Humans whose final Code-Review is +2, and when they gave it. */
  plusTwos: Array<{ voterId: number; at: Timestamp }>;
}

/** The facts the state rule reads from a patch set's final votes, without allocating. */
interface VoteFacts {
  wipVote: boolean;
  negativeHuman: boolean;
  ciFailed: boolean;
  ciPassed: boolean;
  approved: boolean;
}

function voteFacts(final: ReadonlyArray<{ voterId: number; label: string; value: number }>, ctx: FlowContext): VoteFacts {
  return voteFactsInto({ wipVote: false, negativeHuman: false, ciFailed: false, ciPassed: false, approved: false }, final, ctx);
}

/** {@link voteFacts} written into `f` (every field set): the replay reads them at every event, into one object. */
function voteFactsInto(f: VoteFacts, final: ReadonlyArray<{ voterId: number; label: string; value: number }>, ctx: FlowContext): VoteFacts {
  f.wipVote = false;
  f.negativeHuman = false;
  f.ciFailed = false;
  f.ciPassed = false;
  f.approved = false;
  // Indexed loops in this file's hot paths: unoptimised (a fresh process), a for…of allocates an
  // iterator result per step (the queue's 16,000 changes, the waits' 26,000 replays).
  for (let i = 0; i < final.length; i++) {
    const v = final[i]!;
    if (v.value === 0) continue;
    if (v.label === 'Workflow' || v.label === 'Approved') {
      if (v.value < 0) f.wipVote = true;
      else f.approved = true;
    } else if (v.label === 'Code-Review' || v.label === 'Verified') {
      const bot = ctx.isBot(v.voterId);
      if (v.value < 0 && !bot) f.negativeHuman = true;
      if (v.label === 'Verified' && bot && ctx.gatingCi.has(v.voterId)) {
        if (v.value < 0) f.ciFailed = true;
        else f.ciPassed = true;
      }
    }
  }
  return f;
}

/** The state rule itself (see the module comment), over a patch set's vote facts and the flags. */
function stateOf(f: VoteFacts, wipFlag: boolean, ciPending: boolean, closed: boolean): FlowPhase {
  if (closed) return 'closed';
  if (wipFlag || f.wipVote) return 'wip';
  if (f.negativeHuman || (f.ciFailed && !ciPending)) return 'author';
  if (f.approved) return 'approved';
  if (ciPending) return 'ci';
  return 'reviewers';
}

/** The state and its reasons, over a patch set's final votes and the two flags. */
export function classify(
  final: readonly FinalVote[],
  wipFlag: boolean,
  ciPending: boolean,
  closed: boolean,
  ctx: FlowContext,
): Omit<Situation, 'patchSet' | 'patchSetCreated'> {
  const { patchSet: _p, patchSetCreated: _c, ...rest } = situationOf(final, wipFlag, ciPending, closed, ctx, 0, null);
  return rest;
}

/** {@link classify} with the patch set: the whole Situation built at once (one object, its shape fixed). */
function situationOf(
  final: readonly FinalVote[],
  wipFlag: boolean,
  ciPending: boolean,
  closed: boolean,
  ctx: FlowContext,
  patchSet: number,
  patchSetCreated: Timestamp | null,
): Situation {
  const f = voteFacts(final, ctx);
  const state = stateOf(f, wipFlag, ciPending, closed);
  const negativeReviewers: number[] = [];
  const plusTwos: Situation['plusTwos'] = [];
  let blocked = false;
  for (let i = 0; i < final.length; i++) {
    const v = final[i]!;
    if (v.label !== 'Code-Review' && v.label !== 'Verified') continue;
    if (ctx.isBot(v.voterId)) continue;
    if (v.value < 0 && !negativeReviewers.includes(v.voterId)) negativeReviewers.push(v.voterId);
    if (v.label === 'Code-Review' && v.value <= -2) blocked = true;
    if (v.label === 'Code-Review' && v.value >= 2) plusTwos.push({ voterId: v.voterId, at: v.at });
  }
  const ci: Situation['ci'] = ciPending ? 'pending' : f.ciFailed ? 'failed' : f.ciPassed ? 'passed' : 'none';
  return {
    state,
    wip: wipFlag ? 'flag' : f.wipVote ? 'workflow' : null,
    negativeReviewers,
    blocked,
    ci,
    approved: f.approved,
    plusTwos,
    patchSet,
    patchSetCreated,
  };
}

/** A stretch of a change's life in one phase on one patch set: [from, to). */
export interface Segment {
  phase: FlowPhase;
  from: Timestamp;
  to: Timestamp;
  patchSet: number;
}

export interface Replay {
  /** Consecutive, from the creation to `min(horizon, end)`; empty when created after the horizon. */
  segments: Segment[];
  /** The situation at the end of the replay (at the horizon, or just before the change closed). */
  final: Situation;
  /** The moment the replay stopped: the horizon or the merge/abandon time, whichever is first. */
  stop: Timestamp;
}

// Event kinds, in the order they apply at equal times.
const UPLOAD = 0;
const VOTE = 1;
const MESSAGE = 2;
const EXPIRY = 3;

/**
 * Replays a change's events up to `horizon` and returns its phases over time. Events after the
 * horizon are ignored (so replaying the past never sees the future).
 *
 * WIP flag over time: "Set Work In Progress" / "Set Ready For Review" messages switch it; before
 * the first such message the flag is off, unless that first message turns it off (the change was
 * uploaded as WIP) or there is none and the change is WIP now.
 *
 * Votes on the current patch set only matter: a new patch set starts with none but the votes
 * Gerrit copied to it, which take effect at its creation.
 */
export function replayFlow(c: FlowChange, ctx: FlowContext, horizon: Timestamp): Replay {
  const end = c.mergedAt ?? (c.status === 'ABANDONED' ? c.abandonedAt : null);
  const stop = Math.min(horizon, end ?? Number.POSITIVE_INFINITY);
  // Patch sets created by the stop: number and creation time (a few: lists, not a map; the last
  // of a repeated number counts).
  const psNumber: number[] = [];
  const psAt: Timestamp[] = [];
  for (let i = 0; i < c.patchSets.length; i++) {
    const p = c.patchSets[i]!;
    if (p.created > stop) continue;
    const k = psNumber.indexOf(p.number);
    if (k >= 0) psAt[k] = p.created;
    else {
      psNumber.push(p.number);
      psAt.push(p.created);
    }
  }
  const psCreated = (n: number): Timestamp | undefined => {
    const k = psNumber.indexOf(n);
    return k >= 0 ? psAt[k] : undefined;
  };

  let wip = c.workInProgress;
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i]!;
    if (m.event === 'wip-on' || m.event === 'wip-off') {
      wip = m.event === 'wip-off';
      break;
    }
  }
  let closed = false;
  let curPs = 0;
  // The current patch set's latest vote per (voter, label): a handful, so a list.
  let cur: FlowVote[] = [];
  let pending = false;
  let pendingToken = 0;
  // Whether the gating CI ever gives a verdict on patch set `ps` at or after t (by the stop).
  const answered = (ps: number, t: Timestamp): boolean => {
    for (let i = 0; i < c.votes.length; i++) {
      const v = c.votes[i]!;
      if (v.patchSet === ps && v.at >= t && v.label === 'Verified' && !v.copied && v.at <= stop && ctx.gatingCi.has(v.voterId)) return true;
    }
    return false;
  };

  // Events as parallel arrays (time, kind, index), processed in (time, kind, index) order: a total
  // order, as no two events share all three.
  const et: number[] = [];
  const ek: number[] = [];
  const ei: number[] = [];
  const add = (t: Timestamp, kind: number, idx: number): number => {
    et.push(t);
    ek.push(kind);
    ei.push(idx);
    return et.length - 1;
  };
  for (let k = 0; k < psNumber.length; k++) add(psAt[k]!, UPLOAD, psNumber[k]!);
  for (let i = 0; i < c.votes.length; i++) {
    const v = c.votes[i]!;
    const created = psCreated(v.patchSet);
    if (created === undefined || v.at > stop) continue;
    add(v.copied ? Math.max(v.at, created) : v.at, VOTE, i);
  }
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i]!;
    if (m.event && m.at <= stop) add(m.at, MESSAGE, i);
  }
  const byOrder = (a: number, b: number) => et[a]! - et[b]! || ek[a]! - ek[b]! || ei[a]! - ei[b]!;
  const order: number[] = [];
  for (let i = 0; i < et.length; i++) order.push(i);
  sortSmall(order, byOrder);
  // The event being processed; an expiry added goes into the sorted unprocessed rest after it.
  let at = 0;
  const trigger = (ps: number, t: Timestamp): void => {
    if (ctx.gatingCi.size === 0) return;
    const token = ++pendingToken;
    pending = true;
    if (answered(ps, t) || t + CI_SILENCE_LIMIT_MS >= stop) return;
    const e = add(t + CI_SILENCE_LIMIT_MS, EXPIRY, token);
    let lo = at + 1;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byOrder(order[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, e);
  };

  const segments: Segment[] = [];
  // The current patch set's vote facts, rewritten at each event (one object for the replay, not one per event).
  const facts: VoteFacts = { wipVote: false, negativeHuman: false, ciFailed: false, ciPassed: false, approved: false };
  let segStart = c.created;
  let phase: FlowPhase = 'closed';
  const push = (to: Timestamp): void => {
    if (curPs === 0 || to <= segStart) {
      segStart = Math.max(segStart, to);
      return;
    }
    const last = segments[segments.length - 1];
    if (last && last.phase === phase && last.patchSet === curPs && last.to === segStart) last.to = to;
    else segments.push({ phase, from: segStart, to, patchSet: curPs });
    segStart = to;
  };

  for (let i = 0; i < order.length; i++) {
    at = i;
    const e = order[i]!;
    const t = et[e]!;
    const kind = ek[e]!;
    const idx = ei[e]!;
    if (t >= stop) break;
    if (t > segStart) push(t);
    if (kind === UPLOAD) {
      if (idx >= curPs) {
        curPs = idx;
        cur = [];
        trigger(idx, t);
      }
    } else if (kind === VOTE) {
      const v = c.votes[idx]!;
      if (v.patchSet !== curPs) continue;
      let k = 0;
      while (k < cur.length && (cur[k]!.voterId !== v.voterId || cur[k]!.label !== v.label)) k++;
      if (k === cur.length) cur.push(v);
      else if (v.at >= cur[k]!.at) cur[k] = v;
      if (v.label === 'Verified' && !v.copied && ctx.gatingCi.has(v.voterId)) {
        pending = false;
        pendingToken++;
      }
    } else if (kind === MESSAGE) {
      const m = c.messages[idx]!;
      if (m.event === 'wip-on') wip = true;
      else if (m.event === 'wip-off') wip = false;
      else if (m.event === 'abandoned') closed = true;
      else if (m.event === 'restored') closed = false;
      else if (m.event === 'recheck' && curPs > 0 && (m.patchSet === null || m.patchSet === curPs)) trigger(curPs, t);
    } else if (idx === pendingToken) {
      pending = false;
    }
    phase = curPs === 0 ? 'closed' : stateOf(voteFactsInto(facts, cur, ctx), wip, pending, closed);
  }
  push(stop);

  const final: FinalVote[] = cur.filter((v) => v.value !== 0);
  if (final.length > 1) sortSmall(final, byTimeThenVoter);
  const situation = situationOf(final, wip, pending, closed, ctx, curPs, psCreated(curPs) ?? null);
  if (curPs === 0) situation.state = 'closed';
  return { segments, final: situation, stop };
}

/**
 * The situation at t without replaying the whole history: the same rules as {@link replayFlow}
 * (which the tests hold it to), for reports that need only one moment, such as the queue. Events at
 * exactly t are not yet in effect, as in a replay that stops at t. A change closed at or before t
 * (merged, or abandoned and not restored) is `closed`; so is one without a patch set yet.
 */
export function situationAt(c: FlowChange, ctx: FlowContext, t: Timestamp): Situation {
  const end = c.mergedAt ?? (c.status === 'ABANDONED' ? c.abandonedAt : null);
  let curPs = 0;
  let created: Timestamp | null = null;
  for (let i = 0; i < c.patchSets.length; i++) {
    const p = c.patchSets[i]!;
    if (p.created < t && p.number > curPs) {
      curPs = p.number;
      created = p.created;
    }
  }
  let wip = c.workInProgress;
  let firstWip = true;
  let closed = false;
  let lastRecheck: Timestamp | null = null;
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i]!;
    if (m.event === 'wip-on' || m.event === 'wip-off') {
      if (firstWip) wip = m.event === 'wip-off';
      firstWip = false;
      if (m.at < t) wip = m.event === 'wip-on';
    } else if (m.at < t) {
      if (m.event === 'abandoned') closed = true;
      else if (m.event === 'restored') closed = false;
      else if (m.event === 'recheck' && created !== null && m.at >= created && (m.patchSet === null || m.patchSet === curPs))
        lastRecheck = m.at;
    }
  }
  // The situation of a patch set is the same whether it is looked at by replay or here; the
  // only ordering subtleties are votes and triggers at the same instant (votes apply after an
  // upload and before a recheck).
  const trigger = lastRecheck !== null ? lastRecheck : (created ?? 0);
  const byUpload = lastRecheck === null;
  const gating = ctx.gatingCi.size > 0;
  let answeredBefore = false;
  let answeredEver = false;
  const final: FinalVote[] = [];
  if (created !== null) {
    for (let i = 0; i < c.votes.length; i++) {
      const v = c.votes[i]!;
      if (v.patchSet !== curPs) continue;
      if (gating && v.label === 'Verified' && !v.copied && v.at <= t && ctx.gatingCi.has(v.voterId)) {
        if (v.at >= trigger) answeredEver = true;
        // A verdict at the trigger's instant answers an upload (votes apply after it) but not a recheck.
        if ((byUpload ? v.at >= trigger : v.at > trigger) && v.at < t) answeredBefore = true;
      }
      if (!v.copied && v.at < created) continue;
      if ((v.copied ? Math.max(v.at, created) : v.at) >= t) continue;
      let k = 0;
      while (k < final.length && (final[k]!.voterId !== v.voterId || final[k]!.label !== v.label)) k++;
      // FlowVote has every FinalVote field: no copies.
      if (k === final.length) final.push(v);
      else if (v.at >= final[k]!.at) final[k] = v;
    }
  }
  const pending = created !== null && gating && !answeredBefore && (answeredEver || trigger + CI_SILENCE_LIMIT_MS >= t);
  let n = 0;
  for (let i = 0; i < final.length; i++) if (final[i]!.value !== 0) final[n++] = final[i]!;
  final.length = n;
  if (n > 1) sortSmall(final, byTimeThenVoter);
  const s = situationOf(final, wip, pending, closed, ctx, curPs, created);
  if (curPs === 0 || (end !== null && end <= t)) s.state = 'closed';
  return s;
}

/**
 * One change's reviews, as `extractReviews(reviewActsOf(c), isBot).reviews` gives them (reviews.ts:
 * the human acts of others than the owner grouped by patch set and reviewer, in the order of their
 * first act, which is the order of time) or, with a window, as `reviewsInPeriod(reviewActsOf(c),
 * isBot, since, until).reviews` does (the acts in [since, until) only); and the time of its
 * earliest review act in the window (a bot's or the owner's too; Infinity with none). Read from the
 * votes and comments in place: no act object per vote and comment, no map or set for one change
 * (`steward waits` does this for 26,000 changes in a fresh process).
 */
export function changeReviews(
  c: FlowChange,
  isBot: (accountId: number) => boolean,
  since = -Infinity,
  until = Infinity,
): { reviews: Review[]; earliestAct: number } {
  // The acts as reviewActsOf lists them (non-copied votes, then comments on a patch set by a
  // known author): a vote's index i as i, a message's as −1 − i.
  const act: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < c.votes.length; i++) {
    const v = c.votes[i]!;
    if (v.copied || !(v.at >= since && v.at < until)) continue;
    act.push(i);
    times.push(v.at);
  }
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i]!;
    if (m.kind !== 'comment' || m.authorId === null || m.patchSet === null || !(m.at >= since && m.at < until)) continue;
    act.push(-1 - i);
    times.push(m.at);
  }
  let earliestAct = Infinity;
  for (let k = 0; k < times.length; k++) if (times[k]! < earliestAct) earliestAct = times[k]!;
  // By time, ties in list order (extractReviews' sort is stable).
  const order: number[] = [];
  for (let k = 0; k < act.length; k++) order.push(k);
  sortSmall(order, (a, b) => (times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : a - b));
  const reviews: Review[] = [];
  for (let o = 0; o < order.length; o++) {
    const k = order[o]!;
    const i = act[k]!;
    const v = i >= 0 ? c.votes[i]! : null;
    const m = i >= 0 ? null : c.messages[-1 - i]!;
    const actorId = v ? v.voterId : m!.authorId!;
    const patchSet = v ? v.patchSet : m!.patchSet!;
    if (isBot(actorId) || actorId === c.ownerId) continue;
    let r: Review | undefined;
    for (let j = 0; j < reviews.length; j++) if (reviews[j]!.patchSet === patchSet && reviews[j]!.reviewerId === actorId) r = reviews[j];
    if (!r) {
      r = { changeId: c.id, project: c.project, patchSet, reviewerId: actorId, at: times[k]!, votes: {}, commentOnly: true };
      reviews.push(r);
    }
    if (v && v.label && v.value !== null) {
      r.votes[v.label] = v.value;
      r.commentOnly = false;
    }
  }
  return { reviews, earliestAct };
}

/**
 * The time of the change's earliest review act (a vote not copied, or a comment on a patch set by a
 * known author, as {@link reviewActsOf} lists them; a bot's or the owner's too), +∞ with none: what
 * {@link changeReviews} gives as `earliestAct` without a window, without grouping the reviews.
 */
export function earliestReviewAct(c: FlowChange): number {
  let earliest = Infinity;
  for (let i = 0; i < c.votes.length; i++) {
    const v = c.votes[i]!;
    if (!v.copied && v.at < earliest) earliest = v.at;
  }
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i]!;
    if (m.kind === 'comment' && m.authorId !== null && m.patchSet !== null && m.at < earliest) earliest = m.at;
  }
  return earliest;
}

/**
 * The change's review acts as reviews.ts reads them: non-copied votes and comment-only messages,
 * with the owner's own marked as self votes.
 */
export function reviewActsOf(c: FlowChange): ReviewActRecord[] {
  const acts: ReviewActRecord[] = [];
  for (let i = 0; i < c.votes.length; i++) {
    const v = c.votes[i]!;
    if (v.copied) continue;
    acts.push({
      changeId: c.id,
      project: c.project,
      changeOwnerId: c.ownerId,
      patchSet: v.patchSet,
      actorId: v.voterId,
      at: v.at,
      type: 'vote',
      label: v.label,
      value: v.value,
      selfVote: v.voterId === c.ownerId,
    });
  }
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i]!;
    if (m.kind !== 'comment' || m.authorId === null || m.patchSet === null) continue;
    acts.push({
      changeId: c.id,
      project: c.project,
      changeOwnerId: c.ownerId,
      patchSet: m.patchSet,
      actorId: m.authorId,
      at: m.at,
      type: 'comment',
      label: null,
      value: null,
      selfVote: m.authorId === c.ownerId,
    });
  }
  return acts;
}
