/**
 * The overview (`steward overview`, `/api/v1/overview`): the project at a glance — changes, open
 * changes and waits, reviewers, CI health, the core team and the queue in short (analysis/overview.ts).
 */
import {
  computeOverview,
  isOpenAt,
  longestWaitingIds,
  summariseTeam,
  type OverviewChange,
  type TeamSummary,
} from '../analysis/overview.js';
import { situationAt } from '../analysis/queue-state.js';
import type { OverviewReport, OverviewSkipped } from '../report/overview-report.js';
import type { AccountLabel } from '../report/reviewers-report.js';
import type { Store } from '../store/engine.js';
import {
  listProjectNamesByHost,
  loadChangeLabels,
  loadAccounts,
  loadCiReporterIds,
  loadCiResultCounts,
  loadNegativeWorkflowChangeIds,
  loadOverviewChangeCounts,
  loadOverviewChanges,
} from '../store/queries/activity.js';
import { loadFlowChanges } from '../store/queries/flow.js';
import { loadReviewTally } from '../store/queries/review-tally.js';
import { summariseAdvisoriesForOverview } from '../analysis/advisories.js';
import { listAdvisoryDays } from '../store/queries/advisories.js';
import { loadBugsOverview } from '../store/queries/bugs.js';
import { buildCiHealth } from './ci-gather.js';
import { candidatesResult } from './core-candidates-view.js';
import { idleResult } from './core-idle-view.js';
import { loadResult } from './core-load-view.js';
import { mentoringResult } from './core-mentoring-view.js';
import { botIds, coreTeamIds, type EffectiveConfig } from './effective-config.js';
import { flowSetup } from './flow-setup.js';
import { checkProjects } from './known-projects.js';
import type { Window } from './params.js';
import { buildQueueSummary } from './queue-view.js';
import { labelOf, reviewersResult, teamContextFor } from './team-context.js';

export interface OverviewParams {
  project?: readonly string[];
  window: Window;
  /** Also the CI line, the CI health, the core-team summary and the queue (each reads every CI run, review or open change's votes). */
  full?: boolean;
}

/** What the overview leaves out unless asked for the full one (`--full`, `full=true`), and the reports that show it. */
export const OVERVIEW_SKIPPABLE: readonly OverviewSkipped[] = [
  { part: 'ciHealth', commands: ['steward ci jobs', 'steward ci voting-readiness'] },
  {
    part: 'team',
    commands: ['steward reviewers', 'steward core idle', 'steward core candidates', 'steward core load', 'steward core mentoring'],
  },
  { part: 'ci', commands: ['steward ci jobs'] },
  { part: 'queue', commands: ['steward queue'] },
];

