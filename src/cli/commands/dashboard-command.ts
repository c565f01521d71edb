/**
 * `steward dashboard [NAME]`: evaluates a dashboard of Gerrit search queries against the store
 * (analysis/gerrit-query), or prints the Gerrit URL that opens it in Gerrit (`--gerrit-url`).
 * Dashboards come from steward.yaml (`dashboards:`, inline or a .dash file), a .dash file given with
 * `--file`, one query given with `--query`, or the shipped defaults (src/dashboards).
 */
import { dashboardUrl } from '../../dashboards/dash-file.js';
import { StewardError } from '../../model/errors.js';
import { dashboardReport, dashboardsReport } from '../../service/catalogue/dashboard-entries.js';
import { resolveDashboard, type DashboardOutput, type DashboardParams } from '../../service/dashboard-view.js';
import type { Store } from '../../store/engine.js';
import { listHostUrls } from '../../store/queries/flow.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';
import { buildReportFor, renderReport, reportInput } from '../report-command.js';

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

export type { DashboardOutput } from '../../service/dashboard-view.js';

function dashboardParams(name: string | undefined, o: DashboardCommandOptions, rt: Runtime): DashboardParams {
  return { name, file: o.file, query: o.query, project: o.project, as: o.as, cwd: rt.cwd };
}

/** Parses the options and evaluates the dashboard as `--format json` prints it (the catalogue's dashboard entry). */
export async function buildDashboard(
  store: Store,
  name: string | undefined,
  o: DashboardCommandOptions,
  rt: Runtime,
): Promise<DashboardOutput> {
  return buildReportFor(dashboardReport, store, reportInput(dashboardReport, { ...o }), o, rt, name === undefined ? {} : { name });
}

export async function runDashboard(name: string | undefined, o: DashboardCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const input = reportInput(dashboardReport, { ...o });
  const store = await openStoreFor(o, rt);
  try {
    const { config, path } = await effectiveConfig(o, rt, store);
    const r = resolveDashboard(dashboardParams(name, o, rt), config, path);
    if (!r || o.list) {
      const all = await buildReportFor(dashboardsReport, store, { now: input.now }, o, rt);
      rt.stdout(renderReport(dashboardsReport, format, all, {}));
      return;
    }
    if (o.gerritUrl) {
      const urls = [...config.hosts.map((h) => h.url), ...(await listHostUrls(store.db))];
      const url = urls[0];
      if (!url)
        throw new StewardError('CONFIG', 'no Gerrit URL is known: set hosts[].url in steward.yaml', {
          hint: 'hosts: [{ name: review.opendev.org, url: https://review.opendev.org }]',
        });
      const coreGroups = [
        ...new Set(
          config.projects
            .filter((p) => !o.project?.length || o.project.includes(p.name))
            .map((p) => p.core?.group)
            .filter((g): g is string => !!g),
        ),
      ];
      const uses = [r.def.foreach ?? '', ...r.def.sections.map((s) => s.query)].some((q) => /,(group=)?core\b/.test(q));
      const rename = (q: string) =>
        coreGroups.length === 1 ? q.replace(/,(group=)?core\b/g, (_m, g: string | undefined) => `,${g ?? ''}${coreGroups[0]}`) : q;
      if (uses && coreGroups.length !== 1) {
        rt.stderr(
          `steward: the dashboard names Steward's group "core"; Gerrit needs the real group name: set projects[].core.group in steward.yaml (${coreGroups.length ? 'several projects name different groups' : 'none is set'}).\n`,
        );
      }
      const link = dashboardUrl(r.def, url, rename);
      rt.stdout(
        format === 'json'
          ? JSON.stringify({ name: r.def.name, title: r.def.title, url: link }, null, 2) + '\n'
          : `${r.def.title}\n${link}\n`,
      );
      return;
    }
    const out = await buildReportFor(dashboardReport, store, input, o, rt, name === undefined ? {} : { name });
    rt.stdout(renderReport(dashboardReport, format, out, input));
  } finally {
    await store.close();
  }
}
