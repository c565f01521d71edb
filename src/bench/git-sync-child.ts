/**
 * Benchmark worker: one `steward git sync` of a repository into a store, through the ingest layer
 * (ingest/git-sync.ts, with the default landing rules, as the command without steward.yaml), in its
 * own process so its peak RSS is the sync's alone. Prints the sync's summary as JSON on stdout (as
 * `--format json` does) and the peak RSS on stderr.
 */
import { resolve } from 'node:path';
import { syncGitRepository } from '../ingest/git-sync.js';
import { DEFAULT_LANDING_COMMITTERS } from '../sources/git/landing.js';
import { openStore } from '../store/open-store.js';
import { peakRssMb } from './peak-rss.js';

const [location, repo] = process.argv.slice(2);
if (!location || !repo) {
  process.stderr.write('usage: git-sync-child STORE_LOCATION REPOSITORY\n');
  process.exit(2);
}
const store = await openStore(/^postgres(ql)?:\/\//i.test(location) ? location : resolve(location));
try {
  const result = await syncGitRepository(
    store,
    { path: resolve(repo) },
    { clock: () => Date.now(), rules: { landingCommitters: DEFAULT_LANDING_COMMITTERS } },
  );
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  await store.close();
}
// In kB, as git-bench.ts reads it.
process.stderr.write(`\nRSS ${Math.round(peakRssMb() * 1024)}\n`);
