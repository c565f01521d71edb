/**
 * `steward sync` on worker threads (issue 14, "peak RSS < 400 MB"): each target's sync
 * (gerrit-sync.ts, with its own store connection and Gerrit client) runs on a worker whose young
 * generation is capped (ingest-thread.ts). In the main thread V8 let its young generation grow to
 * its maximum while the writer allocated a page's statement parameters at full speed: peak RSS
 * 503–532 MB for 50,000 changes; on a worker capped at 8 MB, 422–455 MB for the same CPU
 * (docs/benchmarks.md, "Sync and import", with what holds the rest). The page parser's worker
 * (rest-page-parser.ts) is started by the sync's worker, as it was by the main thread.
 *
 * Each target's credentials are read by the caller just before its sync, as in this thread, and
 * given to its worker in memory only. A clock cannot cross to a worker: the worker reads the system
 * clock, or the one fixed time the caller's clock returns (`fixedNow`, the tests' runtime).
 */
import type { HttpRetryEvent } from '../sources/http/json-http-client.js';
import {
  runGerritTargets,
  type GerritPageProgress,
  type GerritSyncRunOptions,
  type GerritTargetResult,
  type GerritTargetSettings,
  type SyncTarget,
} from './gerrit-sync.js';
import { ingestWorkerUrl, runIngestJob } from './ingest-thread.js';

/** What one target's worker needs: plain data only (it opens its own store and client). */
export interface GerritSyncJob {
  /** The store's location as it was opened (a file path, or a PostgreSQL URL with its password). */
  location: string;
  target: SyncTarget;
  settings: GerritTargetSettings;
  /** The time the sync's clock always returns; absent: the system clock. */
  fixedNow?: number;
}

/** What the worker says while it runs. */
export type GerritSyncEvent = { type: 'page'; progress: GerritPageProgress } | { type: 'retry'; retry: HttpRetryEvent };

/**
 * The young generation's cap (MB) of a target's worker. 4, 8 and 16 gave the same peak RSS and CPU
 * within the machine's noise (medians 418 / 422 / 424 MB, 23.3 / 23.0 / 23.5 s); 8 had the lowest
 * CPU and the narrowest spread (docs/benchmarks.md).
 */
export const GERRIT_SYNC_YOUNG_GENERATION_MB = 8;

const workerUrl = ingestWorkerUrl('gerrit-sync-worker', import.meta.url);

export interface GerritThreadOptions extends Omit<GerritSyncRunOptions, 'clock'> {
  /** The time the caller's clock always returns, when it is fixed (tests); absent: the system clock. */
  fixedNow?: number;
  /** The workers' young generation in MB (default {@link GERRIT_SYNC_YOUNG_GENERATION_MB}; the benchmark compares caps). */
  youngGenerationMb?: number;
}

/**
 * {@link syncGerritTargets} with each target's sync on a worker thread of its own, one after the
 * other, into the store at `location` (which must exist and be migrated: open it once first): the
 * same results, events and errors (a StewardError's code and details carried back).
 *
 * @example
 * await (await openStore(location)).close();
 * const results = await syncGerritTargetsOnThreads(location, targets, { credentials: () => null, onPage });
 */
export function syncGerritTargetsOnThreads(
  location: string,
  targets: readonly SyncTarget[],
  opts: GerritThreadOptions,
): Promise<GerritTargetResult[]> {
  return runGerritTargets(targets, opts, (target, settings, on) =>
    runIngestJob<GerritSyncJob, GerritSyncEvent, GerritTargetResult>(
      { location, target, settings, fixedNow: opts.fixedNow },
      {
        workerUrl,
        youngGenerationMb: opts.youngGenerationMb ?? GERRIT_SYNC_YOUNG_GENERATION_MB,
        what: `the Gerrit sync of ${target.project} on ${target.host.name}`,
        where: target.host.url,
        onEvent: (e) => (e.type === 'page' ? on.onPage?.(e.progress) : on.onRetry?.(e.retry)),
      },
    ),
  );
}
