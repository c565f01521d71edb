/**
 * The worker thread of launchpad-sync-thread.ts: one project's `steward bugs sync` with its own
 * store connection and Launchpad client; progress, retries, the result or the error go back as
 * messages (LaunchpadWorkerMessage).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StewardError } from '../model/errors.js';
import { LaunchpadClient } from '../sources/launchpad/launchpad-client.js';
import { openStore } from '../store/open-store.js';
import { syncLaunchpadProject } from './launchpad-sync.js';
import type { LaunchpadSyncJob, LaunchpadWorkerMessage } from './launchpad-sync-thread.js';

const job = workerData as LaunchpadSyncJob;
const port = parentPort!;
const send = (m: LaunchpadWorkerMessage) => port.postMessage(m);
try {
  const store = await openStore(job.location, { create: false });
  try {
    const client = new LaunchpadClient({
      baseUrl: job.target.url,
      ...job.client,
      onRetry: (retry) => send({ type: 'retry', retry }),
    });
    const result = await syncLaunchpadProject(store, job.target, {
      client,
      clock: () => Date.now(),
      since: job.since,
      full: job.full,
      pageSize: job.pageSize,
      blueprints: job.blueprints,
      onPage: (progress) => send({ type: 'page', progress }),
    });
    send({ type: 'done', result });
  } finally {
    await store.close();
  }
} catch (e) {
  send({
    type: 'error',
    error:
      e instanceof StewardError
        ? { code: e.code, message: e.message, details: e.details }
        : { code: 'INTERNAL', message: (e as Error)?.stack ?? String(e), details: { where: job.target.url } },
  });
}
