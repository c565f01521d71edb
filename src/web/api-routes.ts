/**
 * The JSON API under /api/v1/: each report exactly as `steward … --format json` prints it for the
 * same parameters (README, "Web dashboard", lists them). Parameters are checked by the route's
 * schema; bad ones get a 400 naming the parameter.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.js';
import { querySchema, type WebQuery } from './query-params.js';
import { WEB_REPORTS, buildReportJson, type WebReport, type WebReportName } from './reports.js';
import { storeState } from './store-state.js';

export function registerApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const [name, report] of Object.entries(WEB_REPORTS) as Array<[WebReportName, WebReport]>) {
    app.get(`/api/v1${report.path}`, { schema: { querystring: querySchema(report.params) } }, async (req, reply) => {
      const acceptsGzip = /\bgzip\b(?!\s*;\s*q=0(\.0+)?\b)/.test(String(req.headers['accept-encoding'] ?? ''));
      const { body, gzip } = await buildReportJson(name, req.query as WebQuery, ctx, req.params as Record<string, string>, acceptsGzip);
      if (ctx.cache) reply.header('vary', 'accept-encoding');
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply.type('application/json; charset=utf-8').send(body);
    });
  }
  app.get('/api/v1/status', async () => ({ store: await storeState(ctx.store), sync: ctx.syncStatus() }));
}
