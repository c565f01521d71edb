/**
 * `steward bugs backlog`: the open bugs of the Launchpad projects, how fast bugs are triaged and
 * fixed, In Progress bugs nobody works on, fixes that merged while the bug stayed open, the areas
 * with most open high-importance bugs, and whether the backlog grows. Definitions in docs/bugs.md
 * ("bugs backlog"); what counts as a bug, open, fixed, restricted: bugs-common.ts.
 *
 * Times to triage and to fix are Kaplan–Meier estimates (stats/kaplan-meier.ts) over the bugs
 * created in the cohort window, still-open bugs censored at `now` (and bugs closed without a fix
 * censored at their closing for time to fix), so the median is not biased towards the bugs that
 * were quick; its interval is read off the curve's 95% log-log band.
 */
import type { BacklogData, BugChangeRef, BugImportance, BugStatus } from '../model/bugs.js';
import { BUG_IMPORTANCES, BUG_STATUSES, INFORMATION_TYPES, isOpenStatus, isRestrictedBug } from '../model/bugs.js';
import { wilson } from './ci-stats.js';
import { kaplanMeierSorted, survivalAt, survivalQuantile } from './stats/kaplan-meier.js';
import { DAY_MS } from './stats.js';
import { bugItems, days, isOpen, isoDay, WEEK_MS, weekStarts, type BugItem, type VisibilityCounts } from './bugs-common.js';

export interface BugBacklogOptions {
  now: number;
  /** Weeks of history in the weekly series (default 26). */
  weeks: number;
  /** Days of the cohort whose times to triage and fix are estimated (default 365). */
  cohortDays: number;
  highImportances: readonly BugImportance[];
  /** Whether restricted bugs may be named. */
  showRestricted: boolean;
}

/** A median time (days) with its 95% interval; null ends: not reached / open-ended. */
export interface MedianDays {
  n: number;
  events: number;
  median: number | null;
  lower: number | null;
  upper: number | null;
  /** Share done within 7 and 30 days (1 − S(t)). */
  within7: number;
  within30: number;
  /** The curve for the chart: days → share still waiting, one point per step. */
  curve: Array<{ days: number; waiting: number; lower: number | null; upper: number | null }>;
}

export interface StuckBug {
  bug: number;
  project: string;
  title: string;
  importance: BugImportance;
  assignee: string | null;
  inProgressSince: string | null;
  /** Days since anything happened: the later of going In Progress and the last linked change's update. */
  idleDays: number;
  /** The last change naming it (any status), if any. */
  lastChange: { number: number; status: string; updated: string; abandonReason: string | null } | null;
  why: 'no change' | 'only abandoned changes';
}

export interface FixedStillOpen {
  bug: number;
  project: string;
  title: string;
  status: BugStatus;
  importance: BugImportance;
  change: number;
  mergedAt: string;
  daysSinceMerge: number;
}

export interface AreaRow {
  tag: string;
  openHigh: number;
  open: number;
  /** Age in days of the oldest open high-importance bug. */
  oldestHighDays: number | null;
  /** Median age in days of its open high-importance bugs. */
  medianHighAgeDays: number | null;
}

export interface BacklogWeek {
  week: string;
  opened: number;
  fixed: number;
  closedOther: number;
  /** Open at the week's end. */
  open: number;
  /** New (untriaged) at the week's end. */
  untriaged: number;
}

export interface BugBacklogReport extends VisibilityCounts {
  now: string;
  projects: string[];
  open: number;
  restrictedOpen: number;
  byStatus: Array<{ status: BugStatus; total: number; byImportance: Partial<Record<BugImportance, number>> }>;
  byImportance: Array<{ importance: BugImportance; open: number }>;
  age: { medianDays: number | null; buckets: Array<{ label: string; count: number }> };
  untriaged: number;
  timeToTriage: MedianDays;
  timeToFix: MedianDays;
  inProgressStuck: StuckBug[];
  fixedStillOpen: FixedStillOpen[];
  areas: AreaRow[];
  weeks: BacklogWeek[];
  /** Over the weeks: opened vs closed (fixed or otherwise), and whether the backlog is growing. */
  growth: {
    opened: number;
    closed: number;
    shareOpened: number | null;
    lower: number | null;
    upper: number | null;
    verdict: 'growing' | 'shrinking' | 'cannot tell';
  };
}

const AGE_BUCKETS: Array<[string, number]> = [
  ['< 1 week', 7],
  ['1–4 weeks', 28],
  ['1–3 months', 91],
  ['3–12 months', 365],
  ['1–2 years', 730],
  ['> 2 years', Infinity],
];

/**
 * Times (ms) to an event and to a censoring, gathered apart for one sort each (kaplanMeierSorted),
 * into arrays of the largest count they may hold (no array grown per time, copied to sort).
 */
