/**
 * `npm run bench`: measures what the issues set targets for, on this machine. Not a test: it
 * prints numbers and the targets beside them.
 *
 * - import of a generated 100,000-change REST export into SQLite and (with STEWARD_TEST_PG or
 *   STEWARD_BENCH_PG set) PostgreSQL: changes/s and peak RSS of the importing process; then the
 *   same project's SSH export into a scratch SQLite store.
 *
 * - full sync of 50,000 changes from the fake Gerrit server on loopback into SQLite: changes/s,
 *   peak RSS, requests against pages needed.
 *
 * - the 90-day `steward reviewers` report over that store, warm, in each engine (reviewers-bench.ts).
 *
 * - a load run of `steward serve` over that store: 50 connections for 30 s against the overview and
 *   reviewers API on loopback (web-bench.ts, autocannon). BENCH_ONLY=web runs only this one (on the
 *   bench store a previous run left).
 *
 * - `steward git sync` of nova's history bundle (about 62,000 commits) into each engine (git-bench.ts),
 *   then the OSSA advisories imported and linked to it (advisories-bench.ts).
 *
 * - calibration and power of the inference methods over many simulated data sets (calibration-bench.ts).
 *
 * - `steward bugs sync` from the fake Launchpad, and the three bug reports (bugs-bench.ts;
 *   BENCH_ONLY=bugs runs only these, BENCH_LP_TASKS sets the number of tasks; the reports run on both
 *   engines, BENCH_BUGS_PG=0 leaves PostgreSQL out).
 *
 * - every report as a fresh `steward` process over the bench store, in each engine, beside the same
 *   report warm in one process, and `steward --help` (cold-bench.ts). BENCH_ONLY=cold runs only
 *   this one (on the bench store a previous run left); BENCH_COLD_RUNS sets the cold runs (default 5),
 *   BENCH_WARM_RUNS the warm ones (default 3).
 *
 * `npm run bench -- --baseline <rev>` runs the same benchmarks for an earlier revision too, in the
 * same run, and prints one table of before and after (baseline.ts; `--phases git,perf,reviewers,web`
 * to run some, `--baseline-node-modules DIR` for a baseline whose lock this checkout's node_modules
 * does not satisfy, `--keep-baseline` to keep its worktree).
 *
 * - nova's real history in each engine (people-bench.ts): `steward git sync`, `steward history`,
 *   `steward electorate` cold and warm, `steward people import` of 20,000 users; medians of
 *   BENCH_PEOPLE_RUNS (default 3), wall and CPU. BENCH_ONLY=people runs only this.
 *
 * - `steward initiative status` over the bench store with a scope of about 2,000 changes
 *   (initiatives-bench.ts; BENCH_ONLY=initiatives runs only this one, on the bench store a previous
 *   run left, or on BENCH_SQLITE's copy of it).
 *
 * Options (environment): BENCH_ONLY=import runs only the REST and SSH imports (scratch stores),
 * BENCH_ONLY=calibration runs only the calibration, BENCH_ONLY=git only the git benchmark, BENCH_ONLY=perf only the
 * import, sync and flow ones; BENCH_CHANGES (default 100000), BENCH_SYNC_CHANGES (default 50000);
 * BENCH_PG_DB names the PostgreSQL database the import creates and the flow benchmark reads
 * (default steward_bench).
 *
 * Each import and sync line also gives the process's CPU time (every thread, user + system): on a
 * machine other work shares, wall-clock rates move with the load, CPU time much less.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRestExport, writeSshExport } from '../demo/demo-export.js';
import { recreatePostgresDatabase } from '../store/maintenance.js';
import { pgLocation, type BenchStore } from './bench-store.js';
import { runColdBench } from './cold-bench.js';
import { PHASES, runBaselineComparison, type Phase } from './baseline.js';
import { runFlowBench } from './flow-bench.js';
import { runCalibrationBench } from './calibration-bench.js';
import { runGitBench } from './git-bench.js';
import { runInitiativesBench } from './initiatives-bench.js';
import { runPeopleBench } from './people-bench.js';
import { runReviewersBench } from './reviewers-bench.js';
import { runWebBench } from './web-bench.js';
import { runBugsReportsBench, runLaunchpadSyncBench } from './bugs-bench.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const benchDir = resolve(here, '../../.bench');
const changes = Number(process.env.BENCH_CHANGES ?? 100_000);
const now = Date.UTC(2026, 0, 1);
const pgBenchDb = process.env.BENCH_PG_DB ?? 'steward_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(pgBenchDb)) throw new Error(`BENCH_PG_DB must be a plain database name, not ${JSON.stringify(pgBenchDb)}`);

/** The bench store every phase after the import reads, named once. */
const bench: BenchStore = {
  sqlitePath: join(benchDir, 'bench.db'),
  pgAdmin: process.env.STEWARD_BENCH_PG ?? process.env.STEWARD_TEST_PG,
  pgDb: pgBenchDb,
  demo: { seed: 7, changes, months: 24, now },
};
/** The bench store as the phases that read both engines take it (their signature is what `--baseline` calls on older revisions too). */
const storeArgs = [bench.sqlitePath, bench.pgAdmin, bench.demo, bench.pgDb] as const;

