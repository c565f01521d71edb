/**
 * Each report as the web asks for it: URL parameters → service parameters → the service view
 * (through `ctx.views`). The API returns these objects as JSON; the pages render them. One path.
 */
import { StewardError } from '../model/errors.js';
import { availableDashboards } from '../service/dashboard-view.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { AppContext } from './app-context.js';
import { ciParamsOf, nowOf, windowOf, type ParamName, type WebQuery } from './query-params.js';

const WINDOW: ParamName[] = ['project', 'days', 'since', 'until', 'now'];

export interface WebReport {
  /** Path under /api/v1. */
  path: string;
  params: ParamName[];
  build: (q: WebQuery, ctx: AppContext, config: EffectiveConfig, pathParams: Record<string, string>) => Promise<unknown>;
}

function windowOnly(q: WebQuery, what: string): void {
  if (q.since || q.until) throw new StewardError('USAGE', `${what}: give days (and now to replay), not since/until`);
}

/** Every report the API serves, by path. */
export const WEB_REPORTS = {
  overview: {
    path: '/overview',
    params: WINDOW,
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.overview(ctx.store, { project: q.project, window: windowOf(q, now, 90) }, config, now);
    },
  },
  reviewers: {
    path: '/reviewers',
    params: [...WINDOW, 'compat'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      if (q.compat === 'reviewstats') {
        windowOnly(q, 'compat=reviewstats counts from now − N days with no upper bound');
        return ctx.views.reviewstats(ctx.store, { project: q.project, days: q.days ?? 90 }, config, now);
      }
      return ctx.views.reviewers(ctx.store, { project: q.project, window: windowOf(q, now, 90) }, config, now);
    },
  },
  coreHistory: {
    path: '/core/history',
    params: ['project'],
    build: (q, ctx, config) => ctx.views.coreHistory(ctx.store, { project: q.project }, config, ctx.clock()),
  },
  coreIdle: {
    path: '/core/idle',
    params: [...WINDOW, 'threshold'],
    build: (q, ctx, config) => {
      windowOnly(q, 'core idle looks back days from now');
      return ctx.views.coreIdle(ctx.store, { project: q.project, threshold: q.threshold, days: q.days }, config, nowOf(q, ctx.clock));
    },
  },
  coreCandidates: {
    path: '/core/candidates',
    params: WINDOW,
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.coreCandidates(ctx.store, { project: q.project, window: windowOf(q, now, config.config.coreRules.candidateDays) }, config, now);
    },
  },
  coreLoad: {
    path: '/core/load',
    params: WINDOW,
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.coreLoad(ctx.store, { project: q.project, window: windowOf(q, now, 90) }, config, now);
    },
  },
  coreMentoring: {
    path: '/core/mentoring',
    params: ['project', 'all', 'now'],
    build: (q, ctx, config) => ctx.views.coreMentoring(ctx.store, { project: q.project, all: q.all }, config, nowOf(q, ctx.clock)),
  },
  queue: {
    path: '/queue',
    params: [...WINDOW, 'branch', 'compat', 'waitingMore', 'stable', 'longest', 'trivial', 'maxDelta'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      if (q.compat && q.trivial) throw new StewardError('USAGE', 'give either compat=reviewstats or trivial, not both');
      return ctx.views.queue(
        ctx.store,
        {
          project: q.project,
          branch: q.branch,
          compat: q.compat,
          trivial: q.trivial,
          longest: q.longest,
          waitingMore: q.waitingMore,
          stable: q.stable,
          maxDelta: q.trivial ? q.maxDelta : undefined,
          window: q.trivial ? windowOf(q, now, 28) : undefined,
        },
        config,
        now,
      );
    },
  },
  waits: {
    path: '/waits',
    params: [...WINDOW, 'branch', 'bandwidth', 'areaDepth', 'newcomerChanges'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.waits(ctx.store, { project: q.project, branch: q.branch, window: windowOf(q, now, 90), bandwidth: q.bandwidth, areaDepth: q.areaDepth, newcomerChanges: q.newcomerChanges }, config, now);
    },
  },
  dashboards: {
    path: '/dashboards',
    params: [],
    build: async (_q, ctx, config) =>
      availableDashboards(config.config, config.path, ctx.cwd).map((d) => ({ name: d.def.name, title: d.def.title, sections: d.def.sections.length, origin: d.def.origin })),
  },
  dashboard: {
    path: '/dashboards/:name',
    params: ['project', 'as', 'now'],
    build: (q, ctx, config, p) => ctx.views.dashboard(ctx.store, { name: p.name, project: q.project, as: q.as, cwd: ctx.cwd }, config, nowOf(q, ctx.clock)),
  },
  ciJobs: {
    path: '/ci/jobs',
    params: [...WINDOW, 'pipeline', 'job'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.ciJobs(ctx.store, ciParamsOf(q, now), config, now);
    },
  },
  ciReadiness: {
    path: '/ci/voting-readiness',
    params: [...WINDOW, 'job'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.ciReadiness(ctx.store, ciParamsOf(q, now), config, now);
    },
  },
  ciExperimental: {
    path: '/ci/experimental',
    params: [...WINDOW, 'job'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.ciExperimental(ctx.store, ciParamsOf(q, now), config, now);
    },
  },
  ci: {
    path: '/ci',
    // No pipeline: voting readiness and experimental take none.
    params: [...WINDOW, 'job'],
    build: (q, ctx, config) => {
      const now = nowOf(q, ctx.clock);
      return ctx.views.ci(ctx.store, ciParamsOf(q, now), config, now);
    },
  },
  specs: {
    path: '/specs/report',
    params: ['release', 'project', 'now'],
    build: (q, ctx, config) => ctx.views.specs(ctx.store, { release: q.release ?? null, project: q.project }, config, nowOf(q, ctx.clock)),
  },
  priorities: {
    path: '/priorities',
    params: ['release', 'project', 'now'],
    build: (q, ctx, config) => {
      if (!q.release) throw new StewardError('USAGE', 'release is required: the release whose priorities to report', { hint: 'See /api/v1/priorities/list for the releases with priorities.' });
      return ctx.views.priorities(ctx.store, { release: q.release, project: q.project }, config, nowOf(q, ctx.clock));
    },
  },
  prioritiesList: {
    path: '/priorities/list',
    params: ['release'],
    build: (q, ctx, config) => ctx.views.prioritiesList(ctx.store, { release: q.release }, config),
  },
} satisfies Record<string, WebReport>;

