/**
 * `steward dashboard [NAME]`: evaluates a dashboard of Gerrit search queries against the store
 * (analysis/gerrit-query), or prints the Gerrit URL that opens it in Gerrit (`--gerrit-url`).
 * Dashboards come from steward.yaml (`dashboards:`, inline or a .dash file), a .dash file given with
 * `--file`, one query given with `--query`, or the shipped defaults (src/dashboards).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { compileDashboard, DashboardQueryError, evaluateDashboard, type DashboardResult } from '../../analysis/gerrit-query/dashboard.js';
import type { QueryAccounts, QueryEnv } from '../../analysis/gerrit-query/evaluate.js';
import type { StewardConfig } from '../../config/config-schema.js';
import { dashboardUrl, parseDashFile, type DashboardDefinition } from '../../dashboards/dash-file.js';
import { defaultDashboards } from '../../dashboards/default-dashboards.js';
import type { AccountInfo } from '../../model/activity.js';
import { StewardError, type ErrorCode } from '../../model/errors.js';
import { renderDashboardCsv, renderDashboardList, renderDashboardText } from '../../report/dashboard-report.js';
import type { Store } from '../../store/engine.js';
import { loadFlowChanges } from '../../store/queries/flow.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';
import { flowSetup } from './queue-command.js';

export interface DashboardCommandOptions extends GlobalOptions {
  project?: string[];
  file?: string;
  query?: string;
  as?: string;
  now?: string;
  format?: string;
  gerritUrl?: boolean;
  list?: boolean;
  show?: string;
}

interface Resolved {
  def: DashboardDefinition;
  /** Which error code a bad query in it gets. */
  code: ErrorCode;
}

