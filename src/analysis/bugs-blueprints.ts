/**
 * `steward bugs blueprints`: Launchpad's blueprints (stored by `steward bugs sync` from
 * all_specifications) per series goal — counts by implementation and by definition status, each
 * blueprint with its priority, assignee, statuses and the code that names it (Gerrit changes merged
 * and open, commits: the one blueprint link rule, sources/links/blueprint-refs.ts, as the specs
 * report reads it; `Related-Blueprint:` work is not counted), and the actionable lists: approved
 * and planned for the series but not started, and goals proposed but not accepted by the series'
 * drivers. Definitions in docs/bugs.md ("bugs blueprints").
 */
import type { Blueprint } from '../model/bugs.js';

/** What the code that names one blueprint (lower-cased name) amounts to. */
export interface BlueprintCodeCounts {
  merged: number;
  open: number;
  abandoned: number;
  commits: number;
}

export interface BlueprintRow {
  project: string;
  name: string;
  title: string;
  priority: string;
  assignee: string | null;
  definitionStatus: string;
  implementationStatus: string;
  lifecycleStatus: string;
  /** Whether the series' drivers accepted the series goal ("Series goal is accepted"); null: not known. */
  seriesGoalAccepted: boolean | null;
  milestone: string | null;
  created: string;
  started: string | null;
  completed: string | null;
  changes: { merged: number; open: number; abandoned: number };
  commits: number;
}

export interface BlueprintSeries {
  /** The series the blueprints are goals of; null: blueprints with no series goal. */
  series: string | null;
  total: number;
  byImplementation: Array<{ status: string; count: number }>;
  byDefinition: Array<{ status: string; count: number }>;
  /** The goals by acceptance: accepted by the series' drivers, not accepted (proposed or declined), not known. */
  goal: { accepted: number; notAccepted: number; unknown: number };
  /** Definition Approved, a goal of this series not refused acceptance (accepted, or not known), implementation Unknown or Not started. */
  approvedNotStarted: BlueprintRow[];
  /** Proposed as goals of this series and not accepted (proposed or declined): not planned for it, whatever their definition. */
  goalNotAccepted: BlueprintRow[];
  blueprints: BlueprintRow[];
}

export interface BugBlueprintsReport {
  /** The series asked for, or null for all. */
  series: string | null;
  total: number;
  seriesList: BlueprintSeries[];
}

/** Launchpad's priorities, most important first (unknown words last, as given). */
const PRIORITY_ORDER = ['Essential', 'High', 'Medium', 'Low', 'Undefined', 'Not'];
const NOT_STARTED = new Set(['Unknown', 'Not started']);

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

function counts(xs: readonly string[]): Array<{ status: string; count: number }> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));
}

/**
 * The blueprints report over `blueprints`, with the code naming each (keyed by lower-cased name).
 *
 * @example computeBugBlueprints(blueprints, new Map([['my-bp', { merged: 2, open: 1, abandoned: 0, commits: 2 }]]), { series: 'zed' })
 */
export function computeBugBlueprints(
  blueprints: readonly Blueprint[],
  code: ReadonlyMap<string, BlueprintCodeCounts>,
  o: { series: string | null },
): BugBlueprintsReport {
  const chosen = blueprints.filter((b) => o.series === null || b.seriesGoal === o.series);
  const rank = (p: string) => (PRIORITY_ORDER.includes(p) ? PRIORITY_ORDER.indexOf(p) : PRIORITY_ORDER.length);
  const row = (b: Blueprint): BlueprintRow => {
    const c = code.get(b.name.toLowerCase()) ?? { merged: 0, open: 0, abandoned: 0, commits: 0 };
    return {
      project: b.project,
      name: b.name,
      title: b.title,
      priority: b.priority,
      assignee: b.assignee,
      definitionStatus: b.definitionStatus,
      implementationStatus: b.implementationStatus,
      lifecycleStatus: b.lifecycleStatus,
      seriesGoalAccepted: b.seriesGoalAccepted,
      milestone: b.milestone,
      created: iso(b.createdAt)!,
      started: iso(b.startedAt),
      completed: iso(b.completedAt),
      changes: { merged: c.merged, open: c.open, abandoned: c.abandoned },
      commits: c.commits,
    };
  };
  const bySeries = new Map<string | null, Blueprint[]>();
  for (const b of chosen) bySeries.set(b.seriesGoal, [...(bySeries.get(b.seriesGoal) ?? []), b]);
  const seriesList = [...bySeries]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([series, bs]): BlueprintSeries => {
      const rows = [...bs]
        .sort((a, b) => rank(a.priority) - rank(b.priority) || a.project.localeCompare(b.project) || a.name.localeCompare(b.name))
        .map(row);
      return {
        series,
        total: bs.length,
        byImplementation: counts(bs.map((b) => b.implementationStatus)),
        byDefinition: counts(bs.map((b) => b.definitionStatus)),
        goal: {
          accepted: bs.filter((b) => b.seriesGoalAccepted === true).length,
          notAccepted: bs.filter((b) => b.seriesGoalAccepted === false).length,
          unknown: bs.filter((b) => b.seriesGoalAccepted === null).length,
        },
        // A goal only proposed (or declined) is not planned for the series: not "approved, not started".
        approvedNotStarted:
          series === null
            ? []
            : rows.filter(
                (r) => r.definitionStatus === 'Approved' && NOT_STARTED.has(r.implementationStatus) && r.seriesGoalAccepted !== false,
              ),
        goalNotAccepted: series === null ? [] : rows.filter((r) => r.seriesGoalAccepted === false),
        blueprints: rows,
      };
    });
  return { series: o.series, total: chosen.length, seriesList };
}
