// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript through tsx).
//
//   node scripts/run-tests.mjs                     every test file
//   node scripts/run-tests.mjs rest-client sync    the files whose path contains one of the words
//
// What it adds to `node --import tsx --test 'src/**/*.test.ts' 'test/**/*.test.ts'`:
// - the files in the order slowest first (by the last run's times), two per core at a time
//   (STEWARD_TEST_CONCURRENCY to change);
// - Node's compile cache (NODE_COMPILE_CACHE) under node_modules/.cache;
// - a folder for this run only (STEWARD_TEST_RUN_CACHE) where test/helpers/demo-cache.ts keeps the
//   demo stores it generated, so files that set up the same demo store copy it instead of
//   generating it again; the folder, and the PostgreSQL template databases of this run, are
//   removed at the end;
// - each file's wall time (its process, start to exit) and CPU time (that process's threads; not
//   the processes it starts), slowest first, in node_modules/.cache/steward-test/durations.txt;
//   the fifteen slowest are printed at the end. The wall times are kept in last-times.json beside
//   it for the order of the next run.
import { existsSync, globSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const ROOT = resolve(import.meta.dirname, '..');
const CACHE = join(ROOT, 'node_modules', '.cache');
const PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

const durations = join(CACHE, 'steward-test', 'durations.txt');
const filter = process.argv.slice(2);
const files = globSync(PATTERNS, { cwd: ROOT }).filter((f) => !filter.length || filter.some((x) => f.includes(x)));
if (!files.length) {
  console.error(`run-tests: no test file's path contains ${filter.map((x) => `"${x}"`).join(' or ')}`);
  process.exit(1);
}
// Slowest first, by the last run's times (files it did not time first of all): the run then does
// not end with one long file running alone while the other slots are idle.
const lastTimes = join(CACHE, 'steward-test', 'last-times.json');
let lastWall = {};
try {
  lastWall = JSON.parse(readFileSync(lastTimes, 'utf8'));
} catch {
  // no earlier run: alphabetical
}
files.sort((a, b) => (lastWall[b] ?? Infinity) - (lastWall[a] ?? Infinity) || a.localeCompare(b));

const runCache = join(CACHE, 'steward-test', `run-${process.pid}`);
mkdirSync(runCache, { recursive: true });
const wallLog = join(runCache, 'wall.jsonl');
const cpuLog = join(runCache, 'cpu.jsonl');
// Two files per core: most of a file's time is spent waiting (on PostgreSQL, the disk, child
// processes, Chromium), not computing. Measured on 2 cores at one file per core: the test
// processes took about 530 s of CPU (PostgreSQL's own aside) in a run of 12–16 minutes.
const concurrency = process.env.STEWARD_TEST_CONCURRENCY ?? String(2 * availableParallelism());
const args = [
  '--import', 'tsx', '--import', join(ROOT, 'scripts', 'test-cpu-meter.mjs'), '--test', `--test-concurrency=${concurrency}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${join(ROOT, 'scripts', 'file-durations-reporter.mjs')}`, `--test-reporter-destination=${wallLog}`,
  ...files,
];
const env = { ...process.env, STEWARD_TEST_RUN_CACHE: runCache, STEWARD_TEST_RUN_ID: String(process.pid), STEWARD_TEST_CPU_LOG: cpuLog, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(CACHE, 'node-compile-cache') };

const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
// Ctrl-C reaches the runner too (same process group); wait for it to stop, then clean up.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
const code = await new Promise((done) => child.on('close', (c, signal) => done(c ?? (signal ? 1 : 0))));

writeDurations();
await removeRunCache(runCache);
process.exit(code);

/** Writes each file's wall and CPU time, slowest first, to `durations` and prints the slowest. */
function writeDurations() {
  const read = (path) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  const cpu = new Map(read(cpuLog).map((r) => [r.file, r.cpuMs]));
  const rows = read(wallLog).sort((a, b) => b.ms - a.ms);
  if (!rows.length) return;
  const s = (ms) => (ms === undefined ? '      ?' : (ms / 1000).toFixed(1).padStart(7));
  const lines = rows.map((r) => `${s(r.ms)} s wall ${s(cpu.get(r.file))} s CPU  ${r.passed ? 'ok  ' : 'FAIL'}  ${relative(ROOT, r.file)}`);
  const totalCpu = [...cpu.values()].reduce((a, b) => a + b, 0);
  writeFileSync(durations, `${lines.join('\n')}\n${s(totalCpu)} s CPU in all test files' processes\n`);
  for (const r of rows) lastWall[relative(ROOT, r.file)] = Math.round(r.ms);
  writeFileSync(lastTimes, `${JSON.stringify(lastWall, null, 1)}\n`);
  if (rows.length > 1) console.log(`\nSlowest test files (all in ${relative(ROOT, durations)}):\n${lines.slice(0, 15).join('\n')}\n${s(totalCpu)} s CPU in all ${rows.length} files' processes`);
}

/** Removes this run's demo-store cache: its folder, and its template databases on PostgreSQL. */
async function removeRunCache(dir) {
  rmSync(dir, { recursive: true, force: true });
  const admin = process.env.STEWARD_TEST_PG;
  if (!admin) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: admin });
  const prefix = `steward_tpl_${process.pid}_`;
  try {
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) {
      await client.query(`ALTER DATABASE "${datname}" IS_TEMPLATE false`);
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } catch (e) {
    console.error(`run-tests: could not drop this run's template databases (${prefix}*): ${e.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
