/**
 * nova's real code history and specs in one SQLite store, as `steward git sync` and `steward specs
 * sync` leave them (../shared/data: nova-history-meta.bundle and nova-specs.bundle, each cloned).
 * Two test files read that same store (the specs report's linking of specs to commits); syncing
 * 62,000 commits is the costly part, so under scripts/run-tests.mjs it is done once per run and
 * copied after (demo-cache.ts). The code history is a copy of the run's SQLite `novaHistoryStore`
 * (the bundle's one branch, master, synced as the repository nova: what `steward git sync --repo
 * nova` of a clone of the bundle stores), not a third sync of the same commits; the specs are
 * synced into it. The clone of the specs stays in the run's cache until the run ends; the tests
 * clone the bundles again for their own `git` look-ups (same commits).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineName } from '../../src/store/engine.js';
import { runSteward } from './cli.js';
import { cachedStore, type CachedStore } from './demo-cache.js';
import { cloneBundle } from './bundle-clone.js';

/** The store; `history` and `specs` are the bundles' paths. */
export async function novaSpecsStore(history: string, specs: string): Promise<CachedStore> {
  return cachedStore('sqlite', `novaHistoryStore of ${history}; specs sync --repo clone of ${specs}`, async (location, out) => {
    const code = await novaHistoryStore('sqlite', history);
    try {
      copyFileSync(code.location, location);
    } finally {
      await code.cleanup();
    }
    const novaSpecs = join(out, 'nova-specs');
    cloneBundle(specs, novaSpecs);
    const r = await runSteward(['--db', location, 'specs', 'sync', '--repo', novaSpecs], { cwd: out });
    if (r.code !== 0) throw new Error(`steward specs sync --repo ${novaSpecs} failed (${r.code}): ${r.stderr}`);
  });
}

/**
 * nova's code history alone in a store of `engine`, as `steward git sync --repo nova.git --branch
 * master --name nova` leaves it (`nova.git` a bare clone of `bundle`, in `out`; the repository
 * named nova), synced in two steps: first with master moved back 50 main-line commits
 * (`master~50`), then at the bundle's own tip, so that the second sync reads only what is new.
 * git-nova-history.test.ts asserts on both syncs' JSON output (kept in `out`, `novaHistorySyncs`)
 * and on the store; history-nova.test.ts, security-advisories-real.test.ts and
 * initiatives-nova.test.ts read the store. Under scripts/run-tests.mjs it is synced once per run
 * and engine and copied (syncing 62,000 commits twice per engine in git-nova-history and once more
 * per engine for the others cost ~5 s of CPU each). `out/nova.git` is left at the tip: read only.
 */
export async function novaHistoryStore(engine: EngineName, bundle: string): Promise<CachedStore> {
  return cachedStore(
    engine,
    `git sync --repo bare clone nova.git of ${bundle} --branch master --name nova, at master~50 then master`,
    async (location, out) => {
      mkdirSync(out, { recursive: true });
      const repo = join(out, 'nova.git');
      cloneBundle(bundle, repo, ['--bare']);
      const tip = execFileSync('git', ['-C', repo, 'rev-parse', 'refs/heads/master'], { encoding: 'utf8' }).trim();
      const results: NovaHistorySync[] = [];
      for (const at of [`${tip}~50`, tip]) {
        execFileSync('git', ['-C', repo, 'update-ref', 'refs/heads/master', at]);
        const args = ['--db', location, 'git', 'sync', '--repo', repo, '--branch', 'master', '--name', 'nova', '--format', 'json'];
        const r = await runSteward(args, { cwd: out });
        if (r.code !== 0) throw new Error(`steward git sync --repo ${repo} at ${at} failed (${r.code}): ${r.stderr}`);
        results.push({ at, code: r.code, stdout: r.stdout, stderr: r.stderr });
      }
      writeFileSync(join(out, SYNCS), JSON.stringify(results));
    },
  );
}

const SYNCS = 'git-syncs.json';

/** One `steward git sync --format json` of `novaHistoryStore`: the commit master pointed at, and how the command ended. */
export interface NovaHistorySync {
  at: string;
  code: number;
  stdout: string;
  stderr: string;
}

/** The two syncs that made a `novaHistoryStore` (its `out`): at master~50, then at master. */
export function novaHistorySyncs(store: CachedStore): NovaHistorySync[] {
  return JSON.parse(readFileSync(join(store.out, SYNCS), 'utf8')) as NovaHistorySync[];
}
