// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript through node's
// own type stripping, scripts/test-ts-hooks.mjs; STEWARD_TEST_TSX=1 for tsx).
//
//   node scripts/run-tests.mjs                     every test file
//   node scripts/run-tests.mjs rest-client sync    the files whose path contains one of the words
//
// What it adds to `node --import tsx --test --test-concurrency=2 'src/**/*.test.ts' 'test/**/*.test.ts'`:
// - the files in the order slowest first (by the last run's times), two per core at a time
//   (STEWARD_TEST_CONCURRENCY to change);
// - some files several to a process (--test-isolation=none): the unit tests of src/, the browser
//   tests, and the short integration files audited for it (scripts/test-shared.mjs, which says why
//   the others run apart); STEWARD_TEST_ISOLATE=1 runs every file in its own process;
// - a folder for this run only (STEWARD_TEST_RUN_CACHE) where test/helpers/demo-cache.ts keeps the
//   demo stores it generated, so files that set up the same demo store copy it instead of
//   generating it again; the folder, and the PostgreSQL template databases of this run, are
//   removed at the end;
// - each file's wall time (its process, start to exit), CPU time of its own process (every thread),
//   CPU time of the processes it started (the CLI, git, Chromium: /proc/self/stat's cutime + cstime
//   at exit, see test-cpu-meter.mjs), and idle time (wall − both CPU times: sleeps, polling,
//   timeouts, waiting on PostgreSQL or a lock — and, when files run in parallel, waiting for a
//   core), slowest first, in node_modules/.cache/steward-test/durations.txt (STEWARD_TEST_CACHE
//   names another folder); the fifteen slowest are printed at the end, with the totals and the CPU
//   time PostgreSQL's server processes took during the run (every client's, when the server is
//   shared). The wall times are kept in last-times.json beside it for the order of the next run.
import { existsSync, globSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { SHARED, SHARED_PROCESSES } from './test-shared.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CACHE = join(ROOT, 'node_modules', '.cache');
const PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

const testCache = process.env.STEWARD_TEST_CACHE ? resolve(process.env.STEWARD_TEST_CACHE) : join(CACHE, 'steward-test');
mkdirSync(testCache, { recursive: true });
const durations = join(testCache, 'durations.txt');
const filter = process.argv.slice(2);
const files = globSync(PATTERNS, { cwd: ROOT }).filter((f) => !filter.length || filter.some((x) => f.includes(x)));
if (!files.length) {
  console.error(`run-tests: no test file's path contains ${filter.map((x) => `"${x}"`).join(' or ')}`);
  process.exit(1);
}
// Slowest first, by the last run's times (files it did not time first of all): the run then does
// not end with one long file running alone while the other slots are idle. A checkout that has not
// run the suite yet (a fresh clone, CI) orders by scripts/test-times.json: the wall times of a
// fresh-clone run, kept in the repository (a hint for the order only: a file it does not know runs
// first, a stale figure only makes the order less good). Without it the order was alphabetical,
// and the slowest files (report-consistency, sync-kill, sync) started last.
const lastTimes = join(testCache, 'last-times.json');
let lastWall = {};
try {
  lastWall = JSON.parse(readFileSync(lastTimes, 'utf8'));
} catch {
  try {
    lastWall = JSON.parse(readFileSync(join(ROOT, 'scripts', 'test-times.json'), 'utf8'));
  } catch {
    // neither: alphabetical
  }
}
files.sort((a, b) => (lastWall[b] ?? Infinity) - (lastWall[a] ?? Infinity) || a.localeCompare(b));

// The unit tests beside the sources (src/**) are pure and set nothing global up: they run together
// in one process (node --test --test-isolation=none), beside the others, rather than one process
// each — a process costs ~0.7 s of CPU to start (node, tsx, the runner), more than most of these
// files' tests. STEWARD_TEST_ISOLATE=1 runs them one process each, as the others.
const isolate = process.env.STEWARD_TEST_ISOLATE === '1';
const together = isolate ? [] : files.filter((f) => f.startsWith('src/'));
// The browser tests (test/e2e/**) too, after the unit group in the same slot: each file's process
// loaded the web app, Playwright and the helpers again and copied the demo store for its describe
// (their describes share nothing else, and set nothing global up). Measured on the five files, one
// after the other, in alternating pairs at load 8-14: 46.2 s of CPU (Chromium's included) one
// process each, 30.9 s in one.
const browser = isolate ? [] : files.filter((f) => f.startsWith('test/e2e/'));
// The integration files of scripts/test-shared.mjs's SHARED (short, and audited: they set nothing
// process-wide up, clash with no other file), in SHARED_PROCESSES processes, each beside the other
// slots; the files spread over them by the last run's times, slowest first, each to the process with
// the least so far. A process of a single file (a run of a few files) is not worth it: that file runs
// apart.
const sharedFiles = isolate ? [] : files.filter((f) => SHARED.includes(f));
const shared = Array.from({ length: SHARED_PROCESSES }, () => ({ files: [], ms: 0 }));
for (const f of sharedFiles) {
  const least = shared.reduce((a, b) => (b.ms < a.ms ? b : a));
  least.files.push(f);
  least.ms += lastWall[f] ?? 10_000;
}
const sharedGroups = shared.map((g) => g.files).filter((g) => g.length > 1);
const grouped = new Set([...together, ...browser, ...sharedGroups.flat()]);
const apart = files.filter((f) => !grouped.has(f));
const UNIT_GROUP = `src/**/*.test.ts (${together.length} files in one process)`;
const BROWSER_GROUP = `test/e2e/*.test.ts (${browser.length} files in one process)`;
const GROUPS = new Map([
  [UNIT_GROUP, together],
  [BROWSER_GROUP, browser],
  ...sharedGroups.map((g, i) => [`test/integration shared ${i + 1} of ${sharedGroups.length} (${g.length} files in one process)`, g]),
]);
for (const [name, group] of GROUPS) if (!group.length) GROUPS.delete(name);
// The groups that run one after the other in one slot: the unit group then the browser group; each
// shared integration process in a slot of its own.
const CHAINS = [[UNIT_GROUP, BROWSER_GROUP], ...[...GROUPS.keys()].filter((n) => n !== UNIT_GROUP && n !== BROWSER_GROUP).map((n) => [n])]
  .map((chain) => chain.filter((n) => GROUPS.has(n)))
  .filter((chain) => chain.length);

const runCache = join(testCache, `run-${process.pid}`);
mkdirSync(runCache, { recursive: true });
const cpuLog = join(runCache, 'cpu.jsonl');
// Two files per core: most of a file's time is spent waiting (on PostgreSQL, the disk, child
// processes, Chromium), not computing. Measured on 2 cores at one file per core: the test
// processes took about 530 s of CPU (PostgreSQL's own aside) in a run of 12–16 minutes.
const concurrency = process.env.STEWARD_TEST_CONCURRENCY ?? String(2 * availableParallelism());
const postmaster = await testPostmaster();
const pgBefore = postgresCpuMs();
const runStart = performance.now();
const testEnv = {
  ...process.env,
  STEWARD_TEST_RUN_CACHE: runCache,
  STEWARD_TEST_RUN_ID: String(process.pid),
  STEWARD_TEST_CPU_LOG: cpuLog,
  // The CLIs the tests start keep their configuration cache (config/config-cache.ts) in this run's
  // folder, not in the user's ~/.cache.
  XDG_CACHE_HOME: join(runCache, 'xdg-cache'),
};
// How the test processes load TypeScript: node strips the types itself, with a resolve hook for
// './x.js' meaning './x.ts' and node's compile cache (scripts/test-ts-hooks.mjs); a worker thread
// inherits these flags. tsx cost about 0.5 s more CPU per process and per worker thread.
const tsLoader =
  process.env.STEWARD_TEST_TSX === '1'
    ? ['--import', 'tsx']
    : ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', '--import', join(ROOT, 'scripts', 'test-ts-hooks.mjs')];
const execArgv = [...tsLoader, '--import', join(ROOT, 'scripts', 'test-cpu-meter.mjs')];
const WARM_UP = 'compile cache warm-up (run-tests.mjs)';
const wall = [];
const GROUPS_ORDER = [...GROUPS.keys()];
/** Each grouped file's time in its group's process (ms), by path. */
const groupTimes = {};
let warmed = () => {};
const warm = new Promise((resolve) => (warmed = resolve));
const groupRuns = Promise.all(
  CHAINS.map(async (chain) => {
    // The shared integration processes load what the warm-up compiles: after it, as the other files.
    if (!chain.includes(UNIT_GROUP) && !chain.includes(BROWSER_GROUP)) await warm;
    const done = [];
    for (const name of chain) done.push({ name, ...(await runTogether(name, GROUPS.get(name))) });
    return done;
  }),
).then((chains) => chains.flat());
// Beside the unit group (which loads few of these modules), before the other files.
if (process.env.STEWARD_TEST_TSX !== '1') await warmCompileCache();
warmed();
// node:test's run() rather than `node --test`, which sorts the files by name.
const stream = run({
  files: apart.map((f) => join(ROOT, f)),
  concurrency: Number(concurrency),
  isolation: 'process',
  execArgv,
  cwd: ROOT,
  env: testEnv,
});
stream.on('test:fail', () => (process.exitCode = 1));
stream.on('test:complete', (d) => {
  // The runner reports each file's process as a test at nesting 0 named after the file.
  if (d.nesting === 0 && d.file && d.name && d.file.endsWith(d.name))
    wall.push({ file: d.file, ms: d.details?.duration_ms ?? 0, passed: d.details?.passed === true });
});
await pipeline(stream.compose(spec), process.stdout, { end: false });
for (const u of await groupRuns) {
  process.stdout.write(`\n${u.name}:\n${u.output}`);
  wall.push({ file: u.name, ms: u.ms, passed: u.code === 0 });
  if (u.code !== 0) process.exitCode = 1;
}
const code = process.exitCode ?? 0;

writeDurations(performance.now() - runStart, pgBefore === undefined ? undefined : (postgresCpuMs() ?? NaN) - pgBefore);
await removeRunCache(runCache);
process.exit(code);

/**
 * With node's compile cache empty (a fresh clone, CI), loads the modules most test files load (the
 * CLI, which reaches the store, the analyses, the catalogue and the web app; the web and store
 * helpers) in one process first, so that the first files, started together, find them stripped and
 * compiled: each of them, and the unit group, otherwise strips and compiles all of them itself, about
 * 1 s of CPU each (measured: loading these took 1.5 s of CPU with the cache empty, 0.5 s with it
 * filled), and a process writes what it compiled only when it exits. Skipped when the cache folder
 * holds anything (a later run: most modules are there; each process adds what it compiles).
 */
async function warmCompileCache() {
  const dir = process.env.STEWARD_TEST_COMPILE_CACHE ?? join(CACHE, 'steward-test', 'compile-cache');
  if (existsSync(dir) && readdirSync(dir).length) return;
  const modules = ['src/cli/main.ts', 'test/helpers/web.ts', 'test/helpers/demo-cache.ts', 'test/helpers/builders.ts'];
  const code = modules.map((m) => `await import(${JSON.stringify(pathToFileURL(join(ROOT, m)).href)});`).join('\n');
  const start = performance.now();
  // Its CPU is logged as a group's (test-cpu-meter.mjs) and counted in the run's totals.
  const child = spawn(process.execPath, [...execArgv, '--input-type=module', '--eval', code], {
    cwd: ROOT,
    env: { ...testEnv, STEWARD_TEST_GROUP: WARM_UP },
    stdio: 'inherit',
  });
  // A failure here is the test files' to report: they load the same modules.
  await new Promise((resolve) => child.on('close', resolve));
  wall.push({ file: WARM_UP, ms: performance.now() - start, passed: true });
}

/**
 * Runs `group` in one child process (`node --test --test-isolation=none`, spec reporter); resolves
 * with its exit code, what it printed and its wall time. test-cpu-meter.mjs logs its CPU under
 * `name`. Each file's time in it (test-file-times.mjs) goes to `groupTimes`, for the order and the
 * spread of the shared files of the next run.
 */
function runTogether(name, group) {
  const start = performance.now();
  const times = join(runCache, `group-times-${GROUPS_ORDER.indexOf(name)}.json`);
  const child = spawn(
    process.execPath,
    [
      ...execArgv,
      '--test',
      '--test-isolation=none',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(ROOT, 'scripts', 'test-file-times.mjs')}`,
      `--test-reporter-destination=${times}`,
      ...group.map((f) => join(ROOT, f)),
    ],
    { cwd: ROOT, env: { ...testEnv, STEWARD_TEST_GROUP: name }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      try {
        Object.assign(groupTimes, JSON.parse(readFileSync(times, 'utf8')));
      } catch {
        // no times (the process failed early): the last run's stay
      }
      resolve({ code: code ?? 1, output, ms: performance.now() - start });
    }),
  );
}

/** Writes each file's wall and CPU times, slowest first, to `durations` and prints the slowest. */
function writeDurations(runMs, pgMs) {
  const read = (path) =>
    existsSync(path)
      ? readFileSync(path, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  const cpu = new Map(read(cpuLog).map((r) => [r.file, r]));
  const rows = wall.sort((a, b) => b.ms - a.ms);
  if (!rows.length) return;
  const s = (ms) => (ms === undefined || Number.isNaN(ms) ? '      ?' : (ms / 1000).toFixed(1).padStart(7));
  const header = `   wall    own CPU  child CPU  all CPU     idle`;
  const lines = rows.map((r) => {
    const c = cpu.get(r.file);
    const all = c ? c.cpuMs + (c.childMs ?? 0) : undefined;
    const idle = all === undefined ? undefined : Math.max(0, r.ms - all);
    return `${s(r.ms)} s ${s(c?.cpuMs)} s ${s(c?.childMs)} s ${s(all)} s ${s(idle)} s  ${r.passed ? 'ok  ' : 'FAIL'}  ${GROUPS.has(r.file) || r.file === WARM_UP ? r.file : relative(ROOT, r.file)}`;
  });
  const sum = (f) => [...cpu.values()].reduce((a, r) => a + (f(r) ?? 0), 0);
  const own = sum((r) => r.cpuMs);
  const child = sum((r) => r.childMs);
  const totals = [
    `${s(own)} s CPU in the ${rows.filter((r) => r.file !== WARM_UP).length} test files' own processes${cpu.has(WARM_UP) ? ' (and the compile cache warm-up)' : ''}`,
    `${s(child)} s CPU in the processes they started (CLI, git, Chromium, ...)`,
    `${s(own + child)} s CPU in all (PostgreSQL's server aside)`,
    postmaster
      ? `${s(pgMs)} s CPU in the PostgreSQL server of STEWARD_TEST_PG during the run (postmaster ${postmaster}; every client's, if the server is shared)`
      : `${s(pgMs)} s CPU in PostgreSQL's server processes during the run (every process named postgres; every client's, if a server is shared)`,
    `${s(runMs)} s wall for the run (${concurrency} files at a time)`,
  ].join('\n');
  writeFileSync(durations, `${header}\n${lines.join('\n')}\n${totals}\n`);
  for (const r of rows) if (!GROUPS.has(r.file) && r.file !== WARM_UP) lastWall[relative(ROOT, r.file)] = Math.round(r.ms);
  Object.assign(lastWall, groupTimes);
  writeFileSync(lastTimes, `${JSON.stringify(lastWall, null, 1)}\n`);
  console.log(`\nSlowest test files (all in ${relative(ROOT, durations)}):\n${header}\n${lines.slice(0, 15).join('\n')}\n${totals}`);
}

/**
 * The process id of the PostgreSQL server STEWARD_TEST_PG names (its postmaster: the parent of the
 * backend that answers), when it runs on this machine and /proc shows it; else undefined. With it the
 * run's figure is that server's CPU alone, not that of every "postgres" process on the machine (the
 * machine's own cluster beside .ci/run's throwaway one, or other users' servers).
 */
async function testPostmaster() {
  const admin = process.env.STEWARD_TEST_PG;
  if (!admin) return undefined;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    const ppid = procStat(rows[0].pid)?.f[1];
    return ppid && procStat(ppid) ? ppid : undefined;
  } catch {
    return undefined; // not reachable, or not on this machine: the tests will say so
  } finally {
    await client.end().catch(() => {});
  }
}

/** The fields of /proc/PID/stat after the command's name (f[1]: parent pid; f[11..14]: utime, stime, cutime, cstime), or undefined. */
function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), f: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/**
 * The CPU time PostgreSQL's server has used so far, its exited backends included (Linux /proc): of
 * the test server's postmaster (`postmaster`) when known — its own time, its exited children's
 * (waited for) and its running children's own — else of every process named "postgres" this user
 * may read; undefined when there is none to read.
 */
function postgresCpuMs() {
  let entries;
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  const stats = new Map();
  for (const pid of entries) {
    const s = procStat(pid);
    if (s && s.name === 'postgres' && (!postmaster || pid === postmaster || s.f[1] === postmaster)) stats.set(pid, s.f);
  }
  let ticks = 0;
  for (const [, f] of stats) {
    ticks += Number(f[11]) + Number(f[12]);
    if (!stats.has(f[1])) ticks += Number(f[13]) + Number(f[14]);
  }
  return stats.size ? (ticks * 1000) / 100 : undefined;
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
