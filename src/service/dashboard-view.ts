/**
 * Dashboards (`steward dashboard NAME`, `/api/v1/dashboards/NAME`): a dashboard of Gerrit search
 * queries evaluated against the store (analysis/gerrit-query). Dashboards come from steward.yaml
 * (`dashboards:`, inline or a .dash file), a .dash file, one query, or the shipped defaults.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileDashboard, DashboardQueryError, evaluateDashboard, type DashboardResult } from '../analysis/gerrit-query/dashboard.js';
import type { QueryAccounts, QueryEnv } from '../analysis/gerrit-query/evaluate.js';
import type { StewardConfig } from '../config/config-schema.js';
import { parseDashFile, type DashboardDefinition } from '../dashboards/dash-file.js';
import { defaultDashboards } from '../dashboards/default-dashboards.js';
import type { AccountInfo } from '../model/activity.js';
import { StewardError, type ErrorCode } from '../model/errors.js';
import type { Store } from '../store/engine.js';
import { loadFlowChanges } from '../store/queries/flow.js';
import type { EffectiveConfig } from './effective-config.js';
import { flowSetup } from './flow-setup.js';

export interface DashboardParams {
  /** A dashboard from steward.yaml or shipped with Steward. */
  name?: string;
  /** A .dash file (an absolute path, or relative to `cwd`): the command line only, never from the web. */
  file?: string;
  /** One Gerrit search query. */
  query?: string;
  project?: readonly string[];
  /** Who "self" is in the queries. */
  as?: string;
  /** Where relative .dash paths resolve when there is no configuration file. */
  cwd: string;
  /** Only one page of each section's changes (the web); absent: all. */
  paging?: DashboardPaging | null;
}

/** A dashboard definition, and which error code a bad query in it gets. */
export interface ResolvedDashboard {
  def: DashboardDefinition;
  code: ErrorCode;
}

/** A page of every section's changes: changes (page − 1) × perPage up to page × perPage of each. */
export interface DashboardPaging {
  page: number;
  perPage: number;
}

export type DashboardOutput = { name: string; origin: string; projects: string[] } & DashboardResult & {
    /** The page shown (the web's `page` and `perPage`), with the number of pages of the longest section; null: every change. */
    paging: (DashboardPaging & { pages: number }) | null;
  };

/**
 * One page of an evaluated dashboard: each section keeps its `count` and gets the changes of the
 * page (sections with fewer have fewer, or none). Pure; the web page and the API page alike.
 */
export function pageDashboard(d: DashboardOutput, paging: DashboardPaging | null): DashboardOutput {
  if (!paging) return { ...d, paging: null };
  const longest = Math.max(0, ...d.sections.map((s) => s.changes.length));
  const from = (paging.page - 1) * paging.perPage;
  return {
    ...d,
    sections: d.sections.map((s) => ({ ...s, changes: s.changes.slice(from, from + paging.perPage) })),
    paging: { ...paging, pages: Math.max(1, Math.ceil(longest / paging.perPage)) },
  };
}

