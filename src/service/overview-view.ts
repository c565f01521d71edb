/**
 * The overview (`steward overview`, `/api/v1/overview`): the project at a glance — changes, open
 * changes and waits, reviewers, CI health, the core team and the queue in short (analysis/overview.ts).
 */
import { computeOverview, summariseTeam, type TeamSummary } from '../analysis/overview.js';
import type { OverviewReport, OverviewSkipped } from '../report/overview-report.js';
import type { AccountLabel } from '../report/reviewers-report.js';
import type { Store } from '../store/engine.js';
import {
  listProjectNamesByHost,
  loadAccounts,
  loadCiReporterIds,
  loadCiResultCounts,
  loadOverviewChangeCounts,
  loadOverviewChanges,
} from '../store/queries/activity.js';
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
import { checkProjects } from './known-projects.js';
import type { Window } from './params.js';
import { buildQueueSummary } from './queue-view.js';
import { labelOf, reviewersResult, teamContextFor } from './team-context.js';

export interface OverviewParams {
  project?: readonly string[];
  window: Window;
  /** Also the CI health and the core-team summary (each reads every CI run or review of the window). */
  full?: boolean;
}

/** What the overview leaves out unless asked for the full one (`--full`, `full=true`), and the reports that show it. */
export const OVERVIEW_SKIPPABLE: readonly OverviewSkipped[] = [
  { part: 'ciHealth', commands: ['steward ci jobs', 'steward ci voting-readiness'] },
  {
    part: 'team',
    commands: ['steward reviewers', 'steward core idle', 'steward core candidates', 'steward core load', 'steward core mentoring'],
  },
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
  const [changeCounts, changes, reviewTally, ci] = await Promise.all([
    loadOverviewChangeCounts(store.db, { ...filter, since: win.since, until: win.until }),
    loadOverviewChanges(store.db, { ...filter, now: win.now, engine: store.engine }),
    loadReviewTally(store.db, { ...filter, since: win.since, until: win.until, excludeActorIds: [...bots], engine: store.engine }),
    loadCiResultCounts(store.db, { ...filter, since: win.since, until: win.until }),
  ]);
  const coreIds = coreTeamIds(config, accounts, params.project ?? []);
  // The queue first: the overview's open changes are the queue's, work in progress as it defines it.
  const { wipChangeIds, ...queue } = await buildQueueSummary(store, params.project, effective, win.now);
  const overview = computeOverview({ changes, changeCounts, reviewTally, ci, isBot: (id) => bots.has(id), coreIds, wipChangeIds }, win);
  // The two slow parts (seconds each on a large store) only when asked for; the result says what it left out.
  const ciHealth = params.full ? await buildCiHealth(store, params.project, win, effective) : null;
  const team = params.full ? await buildTeamSummary(store, params.project, effective, win) : null;
  // Published advisories only: the tracker's embargoed items never reach this shared report.
  const products = (params.project ?? []).map((p) => p.split('/').pop() ?? p);
  const security = summariseAdvisoriesForOverview(await listAdvisoryDays(store.db, products), win.now);
  const bugs = await loadBugsOverview(store.db, config.bugs.launchpad?.projects ?? [], win.now);
  return {
    projects,
    ...overview,
    ciHealth,
    team,
    skipped: params.full ? [] : OVERVIEW_SKIPPABLE.map((p) => ({ ...p, commands: [...p.commands] })),
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
