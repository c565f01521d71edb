/**
 * The code history report (`steward history`): what landed on the main branch per release window,
 * by how many authors, and how long it took from being written to landing — from git alone, with
 * the review side added when the store holds the Gerrit changes (pure; docs/people-and-history.md).
 *
 * Definitions (one place; the docs quote them):
 * - release window: from the previous release day (inclusive) to the release day (exclusive), the
 *   calendar's `start` and `release`;
 * - merged: non-merge commits that landed on the main branch in the window (by landing time,
 *   sources/git/landing.ts), backports excluded;
 * - backports: non-merge commits a release-tag merge brought to the main branch (the stable
 *   branch's commits coming back with a `Merge tag '…'`), counted apart;
 * - fast-forwarded: of the merged, those that landed by themselves (landing `direct`: the branch
 *   moved onto them) rather than with a landing merge;
 * - authors: distinct author e-mail addresses (lower-cased) of the merged commits, bots left out —
 *   addresses, not people (one person with two addresses counts twice);
 * - first-time authors: authors whose first merged commit in the whole history is in the window;
 * - retained authors: authors of the window who also authored in the previous window;
 * - landing time: author date to landing time of the merged commits by people (bots left out), in days (negative clock skew counts as 0); median
 *   and 90th percentile with 95% intervals (Kaplan–Meier quantiles; every commit has landed, so
 *   none is censored and the intervals are those of the empirical quantiles);
 * - naming a bug / a blueprint: the commit's message names one (sources/links, stored at sync).
 */
import type { HistoryCommit } from '../model/git.js';
import type { ReleaseDates } from '../model/release-calendar.js';
import { kaplanMeier, survivalAt, survivalQuantile, type KaplanMeierCurve } from './stats/kaplan-meier.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Days at which the landing-time curve is given (share landed within that many days). */
export const CURVE_DAYS: readonly number[] = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365];

/** A time quantile in days with its 95% interval; nulls where the data cannot say. */
export interface DaysQuantile {
  days: number | null;
  lower: number | null;
  upper: number | null;
}

export interface LandingTimes {
  /** Commits measured. */
  n: number;
  median: DaysQuantile;
  p90: DaysQuantile;
  /** Share landed within each of CURVE_DAYS days. */
  curve: Array<{ days: number; share: number }>;
}

/** The review side of the same changes: Gerrit creation to merge, for the merged commits whose Change-Id matches a merged change. */
export interface ReviewSide {
  /** Merged commits with a matching merged Gerrit change. */
  matched: number;
  /** Share of the window's merged commits matched. */
  share: number | null;
  /** Change created (first upload) to merged, days. */
  createdToMerged: LandingTimes;
  /** Author date to first upload, days (time before review started). */
  authoredToCreated: LandingTimes;
}

export interface HistoryWindow {
  release: string;
  start: string;
  end: string;
  /** The window is not over at the report's time: figures so far. */
  inProgress: boolean;
  /** The synced history does not cover the whole window (it starts after its start or ends before its end). */
  partial: boolean;
  merged: number;
  backports: number;
  fastForwarded: number;
  viaMerge: number;
  /** Merged commits by bot authors (counted in merged, not in authors). */
  botCommits: number;
  authors: number;
  firstTimeAuthors: number;
  /** Null for the calendar's first release (no previous window). */
  retainedAuthors: number | null;
  /** retainedAuthors / authors of the previous window. */
  retentionShare: number | null;
  namingBug: number;
  namingBlueprint: number;
  namingEither: number;
  landingTime: LandingTimes;
  /** Null without review data for the window's commits. */
  review: ReviewSide | null;
}

export interface HistoryWeek {
  /** Monday 00:00 UTC of the week. */
  week: string;
  release: string;
  merged: number;
  backports: number;
  fastForwarded: number;
  authors: number;
}

export interface CodeHistory {
  /** The windows the history reaches, oldest first (the one asked for and its neighbours with `release`). */
  releases: HistoryWindow[];
  /** Weeks of the windows reported (of the one asked for with `release`). */
  weeks: HistoryWeek[];
  /** The history's first and last landing, ISO; null when empty. */
  span: { first: string | null; last: string | null };
  /** What the people counts count. */
  counts: 'addresses';
}

export interface CodeHistoryInput {
  /** Non-merge commits, any order. */
  commits: readonly HistoryCommit[];
  calendar: readonly ReleaseDates[];
  /** Whether an author is a bot (by name and e-mail). */
  isBot: (name: string, email: string) => boolean;
  /** Review times by Change-Id (empty without review data). */
  reviewTimes?: ReadonlyMap<string, { created: number; mergedAt: number }>;
}

