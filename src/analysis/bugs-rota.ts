/**
 * `steward bugs rota`: the trivial-fix rota — the queue of trivial fixes now, per week what was
 * cleared and how long trivial fixes waited, who on the rota actually reviewed, weeks nobody on
 * duty was active (the rota "dying on the vine"), and whether the trivial path's constraints held
 * (its changes reverted, or their bugs reopened, no more often than other changes'). Definitions
 * in docs/bugs.md ("bugs rota").
 *
 * A change is on the **trivial path** when it changes at most `maxLines` lines, touches no path
 * under `neverPaths`, and either carries the trivial tag (a `TrivialFix` line) or names bugs whose
 * importances are all allowed. A change is **reverted** when a merged `Revert "…"` change names its
 * commit ("This reverts commit SHA.", SHA one of its patch sets), or, when the revert names no
 * commit Steward knows, when it is the latest change of the project with the reverted subject merged
 * before the revert; `Revert "…"` commits of the code history count the same way, through the
 * Change-Id of the commit their "This reverts commit SHA" names. A bug fix **reopened its bug**
 * when Launchpad recorded the bug leaving a closed status (its `date_left_closed`) after the fix merged.
 */
import type { BugData, BugImportance, RotaBugTask, RotaChange, RotaData } from '../model/bugs.js';
import { fisherExact, newcombeDifference } from './stats/proportions.js';
import { reviewsInPeriod } from './reviews.js';
import { DAY_MS } from './stats.js';
import { bugItems, days, IMPORTANCE_RANK, isoDay, WEEK_MS, weekStarts } from './bugs-common.js';

export interface RotaRules {
  members: readonly string[];
  /** Who is on duty which week (Monday, YYYY-MM-DD); weeks not listed: every member. */
  duty: ReadonlyArray<{ week: string; members: readonly string[] }>;
  maxLines: number;
  tag: string;
  importances: readonly BugImportance[];
  neverPaths: readonly string[];
}

export interface BugRotaOptions {
  now: number;
  weeks: number;
  /**
   * The recent part of the window, in weeks (default 13, a quarter): a member whose review rate in
   * it fell below a fifth of their rate earlier in the window (with at least 10 reviews then) has
   * stopped reviewing.
   */
  quietWeeks: number;
  rules: RotaRules;
  limit: number;
  /** Which accounts are bots (steward.yaml `bots`): a bot never reviews. Default: none. */
  isBot?: (accountId: number) => boolean;
}

export interface RotaQueueEntry {
  host: string;
  number: number;
  project: string;
  subject: string;
  delta: number;
  tagged: boolean;
  bugs: Array<{ bug: number; importance: BugImportance | null }>;
  waitingDays: number;
}

export interface RotaWeek {
  week: string;
  cleared: number;
  clearedByRota: number;
  /** Median days from upload to merge of the trivial fixes merged that week. */
  medianWaitDays: number | null;
  onDuty: string[];
  active: string[];
  /** Nobody on duty reviewed anything that week. */
  dead: boolean;
}

export interface RotaMember {
  who: string;
  reviews: number;
  reviewsRecent: number;
  trivialApproved: number;
  weeksActive: number;
  lastReview: string | null;
  stoppedReviewing: boolean;
}

export interface RateComparison {
  trivial: { count: number; of: number; rate: number | null };
  other: { count: number; of: number; rate: number | null };
  /** Trivial rate minus other rate with its 95% Newcombe interval; null when a group is empty. */
  difference: number | null;
  lower: number | null;
  upper: number | null;
  fisherP: number | null;
  verdict: 'trivial higher' | 'trivial lower' | 'cannot tell';
}

export interface BugRotaReport {
  now: string;
  configured: boolean;
  members: string[];
  rules: { maxLines: number; tag: string; importances: BugImportance[]; neverPaths: string[] };
  queue: RotaQueueEntry[];
  queueSize: number;
  weeks: RotaWeek[];
  deadWeeks: number;
  people: RotaMember[];
  constraints: {
    reverted: RateComparison;
    reopened: RateComparison;
    /** The trivial-path changes that were reverted or whose bug reopened. */
    breaches: Array<{
      host: string;
      number: number;
      project: string;
      subject: string;
      mergedAt: string;
      what: 'reverted' | 'bug reopened';
      bug: number | null;
    }>;
  };
}

