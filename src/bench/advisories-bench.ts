/**
 * Advisory import benchmark (issue 16's target: importing the whole advisory repository and
 * linking it to the nova history under 10 s): the OSSA repository (../shared/data/ossa.bundle;
 * BENCH_OSSA_BUNDLE overrides the path) read, checked, stored in one transaction and linked to the
 * fix commits of a store that holds nova's history. Run by the git benchmark after its first sync.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importAdvisories, readAdvisories } from '../ingest/advisories-import.js';
import { openStore } from '../store/open-store.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Imports the OSSA advisories into the store at `location` and prints one line; or why it was skipped. */
export async function benchAdvisoryImport(benchDir: string, location: string, engine: string): Promise<void> {
  const bundle = process.env.BENCH_OSSA_BUNDLE ?? resolve(here, '../../../shared/data/ossa.bundle');
  const name = `advisories import → ${engine}`.padEnd(34);
  if (!existsSync(bundle)) {
    console.log(`${name} skipped: no ${bundle} (set BENCH_OSSA_BUNDLE to a git bundle of the ossa repository)`);
    return;
  }
  const repo = join(benchDir, 'ossa');
  if (!existsSync(repo)) execFileSync('git', ['clone', '--quiet', bundle, repo]);
  const t0 = performance.now();
  const records = readAdvisories([join(repo, 'ossa')]);
  const store = await openStore(location);
  try {
    const s = await importAdvisories(store, records, records.length, () => Date.now());
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${name} ${String(s.files).padStart(6)} advisories, ${s.linkedToCommits} of ${s.withBugs} linked to fix commits in ${seconds.toFixed(1).padStart(5)} s   (target: under 10 s)`,
    );
  } finally {
    await store.close();
  }
}