interface ImportResult {
  engine: string;
  changes: number;
  seconds: number;
  changesPerSecond: number;
  peakRssMb: number;
  cpuSeconds: number;
}

function runImport(file: string, location: string): ImportResult {
  const r = spawnSync(process.execPath, [join(here, 'import-child.js'), file, location], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`import child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ImportResult;
}

function report(name: string, r: ImportResult, targets: string): void {
  console.log(
    `${name.padEnd(28)} ${String(r.changes).padStart(7)} changes in ${r.seconds.toFixed(1).padStart(6)} s = ${Math.round(r.changesPerSecond).toString().padStart(6)} changes/s, peak RSS ${Math.round(r.peakRssMb)} MB, CPU ${r.cpuSeconds.toFixed(1)} s (${Math.round((r.cpuSeconds * 1e6) / r.changes)} ms per 1,000 changes)   (${targets})`,
  );
}

/** The sync benchmark runs through tsx: its fake Gerrit server is test code. */
function runSyncBench(changes: number): void {
  const script = resolve(here, '../../test/bench/sync-bench.ts');
  const r = spawnSync(process.execPath, ['--max-old-space-size=6144', '--import', 'tsx', script, String(changes)], {
    encoding: 'utf8',
    cwd: resolve(here, '../..'),
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    console.log(`sync from fake Gerrit          failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return;
  }
  const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as ImportResult & {
    pages: number;
    requests: number;
    retries: number;
    pagesNeeded: number;
  };
  console.log(
    `${'sync fake Gerrit → SQLite'.padEnd(28)} ${String(x.changes).padStart(7)} changes in ${x.seconds.toFixed(1).padStart(6)} s = ${Math.round(x.changesPerSecond).toString().padStart(6)} changes/s, peak RSS ${Math.round(x.peakRssMb)} MB, CPU ${x.cpuSeconds.toFixed(1)} s, ${x.requests} requests for ${x.pagesNeeded} pages (${x.retries} retries)   (target ≥ 2000 changes/s, RSS < 400 MB, requests ≤ pages + retries)`,
  );
}

/**
 * The bench export, `.bench/rest-N.json` (pages of 500 changes, as the REST sync reads them) or
 * `.bench/ssh-N.json` (one `gerrit query --format JSON` row a line): the same generated project,
 * written once, then reused.
 */