const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

function compare(t: { count: number; of: number }, o: { count: number; of: number }): RateComparison {
  const d = t.of && o.of ? newcombeDifference(t.count, t.of, o.count, o.of) : null;
  const f = t.of && o.of ? fisherExact(t.count, t.of - t.count, o.count, o.of - o.count) : null;
  return {
    trivial: { ...t, rate: t.of ? r3(t.count / t.of) : null },
    other: { ...o, rate: o.of ? r3(o.count / o.of) : null },
    difference: d ? r3(d.difference) : null,
    lower: d ? r3(d.lower) : null,
    upper: d ? r3(d.upper) : null,
    fisherP: f ? r3(f.p) : null,
    verdict: d && d.lower > 0 ? 'trivial higher' : d && d.upper < 0 ? 'trivial lower' : 'cannot tell',
  };
}

/**
 * What the rota reads of the bugs in `data` (store/queries/bugs.ts loadRotaBugs reads the same in SQL).
 *
 * @example rotaBugTasksFrom(await loadBugData(db, [], { refs: false }))
 */
export function rotaBugTasksFrom(data: Pick<BugData, 'tasks' | 'bugs'>): RotaBugTask[] {
  return bugItems(data).map((i) => ({
    bug: i.task.bug,
    importance: i.task.importance,
    leftClosed: i.task.dates.leftClosed,
    restricted: i.restricted,
  }));
}

/**
 * The rota report, from the rota's data and its bugs (the project tasks of the bugs its changes
 * name, or the bug data they are taken from).
 *
 * @example computeBugRota(rotaData, bugData, { now, weeks: 26, quietWeeks: 4, rules, limit: 30 })
 */
