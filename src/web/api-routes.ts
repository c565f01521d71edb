/**
 * The JSON API under /api/v1/: each report exactly as `steward … --format json` prints it for the
 * same parameters (README, "Web dashboard", lists them). Parameters are checked by the route's
 * schema; bad ones get a 400 naming the parameter.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './build-app.js';
import { querySchema, type WebQuery } from './query-params.js';
import { WEB_REPORTS, type WebReport } from './reports.js';
import { storeState } from './store-state.js';

export function registerApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const report of Object.values(WEB_REPORTS) as WebReport[]) {
    app.get(`/api/v1${report.path}`, { schema: { querystring: querySchema(report.params) } }, async (req, reply) => {
      const view = await report.build(req.query as WebQuery, ctx, await ctx.config(), req.params as Record<string, string>);
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(view));
    });
  }
  app.get('/api/v1/status', async () => ({ store: await storeState(ctx.store), sync: ctx.syncStatus() }));
}