async function ensureExport(format: 'rest' | 'ssh' = 'rest'): Promise<string> {
  mkdirSync(benchDir, { recursive: true });
  const exportPath = join(benchDir, `${format}-${changes}.json`);
  if (!existsSync(exportPath)) {
    const t0 = performance.now();
    if (format === 'rest') await writeRestExport(bench.demo, exportPath, { pageSize: 500 });
    else await writeSshExport(bench.demo, exportPath);
    console.log(
      `generated ${exportPath} (${(statSync(exportPath).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } else {
    console.log(`using cached ${exportPath} (${(statSync(exportPath).size / 1e6).toFixed(0)} MB)`);
  }
  return exportPath;
}

async function main(): Promise<void> {
  const exportPath = await ensureExport();

  runSyncBench(Number(process.env.BENCH_SYNC_CHANGES ?? 50_000));

  const sqlitePath = bench.sqlitePath;
  for (const suffix of ['', '-wal', '-shm']) rmSync(sqlitePath + suffix, { force: true });
  report('import REST → SQLite', runImport(exportPath, sqlitePath), 'target ≥ 5000 changes/s, RSS < 400 MB');
  await importSshBench();

  const admin = bench.pgAdmin;
  if (!admin) {
    console.log('import REST → PostgreSQL      skipped: set STEWARD_BENCH_PG (or STEWARD_TEST_PG) to an admin URL to include it');
    return;
  }
  const location = await recreatePostgresDatabase(admin, pgBenchDb);
  report('import REST → PostgreSQL', runImport(exportPath, location), 'no target set; RSS < 400 MB');
}

/**
 * The same project from its SSH export into a scratch SQLite store (removed after), right after the
 * REST import so the two are measured in the same minutes: CPU per 1,000 changes compares them on
 * a busy machine.
 */
async function importSshBench(): Promise<void> {
  const sshPath = await ensureExport('ssh');
  const scratch = join(benchDir, 'bench-ssh.db');
  const clear = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(scratch + suffix, { force: true });
  };
  clear();
  try {
    report('import SSH → SQLite', runImport(sshPath, scratch), 'target ≥ 4000 changes/s, RSS < 400 MB');
  } finally {
    clear();
  }
}

/** `--baseline <rev>` and its options, or null. */
function baselineArgs(argv: string[]): { rev: string; nodeModules?: string; phases: Phase[]; keep: boolean } | null {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = new Set(['--baseline', '--baseline-node-modules', '--phases', '--keep-baseline']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a} (known: ${[...known].join(', ')})`);
  const rev = at('--baseline');
  if (rev === undefined) return null;
  const phases = (at('--phases') ?? PHASES.join(',')).split(',').filter(Boolean);
  for (const p of phases)
    if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--phases: "${p}" is not one of ${PHASES.join(', ')}`);
  return { rev, nodeModules: at('--baseline-node-modules'), phases: phases as Phase[], keep: argv.includes('--keep-baseline') };
}

mkdirSync(benchDir, { recursive: true });
if (process.env.BENCH_ONLY === 'calibration') {
  runCalibrationBench();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'bugs') {
  // BENCH_LP_TASKS=0 skips the sync; BENCH_SQLITE names another store (a copy: the reports add the demo's bugs to it).
  const lpTasks = Number(process.env.BENCH_LP_TASKS ?? 50_000);
  if (lpTasks > 0) runLaunchpadSyncBench(lpTasks);
  await runBugsReportsBench(process.env.BENCH_SQLITE ?? bench.sqlitePath, bench.demo);
  if (bench.pgAdmin && process.env.BENCH_BUGS_PG !== '0') await runBugsReportsBench(pgLocation(bench.pgAdmin, bench.pgDb), bench.demo);
  process.exit(0);
}
const runCold = () =>
  runColdBench(
    benchDir,
    process.env.BENCH_SQLITE ?? bench.sqlitePath,
    bench.pgAdmin ? pgLocation(bench.pgAdmin, bench.pgDb) : undefined,
    bench.demo,
  );
if (process.env.BENCH_ONLY === 'import') {
  // The two imports alone, each into a scratch store: the bench store is left as it is.
  const scratch = join(benchDir, 'bench-rest.db');
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(scratch + suffix, { force: true });
  report('import REST → SQLite', runImport(await ensureExport('rest'), scratch), 'target ≥ 5000 changes/s, RSS < 400 MB');
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(scratch + suffix, { force: true });
  await importSshBench();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'cold') {
  await runCold();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'people') {
  await runPeopleBench(benchDir, bench.pgAdmin);
  process.exit(0);
}
const runInitiatives = () =>
  runInitiativesBench(
    process.env.BENCH_SQLITE ?? bench.sqlitePath,
    bench.pgAdmin ? pgLocation(bench.pgAdmin, bench.pgDb) : undefined,
    bench.demo,
  );
if (process.env.BENCH_ONLY === 'initiatives') {
  runInitiatives();
  process.exit(0);
}
const baseline = baselineArgs(process.argv.slice(2));
if (baseline) {
  process.exit(
    await runBaselineComparison({
      root: resolve(here, '../..'),
      ...baseline,
      ensureExport,
      changes,
      pgAdmin: bench.pgAdmin,
    }),
  );
}
if (process.env.BENCH_ONLY === 'web') {
  await runWebBench(...storeArgs);
  process.exit(0);
}
if (process.env.BENCH_ONLY !== 'perf') await runGitBench(benchDir, bench.pgAdmin);
if (process.env.BENCH_ONLY !== 'perf') await runPeopleBench(benchDir, bench.pgAdmin);
if (process.env.BENCH_ONLY === 'git') process.exit(0);
await main();
await runFlowBench(bench.sqlitePath, bench.pgAdmin, bench.pgDb);
if (process.env.BENCH_ONLY === 'perf') process.exit(0);
await runReviewersBench(...storeArgs);
await runCold();
runInitiatives();
await runWebBench(...storeArgs);
runLaunchpadSyncBench(Number(process.env.BENCH_LP_TASKS ?? 50_000));
await runBugsReportsBench(bench.sqlitePath, bench.demo);
if (bench.pgAdmin) await runBugsReportsBench(pgLocation(bench.pgAdmin, bench.pgDb), bench.demo);
runCalibrationBench();