/** The overview as `--format json` prints it. */
export async function buildOverviewView(
  store: Store,
  params: OverviewParams,
  effective: EffectiveConfig,
  _now: number,
): Promise<OverviewReport> {
  const win = params.window;
  const known = await listProjectNamesByHost(store.db);
  checkProjects(params.project, known);
  const projects = params.project?.length ? [...params.project] : known;
  const { config, origin } = effective;
  const filter = { projects: params.project?.length ? [...params.project] : undefined };
  // Bots first: the reviews are counted in the database without them (CI votes are many).
  const [accounts, ciReporters] = await Promise.all([loadAccounts(store.db), loadCiReporterIds(store.db)]);
  const bots = botIds(config, accounts, ciReporters);
  const full = params.full === true;
  const [changeCounts, changes, reviewTally, ci, negativeWorkflow] = await Promise.all([
    loadOverviewChangeCounts(store.db, { ...filter, since: win.since, until: win.until }),
    loadOverviewChanges(store.db, { ...filter, now: win.now, engine: store.engine }),
    loadReviewTally(store.db, { ...filter, since: win.since, until: win.until, excludeActorIds: [...bots], engine: store.engine }),
    // The CI line reads every job list of the period (30 MB on the bench store): only in the full overview.
    full ? loadCiResultCounts(store.db, { ...filter, since: win.since, until: win.until }) : null,
    full ? null : loadNegativeWorkflowChangeIds(store.db, { now: win.now }),
  ]);
  const coreIds = coreTeamIds(config, accounts, params.project ?? []);
  // The overview's open changes are the queue's, work in progress as it defines it: the full
  // overview builds the queue's summary (every open change's flow); the short one replays only the
  // changes that can be work in progress (the WIP flag, or a negative Workflow vote), with the
  // queue's own rule.
  const queueFull = full ? await buildQueueSummary(store, params.project, effective, win.now) : null;
  const wipChangeIds = queueFull
    ? queueFull.wipChangeIds
    : await workInProgressIds(store, params.project, effective, changes, negativeWorkflow!, win.now);
  // The open changes are read without their texts: the project and subject of the few listed.
  const labels = await loadChangeLabels(store.db, longestWaitingIds({ changes, wipChangeIds }, win.now));
  const overview = computeOverview(
    { changes, labels, changeCounts, reviewTally, ci, isBot: (id) => bots.has(id), coreIds, wipChangeIds },
    win,
  );
  // The slow parts (seconds each on a large store) only when asked for; the result says what it left out.
  const ciHealth = full ? await buildCiHealth(store, params.project, win, effective) : null;
  const team = full ? await buildTeamSummary(store, params.project, effective, win) : null;
  let queue = null;
  if (queueFull) {
    const { wipChangeIds: _ids, ...summary } = queueFull;
    queue = summary;
  }
  // Published advisories only: the tracker's embargoed items never reach this shared report.
  const products = (params.project ?? []).map((p) => p.split('/').pop() ?? p);
  const security = summariseAdvisoriesForOverview(await listAdvisoryDays(store.db, products), win.now);
  const bugs = await loadBugsOverview(store.db, config.bugs.launchpad?.projects ?? [], win.now);
  return {
    projects,
    ...overview,
    ciHealth,
    team,
    skipped: full ? [] : OVERVIEW_SKIPPABLE.map((p) => ({ ...p, commands: [...p.commands] })),
    queue,
    security,
    bugs: bugs.open + bugs.untriaged + bugs.inProgressNoOpenChange > 0 || bugs.projects.length ? bugs : null,
    sources: {
      config: origin,
      coreTeam: coreIds ? `core.members in ${origin}` : 'no core.members in the configuration',
      bots: `${config.bots.length} configured in ${origin}, plus every account that posted CI build reports (${bots.size} accounts in all)`,
    },
  };
}

/** The core-team reports in short, for the overview (docs/review-flow.md, "Overview", `team`). */
export async function buildTeamSummary(
  store: Store,
  project: readonly string[] | undefined,
  config: EffectiveConfig,
  win: Window,
): Promise<TeamSummary<AccountLabel>> {
  const ctx = await teamContextFor(store, config.config, config.origin, project ?? []);
  const known = ctx.roster.known;
  const days = ctx.config.coreRules.candidateDays;
  return summariseTeam(
    {
      reviewers: await reviewersResult(store, ctx, win),
      idle: known ? await idleResult(store, ctx, { now: win.now }) : null,
      candidates: known ? await candidatesResult(store, ctx, { since: win.now - days * 86_400_000, until: win.now, now: win.now }) : null,
      load: known ? await loadResult(store, ctx, win) : null,
      mentoring: await mentoringResult(store, ctx, { now: win.now }),
    },
    (id) => labelOf(ctx, id),
  );
}

/**
 * The open changes (as of `now`) the queue calls work in progress (queue-state.ts: the WIP flag, or
 * a final negative Workflow vote on the current patch set; a change with no patch set before `now`
 * is not in the queue), replaying only those that can be: those with a negative Workflow or Approved
 * vote on that patch set (`negativeWorkflow`). A flagged change is work in progress when it has a patch set before
 * `now`, which its latest patch set at or before `now` tells unless that one is at `now` exactly.
 */
async function workInProgressIds(
  store: Store,
  project: readonly string[] | undefined,
  effective: EffectiveConfig,
  changes: readonly OverviewChange[],
  negativeWorkflow: ReadonlySet<number>,
  now: number,
): Promise<Set<number>> {
  const wip = new Set<number>();
  const replay: number[] = [];
  for (const c of changes) {
    if (!isOpenAt(c, now)) continue;
    const latest = c.patchSetCreated[0];
    if (c.workInProgress && latest !== undefined && latest < now) wip.add(c.id);
    else if (latest !== undefined && (c.workInProgress || negativeWorkflow.has(c.id))) replay.push(c.id);
  }
  if (replay.length === 0) return wip;
  const setup = await flowSetup(store, project, effective);
  const flows = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'ids', ids: replay }, projects: setup.projects, asOf: now });
  for (const c of flows) if (c.created <= now && situationAt(c, setup.ctx, now).state === 'wip') wip.add(c.id);
  return wip;
}
