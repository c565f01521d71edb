import cliProgress from 'cli-progress';
import { StewardError } from '../../model/errors.js';
import type { GerritTargetResult, SyncResult, SyncTarget } from '../../ingest/gerrit-sync.js';
import { syncGerritTargetsOnThreads } from '../../ingest/gerrit-sync-thread.js';
import { parseDuration, schedule } from '../../ingest/schedule.js';
import { syncTargets } from '../../ingest/sync-targets.js';
import { gerritCredentialSource } from '../credentials.js';
import { configFor, openStoreFor, storeLocation, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime } from '../options.js';

export interface SyncCommandOptions extends GlobalOptions {
  host?: string;
  project?: string[];
  since?: string;
  full?: boolean;
  /** Let a core group Gerrit lists as empty replace the stored membership (`--replace`). */
  replace?: boolean;
  credentials?: string;
  pageSize?: string;
  timeout?: string;
  concurrency?: string;
  every?: string;
  maxRetries?: string;
  quiet?: boolean;
  format?: string;
}

function parseRetries(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new StewardError('USAGE', `--max-retries must be a whole number (0 or more), not "${v}"`);
  return Number(v);
}

function renderResult(r: SyncResult, requests: number, retries: number): string {
  const c = r.counts;
  const parts = [
    `${r.host} ${r.project}: ${r.changesFetched} changes fetched in ${r.pages} page(s) — ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged`,
    `  ${r.resumed ? 'resumed an interrupted run; ' : ''}${r.after ? `changes updated after ${r.after}` : 'all changes'}; checkpoint now ${r.checkpoint ?? 'none'}; ${requests} requests, ${retries} retries; ${(r.durationMs / 1000).toFixed(1)} s`,
  ];
  if (r.coreGroup)
    parts.push(
      `  core group ${r.coreGroup.name}: ${r.coreGroup.members} members${r.coreGroup.changed ? ' (changed: new snapshot recorded)' : ' (unchanged)'}`,
    );
  return parts.join('\n') + '\n';
}

/**
 * One sync of every target into the store at `location`, each on a worker thread
 * (ingest/gerrit-sync-thread.ts), drawing progress and printing each target's result as it is done.
 */
async function syncOnce(
  location: string,
  targets: SyncTarget[],
  o: SyncCommandOptions,
  rt: Runtime,
  format: 'text' | 'json' | 'csv',
): Promise<void> {
  let bar: cliProgress.SingleBar | null = null;
  let started = 0;
  let results: GerritTargetResult[];
  try {
    results = await syncGerritTargetsOnThreads(location, targets, {
      ...gerritCredentialSource(o.credentials, rt.env),
      fixedNow: rt.fixedNow,
      client: {
        concurrency: o.concurrency ? parsePositiveInt(o.concurrency, '--concurrency', 16) : undefined,
        timeoutMs: o.timeout ? parsePositiveInt(o.timeout, '--timeout', 3600) * 1000 : undefined,
        maxTotalRetries: o.maxRetries !== undefined ? parseRetries(o.maxRetries) : undefined,
        maxRetriesPerRequest: o.maxRetries !== undefined ? Math.min(6, parseRetries(o.maxRetries)) : undefined,
        onRetry: (e) => {
          if (!o.quiet)
            rt.stderr(`${rt.isTty ? '\n' : ''}retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s: ${e.reason} (${e.url})\n`);
        },
      },
      since: o.since ? parseTime(o.since, '--since') : undefined,
      full: o.full,
      replace: o.replace === true,
      pageSize: o.pageSize ? parsePositiveInt(o.pageSize, '--page-size', 10_000) : undefined,
      onTargetStart: (target) => {
        bar =
          rt.progressStream && !o.quiet
            ? new cliProgress.SingleBar(
                {
                  stream: rt.progressStream,
                  format: `${target.project}: {value} changes fetched, {speed} changes/s`,
                  hideCursor: true,
                  clearOnComplete: true,
                },
                cliProgress.Presets.shades_classic,
              )
            : null;
        started = rt.clock();
        bar?.start(0, 0, { speed: 0 });
      },
      onPage: (target, { totalSoFar, changes }) => {
        const speed = Math.round(totalSoFar / Math.max(0.001, (rt.clock() - started) / 1000));
        if (bar) {
          bar.setTotal(totalSoFar);
          bar.update(totalSoFar, { speed });
        } else if (!o.quiet && format !== 'json') {
          rt.stderr(`${target.host.name} ${target.project}: page of ${changes} stored, ${totalSoFar} changes so far (${speed}/s)\n`);
        }
      },
      onTargetDone: (r) => {
        bar?.stop();
        bar = null;
        if (format !== 'json' && !o.quiet) rt.stdout(renderResult(r, r.requests, r.retries));
      },
    });
  } catch (e) {
    (bar as cliProgress.SingleBar | null)?.stop();
    throw e;
  }
  if (format === 'json') {
    rt.stdout(
      JSON.stringify(
        results.map((r) => ({
          host: r.host,
          project: r.project,
          resumed: r.resumed,
          after: r.after,
          new: r.counts.new,
          updated: r.counts.updated,
          unchanged: r.counts.unchanged,
          changesFetched: r.changesFetched,
          pages: r.pages,
          requests: r.requests,
          retries: r.retries,
          checkpoint: r.checkpoint,
          coreGroup: r.coreGroup,
          durationMs: r.durationMs,
        })),
        null,
        2,
      ) + '\n',
    );
  }
}

export async function runSync(o: SyncCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (format === 'csv') throw new StewardError('USAGE', 'steward sync prints its summary as text or json, not csv');
  const { config } = await configFor(o, rt);
  const targets = syncTargets(config, o);
  // Opened here to create and migrate it; each target's sync runs on a worker thread with a
  // connection of its own (ingest/gerrit-sync-thread.ts: a capped young generation, for the RSS).
  await (await openStoreFor(o, rt)).close();
  const location = storeLocation(o, rt);
  if (!o.every) {
    await syncOnce(location, targets, o, rt, format);
    return;
  }
  const every = parseDuration(o.every, '--every');
  const s = schedule(every, () => syncOnce(location, targets, o, rt, format), {
    clock: rt.clock,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (t) => clearTimeout(t as NodeJS.Timeout),
    onError: (e) => rt.stderr(`steward: sync failed: ${e instanceof StewardError ? e.describe() : String(e)}\n`),
  });
  const stop = () => s.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await s.stopped;
}
