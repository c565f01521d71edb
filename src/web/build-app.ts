/**
 * The web dashboard: `buildApp(deps)` returns the Fastify app (pages and the JSON API under
 * /api/v1/) without listening; only `steward serve` listens. Every report comes from the service
 * layer (deps.views), the same functions the CLI's `--format json` prints, so the numbers agree.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isStewardError } from '../model/errors.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';
import { registerApiRoutes } from './api-routes.js';
import { loadAssets, registerAssets } from './assets.js';
import { html, type SafeHtml } from './html.js';
import { page, type PageContext } from './pages/layout.js';
import { registerPageRoutes } from './page-routes.js';
import { defaultReportViews, type ReportViews } from './report-views.js';
import type { SyncStatusProvider } from './sync-status.js';
import type { ViewCache } from './view-cache.js';

/** What the auth plugin (src/web/auth) adds: routes and hooks, and who is signed in for the header. */
export interface AuthHooks {
  /** Registers login routes and access hooks on the app, before the report routes. */
  register(app: FastifyInstance): Promise<void> | void;
  /** Safe HTML for the header (who is signed in, a log-out form), per request. */
  nav?(request: FastifyRequest): SafeHtml | undefined;
}

export interface AppDeps {
  store: Store;
  /** The configuration in effect, resolved per request (the file may change; `steward demo` may fill the store). */
  config: () => Promise<EffectiveConfig>;
  /** The current time (reports are as of it unless the URL says `now=`). */
  clock?: () => number;
  /** The scheduled sync's status, for the overview; absent when the server does not sync. */
  syncStatus?: SyncStatusProvider;
  auth?: AuthHooks;
  /** The report builders (default: the service layer's); a cache can wrap them. */
  views?: Partial<ReportViews>;
  /** Reports computed once per (report, parameters, store data version) and shared (view-cache.ts); absent: every request computes. */
  cache?: ViewCache;
  /** Where relative .dash paths of a configuration without a file resolve. */
  cwd?: string;
  /** Fastify's logger (off by default: tests and the CLI print their own). */
  logger?: boolean;
}

/** What the routes get: the dependencies, filled in. */
export interface AppContext {
  store: Store;
  config: () => Promise<EffectiveConfig>;
  clock: () => number;
  syncStatus: SyncStatusProvider;
  views: ReportViews;
  cache?: ViewCache;
  cwd: string;
  auth?: AuthHooks;
}

/** The security headers every response carries. No inline script or style is allowed anywhere. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The HTTP status of an error: bad parameters 400, a configuration that cannot answer 409, else 500. */
export function statusOf(e: unknown): number {
  if (isStewardError(e)) {
    if (e.code === 'USAGE' || e.code === 'NOT_FOUND') return 400;
    if (e.code === 'CONFIG') return 409;
    if (e.code === 'STORE_UNAVAILABLE') return 503;
    return 500;
  }
  const fe = e as FastifyError;
  if (fe?.validation || fe?.statusCode === 400) return 400;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return fe.statusCode;
  return 500;
}

export interface ErrorBody {
  code: string;
  message: string;
  /** The query parameter at fault, when one is. */
  parameter?: string;
  hint?: string;
}

const TIME_PARAMS = new Set(['since', 'until', 'now']);

/** The error as the API returns it: what failed and what to do, never a stack. */
export function errorBody(e: unknown): ErrorBody {
  if (isStewardError(e)) {
    const body: ErrorBody = { code: e.code, message: e.message };
    // Name the parameter at fault when the message is about one (the service's messages use the web's names).
    const param = /\b(since|until|days|now|project|job|branch|pipeline|threshold|as|release)\b/.exec(e.message)?.[1];
    if (e.code === 'USAGE' || e.code === 'NOT_FOUND') if (param) body.parameter = param;
    if (e.details.hint) body.hint = e.details.hint.replace(/--([a-z])([a-z-]*)/g, (_m, a: string, b: string) => a + b.replace(/-([a-z])/g, (_x, c: string) => c.toUpperCase()));
    return body;
  }
  const fe = e as FastifyError;
  if (fe?.validation?.length) {
    const v = fe.validation[0]!;
    const where = v.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    const parameter = where || String((v.params as { missingProperty?: string }).missingProperty ?? '') || undefined;
    const allowed = (v.params as { allowedValues?: unknown[] }).allowedValues;
    const what = v.keyword === 'pattern' && parameter && TIME_PARAMS.has(parameter) ? 'must be a date like 2015-04-10 or 2015-04-10T12:00:00Z' : v.message ?? 'is invalid';
    const message = `${parameter ?? fe.validationContext ?? 'the request'} ${what}${allowed ? `: ${allowed.join(', ')}` : ''}`;
    return { code: 'USAGE', message, ...(parameter ? { parameter } : {}) };
  }
  if (statusOf(e) < 500) return { code: 'USAGE', message: fe?.message ?? 'bad request' };
  return { code: 'INTERNAL', message: 'internal error: this is a bug in Steward; the server log has the details' };
}

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
  const ctx: AppContext = {
    store: deps.store,
    config: deps.config,
    clock: deps.clock ?? (() => Date.now()),
    syncStatus: deps.syncStatus ?? (() => null),
    views: { ...defaultReportViews, ...deps.views },
    cache: deps.cache,
    cwd: deps.cwd ?? process.cwd(),
    auth: deps.auth,
  };

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
  registerApiRoutes(app, ctx);
  registerPageRoutes(app, ctx);
  return app;
}

function errorPage(ctx: AppContext, req: FastifyRequest, status: number, body: ErrorBody): SafeHtml {
  const pc: PageContext = { path: req.url.split('?')[0] ?? '/', query: {}, projects: [], sync: ctx.syncStatus(), nav: ctx.auth?.nav?.(req), now: ctx.clock() };
  const title = status === 404 ? 'Not found' : status < 500 ? 'That cannot be shown' : 'Something went wrong';
  return page(pc, title, html`<div class="notice error" role="alert"><p>${body.message}</p>${body.hint ? html`<p>${body.hint}</p>` : ''}</div><p><a href="/">Back to the overview</a></p>`, { chooser: null });
}
