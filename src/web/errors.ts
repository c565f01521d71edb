/**
 * The web's errors: the HTTP status of an error and its body (what failed and what to do, never a
 * stack), for the API's JSON and the pages alike.
 */
import type { FastifyError } from 'fastify';
import { isStewardError } from '../model/errors.js';

/** The HTTP status of an error: bad parameters 400, a configuration or a store that cannot answer 409, else 500. */
export function statusOf(e: unknown): number {
  if (isStewardError(e)) {
    if (e.code === 'USAGE' || e.code === 'NOT_FOUND') return 400;
    if (e.code === 'CONFIG' || e.code === 'STORE_EMPTY') return 409;
    if (e.code === 'STORE_UNAVAILABLE' || e.code === 'SERVER_BUSY') return 503;
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
    const param = /\b(since|until|days|now|project|job|branch|pipeline|threshold|as|release|series)\b/.exec(e.message)?.[1];
    if (e.code === 'USAGE' || e.code === 'NOT_FOUND') if (param) body.parameter = param;
    if (e.details.hint)
      body.hint = e.details.hint.replace(
        /--([a-z])([a-z-]*)/g,
        (_m, a: string, b: string) => a + b.replace(/-([a-z])/g, (_x, c: string) => c.toUpperCase()),
      );
    return body;
  }
  const fe = e as FastifyError;
  if (fe?.validation?.length) {
    const v = fe.validation[0]!;
    const where = v.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    const parameter = where || String((v.params as { missingProperty?: string }).missingProperty ?? '') || undefined;
    const allowed = (v.params as { allowedValues?: unknown[] }).allowedValues;
    const what =
      v.keyword === 'pattern' && parameter && TIME_PARAMS.has(parameter)
        ? 'must be a date like 2015-04-10 or 2015-04-10T12:00:00Z'
        : (v.message ?? 'is invalid');
    const message = `${parameter ?? fe.validationContext ?? 'the request'} ${what}${allowed ? `: ${allowed.join(', ')}` : ''}`;
    return { code: 'USAGE', message, ...(parameter ? { parameter } : {}) };
  }
  if (statusOf(e) < 500) return { code: 'USAGE', message: fe?.message ?? 'bad request' };
  return { code: 'INTERNAL', message: 'internal error: this is a bug in Steward; the server log has the details' };
}
