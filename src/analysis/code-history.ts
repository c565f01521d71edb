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
import { HISTORY_FLAGS, type HistoryColumns, type HistoryCommit } from '../model/git.js';
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
  /** Non-merge commits: records in any order, or columns in landing-time order (store/queries/code-history.ts). */
  commits: readonly HistoryCommit[] | HistoryColumns;
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

/** The commits as columns in landing-time order (the form the store reads; tests and small inputs give records). */
export function toHistoryColumns(commits: readonly HistoryCommit[]): HistoryColumns {
  const sorted = isSorted(commits) ? commits : [...commits].sort((a, b) => a.landedAt - b.landedAt);
  const n = sorted.length;
  const cols = {
    length: n,
    landedAt: new Float64Array(n),
    authoredAt: new Float64Array(n),
    author: new Int32Array(n),
    flags: new Uint8Array(n),
    authors: [] as Array<{ key: string; name: string }>,
    changeId: [] as Array<string | null>,
  };
  const index = new Map<string, number>();
  sorted.forEach((c, i) => {
    const key = c.authorEmail.trim().toLowerCase();
    const pk = `${key}\u0000${c.authorName}`;
    let a = index.get(pk);
    if (a === undefined) {
      index.set(pk, (a = cols.authors.length));
      cols.authors.push({ key, name: c.authorName });
    }
    cols.landedAt[i] = c.landedAt;
    cols.authoredAt[i] = c.authoredAt;
    cols.author[i] = a;
    cols.flags[i] =
      (c.backport ? HISTORY_FLAGS.backport : 0) |
      (c.landing === 'direct' ? HISTORY_FLAGS.direct : 0) |
      (c.namesBug ? HISTORY_FLAGS.bug : 0) |
      (c.namesBlueprint ? HISTORY_FLAGS.blueprint : 0);
    cols.changeId.push(c.changeId);
  });
  return cols;
}

const isColumns = (x: CodeHistoryInput['commits']): x is HistoryColumns => !Array.isArray(x);

/**
 * The code history per release window (see the module comment for every definition). `release`
 * narrows the table to that release and its neighbours and the weeks to its window; windows the
 * history does not reach are left out. Commits come as records (any order) or as columns in
 * landing-time order (the store's form: typed arrays, no object per commit).
 *
 * @example computeCodeHistory({ commits, calendar, isBot }, { release: 'liberty', now })
 * // { releases: [{ release: 'kilo', … }, { release: 'liberty', merged: …, authors: …, … }, { release: 'mitaka', … }], weeks: [...], … }
 */
export function computeCodeHistory(input: CodeHistoryInput, opts: { release?: string | null; now: number }): CodeHistory {
  const { calendar, isBot } = input;
  const cols = isColumns(input.commits) ? input.commits : toHistoryColumns(input.commits);
  const n = cols.length;
  const first = n ? cols.landedAt[0]! : null;
  const last = n ? cols.landedAt[n - 1]! : null;
  // Per (address, name) pair: its address's index and whether it is a bot — computed once per pair.
  const keyIndex = new Map<string, number>();
  const pairKey = new Int32Array(cols.authors.length);
  const pairBot = new Uint8Array(cols.authors.length);
  cols.authors.forEach((a, i) => {
    let k = keyIndex.get(a.key);
    if (k === undefined) keyIndex.set(a.key, (k = keyIndex.size));
    pairKey[i] = k;
    pairBot[i] = isBot(a.name, a.key) ? 1 : 0;
  });
  const keys = keyIndex.size;
  // A commit by a person (not a bot) that is not a backport: it counts as an author's.
  const person = new Uint8Array(n);
  for (let i = 0; i < n; i++) person[i] = (cols.flags[i]! & HISTORY_FLAGS.backport) === 0 && pairBot[cols.author[i]!] === 0 ? 1 : 0;
  // First merged commit of each author over the whole history.
  const firstOf = new Float64Array(keys).fill(NaN);
  for (let i = 0; i < n; i++) {
    const k = pairKey[cols.author[i]!]!;
    if (person[i] && Number.isNaN(firstOf[k]!)) firstOf[k] = cols.landedAt[i]!;
  }
  // Distinct authors of a range: a stamp per address (no set per window or week).
  const stamp = new Int32Array(keys).fill(-1);
  let stamps = 0;
  const authorsOf = (lo: number, hi: number): number[] => {
    const s = stamps++;
    const out: number[] = [];
    for (let i = lo; i < hi; i++) {
      if (!person[i]) continue;
      const k = pairKey[cols.author[i]!]!;
      if (stamp[k] !== s) {
        stamp[k] = s;
        out.push(k);
      }
    }
    return out;
  };
  const range = (r: ReleaseDates) => [lowerBound(cols.landedAt, r.start), lowerBound(cols.landedAt, r.release)] as const;
  const reaches = (r: ReleaseDates) => first !== null && last !== null && first < r.release && last >= r.start && r.start <= opts.now;
  const ctx: WindowContext = { cols, person, pairBot, pairKey, firstOf, input, now: opts.now, first: first ?? 0, last: last ?? 0 };

  const ordered = [...calendar].sort((a, b) => a.start - b.start);
  const windows: HistoryWindow[] = [];
  const byName = new Map<string, HistoryWindow>();
  const inPrev = new Uint8Array(keys);
  let prevList: number[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i]!;
    const [lo, hi] = range(r);
    const authors = authorsOf(lo, hi);
    if (reaches(r)) {
      const w = summarise(r, lo, hi, authors, i === 0 ? null : { has: inPrev, size: prevList.length }, ctx);
      windows.push(w);
      byName.set(r.name, w);
    }
    for (const k of prevList) inPrev[k] = 0;
    for (const k of authors) inPrev[k] = 1;
    prevList = authors;
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
    const [lo, hi] = range(r);
    const starts: number[] = [];
    for (let w = weekOf(r.start); w < Math.min(r.release, opts.now); w += WEEK) starts.push(w);
    // Commits are in landing order, so each week's commits are one run of the window's range.
    let i = lo;
    for (const w of starts) {
      while (i < hi && cols.landedAt[i]! < w) i++;
      let j = i;
      while (j < hi && cols.landedAt[j]! < w + WEEK) j++;
      let merged = 0;
      let ff = 0;
      for (let x = i; x < j; x++) {
        const f = cols.flags[x]!;
        if (f & HISTORY_FLAGS.backport) continue;
        merged++;
        if (f & HISTORY_FLAGS.direct) ff++;
      }
      weeks.push({
        week: iso(w),
        release: r.name,
        merged,
        backports: j - i - merged,
        fastForwarded: ff,
        authors: authorsOf(i, j).length,
      });
      i = j;
    }
  }
  return {
    releases,
    weeks,
    span: { first: first === null ? null : iso(first), last: last === null ? null : iso(last) },
    counts: 'addresses',
  };
}

