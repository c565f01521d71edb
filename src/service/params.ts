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
 * milliseconds. `name` is the parameter, for the message. A date or time that does not exist
 * (2026-02-30, month 13, 24:61) is refused rather than rolled over into the next month or day.
 */
export function parseTime(v: string, name: string): number {
  const s = v.trim();
  let t: number;
  if (/^\d{11,}$/.test(s)) t = Number(s);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    checkCalendarFields(s, v, name);
    t = Date.parse(`${s}T00:00:00Z`);
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s)) {
    checkCalendarFields(s, v, name);
    t = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
  } else t = NaN;
  if (Number.isNaN(t)) {
    throw new StewardError('USAGE', `${name} must be a date like 2015-04-10 or 2015-04-10T12:00:00Z, not "${v}"`);
  }
  return t;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Days in `month` (1–12) of `year`, in the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Refuses a date or time whose fields are out of range: JavaScript's `Date.parse` moves
 * 2026-02-30 to 2026-03-02 without a word, and a report window would quietly shift with it.
 */
function checkCalendarFields(s: string, v: string, name: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  if (!m) return;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const refuse = (why: string): never => {
    throw new StewardError('USAGE', `${name} must be a date that exists, not "${v}": ${why}`, {
      hint: 'give a date like 2015-04-10 or a date-time like 2015-04-10T12:00:00Z',
    });
  };
  if (month < 1 || month > 12) refuse(`there is no month ${m[2]}`);
  if (day < 1 || day > daysInMonth(year, month))
    refuse(`${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days, not day ${m[3]}`);
  if (m[4] !== undefined && Number(m[4]) > 23) refuse(`the hour must be 00 to 23, not ${m[4]}`);
  if (m[5] !== undefined && Number(m[5]) > 59) refuse(`the minute must be 00 to 59, not ${m[5]}`);
  if (m[6] !== undefined && Number(m[6]) > 59) refuse(`the second must be 00 to 59, not ${m[6]}`);
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(s.slice(10));
  if (offset && (Number(offset[2]) > 23 || Number(offset[3]) > 59)) refuse(`the time-zone offset ${offset[0]} is out of range`);
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
export function resolveWindowAt(
  o: WindowInput,
  now: number,
  defaultDays: number,
  names: WindowNames = CLI_WINDOW_NAMES,
  maxDays = 36_500,
): Window {
  if (o.days && o.since) throw new StewardError('USAGE', `give either ${names.days} or ${names.since}, not both`);
  const until = o.until ? parseTime(o.until, names.until) : now;
  const days = o.days ? parsePositiveInt(o.days, names.days, maxDays) : defaultDays;
  const since = o.since ? parseTime(o.since, names.since) : until - days * 86_400_000;
  if (since >= until) {
    throw new StewardError(
      'USAGE',
      `the window is empty or inverted: ${names.since} ${new Date(since).toISOString()} is not before ${names.until} ${new Date(until).toISOString()}`,
    );
  }
  if (until - since > maxDays * 86_400_000) {
    throw new StewardError(
      'USAGE',
      `the window from ${names.since} ${new Date(since).toISOString().slice(0, 10)} to ${names.until} ${new Date(until).toISOString().slice(0, 10)} is longer than ${maxDays} days`,
    );
  }
  return { since, until, now };
}
