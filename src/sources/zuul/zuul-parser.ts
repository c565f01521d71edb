/**
 * Zuul's builds API JSON → {@link ZuulBuild} records. Pure and tested on recorded payloads.
 *
 * Two shapes are read, as Zuul has sent both:
 * - up to Zuul 9: `project`, `branch`, `change`, `patchset`, `ref` at the top level of each build;
 * - Zuul 10 and later: the same under `ref: {project, branch, change, patchset, ref, …}`.
 * `pipeline` and `buildset: {uuid}` are top-level in both. Times are "2024-05-01T12:00:00"
 * (UTC, no zone); `duration` is float seconds; `patchset` may be a number or a numeric string.
 *
 * Builds still running (`result: null`) and builds Zuul retried (`final: false`, result RETRY…)
 * are left out: they are not results anyone saw, and a later sync picks the running ones up.
 */
import { StewardError } from '../../model/errors.js';
import type { ZuulBuild } from '../../model/ci.js';

export interface ZuulParseContext {
  /** The URL the page came from, for error messages. */
  where: string;
}

export interface ZuulPage {
  builds: ZuulBuild[];
  /** Builds left out: still running, or retried by Zuul. */
  running: number;
  retried: number;
  /** Newest and oldest start time on the page (epoch ms), over every build, running ones too. */
  newestStart: number | null;
  oldestStart: number | null;
}

const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parse a Zuul time ("2024-05-01T12:00:00", UTC when no zone is given).
 *
 * @example parseZuulTime('2024-05-01T12:00:00') // 1714564800000
 * @returns epoch ms, or null for null/undefined; throws nothing — unreadable text gives undefined.
 */
export function parseZuulTime(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return undefined;
  const m = TIME.exec(value.trim());
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Parse one page of `/api/tenant/{tenant}/builds`.
 *
 * @example
 * parseZuulBuilds([{ uuid: 'a1', job_name: 'tox-py3', result: 'SUCCESS', voting: true, pipeline: 'check',
 *   project: 'openstack/nova', change: 880001, patchset: '2', start_time: '2024-05-01T12:00:00',
 *   end_time: '2024-05-01T12:10:00', duration: 600.0, log_url: 'https://logs/…', buildset: { uuid: 'bs1' } }], { where })
 * // { builds: [{ uuid: 'a1', change: 880001, patchSet: 2, durationSeconds: 600, … }], running: 0, retried: 0, … }
 * @throws StewardError SOURCE_BAD_RESPONSE when the page is not an array of builds, naming the
 *   build and field.
 */
export function parseZuulBuilds(raw: unknown, ctx: ZuulParseContext): ZuulPage {
  if (!Array.isArray(raw)) throw bad(ctx, '', `expected a JSON array of builds, received ${describe(raw)}`);
  const page: ZuulPage = { builds: [], running: 0, retried: 0, newestStart: null, oldestStart: null };
  raw.forEach((item, i) => {
    const path = `[${i}]`;
    if (!isObject(item)) throw bad(ctx, path, `expected a build object, received ${describe(item)}`);
    const ref = isObject(item.ref) ? item.ref : item;
    const uuid = requiredString(item, 'uuid', ctx, path);
    const job = requiredString(item, 'job_name', ctx, path);
    const start = time(item, 'start_time', ctx, path);
    if (start !== null) {
      page.newestStart = page.newestStart === null ? start : Math.max(page.newestStart, start);
      page.oldestStart = page.oldestStart === null ? start : Math.min(page.oldestStart, start);
    }
    if (item.final === false) {
      page.retried += 1;
      return;
    }
    if (item.result === null || item.result === undefined) {
      page.running += 1;
      return;
    }
    if (typeof item.result !== 'string' || item.result === '')
      throw bad(ctx, `${path}.result`, `expected a result word, received ${describe(item.result)}`);
    const pipeline = requiredString(item, 'pipeline', ctx, path);
    const project = typeof ref.project === 'string' ? ref.project : null;
    if (project === null)
      throw bad(ctx, `${path}.${ref === item ? '' : 'ref.'}project`, `expected the project name, received ${describe(ref.project)}`);
    const end = time(item, 'end_time', ctx, path);
    const duration = item.duration;
    if (duration !== null && duration !== undefined && (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0)) {
      throw bad(ctx, `${path}.duration`, `expected seconds or null, received ${describe(duration)}`);
    }
    const buildset = isObject(item.buildset) && typeof item.buildset.uuid === 'string' ? item.buildset.uuid : null;
    page.builds.push({
      uuid,
      project,
      branch: typeof ref.branch === 'string' ? ref.branch : null,
      change: optionalInt(ref.change, ctx, `${path}.${ref === item ? '' : 'ref.'}change`),
      patchSet: optionalInt(ref.patchset, ctx, `${path}.${ref === item ? '' : 'ref.'}patchset`),
      ref: typeof ref.ref === 'string' ? ref.ref : null,
      pipeline,
      job,
      result: item.result,
      voting: item.voting !== false,
      startTime: start,
      endTime: end,
      durationSeconds:
        typeof duration === 'number' ? Math.round(duration) : start !== null && end !== null ? Math.round((end - start) / 1000) : null,
      logUrl: typeof item.log_url === 'string' && item.log_url !== '' ? item.log_url : null,
      buildset,
    });
  });
  return page;
}

function requiredString(o: Record<string, unknown>, key: string, ctx: ZuulParseContext, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw bad(ctx, `${path}.${key}`, `expected text, received ${describe(v)}`);
  return v;
}

function time(o: Record<string, unknown>, key: string, ctx: ZuulParseContext, path: string): number | null {
  const t = parseZuulTime(o[key]);
  if (t === undefined) throw bad(ctx, `${path}.${key}`, `expected a time like 2024-05-01T12:00:00, received ${describe(o[key])}`);
  return t;
}

function optionalInt(v: unknown, ctx: ZuulParseContext, field: string): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw bad(ctx, field, `expected a whole number or null, received ${describe(v)}`);
  return n;
}

function bad(ctx: ZuulParseContext, field: string, message: string): StewardError {
  return new StewardError('SOURCE_BAD_RESPONSE', `Zuul's builds answer is not what Steward reads: ${message}.`, {
    where: ctx.where,
    field: field.replace(/\.$/, '') || undefined,
    hint: 'Check that zuul.url is the Zuul web root (https://zuul.opendev.org, not a dashboard page) and report the payload if it is.',
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 5).join(', ') || '(none)'}`;
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
