/**
 * `steward ci sync`: Zuul builds into the store. The CI-health reports (`ci jobs`,
 * `voting-readiness`, `experimental`) are catalogue entries (service/catalogue/ci-entries.ts).
 */
import cliProgress from 'cli-progress';
import { StewardError } from '../../model/errors.js';
import { syncZuulTargets, type ZuulSyncResult, type ZuulTargetResult } from '../../ingest/zuul-sync.js';
import { zuulTargets } from '../../ingest/sync-targets.js';
import { ZuulClient } from '../../sources/zuul/zuul-client.js';
import { configFor, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';

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

function parseRetries(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new StewardError('USAGE', `--max-retries must be a whole number (0 or more), not "${v}"`);
  return Number(v);
}

function renderSync(r: ZuulSyncResult, requests: number, retries: number): string {
  const c = r.counts;
  return (
    [
      `${r.zuul} tenant ${r.tenant} ${r.project}: ${r.buildsFetched} builds fetched in ${r.pages} page(s) — ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged${r.running ? `; ${r.running} still running (next sync)` : ''}${r.retried ? `; ${r.retried} retried by Zuul (not results)` : ''}`,
      `  ${r.resumed ? 'resumed an interrupted run; ' : ''}${r.after ? `builds started after ${r.after}` : 'all builds'}; checkpoint now ${r.checkpoint ?? 'none'}; ${requests} requests, ${retries} retries; ${(r.durationMs / 1000).toFixed(1)} s`,
    ].join('\n') + '\n'
  );
}

/** `steward ci sync`: fetch builds from Zuul's REST API. */
export async function runCiSync(o: CiSyncOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward ci sync prints its summary as text or json, not csv');
  const { config } = await configFor(o, rt);
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
  let results: ZuulTargetResult[];
  let bar: cliProgress.SingleBar | null = null;
  try {
    results = await syncZuulTargets(store, targets, {
      client,
      clock: rt.clock,
      since,
      full: o.full,
      pageSize,
      onTargetStart: (target) => {
        bar =
          rt.progressStream && !o.quiet
            ? new cliProgress.SingleBar(
                { stream: rt.progressStream, format: `${target.project}: {value} builds fetched`, hideCursor: true, clearOnComplete: true },
                cliProgress.Presets.shades_classic,
              )
            : null;
        bar?.start(0, 0);
      },
      onPage: (target, { totalSoFar, builds }) => {
        if (bar) {
          bar.setTotal(totalSoFar);
          bar.update(totalSoFar);
        } else if (!o.quiet && format !== 'json') {
          rt.stderr(`${target.project}: page of ${builds} builds stored, ${totalSoFar} so far\n`);
        }
      },
      onTargetDone: (r) => {
        if (format !== 'json' && !o.quiet) rt.stdout(renderSync(r, r.requests, r.retries));
        bar?.stop();
        bar = null;
      },
    });
  } finally {
    (bar as cliProgress.SingleBar | null)?.stop();
    await store.close();
  }
  if (format === 'json') {
    rt.stdout(
      JSON.stringify(
        results.map(({ counts, ...r }) => ({
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
        })),
        null,
        2,
      ) + '\n',
    );
  }
}
