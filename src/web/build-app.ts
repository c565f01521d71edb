/**
 * The web dashboard: `buildApp(deps)` returns the Fastify app (pages and the JSON API under
 * /api/v1/) without listening; only `steward serve` listens. Every report comes from the report
 * catalogue (service/catalogue), the same entries the CLI's `--format json` prints, so the numbers agree.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isStewardError } from '../model/errors.js';
import type { AppContext, AppDeps } from './app-context.js';
import { registerApiRoutes } from './api-routes.js';
import { loadAssets, registerAssets } from './assets.js';
import { allowedHostNames, registerHostCheck } from './host-check.js';
import { html, type SafeHtml } from './html.js';
import { page, type PageContext } from './pages/layout.js';
import { errorBody, statusOf, type ErrorBody } from './errors.js';
import { registerPageRoutes } from './page-routes.js';
import { computeInProcess } from './report-compute.js';
import { QueueFullError, requestClient } from './fair-queue.js';

export type { AppContext, AppDeps, AuthHooks } from './app-context.js';

/** The security headers every response carries. No inline script or style is allowed anywhere. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Query strings: repeated keys become arrays, and empty values are dropped (a form's "all
 * projects" sends `project=`), so the schemas see only what was chosen.
 */
function parseQuery(s: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(s)) {
    if (v === '') continue;
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Builds the app; it does not listen (`steward serve` does; tests use `app.inject`). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, routerOptions: { querystringParser: parseQuery } });
  // First of all hooks: a request for a host name the server is not meant to answer gets nothing else.
  if (deps.hostCheck) registerHostCheck(app, allowedHostNames(deps.hostCheck));
  const ctx: AppContext = {
    store: deps.store,
    config: deps.config,
    clock: deps.clock ?? (() => Date.now()),
    syncStatus: deps.syncStatus ?? (() => null),
    compute: deps.compute ?? computeInProcess,
    cache: deps.cache,
    queue: deps.queue,
    cwd: deps.cwd ?? process.cwd(),
    auth: deps.auth,
  };

  // Who each request is from, for the fair queue: the signed-in user (known after the auth hooks), else the address.
  if (deps.queue)
    app.addHook('onRequest', (req, _reply, done) => {
      requestClient.run(() => (req.user ? `user:${req.user.id}` : `address:${req.ip}`), done);
    });

  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    return payload;
  });

  app.setErrorHandler(async (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const status = statusOf(err);
    if (status >= 500) req.log.error(err);
    if (status >= 500 && !isStewardError(err)) console.error(err);
    const body = errorBody(err);
    reply.code(status);
    if (err instanceof QueueFullError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (req.url.startsWith('/api/')) return reply.type('application/json; charset=utf-8').send({ error: body });
    return reply.type('text/html; charset=utf-8').send(errorPage(ctx, req, status, body).value);
  });

  app.setNotFoundHandler(async (req, reply) => {
    const body = { code: 'NOT_FOUND', message: `no such page: ${req.url.split('?')[0]}` };
    reply.code(404);
    if (req.url.startsWith('/api/')) return reply.send({ error: body });
    return reply.type('text/html; charset=utf-8').send(errorPage(ctx, req, 404, body).value);
  });

  if (deps.auth) await deps.auth.register(app);
  registerAssets(app, await loadAssets());
  registerApiRoutes(app, ctx, deps.extraReports ?? []);
  registerPageRoutes(app, ctx);
  return app;
}

function errorPage(ctx: AppContext, req: FastifyRequest, status: number, body: ErrorBody): SafeHtml {
  const pc: PageContext = {
    path: req.url.split('?')[0] ?? '/',
    query: {},
    projects: [],
    sync: ctx.syncStatus(),
    nav: ctx.auth?.nav?.(req),
    now: ctx.clock(),
  };
  const title =
    status === 404
      ? 'Not found'
      : status < 500
        ? 'That cannot be shown'
        : status === 503
          ? 'Busy: try again shortly'
          : 'Something went wrong';
  return page(
    pc,
    title,
    html`<div class="notice error" role="alert"><p>${body.message}</p>${body.hint ? html`<p>${body.hint}</p>` : ''}</div><p><a href="/">Back to the overview</a></p>`,
    { chooser: null },
  );
}
