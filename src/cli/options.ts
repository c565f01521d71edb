/** Parsing and checking of command-line values shared by commands. */
import { StewardError } from '../model/errors.js';
import { parseTime, resolveWindowAt, type Window } from '../service/params.js';

export type OutputFormat = 'text' | 'json' | 'csv';

export function parseFormat(v: string | undefined): OutputFormat {
  const f = (v ?? 'text').toLowerCase();
  if (f === 'text' || f === 'json' || f === 'csv') return f;
  throw new StewardError('USAGE', `--format must be text, json or csv, not "${v}"`);
}

export { parsePositiveInt, parseTime, type Window } from '../service/params.js';

/**
 * The report window: `--since/--until`, else the `--days` (default `defaultDays`) before `now`
 * (`--now`, else the clock). `until` defaults to `now`.
 */
export function resolveWindow(
  o: { since?: string; until?: string; days?: string; now?: string },
  clock: () => number,
  defaultDays: number,
): Window {
  const now = o.now ? parseTime(o.now, '--now') : clock();
  return resolveWindowAt(o, now, defaultDays);
}