class TimesToEvent {
  private readonly events: Float64Array;
  private readonly censored: Float64Array;
  private eventCount = 0;
  private censoredCount = 0;
  constructor(capacity: number) {
    this.events = new Float64Array(capacity);
    this.censored = new Float64Array(capacity);
  }
  add(time: number, event: boolean): void {
    if (event) this.events[this.eventCount++] = time / DAY_MS;
    else this.censored[this.censoredCount++] = time / DAY_MS;
  }
  curve() {
    return kaplanMeierSorted(this.events.subarray(0, this.eventCount).sort(), this.censored.subarray(0, this.censoredCount).sort());
  }
}

function medianDays(times: TimesToEvent): MedianDays {
  const curve = times.curve();
  const q = survivalQuantile(curve, 0.5);
  const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  const r3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  const pts = curve.steps.filter((s) => s.events > 0);
  // At most ~60 points for the chart: every k-th event step, and the last.
  const k = Math.max(1, Math.ceil(pts.length / 60));
  const chosen = pts.filter((_, i) => i % k === 0 || i === pts.length - 1);
  return {
    n: curve.n,
    events: curve.events,
    median: r1(q.time),
    lower: r1(q.lower),
    upper: r1(q.upper),
    within7: r3(1 - survivalAt(curve, 7))!,
    within30: r3(1 - survivalAt(curve, 30))!,
    curve: chosen.map((s) => ({ days: r1(s.time)!, waiting: r3(s.survival)!, lower: r3(s.lower), upper: r3(s.upper) })),
  };
}

