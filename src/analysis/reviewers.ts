/**
 * Per-reviewer statistics over a window, on Steward's definition of a review (reviews.ts), and the
 * two notions every core-team report shares: who was core at a given moment (the core roster) and
 * what the cores' verdict on a patch set was.
 *
 * Definitions (docs/reviewers-and-core.md, "Reviewers"):
 * - reviews: see reviews.ts — one per person per patch set, dated by the first act, final value per
 *   label; copied votes, bots and acts on one's own change never count. Self-votes are counted apart.
 * - Code-Review split: the review's final Code-Review value (−2, −1, +1, +2); a review whose
 *   Code-Review was removed again (final 0) or that carries no Code-Review is in none of the four.
 * - +A (approvals): reviews whose final Workflow (or legacy Approved) value is > 0.
 * - core at the time of a review: the reviewer was a member of the change's project's core team at
 *   the review's time (group snapshots, else the configured list; see {@link buildCoreRoster}).
 * - the cores' verdict on a patch set, for a reviewer R: the latest final non-zero Code-Review vote
 *   on that patch set by someone other than R who was core when casting it (as of `now`).
 *   A review agrees when its Code-Review sign equals the verdict's, disagrees when opposite.
 */
import type { GroupSnapshot } from '../model/activity.js';
import type { Timestamp } from '../model/records.js';
import type { TeamActColumns, TeamActRecord } from '../model/team.js';
import { TeamActColumnsBuilder } from '../model/team-act-columns.js';
import { NO_VALUE, reviewColumnsInPeriod, type Review } from './reviews.js';
import { DAY_MS, ratio, round } from './stats.js';

// ---- the core roster ------------------------------------------------------------------------

/** Where one project's core team comes from: group snapshots (`steward sync`) and/or the configured list. */
export interface CoreSource {
  project: string;
  /** Snapshots of the project's core group, any order. */
  snapshots: readonly GroupSnapshot[];
  /** Store ids of `core.members` in steward.yaml, or null when none are configured. */
  configured: ReadonlySet<number> | null;
}

/** Who was core when. */
export interface CoreRoster {
  /** True when at least one project has a core team (configured or from snapshots). */
  readonly known: boolean;
  /** Was `accountId` in `project`'s core team at `t`? */
  isCoreAt(project: string, accountId: number, t: Timestamp): boolean;
  /** Everyone in any project's core team at `t`. */
  membersAt(t: Timestamp): ReadonlySet<number>;
  /** Everyone core at some moment of [since, until). */
  membersDuring(since: Timestamp, until: Timestamp): ReadonlySet<number>;
  /** The members of one project's core team at `t` (empty when it has none). */
  projectMembersAt(project: string, t: Timestamp): ReadonlySet<number>;
  /** Sum over [since, until) of the number of core members, in person-days (each person once). */
  coreDays(since: Timestamp, until: Timestamp): number;
  /**
   * When `accountId`'s membership that holds at `t` began: the time of the snapshot that first
   * listed them; null when they were core from the start of the known history.
   */
  coreSince(accountId: number, t: Timestamp): Timestamp | null;
}

interface ProjectTimeline {
  times: number[];
  sets: Array<ReadonlySet<number>>;
  before: ReadonlySet<number>;
}

const EMPTY: ReadonlySet<number> = new Set();

/**
 * Builds the roster. Per project: the members of the latest snapshot taken at or before `t`; before
 * the first snapshot (or without snapshots), the configured list; without a configured list, the
 * first snapshot (as `membersAt` in core-team.ts). A join or leave is dated by the snapshot that
 * first saw it.
 *
 * @example
 * const roster = buildCoreRoster([{ project: 'nova', snapshots: [], configured: new Set([7]) }]);
 * roster.isCoreAt('nova', 7, Date.now()); // true
 */
