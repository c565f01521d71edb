/**
 * The bug reports (`steward bugs backlog|rota|targets|blueprints`, `/api/v1/bugs/…`, the bugs pages): gather
 * from the store (store/queries/bugs.ts), compute (analysis/bugs-*.ts), with who may see restricted
 * bugs decided here: a reader allowed `bugs.private.read` (`steward serve --auth`: the lead and
 * admin roles), or the command line with `--include-private` (its user holds the store). Everyone
 * else sees restricted bugs only in totals.
 */
import { computeBugBacklog, type BugBacklogReport } from '../analysis/bugs-backlog.js';
import { computeBugRota, type BugRotaReport } from '../analysis/bugs-rota.js';
import { computeBugTargets, type BugTargetsReport } from '../analysis/bugs-targets.js';
import { computeBugBlueprints, type BlueprintCodeCounts, type BugBlueprintsReport } from '../analysis/bugs-blueprints.js';
import { WEEK_MS, weekStarts } from '../analysis/bugs-common.js';
import { DAY_MS } from '../analysis/stats.js';
import type { RotaBugTask } from '../model/bugs.js';
import type { Store } from '../store/engine.js';
import { loadBacklogData, loadBlueprints, loadRotaBugs, loadRotaData, loadTargetsData } from '../store/queries/bugs.js';
import { findBlueprintCode } from './blueprint-code-view.js';
import { authorize } from './authorize.js';
import type { Reader } from './catalogue/report-entry.js';
import { accountMatches, type EffectiveConfig } from './effective-config.js';

export interface BugsViewParams {
  /** Launchpad projects (backlog, targets) or Gerrit projects (rota); empty: all. */
  project?: readonly string[];
  weeks: number;
  includePrivate: boolean;
  limit: number;
}

/** Whether the reader may see restricted bugs by name. */
export function mayShowRestricted(includePrivate: boolean, reader: Reader | undefined): boolean {
  if (reader) return authorize(reader, 'bugs.private.read', { kind: 'bugs' }).allowed;
  return includePrivate;
}

function launchpadProjects(p: BugsViewParams, config: EffectiveConfig): string[] {
  return p.project?.length ? [...p.project] : (config.config.bugs.launchpad?.projects ?? []);
}

export async function buildBugBacklogView(
  store: Store,
  p: BugsViewParams,
  config: EffectiveConfig,
  now: number,
  reader?: Reader,
): Promise<BugBacklogReport> {
  const cohortDays = 365;
  const since = Math.min(weekStarts(now, p.weeks)[0] ?? now, now - cohortDays * DAY_MS);
  const data = await loadBacklogData(store.db, store.engine, launchpadProjects(p, config), { now, since });
  return computeBugBacklog(data, {
    now,
    weeks: p.weeks,
    cohortDays,
    highImportances: config.config.bugs.highImportances,
    showRestricted: mayShowRestricted(p.includePrivate, reader),
  });
}

export async function buildBugTargetsView(
  store: Store,
  p: BugsViewParams,
  config: EffectiveConfig,
  now: number,
  reader?: Reader,
): Promise<BugTargetsReport> {
  const fixersDays = 730;
  const highImportances = config.config.bugs.highImportances;
  const data = await loadTargetsData(store.db, launchpadProjects(p, config), { now, highImportances, fixersDays }, store.engine);
  return computeBugTargets(data, {
    now,
    highImportances,
    staleDays: 90,
    fixersDays,
    limit: p.limit,
    showRestricted: mayShowRestricted(p.includePrivate, reader),
  });
}

