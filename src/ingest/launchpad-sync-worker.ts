/**
 * The worker thread of launchpad-sync-thread.ts: one project's `steward bugs sync` with its own
 * store connection and Launchpad client; progress, retries, the result or the error go back as
 * messages (ingest-thread.ts).
 */
import { LaunchpadClient } from '../sources/launchpad/launchpad-client.js';
import { openStore } from '../store/open-store.js';
import { serveIngestJob } from './ingest-thread.js';
import { syncLaunchpadProject, type LaunchpadSyncResult } from './launchpad-sync.js';
import type { LaunchpadSyncEvent, LaunchpadSyncJob } from './launchpad-sync-thread.js';

await serveIngestJob<LaunchpadSyncJob, LaunchpadSyncEvent, LaunchpadSyncResult>(
  async (job, emit) => {
    const store = await openStore(job.location, { create: false });
    try {
      const client = new LaunchpadClient({
        baseUrl: job.target.url,
        ...job.client,
        onRetry: (retry) => emit({ type: 'retry', retry }),
      });
      return await syncLaunchpadProject(store, job.target, {
        client,
        clock: () => Date.now(),
        since: job.since,
        full: job.full,
        pageSize: job.pageSize,
        blueprints: job.blueprints,
        onPage: (progress) => emit({ type: 'page', progress }),
      });
    } finally {
      await store.close();
    }
  },
  (job) => job.target.url,
);
