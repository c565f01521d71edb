/**
 * nova's real code history and specs in one SQLite store, as `steward git sync` and `steward specs
 * sync` leave them (../shared/data: nova-history-meta.bundle and nova-specs.bundle, each cloned).
 * Two test files read that same store (the specs report's linking of specs to commits); syncing
 * 62,000 commits is the costly part, so under scripts/run-tests.mjs it is done once per run and
 * copied after (demo-cache.ts). The clones the store was synced from stay in the run's cache until
 * the run ends; the tests clone the bundles again for their own `git` look-ups (same commits).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineName } from '../../src/store/engine.js';
import { runSteward } from './cli.js';
import { cachedStore, type CachedStore } from './demo-cache.js';
import { cloneBundle } from './bundle-clone.js';

/** The store; `history` and `specs` are the bundles' paths. */
export async function novaSpecsStore(history: string, specs: string): Promise<CachedStore> {
  return cachedStore('sqlite', `git sync --repo clone of ${history}; specs sync --repo clone of ${specs}`, async (location, out) => {
    const nova = join(out, 'nova');
    const novaSpecs = join(out, 'nova-specs');
    cloneBundle(history, nova);
    cloneBundle(specs, novaSpecs);
    for (const args of [
      ['git', 'sync', '--repo', nova, '--quiet'],
      ['specs', 'sync', '--repo', novaSpecs],
    ]) {
      const r = await runSteward(['--db', location, ...args], { cwd: out });
      if (r.code !== 0) throw new Error(`steward ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    }
  });
}

/**
 * nova's code history alone in a store of `engine`, as `steward git sync --repo nova.git --branch
 * master` leaves it (`nova.git` a bare clone of `bundle`, in `out`; the repository named nova).
 * history-nova.test.ts and security-advisories-real.test.ts read it on both engines; under
 * scripts/run-tests.mjs it is synced once per run and engine and copied (the sync itself, with its
 * landings and trailers, is git-nova-history.test.ts's subject).
 */
export async function novaHistoryStore(engine: EngineName, bundle: string): Promise<CachedStore> {
  return cachedStore(engine, `git sync --repo bare clone nova.git of ${bundle} --branch master --name nova`, async (location, out) => {
    mkdirSync(out, { recursive: true });
    const repo = join(out, 'nova.git');
    cloneBundle(bundle, repo, ['--bare']);
    const r = await runSteward(['--db', location, 'git', 'sync', '--repo', repo, '--branch', 'master', '--name', 'nova', '--quiet'], {
      cwd: out,
    });
    if (r.code !== 0) throw new Error(`steward git sync --repo ${repo} failed (${r.code}): ${r.stderr}`);
  });
}