function readDash(path: string, name?: string): DashboardDefinition {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new StewardError('INPUT_UNREADABLE', `cannot read the dashboard file: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { where: path, hint: 'Check the path of the .dash file.' }, { cause: e });
  }
  return parseDashFile(text, path, name);
}

/** Every dashboard the configuration and Steward offer, by name (configured ones first). */
export function availableDashboards(config: StewardConfig, configPath: string | null, cwd: string): Resolved[] {
  const base = configPath ? dirname(configPath) : cwd;
  const out: Resolved[] = config.dashboards.map((d, i) => {
    if (d.file) return { def: readDash(resolve(base, d.file), d.name), code: 'INPUT_FORMAT' as const };
    return {
      def: { name: d.name, title: d.title ?? d.name, description: d.description ?? null, foreach: d.foreach ?? null, sections: d.sections ?? [], origin: `${configPath ?? 'steward.yaml'}: dashboards[${i}]` },
      code: 'CONFIG' as const,
    };
  });
  for (const d of defaultDashboards()) if (!out.some((x) => x.def.name === d.name)) out.push({ def: d, code: 'INTERNAL' });
  return out;
}

function resolveDashboard(name: string | undefined, o: DashboardCommandOptions, config: StewardConfig, configPath: string | null, cwd: string): Resolved | null {
  const given = [name, o.file, o.query].filter((x) => x !== undefined && x !== '').length;
  if (given > 1) throw new StewardError('USAGE', 'name one dashboard: a NAME, --file FILE or --query QUERY');
  if (o.query !== undefined) return { def: { name: 'query', title: 'Query', description: null, foreach: null, sections: [{ name: o.query, query: o.query }], origin: '--query' }, code: 'USAGE' };
  if (o.file) return { def: readDash(resolve(cwd, o.file)), code: 'INPUT_FORMAT' };
  if (!name) return null;
  const all = availableDashboards(config, configPath, cwd);
  const found = all.find((d) => d.def.name === name);
  if (!found) {
    throw new StewardError('USAGE', `no dashboard named "${name}"`, { hint: `Dashboards: ${all.map((d) => d.def.name).join(', ')} (steward dashboard --list).` });
  }
  return found;
}

/** Resolves user names the way Gerrit does: username, email, full name (case-insensitive) or account id. */
export function accountResolver(accounts: readonly AccountInfo[]): (spec: string) => number[] {
  return (spec) => {
    const s = spec.trim().toLowerCase();
    const id = /^\d+$/.test(s) ? Number(s) : null;
    return accounts
      .filter((a) => (id !== null && a.gerritId === id) || a.username?.toLowerCase() === s || a.email?.toLowerCase() === s || a.name?.toLowerCase() === s)
      .map((a) => a.id);
  };
}

function queryError(e: DashboardQueryError, r: Resolved): StewardError {
  const q = e.queryError;
  const d = r.def;
  const section = e.where === 'foreach' ? null : d.sections[e.where.index];
  const line = e.where === 'foreach' ? d.foreachLine : section?.line;
  const field = r.code === 'CONFIG' ? (e.where === 'foreach' ? 'foreach' : `sections[${(e.where as { index: number }).index}].query`) : e.where === 'foreach' ? 'foreach' : `section "${section?.name}"`;
  return new StewardError(r.code, `${q.message} (column ${q.position + 1})\n${q.pointer('    ')}`, { where: r.code === 'USAGE' ? '--query' : d.origin, line, field: r.code === 'USAGE' ? undefined : field, hint: q.hint ?? undefined }, { cause: q });
}

export type DashboardOutput = { kind: 'dashboard'; name: string; origin: string; projects: string[] } & DashboardResult;

/** Gathers (store), computes (analysis): the dashboard as `--format json` prints it. */
export async function buildDashboard(store: Store, name: string | undefined, o: DashboardCommandOptions, rt: Runtime): Promise<DashboardOutput> {
  const now = o.now ? parseTime(o.now, '--now') : rt.clock();
  const { config, path } = await effectiveConfig(o, rt, store);
  const r = resolveDashboard(name, o, config, path, rt.cwd);
  if (!r) throw new StewardError('USAGE', 'name a dashboard, or give --file FILE or --query QUERY', { hint: 'steward dashboard --list shows the dashboards.' });
  const setup = await flowSetup(store, o, rt);
  const resolveUser = accountResolver(setup.accounts);
  let self: number | null = null;
  if (o.as) {
    const ids = resolveUser(o.as);
    if (!ids.length) throw new StewardError('USAGE', `--as: no account "${o.as}" in the store`, { hint: 'Give a username, email, full name or Gerrit account id.' });
    self = ids[0]!;
  }
  const groups = new Set(['core', ...config.projects.map((p) => p.core?.group).filter((g): g is string => !!g)].map((g) => g.toLowerCase()));
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
  return { kind: 'dashboard', name: r.def.name, origin: r.def.origin, projects: setup.projects, ...result };
}

export async function runDashboard(name: string | undefined, o: DashboardCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const show = o.show ? parsePositiveInt(o.show, '--show', 100_000) : 20;
  const store = await openStoreFor(o, rt);
  try {
    const { config, path } = await effectiveConfig(o, rt, store);
    const r = resolveDashboard(name, o, config, path, rt.cwd);
    if (!r || o.list) {
      const all = availableDashboards(config, path, rt.cwd).map((d) => ({ name: d.def.name, title: d.def.title, sections: d.def.sections.length, origin: d.def.origin }));
      rt.stdout(format === 'json' ? JSON.stringify(all, null, 2) + '\n' : renderDashboardList(all));
      return;
    }
    if (o.gerritUrl) {
      const hosts = await store.db.selectFrom('hosts').select(['name', 'url']).execute();
      const urls = [...config.hosts.map((h) => h.url), ...hosts.map((h) => h.url).filter((u): u is string => !!u)];
      const url = urls[0];
      if (!url) throw new StewardError('CONFIG', 'no Gerrit URL is known: set hosts[].url in steward.yaml', { hint: 'hosts: [{ name: review.opendev.org, url: https://review.opendev.org }]' });
      const coreGroups = [...new Set(config.projects.filter((p) => !o.project?.length || o.project.includes(p.name)).map((p) => p.core?.group).filter((g): g is string => !!g))];
      const uses = [r.def.foreach ?? '', ...r.def.sections.map((s) => s.query)].some((q) => /,(group=)?core\b/.test(q));
      const rename = (q: string) => (coreGroups.length === 1 ? q.replace(/,(group=)?core\b/g, (_m, g: string | undefined) => `,${g ?? ''}${coreGroups[0]}`) : q);
      if (uses && coreGroups.length !== 1) {
        rt.stderr(`steward: the dashboard names Steward's group "core"; Gerrit needs the real group name: set projects[].core.group in steward.yaml (${coreGroups.length ? 'several projects name different groups' : 'none is set'}).\n`);
      }
      const link = dashboardUrl(r.def, url, rename);
      rt.stdout(format === 'json' ? JSON.stringify({ name: r.def.name, title: r.def.title, url: link }, null, 2) + '\n' : `${r.def.title}\n${link}\n`);
      return;
    }
    const out = await buildDashboard(store, name, o, rt);
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderDashboardCsv(out));
    else rt.stdout(renderDashboardText(out, show));
  } finally {
    await store.close();
  }
}