function readDash(path: string, name?: string): DashboardDefinition {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StewardError(
      'INPUT_UNREADABLE',
      `cannot read the dashboard file: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      { where: path, hint: 'Check the path of the .dash file.' },
      { cause: e },
    );
  }
  return parseDashFile(text, path, name);
}

/** Every dashboard the configuration and Steward offer, by name (configured ones first). */
export function availableDashboards(config: StewardConfig, configPath: string | null, cwd: string): ResolvedDashboard[] {
  const base = configPath ? dirname(configPath) : cwd;
  const out: ResolvedDashboard[] = config.dashboards.map((d, i) => {
    if (d.file) return { def: readDash(resolve(base, d.file), d.name), code: 'INPUT_FORMAT' as const };
    return {
      def: {
        name: d.name,
        title: d.title ?? d.name,
        description: d.description ?? null,
        foreach: d.foreach ?? null,
        sections: d.sections ?? [],
        origin: `${configPath ?? 'steward.yaml'}: dashboards[${i}]`,
      },
      code: 'CONFIG' as const,
    };
  });
  for (const d of defaultDashboards()) if (!out.some((x) => x.def.name === d.name)) out.push({ def: d, code: 'INTERNAL' });
  return out;
}

/** The dashboard the parameters name (null: none named). */
export function resolveDashboard(
  params: Omit<DashboardParams, 'project' | 'as'>,
  config: StewardConfig,
  configPath: string | null,
): ResolvedDashboard | null {
  const given = [params.name, params.file, params.query].filter((x) => x !== undefined && x !== '').length;
  if (given > 1) throw new StewardError('USAGE', 'name one dashboard: a NAME, --file FILE or --query QUERY');
  if (params.query !== undefined)
    return {
      def: {
        name: 'query',
        title: 'Query',
        description: null,
        foreach: null,
        sections: [{ name: params.query, query: params.query }],
        origin: '--query',
      },
      code: 'USAGE',
    };
  if (params.file) return { def: readDash(resolve(params.cwd, params.file)), code: 'INPUT_FORMAT' };
  if (!params.name) return null;
  const all = availableDashboards(config, configPath, params.cwd);
  const found = all.find((d) => d.def.name === params.name);
  if (!found) {
    throw new StewardError('USAGE', `no dashboard named "${params.name}"`, {
      hint: `Dashboards: ${all.map((d) => d.def.name).join(', ')} (steward dashboard --list).`,
    });
  }
  return found;
}

/** Resolves user names the way Gerrit does: username, email, full name (case-insensitive) or account id. */
export function accountResolver(accounts: readonly AccountInfo[]): (spec: string) => number[] {
  return (spec) => {
    const s = spec.trim().toLowerCase();
    const id = /^\d+$/.test(s) ? Number(s) : null;
    return accounts
      .filter(
        (a) =>
          (id !== null && a.gerritId === id) ||
          a.username?.toLowerCase() === s ||
          a.email?.toLowerCase() === s ||
          a.name?.toLowerCase() === s,
      )
      .map((a) => a.id);
  };
}

function queryError(e: DashboardQueryError, r: ResolvedDashboard): StewardError {
  const q = e.queryError;
  const d = r.def;
  const section = e.where === 'foreach' ? null : d.sections[e.where.index];
  const line = e.where === 'foreach' ? d.foreachLine : section?.line;
  const field =
    r.code === 'CONFIG'
      ? e.where === 'foreach'
        ? 'foreach'
        : `sections[${(e.where as { index: number }).index}].query`
      : e.where === 'foreach'
        ? 'foreach'
        : `section "${section?.name}"`;
  return new StewardError(
    r.code,
    `${q.message} (column ${q.position + 1})\n${q.pointer('    ')}`,
    { where: r.code === 'USAGE' ? '--query' : d.origin, line, field: r.code === 'USAGE' ? undefined : field, hint: q.hint ?? undefined },
    { cause: q },
  );
}

/** The dashboard evaluated as of `now`, as `--format json` prints it. */
export async function buildDashboardView(
  store: Store,
  params: DashboardParams,
  effective: EffectiveConfig,
  now: number,
): Promise<DashboardOutput> {
  const { config, path } = effective;
  const r = resolveDashboard(params, config, path);
  if (!r)
    throw new StewardError('USAGE', 'name a dashboard, or give --file FILE or --query QUERY', {
      hint: 'steward dashboard --list shows the dashboards.',
    });
  const setup = await flowSetup(store, params.project, effective);
  const resolveUser = accountResolver(setup.accounts);
  let self: number | null = null;
  if (params.as) {
    const ids = resolveUser(params.as);
    if (!ids.length)
      throw new StewardError('USAGE', `--as: no account "${params.as}" in the store`, {
        hint: 'Give a username, email, full name or Gerrit account id.',
      });
    self = ids[0]!;
  }
  const groups = new Set(
    ['core', ...config.projects.map((p) => p.core?.group).filter((g): g is string => !!g)].map((g) => g.toLowerCase()),
  );
  const accounts: QueryAccounts = {
    resolveUser,
    resolveGroup: (g) => (groups.has(g.toLowerCase()) ? setup.coreAt(now) : null),
    self,
  };
  const env: QueryEnv = { now, flow: setup.ctx, accounts };
  let compiled;
  try {
    compiled = compileDashboard(r.def, env);
  } catch (e) {
    if (e instanceof DashboardQueryError) throw queryError(e, r);
    throw e;
  }
  const changes = await loadFlowChanges(store.db, store.engine, {
    scope: compiled.onlyOpen ? { kind: 'open', at: now } : { kind: 'active', since: 0, until: now },
    projects: setup.projects,
    asOf: now,
    messages: compiled.needs.messages ? 'all' : 'none',
    details: true,
    files: compiled.needs.files,
    commitMessage: compiled.needs.commitMessage,
  });
  const result = evaluateDashboard(r.def, compiled, changes, env, { hostUrls: setup.hostUrls, nameOf: setup.nameOf });
  return pageDashboard(
    { name: r.def.name, origin: r.def.origin, projects: setup.projects, ...result, paging: null },
    params.paging ?? null,
  );
}
