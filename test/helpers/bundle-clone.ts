/**
 * `git clone [FLAGS] BUNDLE DEST` for the real-data bundles (../shared/data), cheaper when several
 * test files clone the same bundle. Cloning a bundle runs git's index-pack over every object (about
 * 1 s of CPU for nova's history); under scripts/run-tests.mjs (STEWARD_TEST_RUN_CACHE set) the
 * bundle is cloned bare once per run into the run's cache, and DEST is a local clone of that one
 * (git hard-links its pack: ~0.03 s), with `origin` set back to the bundle and no
 * refs/remotes/origin/HEAD. DEST then holds what a clone of the bundle holds: the same objects,
 * branches, remote branches, tags, HEAD, checkout and configuration. Without the run's cache it clones the bundle itself.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RUN_CACHE = process.env.STEWARD_TEST_RUN_CACHE;

export function cloneBundle(bundle: string, dest: string, flags: string[] = []): void {
  if (!RUN_CACHE) {
    execFileSync('git', ['clone', '--quiet', ...flags, bundle, dest]);
    return;
  }
  const hash = createHash('sha256').update(resolve(bundle)).digest('hex').slice(0, 16);
  const cached = join(RUN_CACHE, `bundle-${hash}.git`);
  if (!existsSync(cached)) {
    // Made beside it and renamed into place: a file that finds it finds it whole. Two files that
    // both miss it both clone; the second rename fails and that one's copy is removed.
    const staging = `${cached}.${process.pid}`;
    execFileSync('git', ['clone', '--quiet', '--bare', bundle, staging]);
    try {
      renameSync(staging, cached);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  execFileSync('git', ['clone', '--quiet', ...flags, cached, dest]);
  execFileSync('git', ['-C', dest, 'remote', 'set-url', 'origin', bundle]);
  // A clone of a repository records the remote's HEAD (refs/remotes/origin/HEAD); one of a bundle
  // without a HEAD, as these are, does not.
  if (!flags.includes('--bare')) execFileSync('git', ['-C', dest, 'remote', 'set-head', 'origin', '--delete']);
}
