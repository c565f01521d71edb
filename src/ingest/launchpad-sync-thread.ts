/**
 * `steward bugs sync` on a worker thread (issue 15, "peak RSS < 300 MB"): the sync of one project
 * (launchpad-sync.ts, its own store connection and Launchpad client) runs in a worker whose young
 * generation is capped. In the main thread V8 let its young generation grow to about 130 MB while a
 * sync allocated pages and bugs at full speed (peak RSS 317–332 MB for 50,000 tasks with 80–90 MB
 * of the heap in use); capped at 16 MB it is about 220 MB for the same CPU. Node takes that limit
 * only when an isolate starts (`--max-semi-space-size`), so a worker, which dies with the process:
 * a kill -9 stops the sync as before and the next run resumes at the last stored page.
 *
 * Progress and retries come back as messages; an error comes back with its code and details and is
 * thrown here as the same StewardError.
 */
import { Worker } from 'node:worker_threads';
import { StewardError, type ErrorCode, type ErrorDetails } from '../model/errors.js';
import type { HttpRetryEvent } from '../sources/http/json-http-client.js';
import type { LaunchpadToken } from '../sources/launchpad/launchpad-client.js';
import type { LaunchpadProgress, LaunchpadSyncResult } from './launchpad-sync.js';

/** What the worker needs: plain data only (it opens its own store and client). */
export interface LaunchpadSyncJob {
  /** The store's location as it was opened (a file path, or a PostgreSQL URL with its password). */
  location: string;
  target: { url: string; project: string };
  client: {
    token: LaunchpadToken | null;
    concurrency: number;
    timeoutMs: number;
    maxTotalRetries: number;
    maxRetriesPerRequest: number;
  };
  since?: number;
  full?: boolean;
  pageSize?: number;
  blueprints?: boolean;
}

export type LaunchpadWorkerMessage =
  | { type: 'page'; progress: LaunchpadProgress }
  | { type: 'retry'; retry: HttpRetryEvent }
  | { type: 'done'; result: LaunchpadSyncResult }
  | { type: 'error'; error: { code: ErrorCode; message: string; details: ErrorDetails } };

// The young generation's cap (MB): 16 gives the Gerrit page parser's worker its RSS too.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16 };

// Compiled code runs the .js worker, TypeScript sources (tests, under `node --import tsx`) the .ts
// one: a worker inherits the process's execArgv, so it runs `--import tsx` itself first.
const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./launchpad-sync-worker${fromSources ? '.ts' : '.js'}`, import.meta.url);

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
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: job, resourceLimits: RESOURCE_LIMITS });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (m: LaunchpadWorkerMessage) => {
      if (m.type === 'page') on.onPage?.(m.progress);
      else if (m.type === 'retry') on.onRetry?.(m.retry);
      else if (m.type === 'done') settle(() => resolve(m.result));
      else settle(() => reject(new StewardError(m.error.code, m.error.message, m.error.details)));
    });
    worker.on('error', (e) =>
      settle(() =>
        reject(
          new StewardError(
            'INTERNAL',
            `the Launchpad sync of ${job.target.project} failed: ${e.message}`,
            { where: job.target.url },
            { cause: e },
          ),
        ),
      ),
    );
    // Messages posted before the worker ended are delivered first; a worker that ends without a
    // result (killed, out of memory) is an internal error.
    worker.on('exit', (code) =>
      setImmediate(() =>
        settle(() =>
          reject(
            new StewardError('INTERNAL', `the Launchpad sync of ${job.target.project} stopped (worker exit code ${code})`, {
              where: job.target.url,
            }),
          ),
        ),
      ),
    );
  });
}