const iso = (t: number) => new Date(t).toISOString();
const round = (x: number | null, d = 2): number | null => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** Median, p90 and the curve of durations in days (all events: nothing is censored). */
export function landingTimes(days: readonly number[]): LandingTimes {
  if (days.length === 0) return { n: 0, median: EMPTY_Q, p90: EMPTY_Q, curve: [] };
  const curve: KaplanMeierCurve = kaplanMeier(days.map((time) => ({ time: Math.max(0, time), event: true })));
  const q = (p: number): DaysQuantile => {
    const x = survivalQuantile(curve, p);
    return { days: round(x.time), lower: round(x.lower), upper: round(x.upper) };
  };
  return {
    n: days.length,
    median: q(0.5),
    p90: q(0.9),
    curve: CURVE_DAYS.map((d) => ({ days: d, share: round(1 - survivalAt(curve, d), 4)! })),
  };
}
const EMPTY_Q: DaysQuantile = { days: null, lower: null, upper: null };

/** Monday 00:00 UTC of the week holding `t`. */
export function weekOf(t: number): number {
  const d = Math.floor(t / DAY);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
  return (d - ((d + 3) % 7)) * DAY;
}

/**
 * The code history per release window (see the module comment for every definition). `release`
 * narrows the table to that release and its neighbours and the weeks to its window; windows the
 * history does not reach are left out.
 *
 * @example computeCodeHistory({ commits, calendar, isBot }, { release: 'liberty', now })
 * // { releases: [{ release: 'kilo', … }, { release: 'liberty', merged: …, authors: …, … }, { release: 'mitaka', … }], weeks: [...], … }
 */
export function computeCodeHistory(input: CodeHistoryInput, opts: { release?: string | null; now: number }): CodeHistory {
  const { calendar, isBot } = input;
  const commits = isSorted(input.commits) ? input.commits : [...input.commits].sort((a, b) => a.landedAt - b.landedAt);
  const first = commits.length ? commits[0]!.landedAt : null;
  const last = commits.length ? commits[commits.length - 1]!.landedAt : null;
  // Each commit's author key and bot flag, computed once (the windows and weeks read them many times).
  const keys = new Map<HistoryCommit, string>();
  const bots = new Set<HistoryCommit>();
  const botMemo = new Map<string, boolean>();
  for (const c of commits) {
    const k = c.authorEmail.trim().toLowerCase();
    keys.set(c, k);
    const bk = `${c.authorName}\u0000${k}`;
    let v = botMemo.get(bk);
    if (v === undefined) botMemo.set(bk, (v = isBot(c.authorName, c.authorEmail)));
    if (v) bots.add(c);
  }
  const key = (c: HistoryCommit) => keys.get(c)!;
  const bot = (c: HistoryCommit) => bots.has(c);
  // First merged commit of each author over the whole history.
  const firstOf = new Map<string, number>();
  for (const c of commits) if (!c.backport && !bot(c) && !firstOf.has(key(c))) firstOf.set(key(c), c.landedAt);

  const inWindow = (r: ReleaseDates) => {
    const lo = lowerBound(commits, r.start);
    const hi = lowerBound(commits, r.release);
    return commits.slice(lo, hi);
  };
  const reaches = (r: ReleaseDates) => first !== null && last !== null && first < r.release && last >= r.start && r.start <= opts.now;
  const authorsOf = (cs: readonly HistoryCommit[]) => new Set(cs.filter((c) => !c.backport && !bot(c)).map(key));

  const ordered = [...calendar].sort((a, b) => a.start - b.start);
  const windows: HistoryWindow[] = [];
  const byName = new Map<string, HistoryWindow>();
  let prevAuthors: Set<string> | null = null;
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i]!;
    const cs = inWindow(r);
    const authors = authorsOf(cs);
    if (reaches(r)) {
      const w = summarise(r, cs, authors, i === 0 ? null : prevAuthors, firstOf, input, opts.now, first!, last!, bot);
      windows.push(w);
      byName.set(r.name, w);
    }
    prevAuthors = authors;
  }

  let releases = windows;
  let weekWindows = ordered.filter((r) => byName.has(r.name));
  if (opts.release) {
    const at = windows.findIndex((w) => w.release === opts.release);
    releases = at < 0 ? [] : windows.slice(Math.max(0, at - 1), at + 2);
    weekWindows = weekWindows.filter((r) => r.name === opts.release);
  }
  const weeks: HistoryWeek[] = [];
  for (const r of weekWindows) {
    const cs = inWindow(r);
    const byWeek = new Map<number, HistoryCommit[]>();
    for (let w = weekOf(r.start); w < Math.min(r.release, opts.now); w += WEEK) byWeek.set(w, []);
    for (const c of cs) byWeek.get(weekOf(c.landedAt))?.push(c);
    for (const [w, list] of byWeek) {
      const merged = list.filter((c) => !c.backport);
      weeks.push({
        week: iso(w),
        release: r.name,
        merged: merged.length,
        backports: list.length - merged.length,
        fastForwarded: merged.filter((c) => c.landing === 'direct').length,
        authors: authorsOf(list).size,
      });
    }
  }
  return {
    releases,
    weeks,
    span: { first: first === null ? null : iso(first), last: last === null ? null : iso(last) },
    counts: 'addresses',
  };
}

