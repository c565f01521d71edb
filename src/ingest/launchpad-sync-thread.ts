/**
 * `steward bugs sync` on a worker thread (issue 15, "peak RSS < 300 MB"): the sync of one project
 * (launchpad-sync.ts, its own store connection and Launchpad client) runs in a worker whose young
 * generation is capped (ingest-thread.ts). In the main thread V8 let its young generation grow to
 * about 130 MB while a sync allocated pages and bugs at full speed (peak RSS 317–332 MB for 50,000
 * tasks with 80–90 MB of the heap in use); capped at 16 MB it is about 220 MB for the same CPU.
 *
 * Progress and retries come back as messages; an error comes back with its code and details and is
 * thrown here as the same StewardError.
 */
import type { HttpClientLimits, HttpRetryEvent } from '../sources/http/json-http-client.js';
import type { LaunchpadToken } from '../sources/launchpad/launchpad-client.js';
import { ingestWorkerUrl, runIngestJob } from './ingest-thread.js';
import type { LaunchpadProgress, LaunchpadSyncResult } from './launchpad-sync.js';

/** What the worker needs: plain data only (it opens its own store and client). */
export interface LaunchpadSyncJob {
  /** The store's location as it was opened (a file path, or a PostgreSQL URL with its password). */
  location: string;
  target: { url: string; project: string };
  client: HttpClientLimits & { token: LaunchpadToken | null };
  since?: number;
  full?: boolean;
  pageSize?: number;
  blueprints?: boolean;
}

/** What the worker says while it runs. */
export type LaunchpadSyncEvent = { type: 'page'; progress: LaunchpadProgress } | { type: 'retry'; retry: HttpRetryEvent };

// The young generation's cap (MB): 16 gives the Gerrit page parser's worker its RSS too.
const YOUNG_GENERATION_MB = 16;

const workerUrl = ingestWorkerUrl('launchpad-sync-worker', import.meta.url);

/**
 * Runs {@link LaunchpadSyncJob} on a worker thread: the same result, progress and errors as
 * syncLaunchpadProject in this thread.
 *
 * @example await syncLaunchpadInWorker({ location: 'steward.db', target: { url, project: 'nova' }, client }, { onPage: (p) => bar.update(p.soFar) })
 */
export function syncLaunchpadInWorker(
  job: LaunchpadSyncJob,
  on: { onPage?: (p: LaunchpadProgress) => void; onRetry?: (e: HttpRetryEvent) => void } = {},
): Promise<LaunchpadSyncResult> {
  return runIngestJob<LaunchpadSyncJob, LaunchpadSyncEvent, LaunchpadSyncResult>(job, {
    workerUrl,
    youngGenerationMb: YOUNG_GENERATION_MB,
    what: `the Launchpad sync of ${job.target.project}`,
    where: job.target.url,
    onEvent: (e) => (e.type === 'page' ? on.onPage?.(e.progress) : on.onRetry?.(e.retry)),
  });
}
