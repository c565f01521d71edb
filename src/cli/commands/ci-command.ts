/**
 * `steward ci sync`: Zuul builds into the store. The CI-health reports (`ci jobs`,
 * `voting-readiness`, `experimental`) are catalogue entries (service/catalogue/ci-entries.ts).
 */
import cliProgress from 'cli-progress';
import type { StewardConfig } from '../../config/config-schema.js';
import { StewardError } from '../../model/errors.js';
import { ZuulClient } from '../../sources/zuul/zuul-client.js';
import { configFor, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';
import { syncZuulProject, type ZuulSyncResult, type ZuulSyncTarget } from '../sync/zuul-sync.js';

export interface CiSyncOptions extends GlobalOptions {
  project?: string[];
  since?: string;
  full?: boolean;
  pageSize?: string;
  timeout?: string;
  concurrency?: string;
  maxRetries?: string;
  quiet?: boolean;
  format?: string;
}

/** Which Zuul tenant and projects to sync, from steward.yaml's `zuul` section narrowed by --project. */
export function zuulTargets(config: StewardConfig, o: { project?: string[] }): ZuulSyncTarget[] {
  const z = config.zuul;
  if (!z) {
    throw new StewardError('CONFIG', 'steward.yaml has no `zuul` section to sync builds from', {
      hint: 'Add, e.g.\n  zuul:\n    url: https://zuul.opendev.org\n    tenant: openstack',
    });
  }
  let host = z.host;
  if (host && config.hosts.length && !config.hosts.some((h) => h.name === host)) {
    throw new StewardError('CONFIG', `zuul.host "${host}" is not one of the hosts in steward.yaml (${config.hosts.map((h) => h.name).join(', ')})`, { field: 'zuul.host' });
  }
  if (!host) {
    if (config.hosts.length !== 1) {
      throw new StewardError('CONFIG', `say which Gerrit host Zuul reports to: zuul.host (steward.yaml lists ${config.hosts.length === 0 ? 'no hosts' : 'several hosts'})`, { field: 'zuul.host' });
    }
    host = config.hosts[0]!.name;
  }
  const projects = o.project?.length ? o.project : (z.projects ?? config.projects.map((p) => p.name));
  if (projects.length === 0) throw new StewardError('CONFIG', 'no projects to fetch Zuul builds of', { hint: 'List them under zuul.projects or projects, or pass --project NAME.' });
  return projects.map((project) => ({ url: z.url, tenant: z.tenant, host: host!, project }));
}

function parseRetries(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new StewardError('USAGE', `--max-retries must be a whole number (0 or more), not "${v}"`);
  return Number(v);
}

function renderSync(r: ZuulSyncResult, requests: number, retries: number): string {
  const c = r.counts;
  return [
    `${r.zuul} tenant ${r.tenant} ${r.project}: ${r.buildsFetched} builds fetched in ${r.pages} page(s) — ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged${r.running ? `; ${r.running} still running (next sync)` : ''}${r.retried ? `; ${r.retried} retried by Zuul (not results)` : ''}`,
    `  ${r.resumed ? 'resumed an interrupted run; ' : ''}${r.after ? `builds started after ${r.after}` : 'all builds'}; checkpoint now ${r.checkpoint ?? 'none'}; ${requests} requests, ${retries} retries; ${(r.durationMs / 1000).toFixed(1)} s`,
  ].join('\n') + '\n';
}

/** `steward ci sync`: fetch builds from Zuul's REST API. */
export async function runCiSync(o: CiSyncOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward ci sync prints its summary as text or json, not csv');
  const { config } = configFor(o, rt);
  const targets = zuulTargets(config, o);
  const since = o.since ? parseTime(o.since, '--since') : undefined;
  const pageSize = o.pageSize ? parsePositiveInt(o.pageSize, '--page-size', 10_000) : undefined;
  const client = new ZuulClient({
    baseUrl: targets[0]!.url,
    tenant: targets[0]!.tenant,
    concurrency: o.concurrency ? parsePositiveInt(o.concurrency, '--concurrency', 16) : 2,
    timeoutMs: o.timeout ? parsePositiveInt(o.timeout, '--timeout', 3600) * 1000 : 30_000,
    maxTotalRetries: o.maxRetries !== undefined ? parseRetries(o.maxRetries) : 30,
    maxRetriesPerRequest: o.maxRetries !== undefined ? Math.min(6, parseRetries(o.maxRetries)) : 6,
    onRetry: (e) => {
      if (!o.quiet) rt.stderr(`${rt.isTty ? '\n' : ''}retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s: ${e.reason} (${e.url})\n`);
    },
  });
  const store = await openStoreFor(o, rt);
  const results: Array<ZuulSyncResult & { requests: number; retries: number }> = [];
  try {
    for (const target of targets) {
      const before = { ...client.stats };
      const bar = rt.progressStream && !o.quiet
        ? new cliProgress.SingleBar({ stream: rt.progressStream, format: `${target.project}: {value} builds fetched`, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
        : null;
      bar?.start(0, 0);
      try {
        const r = await syncZuulProject(store, target, {
          client,
          clock: rt.clock,
          since,
          full: o.full,
          pageSize,
          onPage: ({ totalSoFar, builds }) => {
            if (bar) {
              bar.setTotal(totalSoFar);
              bar.update(totalSoFar);
            } else if (!o.quiet && format !== 'json') {
              rt.stderr(`${target.project}: page of ${builds} builds stored, ${totalSoFar} so far\n`);
            }
          },
        });
        const requests = client.stats.requests - before.requests;
        const retries = client.stats.retries - before.retries;
        results.push({ ...r, requests, retries });
        if (format !== 'json' && !o.quiet) rt.stdout(renderSync(r, requests, retries));
      } finally {
        bar?.stop();
      }
    }
  } finally {
    await store.close();
  }
  if (format === 'json') {
    rt.stdout(JSON.stringify(results.map(({ counts, ...r }) => ({
      zuul: r.zuul,
      tenant: r.tenant,
      project: r.project,
      resumed: r.resumed,
      after: r.after,
      new: counts.new,
      updated: counts.updated,
      unchanged: counts.unchanged,
      buildsFetched: r.buildsFetched,
      running: r.running,
      retried: r.retried,
      pages: r.pages,
      requests: r.requests,
      retries: r.retries,
      checkpoint: r.checkpoint,
      durationMs: r.durationMs,
    })), null, 2) + '\n');
  }
}
