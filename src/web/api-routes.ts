/**
 * The JSON API under /api/v1/: each catalogue report exactly as `steward … --format json` prints it
 * for the same parameters (docs/web.md, "Web dashboard", lists them). Parameters are checked by the
 * route's schema, made from the entry's parameter schema; bad ones get a 400 naming the parameter.
 * With --auth, the reader needs the entry's action (`authorize` decides).
 */
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ParamDefs } from '../service/catalogue/param-schema.js';
import type { ReportEntry } from '../service/catalogue/report-entry.js';
import type { AppContext, ExtraApiReport } from './app-context.js';
import { API_REPORTS, buildReportJson } from './reports.js';
import { registerSchemaRoutes } from './schema-routes.js';
import { storeState } from './store-state.js';

export function registerApiRoutes(app: FastifyInstance, ctx: AppContext, extra: readonly ExtraApiReport[] = []): void {
  for (const [path, entry] of API_REPORTS) apiRoute(app, ctx, path, entry);
  for (const r of extra) apiRoute(app, ctx, r.path, r.entry);
  app.get('/api/v1/status', async () => ({ store: await storeState(ctx.store), sync: ctx.syncStatus() }));
  registerSchemaRoutes(app);
}

function apiRoute<S extends ParamDefs, P, R>(app: FastifyInstance, ctx: AppContext, path: string, entry: ReportEntry<S, P, R>): void {
  const preHandler: preHandlerAsyncHookHandler[] =
    app.hasDecorator('access') && app.access.enabled ? [app.access.require(entry.action, { kind: 'report', id: entry.name })] : [];
  app.get(`/api/v1${path}`, { schema: { querystring: entry.params.querystring() }, preHandler }, async (req, reply) => {
    const acceptsGzip = /\bgzip\b(?!\s*;\s*q=0(\.0+)?\b)/.test(String(req.headers['accept-encoding'] ?? ''));
    const { body, gzip } = await buildReportJson(
      ctx,
      entry,
      { query: queryOf(req), path: pathOf(req), reader: req.user ?? null },
      acceptsGzip,
    );
    if (ctx.cache) reply.header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.type('application/json; charset=utf-8').send(body);
  });
}

/** The query after the route's schema checked it: an object of the entry's parameters. */
export function queryOf(req: FastifyRequest): object {
  return typeof req.query === 'object' && req.query !== null ? req.query : {};
}

/** The path parameters (`:name`). */
export function pathOf(req: FastifyRequest): Record<string, string> {
  const p = req.params;
  const out: Record<string, string> = {};
  if (typeof p === 'object' && p !== null) for (const [k, v] of Object.entries(p)) if (typeof v === 'string') out[k] = v;
  return out;
}
