// A Launchpad sync in a process of its own, for the kill -9 test (test/integration/launchpad-kill.test.ts),
// on its worker thread as `steward bugs sync` runs it (src/ingest/launchpad-sync-thread.ts):
// node ...TS_NODE_ARGS launchpad-sync-child.ts ROOT STORE PAGE_SIZE (test/helpers/ts-child.ts)
import { syncLaunchpadInWorker } from '../../src/ingest/launchpad-sync-thread.js';
import { openStore } from '../../src/store/open-store.js';

const [root, location, pageSize] = process.argv.slice(2);
await (await openStore(location!)).close();
const r = await syncLaunchpadInWorker({
  location: location!,
  target: { url: root!, project: 'nova' },
  client: { token: null, concurrency: 2, timeoutMs: 30_000, maxTotalRetries: 30, maxRetriesPerRequest: 6 },
  pageSize: Number(pageSize),
});
process.stdout.write(JSON.stringify({ resumed: r.resumed, tasks: r.tasks }) + '\n');
