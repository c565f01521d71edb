/**
 * The one JSON contract of every report (docs/json-contract.md): an envelope — the report's name,
 * the schema version, the projects, the period, the time it is as of and the sources it rests on —
 * then the report's own fields. `defineReport` puts it around every entry's build, so a new
 * catalogue entry has it without writing it.
 */
import type { EffectiveConfig } from '../effective-config.js';

/**
 * The version of the report schemas (docs/schemas/, `/api/v1/schemas/<report>.json`). Raised when a
 * field is removed or changes meaning; a new field keeps it.
 */
export const SCHEMA_VERSION = 1;

/** The period a report covers: [since, until), ISO times; `days` its length when the report gives it. */
export interface ReportPeriod {
  since: string;
  until: string;
  days?: number;
}

/** What every report's JSON starts with. */
export interface ReportEnvelope {
  /** The report's catalogue name (`coreIdle`); its schema is `/api/v1/schemas/<report>.json`. */
  report: string;
  /** {@link SCHEMA_VERSION} of the report's schema. */
  schemaVersion: number;
  /** The projects the report covers (those asked for, else all the configuration names; empty: all in the store). */
  projects: string[];
  /** The period the report covers, or null for a report as of one time (the open queue, the core group's history). */
  period: ReportPeriod | null;
  /** The time the report is as of, ISO. */
  now: string;
  /** What the answer rests on: the configuration, the core team, the bots, the data (the report's own keys). */
  sources: object;
}

/**
 * A report's JSON: the envelope, then its own fields. Where the report types an envelope field more
 * closely (its `sources`, a period with `days`), its own type stands. Distributes over a union of variants.
 */
export type Enveloped<R> = R extends unknown ? Omit<ReportEnvelope, keyof R> & R : never;

const iso = (t: number): string => new Date(t).toISOString();

/** The parameters the envelope's defaults may come from (a build's parameters, whatever their type). */
interface EnvelopeParams {
  project?: readonly string[];
  window?: { since: number; until: number };
}

/**
 * `result` in the envelope of report `name`. The result's own `projects`, `period`, `now` and
 * `sources` win (the build knows them best); missing ones come from the build's parameters (`project`,
 * `window`), the configuration and `now`. The envelope's keys come first, in the same order in every report.
 */
export function envelope<R extends object>(name: string, result: R, params: unknown, config: EffectiveConfig, now: number): Enveloped<R> {
  const own = result as Partial<ReportEnvelope>;
  const p = (params ?? {}) as EnvelopeParams;
  const projects = own.projects ?? (p.project?.length ? [...p.project] : config.config.projects.map((x) => x.name));
  const period = own.period !== undefined ? own.period : p.window ? { since: iso(p.window.since), until: iso(p.window.until) } : null;
  return {
    report: name,
    schemaVersion: SCHEMA_VERSION,
    projects,
    period,
    now: own.now ?? iso(now),
    sources: own.sources ?? { config: config.origin },
    ...result,
  } as Enveloped<R>;
}
