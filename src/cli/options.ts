/** Parsing and checking of command-line values shared by commands. */
import { StewardError } from '../model/errors.js';

export type OutputFormat = 'text' | 'json' | 'csv';

export function parseFormat(v: string | undefined): OutputFormat {
  const f = (v ?? 'text').toLowerCase();
  if (f === 'text' || f === 'json' || f === 'csv') return f;
  throw new StewardError('USAGE', `--format must be text, json or csv, not "${v}"`);
}

/**
 * A time given on the command line: an ISO date (2015-04-10, midnight UTC), an ISO date-time
 * (2015-04-10T12:00:00Z), or epoch milliseconds.
 */
export function parseTime(v: string, flag: string): number {
  const s = v.trim();
  let t: number;
  if (/^\d{11,}$/.test(s)) t = Number(s);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) t = Date.parse(`${s}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) t = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
  else t = NaN;
  if (Number.isNaN(t)) {
    throw new StewardError('USAGE', `${flag} must be a date like 2015-04-10 or 2015-04-10T12:00:00Z, not "${v}"`);
  }
  return t;
}

export function parsePositiveInt(v: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1 || Number(v) > max) {
    throw new StewardError('USAGE', `${flag} must be a whole number from 1 to ${max}, not "${v}"`);
  }
  return Number(v);
}

export interface Window {
  since: number;
  until: number;
  now: number;
}

/**
 * The report window: `--since/--until`, else the `--days` (default `defaultDays`) before `now`.
 * `until` defaults to `now`.
 */
export function resolveWindow(o: { since?: string; until?: string; days?: string; now?: string }, clock: () => number, defaultDays: number): Window {
  const now = o.now ? parseTime(o.now, '--now') : clock();
  if (o.days && o.since) throw new StewardError('USAGE', 'give either --days or --since, not both');
  const until = o.until ? parseTime(o.until, '--until') : now;
  const days = o.days ? parsePositiveInt(o.days, '--days', 36_500) : defaultDays;
  const since = o.since ? parseTime(o.since, '--since') : until - days * 86_400_000;
  if (since >= until) {
    throw new StewardError('USAGE', `the window is empty or inverted: --since ${new Date(since).toISOString()} is not before --until ${new Date(until).toISOString()}`);
  }
  return { since, until, now };
}
