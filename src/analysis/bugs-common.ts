/**
 * What the three bug reports (bugs-backlog.ts, bugs-rota.ts, bugs-targets.ts) share: which task
 * stands for a bug, when a bug counts as open, fixed or closed, who may see it, and weeks.
 *
 * - A bug's state on a project is its **project task** (the task without a series); series tasks
 *   are backport targets and are not counted again. A bug with tasks on several projects counts
 *   once per project.
 * - **Duplicates** (the bug is a duplicate of another) are left out of every count: their work is
 *   the other bug's.
 * - **Restricted** bugs (every information type but Public: Public Security, Private Security,
 *   Private, Proprietary, Embargoed) are counted in totals; they are named (number, title, tags,
 *   assignee) only for a reader allowed to see them (`bugs.private.read`).
 */
import type { BacklogData, BacklogStates, BacklogTagGroup } from '../model/bugs.js';
import {
  BUG_IMPORTANCES,
  BUG_STATUSES,
  INFORMATION_TYPES,
  isOpenStatus,
  isRestrictedBug,
  type Bug,
  type BugData,
  type BugImportance,
  type BugTask,
  type BugTaskDates,
} from '../model/bugs.js';
import { DAY_MS } from './stats.js';

export const WEEK_MS = 7 * DAY_MS;

/** One bug on one project: its project task and the bug (null when the store has no bug record). */
export interface BugItem {
  task: BugTask;
  bug: Bug | null;
  restricted: boolean;
}

/** Importance order for ranking: Critical 0, High 1, … */
export const IMPORTANCE_RANK: Record<BugImportance, number> = {
  Critical: 0,
  High: 1,
  Medium: 2,
  Low: 3,
  Wishlist: 4,
  Undecided: 5,
  Unknown: 6,
};

/** The project tasks of the data, duplicates left out, each with its bug. */
export function bugItems(data: Pick<BugData, 'tasks' | 'bugs'> & Partial<BugData>): BugItem[] {
  const bugs = new Map(data.bugs.map((b) => [b.id, b]));
  const out: BugItem[] = [];
  for (const task of data.tasks) {
    if (task.series !== null) continue;
    const bug = bugs.get(task.bug) ?? null;
    if (bug?.duplicateOf != null) continue;
    out.push({ task, bug, restricted: bug ? isRestrictedBug(bug.informationType) : false });
  }
  return out;
}

export const isOpen = (i: BugItem): boolean => isOpenStatus(i.task.status);

/**
 * The backlog's input from the full data, in memory: what store/queries/bugs.ts loadBacklogData
 * reads in SQL (a test holds the two equal on the demo, both engines).
 */
export function backlogDataFrom(data: BugData, now: number): BacklogData {
  const items = bugItems(data);
  const n = items.length;
  const col = () => new Float64Array(n);
  const states: BacklogStates = {
    bug: col(),
    status: col(),
    importance: col(),
    informationType: col(),
    created: col(),
    leftNewAt: col(),
    closedAt: col(),
    fixed: col(),
  };
  const groups = new Map<string, BacklogTagGroup>();
  items.forEach((i, k) => {
    const t = i.task;
    states.bug[k] = t.bug;
    states.status[k] = BUG_STATUSES.indexOf(t.status);
    states.importance[k] = BUG_IMPORTANCES.indexOf(t.importance);
    states.informationType[k] = i.bug ? INFORMATION_TYPES.indexOf(i.bug.informationType) : -1;
    states.created[k] = t.dates.created;
    states.leftNewAt[k] = leftNewAt(t) ?? -1;
    states.closedAt[k] = closedAt(t) ?? -1;
    states.fixed[k] = fixedAt(t) === null ? 0 : 1;
    if (!i.bug || !i.bug.tags.length || !isOpenStatus(t.status) || t.dates.created > now) return;
    const tags = i.bug.tags.join(' ');
    const key = JSON.stringify([tags, i.bug.informationType, t.importance]);
    const g = groups.get(key) ?? { tags, informationType: i.bug.informationType, importance: t.importance, created: [] };
    g.created.push(t.dates.created);
    groups.set(key, g);
  });
  const projects = [...new Set(items.filter((i) => i.task.dates.created <= now).map((i) => i.task.project))].sort();
  return { projects, states, openTags: [...groups.values()], listed: data };
}

/** What the dates below read of a task: its status and five of its dates. */
export type TaskTimes = Pick<BugTask, 'status'> & {
  dates: Pick<BugTaskDates, 'created' | 'leftNew' | 'fixCommitted' | 'fixReleased' | 'closed'>;
};

/** When the task was fixed (Fix Committed, else Fix Released), or null. */
export const fixedAt = (t: TaskTimes): number | null => t.dates.fixCommitted ?? t.dates.fixReleased;

/** When a task that is closed now was closed: fixed, else its closing date. Null for an open task. */
export function closedAt(t: TaskTimes): number | null {
  if (isOpenStatus(t.status)) return null;
  return fixedAt(t) ?? t.dates.closed ?? t.dates.created;
}

/** When the task left New: Launchpad's date, else (a task that went from New straight to closed) its closing. */
export function leftNewAt(t: TaskTimes): number | null {
  if (t.status === 'New') return null;
  return t.dates.leftNew ?? closedAt(t);
}

/** Monday 00:00 UTC of the week holding `t`. */
export function mondayOf(t: number): number {
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const dow = (new Date(day).getUTCDay() + 6) % 7;
  return day - dow * DAY_MS;
}

export const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);
export const days = (ms: number): number => Math.round((ms / DAY_MS) * 10) / 10;

/** The weeks (Mondays) of the `weeks` whole or partial weeks ending with the one holding `now`. */
export function weekStarts(now: number, weeks: number): number[] {
  const last = mondayOf(now);
  return Array.from({ length: weeks }, (_, i) => last - (weeks - 1 - i) * WEEK_MS);
}

/** What a reader is shown of a restricted bug: nothing but that it exists. */
export interface VisibilityCounts {
  /** Restricted bugs in the lists that were left out for this reader. */
  restrictedHidden: number;
  /** Whether restricted bugs are shown. */
  restrictedShown: boolean;
}