export type WebReportName = keyof typeof WEB_REPORTS;

/** Builds a report for a request (resolving the configuration first), through the view cache when there is one. */
export async function buildReport(name: WebReportName, q: WebQuery, ctx: AppContext, pathParams: Record<string, string> = {}): Promise<unknown> {
  return ctx.cache ? (await cachedReport(name, q, ctx, pathParams)).value : WEB_REPORTS[name].build(q, ctx, await ctx.config(), pathParams);
}

/**
 * The report as JSON text: made once per cache entry (or per request without a cache); gzipped,
 * once per entry, when the client accepts it and the cache holds the report.
 */
export async function buildReportJson(name: WebReportName, q: WebQuery, ctx: AppContext, pathParams: Record<string, string> = {}, acceptsGzip = false): Promise<{ body: string | Buffer; gzip: boolean }> {
  if (!ctx.cache) return { body: JSON.stringify(await WEB_REPORTS[name].build(q, ctx, await ctx.config(), pathParams)), gzip: false };
  const view = await cachedReport(name, q, ctx, pathParams);
  return acceptsGzip ? { body: view.gzipped(), gzip: true } : { body: view.body, gzip: false };
}

/**
 * Through the cache: keyed by the report, the parameters it takes (a page's own, such as its sort
 * order, do not make another entry), its path parameters and the configuration in effect; a request
 * without `now` is live (its window ends at the current time).
 */
async function cachedReport(name: WebReportName, q: WebQuery, ctx: AppContext, pathParams: Record<string, string>) {
  const config = await ctx.config();
  const report: WebReport = WEB_REPORTS[name];
  const taken: Record<string, unknown> = {};
  for (const p of report.params) taken[p] = q[p];
  // Only the parameters the report declares reach it, so that two URLs with one key give one answer.
  const only = taken as WebQuery;
  return ctx.cache!.get(name, { ...taken, ...pathParams, config: `${config.origin}:${JSON.stringify(config.config)}` }, !only.now, () => report.build(only, ctx, config, pathParams));
}
