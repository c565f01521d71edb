/**
 * Parsing and checking of report parameters, shared by the command line (`--since 2015-01-01`) and
 * the web (`?since=2015-01-01`). Every message names the parameter the way its caller spells it.
 */
import { StewardError } from '../model/errors.js';

/** How the caller spells the window parameters in messages. */
export interface WindowNames {
  since: string;
  until: string;
  days: string;
}

/** The command line's spelling. */
export const CLI_WINDOW_NAMES: WindowNames = { since: '--since', until: '--until', days: '--days' };

/**
 * A time: an ISO date (2015-04-10, midnight UTC), an ISO date-time (2015-04-10T12:00:00Z), or epoch
 * milliseconds. `name` is the parameter, for the message.
 */
export function parseTime(v: string, name: string): number {
  const s = v.trim();
  let t: number;
  if (/^\d{11,}$/.test(s)) t = Number(s);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) t = Date.parse(`${s}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) t = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
  else t = NaN;
  if (Number.isNaN(t)) {
    throw new StewardError('USAGE', `${name} must be a date like 2015-04-10 or 2015-04-10T12:00:00Z, not "${v}"`);
  }
  return t;
}

/** A whole number from 1 to `max`. */
export function parsePositiveInt(v: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < 1 || Number(v) > max) {
    throw new StewardError('USAGE', `${name} must be a whole number from 1 to ${max}, not "${v}"`);
  }
  return Number(v);
}

/** A report window: [since, until), looked at as of `now`. */
export interface Window {
  since: number;
  until: number;
  now: number;
}

/** The window as given: any of a start, an end, a length in days. */
export interface WindowInput {
  since?: string;
  until?: string;
  days?: string;
}

/**
 * The report window as of `now`: `since/until`, else the `days` (default `defaultDays`) before
 * `until`; `until` defaults to `now`. Refuses both `days` and `since`, more than `maxDays` days,
 * and an empty or inverted window.
 */
export function resolveWindowAt(o: WindowInput, now: number, defaultDays: number, names: WindowNames = CLI_WINDOW_NAMES, maxDays = 36_500): Window {
  if (o.days && o.since) throw new StewardError('USAGE', `give either ${names.days} or ${names.since}, not both`);
  const until = o.until ? parseTime(o.until, names.until) : now;
  const days = o.days ? parsePositiveInt(o.days, names.days, maxDays) : defaultDays;
  const since = o.since ? parseTime(o.since, names.since) : until - days * 86_400_000;
  if (since >= until) {
    throw new StewardError('USAGE', `the window is empty or inverted: ${names.since} ${new Date(since).toISOString()} is not before ${names.until} ${new Date(until).toISOString()}`);
  }
  if (until - since > maxDays * 86_400_000) {
    throw new StewardError('USAGE', `the window from ${names.since} ${new Date(since).toISOString().slice(0, 10)} to ${names.until} ${new Date(until).toISOString().slice(0, 10)} is longer than ${maxDays} days`);
  }
  return { since, until, now };
}