function summarise(
  r: ReleaseDates,
  cs: readonly HistoryCommit[],
  authors: Set<string>,
  prevAuthors: Set<string> | null,
  firstOf: ReadonlyMap<string, number>,
  input: CodeHistoryInput,
  now: number,
  first: number,
  last: number,
  bot: (c: HistoryCommit) => boolean,
): HistoryWindow {
  const merged = cs.filter((c) => !c.backport);
  const retained = prevAuthors === null ? null : [...authors].filter((a) => prevAuthors.has(a)).length;
  let review: ReviewSide | null = null;
  if (input.reviewTimes && input.reviewTimes.size > 0) {
    const matched = merged.flatMap((c) => {
      const t = c.changeId === null ? undefined : input.reviewTimes!.get(c.changeId);
      return t ? [{ c, t }] : [];
    });
    if (matched.length > 0)
      review = {
        matched: matched.length,
        share: round(matched.length / merged.length, 3),
        createdToMerged: landingTimes(matched.map(({ t }) => (t.mergedAt - t.created) / DAY)),
        authoredToCreated: landingTimes(matched.map(({ c, t }) => (t.created - c.authoredAt) / DAY)),
      };
  }
  const bug = merged.filter((c) => c.namesBug).length;
  const bp = merged.filter((c) => c.namesBlueprint).length;
  return {
    release: r.name,
    start: iso(r.start),
    end: iso(r.release),
    inProgress: now < r.release,
    partial: first > r.start || last < Math.min(r.release, now) - WEEK,
    merged: merged.length,
    backports: cs.length - merged.length,
    fastForwarded: merged.filter((c) => c.landing === 'direct').length,
    viaMerge: merged.filter((c) => c.landing === 'merge').length,
    botCommits: merged.filter(bot).length,
    authors: authors.size,
    firstTimeAuthors: [...authors].filter((a) => {
      const t = firstOf.get(a);
      return t !== undefined && t >= r.start && t < r.release;
    }).length,
    retainedAuthors: retained,
    retentionShare: retained === null || !prevAuthors?.size ? null : round(retained / prevAuthors.size, 3),
    namingBug: bug,
    namingBlueprint: bp,
    namingEither: merged.filter((c) => c.namesBug || c.namesBlueprint).length,
    landingTime: landingTimes(merged.filter((c) => !bot(c)).map((c) => (c.landedAt - c.authoredAt) / DAY)),
    review,
  };
}

function isSorted(cs: readonly HistoryCommit[]): boolean {
  for (let i = 1; i < cs.length; i++) if (cs[i]!.landedAt < cs[i - 1]!.landedAt) return false;
  return true;
}

/** Index of the first commit landing at or after `t` (commits sorted by landing time). */
function lowerBound(commits: readonly HistoryCommit[], t: number): number {
  let lo = 0;
  let hi = commits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (commits[mid]!.landedAt < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const BOT_NAME = /\b(?:bot|jenkins|zuul)\b/i;
const BOT_EMAILS = new Set(['openstack-infra@lists.openstack.org', 'jenkins@openstack.org', 'infra-root@openstack.org']);

/**
 * The bot rule for git authors: a name with the word "bot", "jenkins" or "zuul", one of the
 * OpenStack infrastructure's addresses, or a name or e-mail in `configured` (steward.yaml `bots`),
 * compared case-insensitively.
 */
export function gitBotRule(configured: ReadonlyArray<string | number>): (name: string, email: string) => boolean {
  const extra = new Set(configured.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase()));
  return (name, email) => {
    const e = email.trim().toLowerCase();
    return BOT_NAME.test(name) || BOT_EMAILS.has(e) || extra.has(e) || extra.has(name.trim().toLowerCase());
  };
}
