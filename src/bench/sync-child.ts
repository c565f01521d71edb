/**
 * Benchmark worker: one full `steward sync` of a project from BASE_URL into a store, in its own
 * process so its peak RSS is the sync's alone. Prints one JSON line.
 */
import { syncProject } from '../ingest/gerrit-sync.js';
import { GerritClient } from '../sources/gerrit/rest-client.js';
import { openStore } from '../store/open-store.js';
import { peakRssMb } from './peak-rss.js';

const [baseUrl, location, project, pageSize] = process.argv.slice(2);
if (!baseUrl || !location || !project) {
  process.stderr.write('usage: sync-child BASE_URL STORE_LOCATION PROJECT [PAGE_SIZE]\n');
  process.exit(2);
}
const store = await openStore(location);
const client = new GerritClient({ baseUrl });
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await syncProject(
  store,
  { host: { name: 'review.example.org', url: baseUrl }, project },
  { client, clock: () => Date.now(), pageSize: Number(pageSize ?? 500) },
);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
await store.close();
process.stdout.write(
  JSON.stringify({
    engine: store.engine,
    changes: r.changesFetched,
    pages: r.pages,
    requests: client.stats.requests,
    retries: client.stats.retries,
    seconds,
    changesPerSecond: r.changesFetched / seconds,
    peakRssMb: peakRssMb(),
    // CPU time of the whole process (every thread), user + system: comparable on a busy machine.
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  }) + '\n',
);
