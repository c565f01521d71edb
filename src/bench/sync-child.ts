/**
 * Benchmark worker: one full `steward sync` of a project from BASE_URL into a store, in its own
 * process so its peak RSS is the sync's alone, on a worker thread as `steward sync` runs it
 * (ingest/gerrit-sync-thread.ts). Prints one JSON line. SYNC_YOUNG_GENERATION_MB sets the worker's
 * young generation (default: the sync's own), to compare caps.
 */
import { syncGerritTargetsOnThreads } from '../ingest/gerrit-sync-thread.js';
import { openStore } from '../store/open-store.js';
import { peakRssMb } from './peak-rss.js';

const [baseUrl, location, project, pageSize] = process.argv.slice(2);
if (!baseUrl || !location || !project) {
  process.stderr.write('usage: sync-child BASE_URL STORE_LOCATION PROJECT [PAGE_SIZE]\n');
  process.exit(2);
}
const young = process.env.SYNC_YOUNG_GENERATION_MB ? Number(process.env.SYNC_YOUNG_GENERATION_MB) : undefined;
// Created and migrated here, as the CLI does before its sync (not timed, as before).
const store = await openStore(location);
await store.close();
const t0 = performance.now();
const c0 = process.cpuUsage();
const [r] = await syncGerritTargetsOnThreads(location, [{ host: { name: 'review.example.org', url: baseUrl }, project }], {
  credentials: () => null,
  pageSize: Number(pageSize ?? 500),
  youngGenerationMb: young,
});
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
process.stdout.write(
  JSON.stringify({
    engine: store.engine,
    changes: r!.changesFetched,
    pages: r!.pages,
    requests: r!.requests,
    retries: r!.retries,
    seconds,
    changesPerSecond: r!.changesFetched / seconds,
    peakRssMb: peakRssMb(),
    // CPU time of the whole process (every thread), user + system: comparable on a busy machine.
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    youngGenerationMb: young ?? null,
  }) + '\n',
);
