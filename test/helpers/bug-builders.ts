/**
 * Launchpad records for tests: a bug task and a bug with sensible defaults (a New, Undecided task
 * of nova on a Public bug), and a generated set of n bugs with one or two tasks each.
 */
import type { Blueprint, Bug, BugTask, BugTaskDates } from '../../src/model/bugs.js';
import { BUG_IMPORTANCES, BUG_STATUSES } from '../../src/model/bugs.js';

export const BUG_T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 86_400_000;

export function makeBugTask(over: Partial<Omit<BugTask, 'dates'>> & { bug: number; dates?: Partial<BugTaskDates> }): BugTask {
  const project = over.project ?? 'nova';
  const series = over.series ?? null;
  return {
    selfLink: `https://api.launchpad.net/devel/${series ? `${project}/${series}` : project}/+bug/${over.bug}`,
    project,
    series,
    status: 'New',
    importance: 'Undecided',
    assignee: null,
    milestone: null,
    title: `bug ${over.bug}`,
    ...over,
    dates: {
      created: BUG_T0 + over.bug * 3_600_000,
      assigned: null,
      confirmed: null,
      triaged: null,
      inProgress: null,
      fixCommitted: null,
      fixReleased: null,
      closed: null,
      leftNew: null,
      incomplete: null,
      leftClosed: null,
      deferred: null,
      ...over.dates,
    },
  };
}

export function makeBug(over: Partial<Bug> & { id: number }): Bug {
  return {
    title: `bug ${over.id}`,
    tags: [],
    informationType: 'Public',
    duplicateOf: null,
    heat: 6,
    messageCount: 2,
    owner: 'reporter',
    createdAt: BUG_T0 + over.id * 3_600_000,
    lastUpdatedAt: BUG_T0 + over.id * 3_600_000 + DAY,
    lastMessageAt: BUG_T0 + over.id * 3_600_000 + DAY,
    ...over,
  };
}

export function makeBlueprint(over: Partial<Blueprint> & { name: string }): Blueprint {
  const project = over.project ?? 'nova';
  return {
    selfLink: `https://api.launchpad.net/devel/${project}/+spec/${over.name}`,
    project,
    title: over.name,
    definitionStatus: 'Approved',
    implementationStatus: 'Started',
    lifecycleStatus: 'Started',
    priority: 'Medium',
    seriesGoal: 'zed',
    seriesGoalAccepted: true,
    milestone: null,
    assignee: 'alice',
    createdAt: BUG_T0,
    startedAt: BUG_T0 + DAY,
    completedAt: null,
    ...over,
  };
}

/** n bugs (ids 1001…) with a project task each and a series task on every fifth; statuses and importances cycle. */
export function bugSet(n: number, from = 1001): { tasks: BugTask[]; bugs: Bug[] } {
  const tasks: BugTask[] = [];
  const bugs: Bug[] = [];
  for (let i = 0; i < n; i++) {
    const id = from + i;
    const status = BUG_STATUSES[i % BUG_STATUSES.length]!;
    const importance = BUG_IMPORTANCES[i % BUG_IMPORTANCES.length]!;
    bugs.push(makeBug({ id, tags: i % 3 ? ['compute'] : ['libvirt', 'compute'], heat: i % 50 }));
    tasks.push(
      makeBugTask({
        bug: id,
        status,
        importance,
        assignee: i % 4 ? null : 'alice',
        dates: { leftNew: status === 'New' ? null : BUG_T0 + id * 3_600_000 + DAY },
      }),
    );
    if (i % 5 === 0) tasks.push(makeBugTask({ bug: id, series: 'zed', status: 'Triaged', importance: 'High' }));
  }
  return { tasks, bugs };
}
