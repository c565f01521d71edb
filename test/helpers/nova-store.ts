/**
 * nova's real code history and specs in one SQLite store, as `steward git sync` and `steward specs
 * sync` leave them (../shared/data: nova-history-meta.bundle and nova-specs.bundle, each cloned).
 * Two test files read that same store (the specs report's linking of specs to commits); syncing
 * 62,000 commits is the costly part, so under scripts/run-tests.mjs it is done once per run and
 * copied after (demo-cache.ts). The clones the store was synced from stay in the run's cache until
 * the run ends; the tests clone the bundles again for their own `git` look-ups (same commits).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runSteward } from './cli.js';
import { cachedStore, type CachedStore } from './demo-cache.js';

/** The store; `history` and `specs` are the bundles' paths. */
export async function novaSpecsStore(history: string, specs: string): Promise<CachedStore> {
  return cachedStore('sqlite', `git sync --repo clone of ${history}; specs sync --repo clone of ${specs}`, async (location, out) => {
    const nova = join(out, 'nova');
    const novaSpecs = join(out, 'nova-specs');
    execFileSync('git', ['clone', '-q', history, nova]);
    execFileSync('git', ['clone', '-q', specs, novaSpecs]);
    for (const args of [
      ['git', 'sync', '--repo', nova, '--quiet'],
      ['specs', 'sync', '--repo', novaSpecs],
    ]) {
      const r = await runSteward(['--db', location, ...args], { cwd: out });
      if (r.code !== 0) throw new Error(`steward ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    }
  });
}
