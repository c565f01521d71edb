// A Launchpad sync in a process of its own, for the kill -9 test (test/integration/launchpad-kill.test.ts):
// node --import tsx launchpad-sync-child.ts ROOT STORE PAGE_SIZE
import { syncLaunchpadProject } from '../../src/ingest/launchpad-sync.js';
import { LaunchpadClient } from '../../src/sources/launchpad/launchpad-client.js';
import { openStore } from '../../src/store/open-store.js';

const [root, location, pageSize] = process.argv.slice(2);
const store = await openStore(location!);
try {
  const r = await syncLaunchpadProject(
    store,
    { url: root!, project: 'nova' },
    { client: new LaunchpadClient({ baseUrl: root!, concurrency: 2 }), clock: () => Date.now(), pageSize: Number(pageSize) },
  );
  process.stdout.write(JSON.stringify({ resumed: r.resumed, tasks: r.tasks }) + '\n');
} finally {
  await store.close();
}
