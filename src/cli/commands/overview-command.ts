import { computeOverview } from '../../analysis/overview.js';
import { StewardError } from '../../model/errors.js';
import { renderOverviewCsv, renderOverviewText, type OverviewReport } from '../../report/overview-report.js';
import type { Store } from '../../store/engine.js';
import { listProjects, loadAccounts, loadChangeTimelines, loadCiBuilds, loadCiReporterIds, loadReviewActs } from '../../store/queries/activity.js';
import { botIds, coreTeamIds, effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, resolveWindow } from '../options.js';
import { buildCiHealth } from './ci-command.js';
import { buildTeamSummary } from './core-command.js';
import { buildQueueSummary } from './queue-command.js';
import { runDemo } from './demo-command.js';

export interface OverviewCommandOptions extends GlobalOptions {
  project?: string[];
  days?: string;
  since?: string;
  until?: string;
  now?: string;
  format?: string;
  demoIfEmpty?: boolean;
}

/** Gathers (store), computes (analysis): the overview as `--format json` prints it. */
export async function buildOverview(store: Store, o: OverviewCommandOptions, rt: Runtime): Promise<OverviewReport> {
  const win = resolveWindow(o, rt.clock, 90);
  const known = await listProjects(store.db);
  const projects = o.project?.length ? o.project : [...new Set(known.map((p) => p.project))];
  const missing = (o.project ?? []).filter((p) => !known.some((k) => k.project === p));
  if (missing.length) {
    throw new StewardError('NOT_FOUND', `no changes of project ${missing.map((m) => `"${m}"`).join(', ')} in the store`, {
      hint: known.length ? `Projects in the store: ${known.map((k) => k.project).join(', ')}.` : 'The store is empty: run `steward import FILE` or `steward demo`.',
    });
  }
  const { config, origin } = await effectiveConfig(o, rt, store);
  const filter = { projects: o.project?.length ? o.project : undefined };
  const [accounts, changes, acts, builds, ciReporters] = await Promise.all([
    loadAccounts(store.db),
    loadChangeTimelines(store.db, filter),
    loadReviewActs(store.db, { ...filter, since: win.since, until: win.until }),
    loadCiBuilds(store.db, { ...filter, since: win.since, until: win.until }),
    loadCiReporterIds(store.db),
  ]);
  const bots = botIds(config, accounts, ciReporters);
  const coreIds = coreTeamIds(config, accounts, o.project ?? []);
  const overview = computeOverview({ changes, acts, builds, isBot: (id) => bots.has(id), coreIds }, win);
  const ciHealth = await buildCiHealth(store, o, rt);
  const team = await buildTeamSummary(store, o, rt, win);
  const queue = await buildQueueSummary(store, o, rt, win.now);
  return {
    projects,
    ...overview,
    ciHealth,
    team,
    queue,
    sources: {
      config: origin,
      coreTeam: coreIds ? `core.members in ${origin}` : 'no core.members in the configuration',
      bots: `${config.bots.length} configured in ${origin}, plus every account that posted CI build reports (${bots.size} accounts in all)`,
    },
  };
}

export async function runOverview(o: OverviewCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (o.demoIfEmpty) {
    const store = await openStoreFor(o, rt);
    const n = await store.db.selectFrom('changes').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await store.close();
    if (Number(n.n) === 0) {
      rt.stderr('The store is empty: generating the demo project first (steward demo). Use `steward import` for real data.\n');
      await runDemo({ db: o.db, config: o.config, quiet: true, now: o.now }, rt);
    }
  }
  const store = await openStoreFor(o, rt);
  try {
    const report = await buildOverview(store, o, rt);
    if (format === 'json') rt.stdout(JSON.stringify(report, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderOverviewCsv(report));
    else rt.stdout(renderOverviewText(report));
  } finally {
    await store.close();
  }
}
