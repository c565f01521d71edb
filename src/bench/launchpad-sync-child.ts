/**
 * Benchmark worker: one full `steward bugs sync` of a Launchpad project from ROOT into a SQLite
 * store, in its own process so its peak RSS is the sync's alone (on its worker thread, as the CLI
 * runs it: ingest/launchpad-sync-thread.ts). Prints one JSON line.
 */
import { syncLaunchpadInWorker } from '../ingest/launchpad-sync-thread.js';
import { openStore } from '../store/open-store.js';
import { peakRssMb } from './peak-rss.js';

const [root, location, project, pageSize, concurrency] = process.argv.slice(2);
if (!root || !location || !project) {
  process.stderr.write('usage: launchpad-sync-child ROOT STORE_LOCATION PROJECT [PAGE_SIZE] [CONCURRENCY]\n');
  process.exit(2);
}
// Created and migrated here; the sync runs on a worker thread as `steward bugs sync` runs it.
await (await openStore(location)).close();
const client = { token: null, concurrency: Number(concurrency ?? 8), timeoutMs: 30_000, maxTotalRetries: 30, maxRetriesPerRequest: 6 };
// What the memory is at the highest RSS sampled (every 100 ms): the V8 heap, memory outside it
// (Buffers, ArrayBuffers) and the rest (native: SQLite, code, stacks, the allocator's free pages).
let peak = process.memoryUsage();
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) peak = m;
}, 100);
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await syncLaunchpadInWorker({ location, target: { url: root, project }, client, pageSize: Number(pageSize ?? 300) });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
clearInterval(sampler);
const mb = (x: number) => Math.round(x / 1048576);
process.stdout.write(
  JSON.stringify({
    tasks: r.tasks,
    bugs: r.bugs,
    pages: r.pages,
    requests: r.requests,
    retries: r.retries,
    seconds,
    tasksPerSecond: r.tasks / seconds,
    peakRssMb: peakRssMb(),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    atPeakMb: {
      rss: mb(peak.rss),
      heapTotal: mb(peak.heapTotal),
      heapUsed: mb(peak.heapUsed),
      external: mb(peak.external),
      arrayBuffers: mb(peak.arrayBuffers),
    },
  }) + '\n',
);