const median = (xs: ArrayLike<number>): number | null => {
  if (!xs.length) return null;
  const s = Float64Array.from(xs).sort();
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The backlog report from the stored bugs and the changes naming them.
 *
 * Counts, ages, times and the weekly series come from `data.states` (every project task, as
 * columns of numbers), the areas from `data.openTags`; the lists (In Progress bugs nobody works on,
 * fixes merged on open bugs) from `data.listed`.
 *
 * @example computeBugBacklog(await loadBacklogData(db, 'sqlite', ['nova'], { now, since }), { now, weeks: 26, cohortDays: 365, highImportances: ['Critical', 'High'], showRestricted: false })
 */
export function computeBugBacklog(data: BacklogData, o: BugBacklogOptions): BugBacklogReport {
  const { now } = o;
  const st = data.states;
  const N = st.created.length;
  const listed = bugItems(data.listed).filter((i) => i.task.dates.created <= now && isOpen(i));
  const shown = (i: BugItem) => o.showRestricted || !i.restricted;
  let hidden = 0;
  const OPEN = BUG_STATUSES.map((s) => isOpenStatus(s));
  const RESTRICTED = INFORMATION_TYPES.map((t) => isRestrictedBug(t));
  const NEW = BUG_STATUSES.indexOf('New');

  // Open by status × importance, their ages, and the restricted and New ones among them.
  // The counts by status code (an array, not a map: one look-up per open task), in the order the
  // statuses first appear; the ages into an array of the largest count.
  const statusOrder: number[] = [];
  const counts: number[][] = [];
  const allAges = new Float64Array(N);
  let open = 0;
  let restrictedOpen = 0;
  let untriaged = 0;
  for (let k = 0; k < N; k++) {
    const status = st.status[k]!;
    if (st.created[k]! > now || !OPEN[status]) continue;
    let row = counts[status];
    if (!row) {
      counts[status] = row = new Array<number>(BUG_IMPORTANCES.length).fill(0);
      statusOrder.push(status);
    }
    row[st.importance[k]!]!++;
    allAges[open++] = (now - st.created[k]!) / DAY_MS;
    if (st.informationType[k]! >= 0 && RESTRICTED[st.informationType[k]!]) restrictedOpen++;
    if (status === NEW) untriaged++;
  }
  const ages = allAges.subarray(0, open);
  const byStatus = statusOrder
    .map((code) => {
      const row = counts[code]!;
      // The importances by rank.
      const order = BUG_IMPORTANCES.map((_, i) => i).filter((i) => row[i]! > 0);
      return {
        status: BUG_STATUSES[code]!,
        total: row.reduce((a, b) => a + b, 0),
        byImportance: Object.fromEntries(order.map((i) => [BUG_IMPORTANCES[i]!, row[i]!])) as Partial<Record<BugImportance, number>>,
      };
    })
    .sort((a, b) => b.total - a.total || a.status.localeCompare(b.status));
  const byImportance = BUG_IMPORTANCES.map((importance, i) => ({
    importance,
    open: statusOrder.reduce((a, code) => a + counts[code]![i]!, 0),
  })).filter((r) => r.open > 0);

  const medianAge = median(ages);
  const age = {
    medianDays: medianAge === null ? null : days(medianAge * DAY_MS),
    buckets: AGE_BUCKETS.map(([label]) => ({ label, count: 0 })),
  };
  // Each age in its bucket (they do not overlap), in one pass.
  for (const a of ages)
    for (let k = 0; k < AGE_BUCKETS.length; k++)
      if (a < AGE_BUCKETS[k]![1] && a >= (k === 0 ? 0 : AGE_BUCKETS[k - 1]![1])) {
        age.buckets[k]!.count++;
        break;
      }

  // Times to triage and to fix, for bugs created in the cohort window (bugs-common.ts: leftNewAt,
  // closedAt, fixedAt). A fixed task that is closed was closed when fixed.
  const cohortFrom = now - o.cohortDays * DAY_MS;
  const triage = new TimesToEvent(N);
  const fix = new TimesToEvent(N);
  for (let k = 0; k < N; k++) {
    const created = st.created[k]!;
    if (created > now || created < cohortFrom) continue;
    const t = st.leftNewAt[k]!;
    if (t < 0) triage.add(now - created, false);
    else triage.add(Math.max(0, t - created), true);
    const c = st.closedAt[k]!;
    if (c >= 0 && st.fixed[k] === 1) fix.add(Math.max(0, c - created), true);
    else fix.add(Math.max(0, (c >= 0 ? c : now) - created), false);
  }

  // Changes per bug.
  const changesOf = new Map<number, BugChangeRef[]>();
  for (const c of data.listed.changes) {
    const l = changesOf.get(c.bug) ?? [];
    l.push(c);
    changesOf.set(c.bug, l);
  }

  // In Progress with no open change (or only abandoned ones): candidates to unassign.
  const inProgressStuck: StuckBug[] = [];
  for (const i of listed) {
    if (i.task.status !== 'In Progress') continue;
    const cs = (changesOf.get(i.task.bug) ?? []).filter((c) => c.kind !== 'related-bug');
    if (cs.some((c) => c.status === 'NEW')) continue;
    if (cs.some((c) => c.status === 'MERGED')) continue; // fixed, see fixedStillOpen
    if (!shown(i)) {
      hidden++;
      continue;
    }
    const last = [...cs].sort((a, b) => b.updated - a.updated)[0] ?? null;
    const since = i.task.dates.inProgress ?? i.task.dates.assigned ?? i.task.dates.created;
    const lastActivity = Math.max(since, last?.updated ?? 0);
    inProgressStuck.push({
      bug: i.task.bug,
      project: i.task.project,
      title: i.bug?.title ?? i.task.title,
      importance: i.task.importance,
      assignee: i.task.assignee,
      inProgressSince: i.task.dates.inProgress === null ? null : isoDay(i.task.dates.inProgress),
      idleDays: days(now - lastActivity),
      lastChange: last
        ? { number: last.number, status: last.status, updated: isoDay(last.updated), abandonReason: last.abandonReason }
        : null,
      why: cs.length ? 'only abandoned changes' : 'no change',
    });
  }
  inProgressStuck.sort((a, b) => b.idleDays - a.idleDays || a.bug - b.bug);

  // Fix merged, bug still open.
  const fixedStillOpen: FixedStillOpen[] = [];
  for (const i of listed) {
    const merged = (changesOf.get(i.task.bug) ?? [])
      .filter((c) => c.status === 'MERGED' && c.mergedAt !== null && (c.kind === 'closes-bug' || c.kind === 'topic-bug'))
      .sort((a, b) => b.mergedAt! - a.mergedAt!)[0];
    if (!merged) continue;
    if (!shown(i)) {
      hidden++;
      continue;
    }
    fixedStillOpen.push({
      bug: i.task.bug,
      project: i.task.project,
      title: i.bug?.title ?? i.task.title,
      status: i.task.status,
      importance: i.task.importance,
      change: merged.number,
      mergedAt: isoDay(merged.mergedAt!),
      daysSinceMerge: days(now - merged.mergedAt!),
    });
  }
  fixedStillOpen.sort((a, b) => b.daysSinceMerge - a.daysSinceMerge || a.bug - b.bug);

  // Areas (tags) by open high-importance bugs; restricted bugs' tags only for readers who may see them.
  const high = new Set(o.highImportances);
  const areaMap = new Map<string, { open: number; highAges: number[] }>();
  for (const g of data.openTags) {
    if (!o.showRestricted && isRestrictedBug(g.informationType)) continue;
    const created = g.created.filter((c) => c <= now);
    if (!created.length) continue;
    for (const tag of g.tags.split(' ')) {
      const a = areaMap.get(tag) ?? { open: 0, highAges: [] };
      a.open += created.length;
      if (high.has(g.importance)) for (const c of created) a.highAges.push((now - c) / DAY_MS);
      areaMap.set(tag, a);
    }
  }
  const areas: AreaRow[] = [...areaMap.entries()]
    .map(([tag, a]) => ({
      tag,
      openHigh: a.highAges.length,
      open: a.open,
      oldestHighDays: a.highAges.length ? days(Math.max(...a.highAges) * DAY_MS) : null,
      medianHighAgeDays: a.highAges.length ? days(median(a.highAges)! * DAY_MS) : null,
    }))
    .sort((a, b) => b.openHigh - a.openHigh || b.open - a.open || a.tag.localeCompare(b.tag))
    .slice(0, 30);

  // Weekly series: opened, fixed, closed otherwise; open and New at each week's end. Each bug is
  // placed once (its opening, its closing, the weeks it was open or New at the end of), not once a week.
  const starts = weekStarts(now, o.weeks);
  const ends = starts.map((w) => Math.min(w + WEEK_MS, now));
  const W = starts.length;
  /** The week whose [start, end) holds `x`, or -1. */
  const weekOf = (x: number): number => {
    for (let lo = 0, hi = W - 1; lo <= hi;) {
      const k = (lo + hi) >> 1;
      if (x < starts[k]!) hi = k - 1;
      else if (x >= ends[k]!) lo = k + 1;
      else return k;
    }
    return -1;
  };
  /** The first week whose end is after `x` (W when none). */
  const firstEndAfter = (x: number): number => {
    let lo = 0;
    let hi = W;
    while (lo < hi) {
      const k = (lo + hi) >> 1;
      if (ends[k]! > x) hi = k;
      else lo = k + 1;
    }
    return lo;
  };
  const opened = new Array<number>(W).fill(0);
  const fixed = new Array<number>(W).fill(0);
  const closedOther = new Array<number>(W).fill(0);
  const openDiff = new Array<number>(W + 1).fill(0);
  const newDiff = new Array<number>(W + 1).fill(0);
  for (let i = 0; i < N; i++) {
    const created = st.created[i]!;
    if (created > now) continue;
    const k0 = weekOf(created);
    if (k0 >= 0) opened[k0]!++;
    const c = st.closedAt[i]!;
    if (c >= 0) {
      const k = weekOf(c);
      if (k >= 0) {
        if (st.fixed[i] === 1) fixed[k]!++;
        else closedOther[k]!++;
      }
    }
    // Open at the end of week k: created before it, not closed before it.
    const from = firstEndAfter(created);
    const to = c < 0 ? W : firstEndAfter(c);
    if (from < to) {
      openDiff[from]!++;
      openDiff[to]!--;
      const ln = st.leftNewAt[i]!;
      const newTo = Math.min(to, ln < 0 ? W : firstEndAfter(ln));
      if (from < newTo) {
        newDiff[from]!++;
        newDiff[newTo]!--;
      }
    }
  }
  let openRun = 0;
  let newRun = 0;
  const weeks: BacklogWeek[] = starts.map((w, k) => {
    openRun += openDiff[k]!;
    newRun += newDiff[k]!;
    return { week: isoDay(w), opened: opened[k]!, fixed: fixed[k]!, closedOther: closedOther[k]!, open: openRun, untriaged: newRun };
  });
  const openedSum = weeks.reduce((a, w) => a + w.opened, 0);
  const closedSum = weeks.reduce((a, w) => a + w.fixed + w.closedOther, 0);
  // Given the events of the window, each is an opening with probability p; p > 1/2 means growth.
  const ci = wilson(openedSum, openedSum + closedSum);
  const growth = {
    opened: openedSum,
    closed: closedSum,
    shareOpened: openedSum + closedSum ? Math.round((openedSum / (openedSum + closedSum)) * 1000) / 1000 : null,
    lower: ci ? Math.round(ci.low * 1000) / 1000 : null,
    upper: ci ? Math.round(ci.high * 1000) / 1000 : null,
    verdict: (ci && ci.low > 0.5 ? 'growing' : ci && ci.high < 0.5 ? 'shrinking' : 'cannot tell') as
      'growing' | 'shrinking' | 'cannot tell',
  };

  return {
    now: new Date(now).toISOString(),
    projects: [...new Set(data.projects)].sort(),
    open,
    restrictedOpen,
    restrictedHidden: hidden,
    restrictedShown: o.showRestricted,
    byStatus,
    byImportance,
    age,
    untriaged,
    timeToTriage: medianDays(triage),
    timeToFix: medianDays(fix),
    inProgressStuck,
    fixedStillOpen,
    areas,
    weeks,
    growth,
  };
}
