/**
 * The catalogue's reports as the web serves them: their paths under /api/v1, and building one for
 * a request — the query as the entry's schema takes it, the entry's rules with the web's names, the
 * reader, and the view cache (one entry per reader for a per-reader report).
 */
import { WEB_SURFACE, type InputOf, type ParamDefs } from '../service/catalogue/param-schema.js';
import { REPORTS } from '../service/catalogue/report-catalogue.js';
import { nowOf, type AnyReportEntry, type Reader, type ReportEntry } from '../service/catalogue/report-entry.js';
import type { AppContext } from './app-context.js';
import { checkStoreHolds } from '../service/store-contents.js';
import { currentClient } from './fair-queue.js';

/** Every report the API serves, by path under /api/v1 (the CLI-only variants of a report have none). */
export const API_REPORTS: ReadonlyArray<readonly [string, AnyReportEntry]> = [
  ['/overview', REPORTS.overview],
  ['/reviewers', REPORTS.reviewers],
  ['/core/history', REPORTS.coreHistory],
  ['/core/idle', REPORTS.coreIdle],
  ['/core/candidates', REPORTS.coreCandidates],
  ['/core/load', REPORTS.coreLoad],
  ['/core/mentoring', REPORTS.coreMentoring],
  ['/queue', REPORTS.queue],
  ['/waits', REPORTS.waits],
  ['/dashboards', REPORTS.dashboards],
  ['/dashboards/:name', REPORTS.dashboard],
  ['/ci/jobs', REPORTS.ciJobs],
  ['/ci/voting-readiness', REPORTS.ciReadiness],
  ['/ci/experimental', REPORTS.ciExperimental],
  ['/ci', REPORTS.ci],
  ['/specs/report', REPORTS.specs],
  ['/priorities', REPORTS.priorities],
  ['/priorities/list', REPORTS.prioritiesList],
  ['/security/advisories', REPORTS.securityAdvisories],
  ['/security/candidates', REPORTS.securityCandidates],
  ['/initiatives', REPORTS.initiativeList],
  ['/initiatives/:name', REPORTS.initiativeStatus],
  ['/history', REPORTS.history],
  ['/electorate', REPORTS.electorate],
  ['/people/companies', REPORTS.companies],
  ['/core/companies', REPORTS.coreCompanies],
  ['/bugs/backlog', REPORTS.bugsBacklog],
  ['/bugs/rota', REPORTS.bugsRota],
  ['/bugs/targets', REPORTS.bugsTargets],
  ['/bugs/blueprints', REPORTS.bugsBlueprints],
  ['/people', REPORTS.people],
];

export { REPORTS };

/** A report request: the query (after the route's schema), path parameters, and who reads. */
export interface ReportRequest {
  query: object;
  path?: Record<string, string>;
  reader?: Reader;
}

/** Builds a report for a request (resolving the configuration first), through the view cache when there is one. */
export async function buildReport<S extends ParamDefs, P, R>(ctx: AppContext, entry: ReportEntry<S, P, R>, req: ReportRequest): Promise<R> {
  const input = entry.params.fromWeb(req.query);
  entry.check?.(input, WEB_SURFACE);
  if (!ctx.cache) return compute(ctx, entry, input, await ctx.config(), req);
  return (await cachedReport(ctx, entry, input, req)).value;
}

/**
 * The report as JSON text: made once per cache entry (or per request without a cache); gzipped,
 * once per entry, when the client accepts it and the cache holds the report.
 */
export async function buildReportJson<S extends ParamDefs, P, R>(
  ctx: AppContext,
  entry: ReportEntry<S, P, R>,
  req: ReportRequest,
  acceptsGzip = false,
): Promise<{ body: string | Buffer; gzip: boolean }> {
  const input = entry.params.fromWeb(req.query);
  entry.check?.(input, WEB_SURFACE);
  // As on the command line, a store holding none of what the report reads is refused (409 STORE_EMPTY,
  // naming the command that fills it) rather than answered with zeros. Pages show their own
  // "the store is empty" page instead.
  if (entry.needs?.length) await checkStoreHolds(ctx.store, entry.name, entry.needs);
  if (!ctx.cache) return { body: JSON.stringify(await compute(ctx, entry, input, await ctx.config(), req)), gzip: false };
  const view = await cachedReport(ctx, entry, input, req);
  return acceptsGzip ? { body: view.gzipped(), gzip: true } : { body: view.body, gzip: false };
}

async function compute<S extends ParamDefs, P, R>(
  ctx: AppContext,
  entry: ReportEntry<S, P, R>,
  input: InputOf<S>,
  config: Awaited<ReturnType<AppContext['config']>>,
  req: ReportRequest,
): Promise<R> {
  const now = nowOf({ now: entry.params.textOf(input, 'now') }, WEB_SURFACE, ctx.clock);
  const params = entry.resolve(input, { surface: WEB_SURFACE, now, config, cwd: ctx.cwd, path: req.path ?? {} });
  const run = () => ctx.compute(entry, ctx.store, params, config, now, entry.cache === 'per-reader' ? (req.reader ?? null) : null);
  // The expensive part waits its client's turn in the fair queue (a view the cache holds never gets here).
  return ctx.queue ? ctx.queue.run(currentClient(), run) : run();
}

/**
 * Through the cache: keyed by the report, the parameters it takes (a page's own, such as its sort
 * order, do not make another entry), its path parameters, the configuration in effect and — for a
 * per-reader report — the reader; a request without `now` is live (its window ends at the current time).
 */
async function cachedReport<S extends ParamDefs, P, R>(
  ctx: AppContext,
  entry: ReportEntry<S, P, R>,
  input: InputOf<S>,
  req: ReportRequest,
) {
  const config = await ctx.config();
  const key: Record<string, unknown> = { ...input, ...(req.path ?? {}), config: `${config.origin}:${JSON.stringify(config.config)}` };
  // A per-reader report is never shared: its key names the reader (anonymous readers share one).
  if (entry.cache === 'per-reader') key['reader'] = req.reader ? `user:${req.reader.id}` : 'anonymous';
  const live = entry.params.textOf(input, 'now') === undefined;
  return ctx.cache!.get<R>(entry.name, key, live, () => compute(ctx, entry, input, config, req));
}
