/**
 * The query parameters of the web (API and pages): their JSON schemas, which Fastify checks before a
 * handler runs, and their conversion to the service layer's parameters. The names mirror the
 * command-line options (`--waiting-more` is `waitingMore`), so a URL reads like the command.
 */
import { StewardError } from '../model/errors.js';
import type { CiParams } from '../service/ci-gather.js';
import { resolveWindowAt, parseTime, type Window, type WindowNames } from '../service/params.js';

/** The longest window the web computes: 20 years, more than any Gerrit history (a guard against costly mistakes). */
export const MAX_WINDOW_DAYS = 7300;

const WEB_NAMES: WindowNames = { since: 'since', until: 'until', days: 'days' };

const time = { type: 'string', minLength: 1, maxLength: 40, pattern: '^(\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:?\\d{2})?)?|\\d{11,15})$' } as const;
const names = { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 300 } } as const;
const int = (max: number) => ({ type: 'integer', minimum: 1, maximum: max }) as const;
const flag = { type: 'boolean' } as const;

/** Schema properties by parameter name; each route picks the ones it takes. */
export const PARAM_SCHEMAS = {
  project: names,
  branch: names,
  pipeline: names,
  job: names,
  days: int(MAX_WINDOW_DAYS),
  since: time,
  until: time,
  now: time,
  compat: { type: 'string', enum: ['reviewstats'] },
  trivial: flag,
  bandwidth: flag,
  stable: flag,
  all: flag,
  longest: int(1000),
  waitingMore: int(36_500),
  maxDelta: int(1_000_000),
  threshold: int(1_000_000),
  areaDepth: int(10),
  newcomerChanges: int(1000),
  as: { type: 'string', minLength: 1, maxLength: 300 },
  release: { type: 'string', minLength: 1, maxLength: 100 },
} as const;

export type ParamName = keyof typeof PARAM_SCHEMAS;

/** The querystring schema of a route taking `params`. Unknown parameters are dropped. */
export function querySchema(params: readonly ParamName[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(params.map((p) => [p, PARAM_SCHEMAS[p]])),
  };
}

/** The query as Fastify hands it over after validation (and coercion). */
export interface WebQuery {
  project?: string[];
  branch?: string[];
  pipeline?: string[];
  job?: string[];
  days?: number;
  since?: string;
  until?: string;
  now?: string;
  compat?: 'reviewstats';
  trivial?: boolean;
  bandwidth?: boolean;
  stable?: boolean;
  all?: boolean;
  longest?: number;
  waitingMore?: number;
  maxDelta?: number;
  threshold?: number;
  areaDepth?: number;
  newcomerChanges?: number;
  as?: string;
  release?: string;
}

/** The time the report is as of: `now` from the URL (a replay), else the server clock. */
export function nowOf(q: WebQuery, clock: () => number): number {
  return q.now ? parseTime(q.now, 'now') : clock();
}

/** The window from `days`/`since`/`until`, as the command line resolves it, with the web's names and bound. */
export function windowOf(q: WebQuery, now: number, defaultDays: number): Window {
  return resolveWindowAt({ days: q.days === undefined ? undefined : String(q.days), since: q.since, until: q.until }, now, defaultDays, WEB_NAMES, MAX_WINDOW_DAYS);
}

/** The parameters every CI report takes. */
export function ciParamsOf(q: WebQuery, now: number): CiParams {
  return { project: q.project, window: windowOf(q, now, 90), pipeline: q.pipeline, job: q.job };
}

/** Refuses parameter combinations the command line refuses too. */
export function refuse(message: string): never {
  throw new StewardError('USAGE', message);
}
