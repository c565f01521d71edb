/** Parameters many reports share: the projects and the window, and how a window is resolved. */
import { parsePositiveInt, resolveWindowAt, type Window } from '../params.js';
import { int, names, time, type ParamDef } from './param-schema.js';
import type { ResolveContext } from './report-entry.js';

/** The projects and window of every report over a period (`--project`, `--days`, `--since`, `--until`, `--now`). */
export const WINDOW_PARAMS = {
  project: names('project (repeat for several; default: all)'),
  days: int('the window is the N days before --until (default 90)', 7300),
  since: time('window start (inclusive), e.g. 2015-01-01'),
  until: time('window end (exclusive; default: --now)'),
  now: time('report as of this time instead of the current time (replays the past)', '<time>'),
} satisfies Record<string, ParamDef>;

/**
 * The window: `since/until`, else the `days` (default `defaultDays`) before `until`, which defaults
 * to the report's now; with the caller's names and bound in messages.
 */
export function windowOf(input: { days?: string; since?: string; until?: string }, ctx: ResolveContext, defaultDays: number): Window {
  return resolveWindowAt(input, ctx.now, defaultDays, ctx.surface.window, ctx.surface.maxWindowDays);
}

/** An optional whole number from 1 to `max`, named as the caller spells it. */
export function optionalInt(v: string | undefined, param: string, ctx: ResolveContext, max?: number): number | undefined {
  return v ? parsePositiveInt(v, ctx.surface.name(param), max) : undefined;
}
