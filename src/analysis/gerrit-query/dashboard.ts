/**
 * A dashboard evaluated against the store: each section's query ANDed with the dashboard's
 * `foreach`, matches most recently updated first, cut at the section's `limit:`.
 */
import type { FlowChange } from '../../model/flow.js';
import { changeUrl } from '../../model/flow.js';
import { DAY_MS, round } from '../stats.js';
import { compileQuery, QueryView, runQuery, type CompiledQuery, type QueryEnv, type QueryNeeds } from './evaluate.js';
import { QueryError } from './query-error.js';

export interface DashboardInput {
  title: string;
  description: string | null;
  foreach: string | null;
  sections: ReadonlyArray<{ name: string; query: string }>;
}

export interface DashboardRow {
  number: number;
  project: string;
  branch: string;
  subject: string;
  owner: string;
  /** Days since the last update. */
  updatedDays: number;
  /** What it waits on (analysis/queue-state.ts), or closed. */
  state: string;
  url: string | null;
}

export interface DashboardSectionResult {
  name: string;
  query: string;
  count: number;
  limit: number | null;
  changes: DashboardRow[];
}

export interface DashboardResult {
  title: string;
  description: string | null;
  foreach: string | null;
  now: string;
  sections: DashboardSectionResult[];
}

/** A query error with which query of the dashboard it is in (`foreach` or a section's name). */
export class DashboardQueryError extends Error {
  readonly where: 'foreach' | { section: string; index: number };
  readonly queryError: QueryError;

  constructor(where: 'foreach' | { section: string; index: number }, queryError: QueryError) {
    super(queryError.message, { cause: queryError });
    this.name = 'DashboardQueryError';
    this.where = where;
    this.queryError = queryError;
  }
}

export interface CompiledDashboard {
  foreach: CompiledQuery | null;
  sections: CompiledQuery[];
  /** Every change the dashboard can show is open now: load open changes only. */
  onlyOpen: boolean;
  needs: QueryNeeds;
}

/** Compiles every query of the dashboard, so any error surfaces before loading or evaluating. */
export function compileDashboard(d: DashboardInput, env: QueryEnv): CompiledDashboard {
  const compile = (q: string, where: DashboardQueryError['where']): CompiledQuery => {
    try {
      return compileQuery(q, env);
    } catch (e) {
      if (e instanceof QueryError) throw new DashboardQueryError(where, e);
      throw e;
    }
  };
  const foreach = d.foreach?.trim() ? compile(d.foreach, 'foreach') : null;
  const sections = d.sections.map((s, index) => compile(s.query, { section: s.name, index }));
  const all = [foreach, ...sections].filter((q): q is CompiledQuery => q !== null);
  const needs: QueryNeeds = { messages: false, files: false, commitMessage: false, details: false };
  for (const q of all) for (const k of Object.keys(needs) as Array<keyof QueryNeeds>) needs[k] ||= q.needs[k];
  return { foreach, sections, onlyOpen: (foreach?.onlyOpen ?? false) || sections.every((s) => s.onlyOpen), needs };
}

export function evaluateDashboard(
  d: DashboardInput,
  compiled: CompiledDashboard,
  changes: readonly FlowChange[],
  env: QueryEnv,
  opts: { hostUrls: ReadonlyMap<string, string | null>; nameOf: (id: number) => string },
): DashboardResult {
  const views = changes.map((c) => new QueryView(c, env));
  const base = compiled.foreach ? views.filter((v) => v.exists && compiled.foreach!.matches(v)) : views;
  return {
    title: d.title,
    description: d.description,
    foreach: d.foreach,
    now: new Date(env.now).toISOString(),
    sections: d.sections.map((s, i) => {
      const q = compiled.sections[i]!;
      const limit =
        q.limit !== null && compiled.foreach?.limit != null
          ? Math.min(q.limit, compiled.foreach.limit)
          : (q.limit ?? compiled.foreach?.limit ?? null);
      const hits = runQuery({ ...q, limit }, base);
      return {
        name: s.name,
        query: s.query,
        count: hits.length,
        limit,
        changes: hits.map((v) => ({
          number: v.change.number,
          project: v.change.project,
          branch: v.change.branch,
          subject: v.change.subject,
          owner: opts.nameOf(v.change.ownerId),
          updatedDays: round((env.now - v.updated) / DAY_MS, 1) ?? 0,
          state: v.situation.state,
          url: changeUrl(opts.hostUrls.get(v.change.host), v.change.project, v.change.number),
        })),
      };
    }),
  };
}