interface WindowContext {
  cols: HistoryColumns;
  person: Uint8Array;
  pairBot: Uint8Array;
  pairKey: Int32Array;
  firstOf: Float64Array;
  input: CodeHistoryInput;
  now: number;
  first: number;
  last: number;
}

function summarise(
  r: ReleaseDates,
  lo: number,
  hi: number,
  authors: readonly number[],
  prev: { has: Uint8Array; size: number } | null,
  x: WindowContext,
): HistoryWindow {
  const { cols } = x;
  let merged = 0;
  let ff = 0;
  let bots = 0;
  let bug = 0;
  let bp = 0;
  let either = 0;
  const days: number[] = [];
  const reviewTimes = x.input.reviewTimes && x.input.reviewTimes.size > 0 && cols.changeId ? x.input.reviewTimes : null;
  const matched: Array<{ authoredAt: number; created: number; mergedAt: number }> = [];
  for (let i = lo; i < hi; i++) {
    const f = cols.flags[i]!;
    if (f & HISTORY_FLAGS.backport) continue;
    merged++;
    if (f & HISTORY_FLAGS.direct) ff++;
    if (x.pairBot[cols.author[i]!]) bots++;
    else days.push((cols.landedAt[i]! - cols.authoredAt[i]!) / DAY);
    if (f & HISTORY_FLAGS.bug) bug++;
    if (f & HISTORY_FLAGS.blueprint) bp++;
    if (f & (HISTORY_FLAGS.bug | HISTORY_FLAGS.blueprint)) either++;
    if (reviewTimes) {
      const id = cols.changeId![i];
      const t = id ? reviewTimes.get(id) : undefined;
      if (t) matched.push({ authoredAt: cols.authoredAt[i]!, created: t.created, mergedAt: t.mergedAt });
    }
  }
  let review: ReviewSide | null = null;
  if (matched.length > 0)
    review = {
      matched: matched.length,
      share: round(matched.length / merged, 3),
      createdToMerged: landingTimes(matched.map((t) => (t.mergedAt - t.created) / DAY)),
      authoredToCreated: landingTimes(matched.map((t) => (t.created - t.authoredAt) / DAY)),
    };
  const retained = prev === null ? null : authors.filter((k) => prev.has[k] === 1).length;
  return {
    release: r.name,
    start: iso(r.start),
    end: iso(r.release),
    inProgress: x.now < r.release,
    partial: x.first > r.start || x.last < Math.min(r.release, x.now) - WEEK,
    merged,
    backports: hi - lo - merged,
    fastForwarded: ff,
    viaMerge: merged - ff,
    botCommits: bots,
    authors: authors.length,
    firstTimeAuthors: authors.filter((k) => {
      const t = x.firstOf[k]!;
      return t >= r.start && t < r.release;
    }).length,
    retainedAuthors: retained,
    retentionShare: retained === null || !prev?.size ? null : round(retained / prev.size, 3),
    namingBug: bug,
    namingBlueprint: bp,
    namingEither: either,
    landingTime: landingTimes(days),
    review,
  };
}

function isSorted(cs: readonly HistoryCommit[]): boolean {
  for (let i = 1; i < cs.length; i++) if (cs[i]!.landedAt < cs[i - 1]!.landedAt) return false;
  return true;
}

/** Index of the first landing at or after `t` (sorted ascending). */
function lowerBound(landedAt: Float64Array, t: number): number {
  let lo = 0;
  let hi = landedAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (landedAt[mid]! < t) lo = mid + 1;
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