/** The rota names no bug beyond its number and importance: it is the same for every reader. */
export async function buildBugRotaView(store: Store, p: BugsViewParams, config: EffectiveConfig, now: number): Promise<BugRotaReport> {
  const b = config.config.bugs;
  const rules = {
    members: b.rota?.members ?? [],
    duty: b.rota?.duty ?? [],
    maxLines: b.trivial.maxLines,
    tag: b.trivial.tag,
    importances: b.trivial.importances,
    neverPaths: b.trivial.neverPaths,
  };
  const since = now - p.weeks * WEEK_MS - 7 * DAY_MS;
  const from = weekStarts(now, p.weeks)[0]!;
  const lpProjects = b.launchpad?.projects ?? [];
  // Only the bugs the rota's changes name: the rota reads their importance, information type and
  // reopening. On PostgreSQL read as soon as the loader knows them, beside its other reads.
  const early: { tasks?: Promise<RotaBugTask[]> } = {};
  const rota = await loadRotaData(store.db, store.engine, {
    since,
    // The analysis counts the reviews from the first week's Monday (reviewsInPeriod): earlier acts
    // are not read (about a fifteenth of them).
    reviewsSince: from,
    maxLines: rules.maxLines,
    tag: rules.tag,
    members: rules.members,
    projects: p.project,
    neverPaths: rules.neverPaths,
    // The large merged changes counted in SQL, their bugs' reopening read on these projects' tasks.
    until: now,
    from,
    lpProjects,
    onBugs: (named) => {
      early.tasks = loadRotaBugs(store.db, store.engine, lpProjects, named);
      // Awaited below: a failure of the loader's other reads first must not leave it unhandled.
      early.tasks.catch(() => undefined);
    },
  });
  const data = await (early.tasks ??
    loadRotaBugs(
      store.db,
      store.engine,
      lpProjects,
      [...new Set(rota.changes.flatMap((c) => c.bugs))].sort((x, y) => x - y),
    ));
  // A member named in `bots` never reviews (as in every report that counts reviews).
  const bots = new Set(rota.accounts.filter((a) => config.config.bots.some((s) => accountMatches(a, s))).map((a) => a.id));
  return computeBugRota(rota, data, {
    now,
    weeks: p.weeks,
    quietWeeks: Math.min(13, Math.floor(p.weeks / 2)),
    rules,
    limit: p.limit,
    isBot: (id) => bots.has(id),
  });
}

export interface BugBlueprintsParams {
  /** Launchpad projects; empty: bugs.launchpad.projects, else all stored. */
  project?: readonly string[];
  /** Only blueprints that are goals of this series. */
  series?: string;
}

/**
 * `steward bugs blueprints`: the stored blueprints per series goal, with the Gerrit changes and
 * commits that name each (findBlueprintCode: the one blueprint link rule, as the specs report reads it).
 */
export async function buildBugBlueprintsView(
  store: Store,
  p: BugBlueprintsParams,
  config: EffectiveConfig,
  _now: number,
): Promise<BugBlueprintsReport> {
  const projects = p.project?.length ? [...p.project] : (config.config.bugs.launchpad?.projects ?? []);
  const blueprints = await loadBlueprints(store.db, { projects, series: p.series ?? null });
  const names = [...new Set(blueprints.map((b) => b.name.toLowerCase()))];
  const { changes, commits } = names.length ? await findBlueprintCode(store, names) : { changes: [], commits: [] };
  const code = new Map<string, BlueprintCodeCounts & { seen: Set<string> }>();
  const of = (name: string) => {
    let c = code.get(name);
    if (!c) code.set(name, (c = { merged: 0, open: 0, abandoned: 0, commits: 0, seen: new Set() }));
    return c;
  };
  // Related work (a Related-Blueprint trailer) is not the blueprint's code, as in the specs report.
  for (const ch of changes) {
    if (ch.kind === 'related') continue;
    const c = of(ch.blueprint);
    const key = `${ch.host}/${ch.number}`;
    if (c.seen.has(key)) continue;
    c.seen.add(key);
    if (ch.status === 'MERGED') c.merged++;
    else if (ch.status === 'ABANDONED') c.abandoned++;
    else c.open++;
  }
  for (const cm of commits) {
    if (cm.kind === 'related') continue;
    const c = of(cm.blueprint);
    if (c.seen.has(cm.sha)) continue;
    c.seen.add(cm.sha);
    c.commits++;
  }
  return computeBugBlueprints(blueprints, code, { series: p.series ?? null });
}
