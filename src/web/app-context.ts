/**
 * What the web's routes and pages share: the app's dependencies (AppDeps), the context the routes
 * get (AppContext), and how an error becomes an HTTP status and a response body. Kept apart from
 * build-app.ts so that the routes and pages it registers do not import it back (no import circle).
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { isStewardError } from '../model/errors.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { Store } from '../store/engine.js';
import type { HostCheckOptions } from './host-check.js';
import type { SafeHtml } from './html.js';
import type { ReportViews } from './report-views.js';
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
  /** Answer only requests naming these hosts (host-check.ts); `steward serve` sets it without `--auth`. Absent: no check. */
  hostCheck?: HostCheckOptions;
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
