/**
 * The worker thread of gerrit-sync-thread.ts: one target's `steward sync` with its own store
 * connection and Gerrit client; progress, retries, the result or the error go back as messages
 * (ingest-thread.ts).
 */
import { openStore } from '../store/open-store.js';
import { syncGerritTarget, type GerritTargetResult } from './gerrit-sync.js';
import type { GerritSyncEvent, GerritSyncJob } from './gerrit-sync-thread.js';
import { serveIngestJob } from './ingest-thread.js';

await serveIngestJob<GerritSyncJob, GerritSyncEvent, GerritTargetResult>(
  async (job, emit) => {
    const store = await openStore(job.location, { create: false });
    try {
      const fixed = job.fixedNow;
      return await syncGerritTarget(store, job.target, job.settings, {
        clock: fixed === undefined ? () => Date.now() : () => fixed,
        onPage: (progress) => emit({ type: 'page', progress }),
        onRetry: (retry) => emit({ type: 'retry', retry }),
      });
    } finally {
      await store.close();
    }
  },
  (job) => job.target.host.url,
);