export function buildCoreRoster(sources: readonly CoreSource[]): CoreRoster {
  const byProject = new Map<string, ProjectTimeline>();
  const points = new Set<number>();
  for (const s of sources) {
    const sorted = [...s.snapshots].sort((a, b) => a.takenAt - b.takenAt);
    const first = sorted[0];
    if (!first && !s.configured) continue;
    const before = s.configured ?? (first ? new Set(first.memberIds) : EMPTY);
    byProject.set(s.project, { times: sorted.map((x) => x.takenAt), sets: sorted.map((x) => new Set(x.memberIds)), before });
    for (const x of sorted) points.add(x.takenAt);
  }
  const changePoints = [...points].sort((a, b) => a - b);

  const projectAt = (p: ProjectTimeline, t: number): ReadonlySet<number> => {
    let lo = 0;
    let hi = p.times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((p.times[mid] as number) <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? p.before : (p.sets[found] as ReadonlySet<number>);
  };
  const unionCache = new Map<number, ReadonlySet<number>>();
  let lastProject: string | null = null;
  let lastTimeline: ProjectTimeline | undefined;
  const membersAt = (t: number): ReadonlySet<number> => {
    // Membership only changes at snapshot times: cache by the segment t falls in.
    let seg = 0;
    while (seg < changePoints.length && (changePoints[seg] as number) <= t) seg += 1;
    const cached = unionCache.get(seg);
    if (cached) return cached;
    const u = new Set<number>();
    for (const p of byProject.values()) for (const id of projectAt(p, t)) u.add(id);
    unionCache.set(seg, u);
    return u;
  };

  return {
    known: byProject.size > 0,
    isCoreAt(project, accountId, t) {
      // Reports ask for the same project over and over: skip the Map lookup then.
      if (project !== lastProject) {
        lastProject = project;
        lastTimeline = byProject.get(project);
      }
      return lastTimeline ? projectAt(lastTimeline, t).has(accountId) : false;
    },
    membersAt,
    membersDuring(since, until) {
      const u = new Set(membersAt(since));
      for (const at of changePoints) if (at > since && at < until) for (const id of membersAt(at)) u.add(id);
      return u;
    },
    projectMembersAt(project, t) {
      const p = byProject.get(project);
      return p ? projectAt(p, t) : EMPTY;
    },
    coreDays(since, until) {
      if (until <= since) return 0;
      const cuts = [since, ...changePoints.filter((x) => x > since && x < until), until];
      let days = 0;
      for (let i = 0; i + 1 < cuts.length; i++)
        days += (membersAt(cuts[i] as number).size * ((cuts[i + 1] as number) - (cuts[i] as number))) / DAY_MS;
      return days;
    },
    coreSince(accountId, t) {
      if (!membersAt(t).has(accountId)) return null;
      for (let i = changePoints.length - 1; i >= 0; i--) {
        const at = changePoints[i] as number;
        if (at <= t && !membersAt(at - 1).has(accountId)) return at;
      }
      return null;
    },
  };
}

// ---- the cores' verdict on a patch set -------------------------------------------------------

interface CoreVote {
  voterId: number;
  value: number;
  at: Timestamp;
}

/** The cores' final Code-Review votes per patch set, for verdicts. */
export interface CoreVerdicts {
  /**
   * The verdict on (change, patch set) for reviewer `reviewerId`: the sign (+1 or −1) of the latest
   * final non-zero Code-Review vote by another core, or null when no other core voted on it.
   */
  verdict(changeId: number, patchSet: number, reviewerId: number): { sign: 1 | -1; voterId: number; at: Timestamp } | null;
}

/** A numeric key for (change, patch set): Gerrit caps patch sets per change far below 2^16. */
export const psKey = (changeId: number, patchSet: number): number => changeId * 65_536 + patchSet;

/**
 * Collects every core's final Code-Review vote per patch set from `acts` (votes cast by someone
 * core at that moment, not bots, not the change owner). A vote changed on the same patch set keeps
 * its final value, dated by the last change; a vote removed again (final 0) is no verdict.
 */
export function collectCoreVerdicts(acts: readonly TeamActRecord[], roster: CoreRoster, isBot: (id: number) => boolean): CoreVerdicts {
  // By change (small-integer keys keep the Map fast); a change has few core votes.
  const byChange = new Map<number, CoreVoteOn[]>();
  // Indexed loops here and below: unoptimised, a for…of allocates an iterator result per step.
  for (let i = 0; i < acts.length; i++) {
    const a = acts[i]!;
    if (a.type !== 'vote' || a.label !== 'Code-Review' || a.value === null) continue;
    if (a.actorId === a.changeOwnerId || isBot(a.actorId)) continue;
    if (!roster.isCoreAt(a.project, a.actorId, a.at)) continue;
    addCoreVote(byChange, a.changeId, a.patchSet, a.actorId, a.value, a.at);
  }
  return verdictsOf(byChange);
}

type CoreVoteOn = CoreVote & { patchSet: number };

/** A core's Code-Review vote, in the order read: a later vote on the same patch set replaces an earlier one. */
function addCoreVote(
  byChange: Map<number, CoreVoteOn[]>,
  changeId: number,
  patchSet: number,
  voterId: number,
  value: number,
  at: number,
): void {
  let list = byChange.get(changeId);
  if (!list) byChange.set(changeId, (list = []));
  let prev: CoreVoteOn | undefined;
  for (let k = 0; k < list.length; k++) if (list[k]!.patchSet === patchSet && list[k]!.voterId === voterId) prev = list[k];
  if (!prev) list.push({ patchSet, voterId, value, at });
  else if (at >= prev.at) {
    prev.value = value;
    prev.at = at;
  }
}

function verdictsOf(byChange: ReadonlyMap<number, readonly CoreVoteOn[]>): CoreVerdicts {
  return {
    verdict(changeId, patchSet, reviewerId) {
      const list = byChange.get(changeId);
      if (!list) return null;
      let best: CoreVote | null = null;
      for (let k = 0; k < list.length; k++) {
        const v = list[k]!;
        if (v.patchSet !== patchSet || v.voterId === reviewerId || v.value === 0) continue;
        if (!best || v.at > best.at || (v.at === best.at && v.voterId < best.voterId)) best = v;
      }
      return best ? { sign: best.value > 0 ? 1 : -1, voterId: best.voterId, at: best.at } : null;
    },
  };
}

/**
 * `collectCoreVerdicts` over act columns (`NO_VALUE` in `value`: a vote without a value): the cores'
 * final Code-Review votes as columns chained per change (by the acts' change index), and the
 * verdict's sign for a reviewer (0: none).
 */
export function coreVerdictSigns(
  acts: TeamActColumns,
  roster: CoreRoster,
  isBot: (id: number) => boolean,
): (change: number, patchSet: number, reviewerId: number) => number {
  const cr = acts.labels.indexOf('Code-Review');
  const { change, patchSet, actorId, at, label, value, changeOwnerId, changeProject, projects } = acts;
  const head = new Int32Array(changeOwnerId.length).fill(-1);
  const next: number[] = [];
  const vPatchSet: number[] = [];
  const vVoter: number[] = [];
  const vValue: number[] = [];
  const vAt: number[] = [];
  for (let i = 0; cr >= 0 && i < acts.length; i++) {
    if (label[i] !== cr || value[i] === NO_VALUE) continue;
    const actor = actorId[i]!;
    const c = change[i]!;
    if (actor === changeOwnerId[c] || isBot(actor)) continue;
    const t = at[i]!;
    if (!roster.isCoreAt(projects[changeProject[c]!]!, actor, t)) continue;
    // A later vote on the same patch set replaces an earlier one (as addCoreVote).
    const ps = patchSet[i]!;
    let prev = -1;
    for (let x = head[c]!; x >= 0; x = next[x]!) if (vPatchSet[x] === ps && vVoter[x] === actor) prev = x;
    if (prev < 0) {
      // Each (patch set, voter) once: the chain's order does not decide a verdict.
      next.push(head[c]!);
      head[c] = vPatchSet.push(ps) - 1;
      vVoter.push(actor);
      vValue.push(value[i]!);
      vAt.push(t);
    } else if (t >= vAt[prev]!) {
      vValue[prev] = value[i]!;
      vAt[prev] = t;
    }
  }
  return (c, ps, reviewerId) => {
    let best = -1;
    for (let x = head[c]!; x >= 0; x = next[x]!) {
      if (vPatchSet[x] !== ps || vVoter[x] === reviewerId || vValue[x] === 0) continue;
      if (best < 0 || vAt[x]! > vAt[best]! || (vAt[x] === vAt[best] && vVoter[x]! < vVoter[best]!)) best = x;
    }
    return best < 0 ? 0 : vValue[best]! > 0 ? 1 : -1;
  };
}

/** +1 / −1 for a review's final Code-Review value, null without one (or when it was removed). */
export function codeReviewSign(r: Review): 1 | -1 | null {
  const v = r.votes['Code-Review'];
  return v === undefined || v === 0 ? null : v > 0 ? 1 : -1;
}

/** Does the review carry +A: a final Workflow or legacy Approved value > 0? */
export function isApproval(r: Review): boolean {
  return (r.votes['Workflow'] ?? 0) > 0 || (r.votes['Approved'] ?? 0) > 0;
}

/**
 * Self-votes per person: an owner's votes on their own change, one per (change, patch set, label),
 * as reviews.ts counts them in total. Bots excluded.
 */
export function selfVotesByPerson(acts: readonly TeamActRecord[], isBot: (id: number) => boolean): Map<number, number> {
  const seen = new Set<string>();
  const out = new Map<number, number>();
  for (let i = 0; i < acts.length; i++) {
    const a = acts[i]!;
    if (a.type !== 'vote' || !a.label || a.actorId !== a.changeOwnerId || isBot(a.actorId)) continue;
    const k = `${a.changeId}:${a.patchSet}:${a.label}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.set(a.actorId, (out.get(a.actorId) ?? 0) + 1);
  }
  return out;
}

// ---- the reviewers report --------------------------------------------------------------------

export interface ReviewersInput {
  /**
   * Review acts from `since` up to max(until, now). Acts before `until` make the window's reviews;
   * acts up to `now` give the cores' verdicts.
   */
  acts: readonly TeamActRecord[];
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
}

export interface ReviewersOptions {
  since: Timestamp;
  until: Timestamp;
  now: Timestamp;
}

export interface ReviewerRow {
  accountId: number;
  reviews: number;
  codeReview: { minus2: number; minus1: number; plus1: number; plus2: number };
  /** +A: reviews with a final Workflow/Approved value > 0. */
  approvals: number;
  /** (+1 + +2) / (−2 + −1 + +1 + +2); null without Code-Review votes. */
  positiveShare: number | null;
  agreements: number;
  disagreements: number;
  /** disagreements / (−2 + −1 + +1 + +2); null without Code-Review votes. */
  disagreementShare: number | null;
  reviewsPerDay: number;
  commentOnly: number;
  distinctChanges: number;
  /** Reviews on changes owned by someone else: every review, by definition (acts on one's own change are self-votes). */
  reviewsOnOthersChanges: number;
  /** Owner's votes on their own changes in the window; never reviews. */
  selfVotes: number;
  /** Reviews made while core (on the change's project). */
  coreReviews: number;
  /** Core at the time of every review (`yes`), none (`no`) or some (`partly`). */
  core: 'yes' | 'no' | 'partly';
  /** Numbers of the changes reviewed, ascending. */
  changes: number[];
  /** Where the reviewer's Code-Review vote went against the cores' verdict. */
  disagreedOn: Array<{ change: number; patchSet: number }>;
}

export interface ReviewersResult {
  period: { since: string; until: string; days: number };
  now: string;
  rows: ReviewerRow[];
  totals: {
    reviews: number;
    reviewsPerDay: number;
    activeReviewers: number;
    /** reviews / days / active reviewers. */
    reviewsPerReviewerPerDay: number | null;
    commentOnly: number;
    selfVotes: number;
    /** Reviews made by someone core at the time. */
    coreReviews: number;
    coreReviewsPerDay: number;
    /** Members of the core team at `until` (null when no core team is known). */
    coreTeamSize: number | null;
    /** Person-days of core membership in the window. */
    coreDays: number | null;
    /** coreReviews / coreDays. */
    coreReviewsPerCorePerDay: number | null;
  };
}

const iso = (t: Timestamp): string => new Date(t).toISOString();

/**
 * The reviewers report: one row per human with a review or a self-vote in [since, until), sorted by
 * reviews (descending), then account id.
 *
 * @example
 * const r = computeReviewers({ acts, isBot: () => false, roster }, { since, until, now });
 * r.rows[0].reviews; r.totals.coreReviewsPerCorePerDay;
 */
export function computeReviewers(input: ReviewersInput, opts: ReviewersOptions): ReviewersResult {
  return computeReviewersOf({ acts: actColumnsOf(input.acts), isBot: input.isBot, roster: input.roster }, opts);
}

/**
 * Act records as columns (the first act of a change gives its project, owner and number): a vote
 * without a label is a vote on the unnamed label '', which counts as none.
 */
export function actColumnsOf(acts: readonly TeamActRecord[]): TeamActColumns {
  const n = acts.length;
  const b = new TeamActColumnsBuilder(n);
  const { change, patchSet, actorId, at, label, value } = b;
  for (let i = 0; i < n; i++) {
    const a = acts[i]!;
    let c = b.index.get(a.changeId);
    if (c === undefined) c = b.addChange(a.changeId, a.changeNumber, a.changeOwnerId, a.project);
    change[i] = c;
    patchSet[i] = a.patchSet;
    actorId[i] = a.actorId;
    at[i] = a.at;
    if (a.type === 'comment') label[i] = -1;
    else {
      label[i] = b.labelCode(a.label ?? '');
      value[i] = a.value ?? NO_VALUE;
    }
  }
  return b.finish(n);
}

/** The reviewers report's input with the acts as columns. */
export interface ReviewersColumnsInput {
  /** As {@link ReviewersInput.acts}. */
  acts: TeamActColumns;
  isBot: (accountId: number) => boolean;
  roster: CoreRoster;
}

/**
 * `computeReviewers` over act columns: the reviews (reviews.ts's definition: one per person per
 * patch set, dated by the first act, final value per label, no copies, bots or owner's acts) are
 * grouped into columns of their own, without an object per act or per review.
 */
export function computeReviewersOf(input: ReviewersColumnsInput, opts: ReviewersOptions): ReviewersResult {
  const { since, until, now } = opts;
  const days = (until - since) / DAY_MS;
  const acts = input.acts;
  const { changeNumber, changeProject, projects } = acts;
  const verdictSign = coreVerdictSigns(acts, input.roster, input.isBot);
  const rv = reviewColumnsInPeriod(acts, input.isBot, since, until);
  const total = rv.length;
  const { change: rChange, patchSet: rPatchSet, reviewer: rReviewer, at: rAt, voted: rVoted } = rv;
  const { codeReview: rCodeReview, workflow: rWorkflow, approved: rApproved, selfVotes, selfTotal } = rv;

  interface Acc {
    row: ReviewerRow;
    /** Change numbers, one per review (deduplicated at the end). */
    changes: number[];
  }
  const rows = new Map<number, Acc>();
  const acc = (id: number): Acc => {
    let a = rows.get(id);
    if (!a) {
      a = {
        row: {
          accountId: id,
          reviews: 0,
          codeReview: { minus2: 0, minus1: 0, plus1: 0, plus2: 0 },
          approvals: 0,
          positiveShare: null,
          agreements: 0,
          disagreements: 0,
          disagreementShare: null,
          reviewsPerDay: 0,
          commentOnly: 0,
          distinctChanges: 0,
          reviewsOnOthersChanges: 0,
          selfVotes: 0,
          coreReviews: 0,
          core: 'no',
          changes: [],
          disagreedOn: [],
        },
        changes: [],
      };
      rows.set(id, a);
    }
    return a;
  };

  let coreReviews = 0;
  let commentOnly = 0;
  for (let r = 0; r < total; r++) {
    const reviewer = rReviewer[r]!;
    const ch = rChange[r]!;
    const number = changeNumber[ch]!;
    const a = acc(reviewer);
    const row = a.row;
    row.reviews += 1;
    row.reviewsOnOthersChanges += 1;
    a.changes.push(number);
    if (!rVoted[r]) {
      row.commentOnly += 1;
      commentOnly += 1;
    }
    const cr = rCodeReview[r]!;
    if (cr === -2) row.codeReview.minus2 += 1;
    else if (cr === -1) row.codeReview.minus1 += 1;
    else if (cr === 1) row.codeReview.plus1 += 1;
    else if (cr === 2) row.codeReview.plus2 += 1;
    // +A: a final Workflow or legacy Approved value > 0 (isApproval).
    if (rWorkflow[r]! > 0 || rApproved[r]! > 0) row.approvals += 1;
    if (input.roster.isCoreAt(projects[changeProject[ch]!]!, reviewer, rAt[r]!)) {
      row.coreReviews += 1;
      coreReviews += 1;
    }
    // The review's Code-Review sign (codeReviewSign): none without one or when removed (0).
    if (cr !== NO_VALUE && cr !== 0) {
      const sign = cr > 0 ? 1 : -1;
      const v = verdictSign(ch, rPatchSet[r]!, reviewer);
      if (v === sign) row.agreements += 1;
      else if (v !== 0) {
        row.disagreements += 1;
        row.disagreedOn.push({ change: number, patchSet: rPatchSet[r]! });
      }
    }
  }
  for (const [id, n] of selfVotes) acc(id).row.selfVotes = n;

  const out: ReviewerRow[] = [];
  for (const { row, changes } of rows.values()) {
    const cr = row.codeReview;
    const voted = cr.minus2 + cr.minus1 + cr.plus1 + cr.plus2;
    row.positiveShare = round(ratio(cr.plus1 + cr.plus2, voted), 4);
    row.disagreementShare = round(ratio(row.disagreements, voted), 4);
    row.reviewsPerDay = round(row.reviews / days, 3) ?? 0;
    // Sorted as numbers without a comparison function (a call per comparison, unoptimised at first).
    const sorted = Int32Array.from(changes).sort();
    const distinct: number[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    row.distinctChanges = distinct.length;
    row.core = row.reviews > 0 && row.coreReviews === row.reviews ? 'yes' : row.coreReviews > 0 ? 'partly' : 'no';
    row.changes = distinct;
    row.disagreedOn.sort((x, y) => x.change - y.change || x.patchSet - y.patchSet);
    out.push(row);
  }
  out.sort((a, b) => b.reviews - a.reviews || a.accountId - b.accountId);

  const active = out.filter((r) => r.reviews > 0).length;
  const coreDays = input.roster.known ? input.roster.coreDays(since, until) : null;
  return {
    period: { since: iso(since), until: iso(until), days: round(days, 2) ?? 0 },
    now: iso(now),
    rows: out,
    totals: {
      reviews: total,
      reviewsPerDay: round(total / days, 2) ?? 0,
      activeReviewers: active,
      reviewsPerReviewerPerDay: round(ratio(total / days, active), 3),
      commentOnly,
      selfVotes: selfTotal,
      coreReviews,
      coreReviewsPerDay: round(coreReviews / days, 2) ?? 0,
      coreTeamSize: input.roster.known ? input.roster.membersAt(until - 1).size : null,
      coreDays: coreDays === null ? null : round(coreDays, 2),
      coreReviewsPerCorePerDay: coreDays === null ? null : round(ratio(coreReviews, coreDays), 3),
    },
  };
}
