/**
 * Gerrit's two time formats, converted to epoch milliseconds (UTC).
 *
 * - REST: "2015-04-10 12:34:56.123000000" — always UTC, nanosecond fraction (Gerrit docs,
 *   "Timestamp"). Milliseconds are taken from the fraction by truncation, so a round trip through
 *   {@link formatRestTimestamp} is exact.
 * - SSH (`gerrit query --format=JSON`): whole epoch seconds.
 *
 * Both parsers return null for anything else instead of throwing: the change parsers know which
 * field they were reading and raise the error with that context.
 */
import type { Timestamp } from '../../model/records.js';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Days of a common year before each month; 477 is the leap days before 1970 (1969/4 − 1969/100 + 1969/400).
const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * Parse a Gerrit REST timestamp: "YYYY-MM-DD hh:mm:ss" with an optional fraction of 1–9 digits.
 * A 'T' separator and a trailing 'Z' are accepted too, because hand-edited fixtures and other
 * tools' exports use ISO 8601.
 *
 * @example parseRestTimestamp('2015-04-10 12:34:56.123000000') // 1428669296123
 * @returns epoch milliseconds, or null when `value` is not a well-formed timestamp
 *   (wrong type, wrong shape, or an impossible date such as month 13 or February 30).
 */
export function parseRestTimestamp(value: unknown): Timestamp | null {
  // Hand-rolled rather than a regex: an export has ~10 timestamps per change and 10^5 changes.
  if (typeof value !== 'string') return null;
  let len = value.length;
  if (len > 0 && value.charCodeAt(len - 1) === 90 /* Z */) len--;
  if (len < 19 || len === 20 || len > 29) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  const sep = value.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60 ||
    value.charCodeAt(4) !== 45 ||
    value.charCodeAt(7) !== 45 ||
    (sep !== 32 && sep !== 84) ||
    value.charCodeAt(13) !== 58 ||
    value.charCodeAt(16) !== 58
  ) {
    return null;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return null;
  let ms = 0;
  if (len > 19) {
    if (value.charCodeAt(19) !== 46 /* . */) return null;
    const fraction = digits(value, 20, len - 20);
    if (fraction < 0) return null;
    // Milliseconds are the first three fraction digits (truncated, not rounded).
    const n = len - 20;
    ms = n >= 3 ? Math.floor(fraction / 10 ** (n - 3)) : fraction * 10 ** (3 - n);
  }
  // Date.UTC reads years 0–99 as 1900–1999; for the others the arithmetic below gives the same
  // value at a fraction of the call's cost (an export has millions of timestamps).
  if (year < 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const y = year - 1;
  const days =
    365 * (year - 1970) +
    (Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) - 477) +
    (DAYS_BEFORE_MONTH[month - 1] as number) +
    (leap && month > 2 ? 1 : 0) +
    day -
    1;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/** The non-negative integer written by `count` ASCII digits at `from`, or -1. */
function digits(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parse an SSH query timestamp (epoch seconds, as a number or a string of digits).
 *
 * @example parseSshTimestamp(1428669296) // 1428669296000
 * @returns epoch milliseconds, or null when `value` is not a non-negative finite number of seconds.
 */
export function parseSshTimestamp(value: unknown): Timestamp | null {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d{1,12}$/.test(value)) seconds = Number(value);
  else return null;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return Math.round(seconds * 1000);
}

/**
 * Format epoch milliseconds the way Gerrit's REST API writes timestamps (UTC, nine fraction digits).
 * Used by test builders and demo data so that they produce what a real server sends.
 *
 * @example formatRestTimestamp(1428669296123) // '2015-04-10 12:34:56.123000000'
 */
export function formatRestTimestamp(ts: Timestamp): string {
  const iso = new Date(ts).toISOString(); // 2015-04-10T12:34:56.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000`;
}
