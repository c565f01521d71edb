/**
 * Code-history benchmark: `steward git sync` of nova's history (../shared/data/nova-history-meta.bundle,
 * about 62,000 commits; BENCH_GIT_BUNDLE overrides the path) into a fresh SQLite store and, when a
 * PostgreSQL admin URL is given, a fresh PostgreSQL database. Each sync runs the ingest layer's git
 * sync in its own process (git-sync-child.ts), so times include start-up and the peak RSS is the
 * sync's own. Measured: the first sync
 * of everything, a re-run with the branch unmoved, and an incremental sync of the last 200 main-line
 * commits (the branch first synced 200 first-parent steps back, then moved to the tip).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recreatePostgresDatabase } from '../store/maintenance.js';
import { benchAdvisoryImport } from './advisories-bench.js';

const here = fileURLToPath(new URL('.', import.meta.url));

interface Timed {
  seconds: number;
  peakRssMb: number;
  summary: { commits: number; added: number; upToDate: boolean; mainline: number; landedDirect: number };
}

function timedSync(db: string, repo: string): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(here, 'git-sync-child.js'), db, repo], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`git sync failed (${r.status}): ${r.stderr}`);
  const rss = Number(/RSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { seconds, peakRssMb: rss, summary: JSON.parse(r.stdout) as Timed['summary'] };
}

function line(name: string, t: Timed, note: string): void {
  console.log(
    `${name.padEnd(34)} ${String(t.summary.commits).padStart(6)} commits (${String(t.summary.added).padStart(6)} read) in ${t.seconds.toFixed(1).padStart(5)} s, peak RSS ${Math.round(t.peakRssMb)} MB   (${note})`,
  );
}

/** Runs the benchmark into `benchDir`; prints one line per measurement, or why it was skipped. */
export async function runGitBench(benchDir: string, pgAdmin: string | undefined): Promise<void> {
  const bundle = process.env.BENCH_GIT_BUNDLE ?? resolve(here, '../../../shared/data/nova-history-meta.bundle');
  if (!existsSync(bundle)) {
    console.log(`git sync (nova history)           skipped: no ${bundle} (set BENCH_GIT_BUNDLE to a git bundle of nova's history)`);
    return;
  }
  const repo = join(benchDir, 'nova-history.git');
  if (!existsSync(repo)) execFileSync('git', ['clone', '--quiet', '--bare', bundle, repo]);
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const tip = git('rev-parse', 'master');
  const older = git('rev-parse', 'master~200');

  const engines: Array<{ name: string; location: string; drop?: () => Promise<void> }> = [];
  const sqlite = join(benchDir, 'git-bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(sqlite + suffix, { force: true });
  engines.push({ name: 'SQLite', location: sqlite });
  if (pgAdmin) {
    engines.push({ name: 'PostgreSQL', location: await recreatePostgresDatabase(pgAdmin, 'steward_git_bench') });
  }
  for (const e of engines) {
    try {
      git('update-ref', 'refs/heads/master', tip);
      line(`git sync nova → ${e.name}, first`, timedSync(e.location, repo), 'target: well under a minute');
      line(`git sync nova → ${e.name}, unmoved`, timedSync(e.location, repo), 'nothing to read');
      await benchAdvisoryImport(benchDir, e.location, e.name);
    } finally {
      git('update-ref', 'refs/heads/master', tip);
    }
  }
  // Incremental: a store synced 200 main-line commits back, then the branch moves to the tip.
  for (const suffix of ['', '-wal', '-shm']) rmSync(sqlite + suffix, { force: true });
  try {
    git('update-ref', 'refs/heads/master', older);
    timedSync(sqlite, repo);
    git('update-ref', 'refs/heads/master', tip);
    line('git sync nova → SQLite, +200 merges', timedSync(sqlite, repo), 'only new commits read');
  } finally {
    git('update-ref', 'refs/heads/master', tip);
  }
}