export function computeBugRota(
  rota: RotaData,
  bugs: Pick<BugData, 'tasks' | 'bugs'> | readonly RotaBugTask[],
  o: BugRotaOptions,
): BugRotaReport {
  const { now, rules } = o;
  const members = new Set(rules.members);
  const allowed = new Set(rules.importances);
  const importanceOf = new Map<number, BugImportance>();
  /** Bug → the last time its project task left a closed status (Launchpad's date_left_closed). */
  const leftClosed = new Map<number, number>();
  const restricted = new Set<number>();
  for (const t of Array.isArray(bugs) ? (bugs as readonly RotaBugTask[]) : rotaBugTasksFrom(bugs as Pick<BugData, 'tasks' | 'bugs'>)) {
    if (t.restricted) restricted.add(t.bug);
    const prev = importanceOf.get(t.bug);
    if (prev === undefined || IMPORTANCE_RANK[t.importance] < IMPORTANCE_RANK[prev]) importanceOf.set(t.bug, t.importance);
    const left = t.leftClosed;
    if (left !== null && left > (leftClosed.get(t.bug) ?? -Infinity)) leftClosed.set(t.bug, left);
  }
  const trivial = (c: RotaChange): boolean => {
    if (c.delta > rules.maxLines) return false;
    if (c.files.some((f) => rules.neverPaths.some((p) => f.startsWith(p)))) return false;
    if (c.tagged) return true;
    return c.bugs.length > 0 && c.bugs.every((b) => importanceOf.has(b) && allowed.has(importanceOf.get(b)!));
  };

  const starts = weekStarts(now, o.weeks);
  const since = starts[0]!;
  const merged = rota.changes.filter((c) => c.status === 'MERGED' && c.mergedAt !== null && c.mergedAt >= since && c.mergedAt <= now);
  // The merged changes on the trivial path and the others, each decided once (in `merged`'s order).
  const tMerged: RotaChange[] = [];
  const oMerged: RotaChange[] = [];
  for (const c of merged) (trivial(c) ? tMerged : oMerged).push(c);

  // The queue now.
  const queueAll = rota.changes
    .filter((c) => c.status === 'NEW' && !c.wip && c.created <= now && trivial(c))
    .map((c) => ({
      host: c.host,
      number: c.number,
      project: c.project,
      subject: c.subject,
      delta: c.delta,
      tagged: c.tagged,
      // A restricted bug's importance is not shown: the public change names only its number.
      bugs: c.bugs.map((b) => ({ bug: b, importance: restricted.has(b) ? null : (importanceOf.get(b) ?? null) })),
      waitingDays: days(now - c.created),
      top: Math.min(6, ...c.bugs.map((b) => (importanceOf.has(b) ? IMPORTANCE_RANK[importanceOf.get(b)!] : 6))),
    }))
    .sort((a, b) => a.top - b.top || b.waitingDays - a.waitingDays || a.number - b.number);

  // Weeks.
  const dutyOf = new Map(rules.duty.map((d) => [d.week, d.members]));
  // The members' reviews in [first week, now): the one definition of a review (reviews.ts), as
  // `steward reviewers` counts them over the same window.
  const usernameOf = new Map(rota.accounts.map((a) => [a.id, a.username]));
  // Each member's review times, in time order, and the weeks they reviewed in (as indexes of
  // `starts`: a review in [since, now) falls in week ⌊(at − since) / week⌋, the Monday mondayOf
  // gives, without a Date a review).
  const reviewTimes = new Map<string, number[]>();
  const reviewWeeks = new Map<string, Set<number>>();
  for (const r of reviewsInPeriod(rota.acts, o.isBot ?? (() => false), since, now).reviews) {
    const who = usernameOf.get(r.reviewerId);
    if (who === undefined) continue;
    const times = reviewTimes.get(who);
    if (times) times.push(r.at);
    else reviewTimes.set(who, [r.at]);
    const s = reviewWeeks.get(who);
    const k = Math.floor((r.at - since) / WEEK_MS);
    if (s) s.add(k);
    else reviewWeeks.set(who, new Set([k]));
  }
  for (const times of reviewTimes.values()) times.sort((a, b) => a - b);
  // The trivial fixes merged in each week, in the order of `merged` (one pass, not one a week).
  const clearedIn = starts.map((): RotaChange[] => []);
  for (const c of tMerged) {
    // Weeks are consecutive Mondays: the week of a time is its distance from the first, in weeks.
    const k = Math.floor((c.mergedAt! - since) / WEEK_MS);
    if (k >= 0 && k < starts.length) clearedIn[k]!.push(c);
  }
  const weeks: RotaWeek[] = starts.map((w, k) => {
    const cleared = clearedIn[k]!;
    const waits = cleared.map((c) => (c.mergedAt! - c.created) / DAY_MS).sort((a, b) => a - b);
    const mid = waits.length
      ? waits.length % 2
        ? waits[(waits.length - 1) / 2]!
        : (waits[waits.length / 2 - 1]! + waits[waits.length / 2]!) / 2
      : null;
    const onDuty = [...(dutyOf.get(isoDay(w)) ?? rules.members)].sort();
    const active = rules.members.filter((m) => reviewWeeks.get(m)?.has(k)).sort();
    return {
      week: isoDay(w),
      cleared: cleared.length,
      clearedByRota: cleared.filter((c) => c.approver !== null && members.has(c.approver)).length,
      medianWaitDays: mid === null ? null : days(mid * DAY_MS),
      onDuty,
      active,
      dead: rules.members.length > 0 && !onDuty.some((m) => active.includes(m)),
    };
  });

  // People.
  const recentFrom = now - o.quietWeeks * WEEK_MS;
  const people: RotaMember[] = rules.members.map((who) => {
    const rs = reviewTimes.get(who) ?? [];
    const recent = rs.filter((at) => at >= recentFrom).length;
    const earlier = rs.length - recent;
    const last = rs.length ? rs[rs.length - 1]! : null;
    const earlierWeeks = Math.max(1, (recentFrom - since) / WEEK_MS);
    const recentWeeks = Math.max(1, (now - recentFrom) / WEEK_MS);
    return {
      who,
      reviews: rs.length,
      reviewsRecent: recent,
      trivialApproved: tMerged.filter((c) => c.approver === who).length,
      weeksActive: starts.filter((_, k) => reviewWeeks.get(who)?.has(k)).length,
      lastReview: last === null ? null : isoDay(last),
      stoppedReviewing: earlier >= 10 && recent / recentWeeks < earlier / earlierWeeks / 5,
    };
  });

  // Constraints: reverts and reopened bugs, trivial path against every other merged change.
  // Each revert reverts the change its commit message names; without a commit it names, the
  // latest change of the project with that subject merged before the revert.
  /** Host → the numbers of its reverted changes. */
  const revertedNumbers = new Map<string, Set<number>>();
  const markReverted = (host: string, n: number) => {
    const ns = revertedNumbers.get(host);
    if (ns) ns.add(n);
    else revertedNumbers.set(host, new Set([n]));
  };
  // The merged changes by host, project and subject: built only when a revert names no commit.
  let bySubject: Map<string, RotaChange[]> | null = null;
  for (const r of rota.reverts) {
    if (r.reverted) {
      markReverted(r.reverted.host, r.reverted.number);
      continue;
    }
    if (!bySubject) {
      bySubject = new Map();
      for (const c of rota.changes) {
        if (c.status !== 'MERGED' || c.mergedAt === null) continue;
        const key = `${c.host}\u0000${c.project}\u0000${c.subject}`;
        const same = bySubject.get(key);
        if (same) same.push(c);
        else bySubject.set(key, [c]);
      }
    }
    const before = (bySubject.get(`${r.host}\u0000${r.project}\u0000${r.subject}`) ?? []).filter((c) => c.mergedAt! < r.mergedAt);
    const last = before.sort((a, b) => b.mergedAt! - a.mergedAt!)[0];
    if (last) markReverted(last.host, last.number);
  }
  const isReverted = (c: RotaChange) => revertedNumbers.get(c.host)?.has(c.number) === true;
  const bugFix = (c: RotaChange) => c.bugs.length > 0;
  const reopenedBug = (c: RotaChange) => c.bugs.find((b) => (leftClosed.get(b) ?? -Infinity) > c.mergedAt!) ?? null;
  // The large merged changes the loader counted in SQL (never trivial, never reverted).
  const large = rota.large ?? { merged: 0, bugFixes: 0, reopened: 0 };
  const breaches: BugRotaReport['constraints']['breaches'] = [];
  for (const c of tMerged) {
    if (isReverted(c))
      breaches.push({
        host: c.host,
        number: c.number,
        project: c.project,
        subject: c.subject,
        mergedAt: isoDay(c.mergedAt!),
        what: 'reverted',
        bug: null,
      });
    const b = reopenedBug(c);
    if (b !== null)
      breaches.push({
        host: c.host,
        number: c.number,
        project: c.project,
        subject: c.subject,
        mergedAt: isoDay(c.mergedAt!),
        what: 'bug reopened',
        bug: b,
      });
  }
  return {
    now: new Date(now).toISOString(),
    configured: rules.members.length > 0,
    members: [...rules.members],
    rules: { maxLines: rules.maxLines, tag: rules.tag, importances: [...rules.importances], neverPaths: [...rules.neverPaths] },
    queue: queueAll.slice(0, o.limit).map(({ top: _t, ...q }) => q),
    queueSize: queueAll.length,
    weeks,
    deadWeeks: weeks.filter((w) => w.dead).length,
    people,
    constraints: {
      reverted: compare(
        { count: tMerged.filter(isReverted).length, of: tMerged.length },
        { count: oMerged.filter(isReverted).length, of: oMerged.length + large.merged },
      ),
      reopened: compare(
        { count: tMerged.filter(bugFix).filter((c) => reopenedBug(c) !== null).length, of: tMerged.filter(bugFix).length },
        {
          count: oMerged.filter(bugFix).filter((c) => reopenedBug(c) !== null).length + large.reopened,
          of: oMerged.filter(bugFix).length + large.bugFixes,
        },
      ),
      breaches,
    },
  };
}
