/**
 * The configuration's dates as times, apart from the schema (config-schema.ts) so that a report
 * reading a release's dates does not load the schema and zod's validators with it: a configuration
 * taken from the cache (config-cache.ts) needs neither.
 */

/** A config date (date only = midnight UTC) as epoch ms. */
export function toMs(s: string): number {
  return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
}
