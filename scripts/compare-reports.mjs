// Compares every report's output between two revisions of Steward, byte for byte.
//
//   node scripts/compare-reports.mjs --base <git-rev> [--head <git-rev>|worktree] [--stores demo,bench]
//        [--engines sqlite,postgres] [--formats json,text,csv] [--only <substring>] [--out DIR]
//        [--jobs N] [--copy-stores] [--rebuild-stores] [--keep-checkouts]
//   node scripts/compare-reports.mjs --base <git-rev> --clean    removes the stores cached for that base
//
// Plain Node (no TypeScript, no dependencies) so that it runs without a build of the code under test.
// Each revision is checked out with `git worktree add` into a temporary folder (the head "worktree"
// is this checkout as it is on disk) and built there (`npm run build`; node_modules is a symlink to
// this checkout's when package-lock.json is the same, else `npm ci`).
//
// The stores are built ONCE, with the base revision, and read by both revisions: the comparison is
// about the code, not the import. They are cached in .bench/compare/<base commit>/ (SQLite files)
// and, for PostgreSQL, in databases steward_compare_<base commit 12>_<store> on the server of
// $STEWARD_TEST_PG (an admin URL); --rebuild-stores rebuilds them. When the two revisions' store
// migrations differ (src/store/migrations), or with --copy-stores, each revision reads its own copy
// (a file copy; CREATE DATABASE … TEMPLATE), removed at the end, so that the head's migrator never
// touches the cached store.
//
//   demo:  `steward demo --now 2026-01-01` (5,000 changes, 12 months), its specs repository synced.
//   bench: the 100,000-change REST export `npm run bench` imports (seed 7, 24 months, ending
//          2026-01-01; cached as .bench/rest-100000.json, shared with the benchmark), imported with
//          `steward import`, with the demo configuration of the same options as --config and its
//          specs repository synced.
// Both then get a mentorship, a stored priority and a web user, so that `core mentoring`,
// `priorities list` and `user list`/`audit` have something to show.
//
// Every report (and sub-mode) runs with the same argv in both revisions, in each format it supports
// (read from each command's --help), with a fixed --now; plus error cases (bad option combinations)
// whose stderr and exit code are compared too. Compared: stdout, stderr and the exit code, after one
// explicit normalisation: the store location, the stores' cache folder (the demo's specs and files
// live there; it sits inside this checkout, so without its own mask a path in it read <CHECKOUT> in
// this checkout's output and not in the base's) and the checkout folder, which differ between the
// revisions when they read copies, are replaced by <STORE>, <CACHE> and <CHECKOUT>. Nothing else is masked.
//
// Output: a line per (store, engine, case, format): identical or DIFFERENT (with the first differing
// line), and the wall and CPU time each revision took (CPU: user + system of the steward process,
// measured by a preloaded probe that prints nothing); then `N identical, M different`. Exit code 0
// only when all are identical (1: some differ; 2: the comparison itself failed). Everything each run
// printed is kept under --out (default .bench/compare/out-<base>-<head>/) for inspection, with a
// .diff per difference and timings.json. --jobs N (default 2) runs N (case, format) pairs at once;
// within a pair the base runs, then the head, so both see the same machine load.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NOW = '2026-01-01T00:00:00Z';
const BENCH = { seed: 7, changes: 100_000, months: 24, now: Date.UTC(2026, 0, 1) };
const DEMO_HOST = 'review.example.org';

// ---------------------------------------------------------------- arguments

function usage(message) {
  if (message) process.stderr.write(`compare-reports: ${message}\n`);
  process.stderr.write(
    'usage: node scripts/compare-reports.mjs --base <git-rev> [--head <git-rev>|worktree] [--stores demo,bench]\n' +
      '         [--engines sqlite,postgres] [--formats json,text,csv] [--only <substring>] [--out DIR]\n' +
      '         [--jobs N] [--copy-stores] [--rebuild-stores] [--keep-checkouts]\n' +
      '       node scripts/compare-reports.mjs --base <git-rev> --clean   (remove the stores cached for that base)\n',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const o = {
    head: 'worktree',
    stores: ['demo', 'bench'],
    engines: ['sqlite', 'postgres'],
    formats: ['json', 'text', 'csv'],
    only: [],
    copyStores: false,
    rebuildStores: false,
    keepCheckouts: false,
    jobs: 2,
  };
  const list = (v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--base') o.base = value();
    else if (a === '--head') o.head = value();
    else if (a === '--stores') o.stores = list(value());
    else if (a === '--engines') o.engines = list(value());
    else if (a === '--formats') o.formats = list(value());
    else if (a === '--only') o.only.push(value());
    else if (a === '--out') o.out = resolve(value());
    else if (a === '--jobs') {
      o.jobs = Number(value());
      if (!Number.isInteger(o.jobs) || o.jobs < 1 || o.jobs > 16) usage('--jobs must be a whole number from 1 to 16');
    } else if (a === '--copy-stores') o.copyStores = true;
    else if (a === '--rebuild-stores') o.rebuildStores = true;
    else if (a === '--keep-checkouts') o.keepCheckouts = true;
    else if (a === '--clean') o.clean = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  if (!o.base) usage('--base is required');
  for (const s of o.stores) if (!['demo', 'bench'].includes(s)) usage(`--stores: "${s}" is not demo or bench`);
  for (const e of o.engines) if (!['sqlite', 'postgres'].includes(e)) usage(`--engines: "${e}" is not sqlite or postgres`);
  for (const f of o.formats) if (!['json', 'text', 'csv'].includes(f)) usage(`--formats: "${f}" is not json, text or csv`);
  if (o.engines.includes('postgres') && !process.env.STEWARD_TEST_PG)
    usage('--engines postgres needs STEWARD_TEST_PG set to a PostgreSQL admin URL (or give --engines sqlite)');
  return o;
}

// ---------------------------------------------------------------- helpers

class Failure extends Error {}

const log = (s) => process.stdout.write(s + '\n');
/** A URL's password never reaches the log (store locations are postgres:// URLs). */
const redact = (s) => s.replace(/(\/\/[^/:@\s]+):[^@/\s]+@/g, '$1:***@');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command; throws a Failure naming it and its last lines of output unless it exits 0. */
function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = performance.now() - t0;
  if (r.error) throw new Failure(redact(`${cmd} ${args.join(' ')}: ${r.error.message}`));
  if (r.status !== 0 && !opts.allowFail) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-12).join('\n');
    throw new Failure(redact(`${cmd} ${args.join(' ')} (in ${opts.cwd ?? process.cwd()}) exited ${r.status}:\n${tail}`));
  }
  return { ...r, ms };
}

const git = (...args) => run('git', args, { cwd: ROOT }).stdout.trim();

/** Environment for every steward run: no store or configuration from the caller, UTC, no colour. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, TZ: 'UTC', LANG: 'C', LC_ALL: 'C', NO_COLOR: '1' };
  for (const k of [
    'STEWARD_DB',
    'STEWARD_CONFIG',
    'STEWARD_CREDENTIALS',
    'STEWARD_GERRIT_USERNAME',
    'STEWARD_GERRIT_PASSWORD',
    'STEWARD_USER_PASSWORD',
    'FORCE_COLOR',
  ])
    delete env[k];
  return { ...env, ...extra };
}

// ---------------------------------------------------------------- PostgreSQL (through the pg of this checkout's node_modules)

let pgModule;
async function pgAdmin(sqlText) {
  if (!pgModule) {
    const entry = join(ROOT, 'node_modules', 'pg', 'lib', 'index.js');
    if (!existsSync(entry)) throw new Failure(`PostgreSQL needs the pg package: ${entry} is missing (run npm ci in ${ROOT})`);
    pgModule = (await import(pathToFileURL(entry).href)).default;
  }
  const client = new pgModule.Client({ connectionString: process.env.STEWARD_TEST_PG });
  await client.connect();
  try {
    return (await client.query(sqlText)).rows;
  } finally {
    await client.end();
  }
}
const pgUrl = (db) => {
  const u = new URL(process.env.STEWARD_TEST_PG);
  u.pathname = `/${db}`;
  return u.toString();
};
const pgExists = async (db) => (await pgAdmin(`SELECT 1 FROM pg_database WHERE datname = '${db}'`)).length > 0;
const pgDrop = (db) => pgAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);

// ---------------------------------------------------------------- checkouts

/** A built checkout of `rev` ("worktree": this one as it is). Returns { label, rev, dir, temp }. */
function prepareCheckout(label, rev, tempRoot) {
  const t0 = performance.now();
  let dir;
  let temp = false;
  if (rev === 'worktree') {
    dir = ROOT;
  } else {
    dir = join(tempRoot, `${label}-${rev.slice(0, 12)}`);
    git('worktree', 'add', '--detach', dir, rev);
    temp = true;
    const lockHere = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
    const lockThere = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    if (lockHere === lockThere && existsSync(join(ROOT, 'node_modules'))) {
      symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
    } else {
      log(`  ${label}: package-lock.json differs from this checkout's: npm ci (takes a while)`);
      run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir });
    }
  }
  run('npm', ['run', 'build'], { cwd: dir });
  log(`  ${label} ${rev === 'worktree' ? 'worktree ' + ROOT : rev.slice(0, 12)}: built in ${secs(performance.now() - t0)}`);
  return { label, rev, dir, temp, bin: join(dir, 'bin', 'steward.js') };
}

function removeCheckout(c) {
  if (c.temp) git('worktree', 'remove', '--force', c.dir);
}

/** True when src/store/migrations differ between the two revisions (head "worktree": as on disk). */
function migrationsDiffer(base, head) {
  const path = 'src/store/migrations';
  if (head === 'worktree') {
    const changed = run('git', ['diff', '--quiet', base, '--', path], { cwd: ROOT, allowFail: true }).status !== 0;
    const untracked = git('ls-files', '--others', '--exclude-standard', '--', path) !== '';
    return changed || untracked;
  }
  return run('git', ['diff', '--quiet', base, head, '--', path], { cwd: ROOT, allowFail: true }).status !== 0;
}

// ---------------------------------------------------------------- stores

/** steward with the base checkout, for building stores; fails loudly. */
function stewardBuild(base, args, cwd, env = {}) {
  return run(process.execPath, [base.bin, ...args], { cwd, env: cleanEnv(env) });
}

/** Release names of a demo steward.yaml (in order) with their release dates, and the first priorities release. */
function readDemoYaml(path) {
  const text = readFileSync(path, 'utf8');
  const releases = [...text.matchAll(/- name: (\S+)\n\s+start: (\S+)\n\s+featureFreeze: (\S+)\n\s+release: (\S+)/g)].map((m) => ({
    name: m[1],
    release: m[4],
  }));
  const core = /core:\n\s+members:\n\s+- (\S+)/.exec(text)?.[1];
  const priorities = /\npriorities:\n {2}(\S+):/.exec(text)?.[1];
  const blueprints = [...(/\n {6}blueprints:\n((?: {8}- \S+\n)+)/.exec(text)?.[1] ?? '').matchAll(/- (\S+)/g)].map((m) => m[1]);
  if (!releases.length || !core) throw new Failure(`cannot read the releases and core team of ${path}`);
  return { releases, core, priorities, blueprints: blueprints.length ? blueprints : ['allow-pci-in-placement'] };
}

/** The bench export (shared with `npm run bench`), generated with the base revision's demo generator when missing. */
async function benchExport(base, cacheDir) {
  const path = join(ROOT, '.bench', `rest-${BENCH.changes}.json`);
  const filesDir = join(cacheDir, 'bench-files');
  const yamlPath = join(filesDir, 'steward.yaml');
  if (existsSync(path) && existsSync(yamlPath)) return { path, yamlPath, filesDir };
  mkdirSync(filesDir, { recursive: true });
  const exportModule = join(base.dir, 'dist', 'demo', 'demo-export.js');
  const demoCommand = join(base.dir, 'dist', 'cli', 'commands', 'demo-command.js');
  const specsModule = join(base.dir, 'dist', 'demo', 'demo-specs-repo.js');
  if (existsSync(exportModule) && existsSync(demoCommand) && existsSync(specsModule)) {
    // The same generator call as src/bench/run.ts, and the demo's own steward.yaml and specs repository.
    const t0 = performance.now();
    const { writeRestExport } = await import(pathToFileURL(exportModule).href);
    const { demoConfigYaml } = await import(pathToFileURL(demoCommand).href);
    const { writeSpecsRepo, DEMO_SPECS_DIR } = await import(pathToFileURL(specsModule).href);
    const specs = writeSpecsRepo(BENCH, join(filesDir, DEMO_SPECS_DIR));
    writeFileSync(yamlPath, demoConfigYaml(BENCH, specs.path));
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      await writeRestExport(BENCH, `${path}.tmp`, { pageSize: 500 });
      renameSync(`${path}.tmp`, path);
      log(`  generated ${path} in ${secs(performance.now() - t0)}`);
    }
  } else {
    // The base revision keeps its generator elsewhere: the public command writes the same files (and an SSH export).
    log('  the base revision has no dist/demo/demo-export.js: generating the bench export with `steward demo --no-import`');
    stewardBuild(
      base,
      [
        'demo',
        '--seed',
        String(BENCH.seed),
        '--changes',
        String(BENCH.changes),
        '--months',
        String(BENCH.months),
        '--now',
        NOW,
        '--out',
        filesDir,
        '--no-import',
        '--quiet',
      ],
      cacheDir,
    );
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      copyFileSync(join(filesDir, 'demo-rest.json'), path);
    }
    rmSync(join(filesDir, 'demo-rest.json'), { force: true });
    rmSync(join(filesDir, 'demo-ssh.json'), { force: true });
  }
  return { path, yamlPath, filesDir };
}

/**
 * The steps that build a store after its load (what the imports do not bring: specs, a
 * mentorship, a stored priority, a web user), each run once: `step(name, fn)` skips a step done
 * before, so a build stopped half-way (a PostgreSQL connection timeout on a loaded machine) resumes.
 */
function seedExtras(base, loc, yamlPath, cwd, withConfig, step) {
  const cfg = withConfig ? ['--config', yamlPath] : [];
  const y = readDemoYaml(yamlPath);
  step('specs', () => stewardBuild(base, ['--db', loc, ...cfg, 'specs', 'sync', '--format', 'json'], cwd));
  step('mentor', () => {
    const cands = JSON.parse(stewardBuild(base, ['--db', loc, ...cfg, 'core', 'candidates', '--now', NOW, '--format', 'json'], cwd).stdout);
    const candidate = cands.candidates?.[0]?.username;
    if (candidate)
      stewardBuild(
        base,
        [
          '--db',
          loc,
          ...cfg,
          'core',
          'mentor',
          'add',
          candidate,
          '--mentor',
          y.core,
          '--since',
          '2025-10-01',
          '--note',
          'compare-reports',
          '--now',
          '2025-10-01',
        ],
        cwd,
      );
  });
  const release = y.priorities ?? y.releases.at(-1).name;
  step('priority', () =>
    stewardBuild(
      base,
      [
        '--db',
        loc,
        ...cfg,
        'priorities',
        'add',
        '--release',
        release,
        '--title',
        'Stored by compare-reports',
        '--topic',
        'bp/compare-reports',
        '--query',
        'file:^nova/scheduler/.*',
        '--by',
        'compare-reports',
        '--now',
        '2025-10-01',
      ],
      cwd,
    ),
  );
  step('user', () =>
    stewardBuild(base, ['--db', loc, 'user', 'add', 'compare-viewer', '--role', 'viewer'], cwd, {
      STEWARD_USER_PASSWORD: 'compare-reports-password',
    }),
  );
}

/**
 * The cached store `name` on `engine`, built with the base revision when missing. Returns
 * { location, config (path or null), yaml }.
 */
async function cachedStore(name, engine, base, cacheDir, o) {
  mkdirSync(cacheDir, { recursive: true });
  const marker = join(cacheDir, `${name}-${engine}.done`);
  const pgDb = `steward_compare_${base.rev.slice(0, 12)}_${name}`;
  const location = engine === 'sqlite' ? join(cacheDir, `${name}.db`) : pgUrl(pgDb);
  const demoFiles = join(cacheDir, 'demo-files');
  let valid = existsSync(marker) && !o.rebuildStores;
  if (valid && engine === 'postgres') valid = await pgExists(pgDb);
  if (valid && engine === 'sqlite') valid = existsSync(location);

  let yamlPath;
  if (name === 'demo') yamlPath = join(demoFiles, 'steward.yaml');
  else yamlPath = join(cacheDir, 'bench-files', 'steward.yaml');

  if (!valid) {
    const t0 = performance.now();
    rmSync(marker, { force: true });
    // Steps done by an earlier, unfinished build of this store (resumed unless --rebuild-stores).
    const stepsFile = join(cacheDir, `${name}-${engine}.steps`);
    let done = [];
    const storeThere = engine === 'sqlite' ? existsSync(location) : await pgExists(pgDb);
    if (!o.rebuildStores && storeThere && existsSync(stepsFile)) done = JSON.parse(readFileSync(stepsFile, 'utf8'));
    if (!done.includes('load')) {
      done = [];
      if (engine === 'sqlite') for (const s of ['', '-wal', '-shm', '-journal']) rmSync(location + s, { force: true });
      else {
        await pgDrop(pgDb);
        await pgAdmin(`CREATE DATABASE ${pgDb}`);
      }
    } else log(`  store ${name}/${engine}: resuming an unfinished build after ${done.join(', ')}`);
    const step = (stepName, fn) => {
      if (done.includes(stepName)) return;
      fn();
      done.push(stepName);
      writeFileSync(stepsFile, JSON.stringify(done) + '\n');
    };
    if (name === 'demo') {
      // The real demo path: files, import, the configuration kept in the store (reports run without --config).
      step('load', () => stewardBuild(base, ['--db', location, 'demo', '--now', NOW, '--out', demoFiles, '--quiet'], cacheDir));
      seedExtras(base, location, yamlPath, cacheDir, false, step);
    } else {
      const ex = await benchExport(base, cacheDir);
      step('load', () =>
        stewardBuild(base, ['--db', location, '--config', ex.yamlPath, 'import', '--quiet', '--host', DEMO_HOST, ex.path], cacheDir),
      );
      seedExtras(base, location, ex.yamlPath, cacheDir, true, step);
    }
    rmSync(stepsFile, { force: true });
    writeFileSync(
      marker,
      JSON.stringify({
        base: base.rev,
        store: name,
        engine,
        location: engine === 'sqlite' ? location : pgDb,
        builtAt: new Date().toISOString(),
        seconds: Math.round((performance.now() - t0) / 1000),
      }) + '\n',
    );
    log(`  store ${name}/${engine}: built with the base revision in ${secs(performance.now() - t0)}`);
  } else {
    log(`  store ${name}/${engine}: cached (${engine === 'sqlite' ? location : pgDb})`);
  }
  return { location, config: name === 'bench' ? yamlPath : null, yaml: readDemoYaml(yamlPath), pgDb };
}

/** A private copy of a cached store for one revision; returns { location, drop() }. */
async function storeCopy(store, engine, label, scratch) {
  if (engine === 'sqlite') {
    const copy = join(scratch, `${label}-${store.pgDb}.db`);
    copyFileSync(store.location, copy);
    // Closed stores have an empty write-ahead log; a non-empty one holds committed pages too.
    if (existsSync(`${store.location}-wal`) && statSync(`${store.location}-wal`).size > 0)
      copyFileSync(`${store.location}-wal`, `${copy}-wal`);
    return { location: copy, drop: async () => ['', '-wal', '-shm'].forEach((s) => rmSync(copy + s, { force: true })) };
  }
  const db = `steward_compare_${process.pid}_${label}_${store.pgDb.split('_').at(-1)}`;
  await pgDrop(db);
  await pgAdmin(`CREATE DATABASE ${db} TEMPLATE ${store.pgDb}`);
  return { location: pgUrl(db), drop: () => pgDrop(db) };
}

// ---------------------------------------------------------------- the cases

/**
 * Every report and sub-mode, as argv after the global options. `--format` is added per format the
 * command supports (from its --help); `formats` fixes the list for a case. `error: true` cases run
 * once as they are (their stderr and exit code are what is compared).
 */
function casesFor(y) {
  const now = ['--now', NOW];
  // The last release wholly before --now, for the per-release reports; the priorities' release.
  const released = y.releases.filter((r) => Date.parse(r.release) <= Date.parse(NOW));
  const release = (released.at(-1) ?? y.releases[0]).name;
  const prioRelease = y.priorities ?? release;
  return [
    { name: 'overview', argv: ['overview', ...now] },
    { name: 'overview-days30', argv: ['overview', ...now, '--days', '30'] },
    { name: 'overview-since-until', argv: ['overview', ...now, '--since', '2025-04-01', '--until', '2025-07-01'] },
    { name: 'reviewers', argv: ['reviewers', ...now] },
    { name: 'reviewers-days180', argv: ['reviewers', ...now, '--days', '180'] },
    { name: 'reviewers-compat', argv: ['reviewers', ...now, '--compat', 'reviewstats'] },
    { name: 'reviewers-compat-days30', argv: ['reviewers', ...now, '--compat', 'reviewstats', '--days', '30'] },
    { name: 'core-history', argv: ['core', 'history'] },
    { name: 'core-idle', argv: ['core', 'idle', ...now] },
    { name: 'core-idle-threshold', argv: ['core', 'idle', ...now, '--threshold', '40', '--days', '60'] },
    { name: 'core-candidates', argv: ['core', 'candidates', ...now] },
    { name: 'core-candidates-limit', argv: ['core', 'candidates', ...now, '--limit', '5', '--days', '180'] },
    { name: 'core-load', argv: ['core', 'load', ...now] },
    { name: 'core-mentoring', argv: ['core', 'mentoring', ...now] },
    { name: 'core-mentoring-all', argv: ['core', 'mentoring', ...now, '--all'] },
    { name: 'core-mentor-list', argv: ['core', 'mentor', 'list', '--all'] },
    { name: 'queue', argv: ['queue', ...now] },
    { name: 'queue-replay', argv: ['queue', '--now', '2025-09-01', '--branch', 'master', '--longest', '10'] },
    { name: 'queue-compat', argv: ['queue', ...now, '--compat', 'reviewstats'] },
    { name: 'queue-compat-stable-waiting', argv: ['queue', ...now, '--compat', 'reviewstats', '--stable', '--waiting-more', '3'] },
    { name: 'queue-waiting-more-alone', argv: ['queue', ...now, '--waiting-more', '3'] },
    { name: 'queue-trivial', argv: ['queue', ...now, '--trivial'] },
    { name: 'queue-trivial-options', argv: ['queue', ...now, '--trivial', '--max-delta', '10', '--days', '56'] },
    { name: 'waits', argv: ['waits', ...now] },
    {
      name: 'waits-options',
      argv: ['waits', ...now, '--days', '180', '--area-depth', '2', '--newcomer-changes', '5', '--branch', 'master'],
    },
    { name: 'waits-bandwidth', argv: ['waits', ...now, '--bandwidth'] },
    { name: 'waits-bandwidth-since', argv: ['waits', ...now, '--bandwidth', '--since', '2025-06-01', '--until', '2025-12-01'] },
    { name: 'ci-jobs', argv: ['ci', 'jobs', ...now] },
    { name: 'ci-jobs-check', argv: ['ci', 'jobs', ...now, '--pipeline', 'check', '--days', '30'] },
    { name: 'ci-voting-readiness', argv: ['ci', 'voting-readiness', ...now] },
    { name: 'ci-experimental', argv: ['ci', 'experimental', ...now] },
    { name: 'specs-report', argv: ['specs', 'report', ...now] },
    { name: 'specs-report-release', argv: ['specs', 'report', ...now, '--release', release] },
    { name: 'priorities-list', argv: ['priorities', 'list', ...now] },
    { name: 'priorities-report', argv: ['priorities', 'report', ...now, '--release', prioRelease] },
    { name: 'priorities-default', argv: ['priorities', ...now, '--release', prioRelease] },
    { name: 'dashboard-list', argv: ['dashboard', ...now, '--list'] },
    { name: 'dashboard-review-inbox', argv: ['dashboard', 'review-inbox', ...now, '--as', y.core] },
    { name: 'dashboard-review-inbox-url', argv: ['dashboard', 'review-inbox', '--gerrit-url', '--as', y.core] },
    { name: 'dashboard-query', argv: ['dashboard', ...now, '--query', 'status:open label:Code-Review>=2', '--show', '5'] },
    { name: 'git-blueprint', argv: ['git', 'blueprint', ...y.blueprints] },
    { name: 'audit', argv: ['audit', '--event', 'user'] },
    { name: 'user-list', argv: ['user', 'list'] },
    // Errors: stderr and exit code.
    {
      name: 'err-compat-with-since',
      error: true,
      argv: ['reviewers', ...now, '--compat', 'reviewstats', '--since', '2025-10-01', '--format', 'json'],
    },
    { name: 'err-compat-unknown', error: true, argv: ['reviewers', ...now, '--compat', 'other', '--format', 'json'] },
    { name: 'err-trivial-and-compat', error: true, argv: ['queue', ...now, '--trivial', '--compat', 'reviewstats', '--format', 'json'] },
    { name: 'err-days-and-since', error: true, argv: ['overview', ...now, '--days', '10', '--since', '2025-01-01', '--format', 'json'] },
    { name: 'err-days-zero', error: true, argv: ['core', 'load', ...now, '--days', '0', '--format', 'json'] },
    {
      name: 'err-inverted-window',
      error: true,
      argv: ['waits', ...now, '--since', '2026-01-01', '--until', '2025-01-01', '--format', 'json'],
    },
    { name: 'err-bad-now', error: true, argv: ['queue', '--now', 'yesterday', '--format', 'json'] },
    { name: 'err-bad-format', error: true, argv: ['overview', ...now, '--format', 'xml'] },
    { name: 'err-unknown-release', error: true, argv: ['priorities', 'report', ...now, '--release', 'Nope', '--format', 'json'] },
    { name: 'err-unknown-specs-release', error: true, argv: ['specs', 'report', ...now, '--release', 'nope', '--format', 'json'] },
    { name: 'err-unknown-dashboard', error: true, argv: ['dashboard', 'nope', ...now, '--format', 'json'] },
    { name: 'err-bad-threshold', error: true, argv: ['core', 'idle', ...now, '--threshold', '-1', '--format', 'json'] },
    { name: 'err-unknown-option', error: true, argv: ['ci', 'jobs', ...now, '--no-such-option', '--format', 'json'] },
  ];
}

/** Output of `steward WORDS --help` in a checkout (async: the help of every command is read at once). */
function helpText(checkout, words) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [checkout.bin, ...words, '--help'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.on('close', () => done(Buffer.concat(out).toString('utf8')));
    child.on('error', () => done(''));
  });
}

/**
 * The commands of a revision's CLI that take --format, with the formats their help names
 * ("output format: text, json or csv"): Map of "core idle" → ['json', 'text', 'csv'].
 */
async function discoverCommands(checkout) {
  const found = new Map();
  const walk = async (words) => {
    const help = await helpText(checkout, words);
    const line = /--format <format>[^\n]*(?:\n {10,}[^\n]*)*/.exec(help)?.[0];
    if (line)
      found.set(
        words.join(' '),
        ['json', 'text', 'csv'].filter((f) => new RegExp(`\\b${f}\\b`).test(line)),
      );
    const section = /\nCommands:\n([\s\S]*)$/.exec(help)?.[1];
    if (!section || words.length > 2) return;
    const subs = [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((m) => m[1]).filter((w) => w !== 'help');
    await Promise.all(subs.map((w) => walk([...words, w])));
  };
  await walk([]);
  return found;
}

/** The formats the command a case runs accepts: its longest leading words that name a command (`priorities` alone is `priorities report`). */
function formatsOf(commands, argv) {
  const words = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  if (words.length === 1 && words[0] === 'priorities') words.push('report');
  for (let n = words.length; n > 0; n--) {
    const f = commands.get(words.slice(0, n).join(' '));
    if (f) return { command: words.slice(0, n).join(' '), formats: f };
  }
  return { command: null, formats: [] };
}

// ---------------------------------------------------------------- running and comparing

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      const cut = (s) => (s === undefined ? '(end of output)' : s.length > 160 ? s.slice(0, 160) + '…' : s);
      return `@@ line ${i + 1} @@  - ${cut(la[i])}  |  + ${cut(lb[i])}`;
    }
  }
  return '(identical lines; the bytes differ in line endings or a final newline)';
}

/**
 * The CPU-time probe every steward run loads (NODE_OPTIONS --import): at exit it writes the
 * process's user + system CPU time to $COMPARE_REPORTS_CPU_FILE. Wall time on a shared machine
 * moves with the load; CPU time much less. It prints nothing, so the outputs are untouched.
 */
const CPU_PROBE = `import { writeFileSync } from 'node:fs';
process.on('exit', () => { const u = process.cpuUsage(); try { writeFileSync(process.env.COMPARE_REPORTS_CPU_FILE, String((u.user + u.system) / 1000)); } catch {} });
`;

/** The stores' cache folder (main sets it), masked as <CACHE> in what a run printed. */
let storeCacheDir = null;

/** One run of steward in a revision: what it printed (normalised), its exit code, wall and CPU time. */
function runReport(checkout, location, config, argv, scratch, probe, cpuFile) {
  const cfg = config ? ['--config', config] : [];
  const env = cleanEnv({
    COMPARE_REPORTS_CPU_FILE: cpuFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(probe).href}`.trim(),
  });
  rmSync(cpuFile, { force: true });
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [checkout.bin, '--db', location, ...cfg, ...argv], {
      cwd: scratch,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', (e) => done({ stdout: '', stderr: '', code: 'spawn error', error: e, ms: 0, cpuMs: NaN }));
    child.on('close', (code, signal) => {
      const norm = (bufs) =>
        Buffer.concat(bufs)
          .toString('utf8')
          .split(location)
          .join('<STORE>')
          .split(storeCacheDir ?? '\u0000')
          .join('<CACHE>')
          .split(checkout.dir)
          .join('<CHECKOUT>');
      let cpuMs = NaN;
      try {
        cpuMs = Number(readFileSync(cpuFile, 'utf8'));
      } catch {
        // no probe file: the process died before its exit handlers ran
      }
      done({ stdout: norm(out), stderr: norm(err), code: code ?? `signal ${signal}`, ms: performance.now() - t0, cpuMs });
    });
  });
}

/** Runs `tasks` (functions returning promises) at most `jobs` at a time; results in order. */
async function pool(tasks, jobs, onResult) {
  const results = new Array(tasks.length);
  let next = 0;
  let emitted = 0;
  const ready = new Map();
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
      ready.set(i, results[i]);
      while (ready.has(emitted)) {
        onResult(ready.get(emitted), emitted);
        ready.delete(emitted);
        emitted++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  let baseRev;
  let headRev;
  try {
    baseRev = git('rev-parse', '--verify', `${o.base}^{commit}`);
    headRev = o.head === 'worktree' ? 'worktree' : git('rev-parse', '--verify', `${o.head}^{commit}`);
  } catch (e) {
    usage(e.message);
  }
  if (o.clean) {
    const dir = join(ROOT, '.bench', 'compare', baseRev.slice(0, 12));
    rmSync(dir, { recursive: true, force: true });
    log(`removed ${dir}`);
    if (process.env.STEWARD_TEST_PG) {
      for (const name of ['demo', 'bench']) await pgDrop(`steward_compare_${baseRev.slice(0, 12)}_${name}`);
      log(`dropped the databases steward_compare_${baseRev.slice(0, 12)}_demo and _bench (if they existed)`);
    }
    return;
  }
  const out =
    o.out ?? join(ROOT, '.bench', 'compare', `out-${baseRev.slice(0, 12)}-${headRev === 'worktree' ? 'worktree' : headRev.slice(0, 12)}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const cacheDir = join(ROOT, '.bench', 'compare', baseRev.slice(0, 12));
  storeCacheDir = cacheDir;
  const tempRoot = mkdtempSync(join(tmpdir(), 'steward-compare-'));
  log(
    `compare-reports: base ${baseRev.slice(0, 12)}, head ${headRev === 'worktree' ? 'worktree (' + ROOT + ')' : headRev.slice(0, 12)}; stores ${o.stores.join(',')}; engines ${o.engines.join(',')}; formats ${o.formats.join(',')}`,
  );
  log(`  outputs under ${out}; stores cached in ${cacheDir}`);

  const checkouts = [];
  const copies = [];
  let identical = 0;
  let different = 0;
  const summary = [];
  const times = [];
  const probe = join(tempRoot, 'cpu-probe.mjs');
  writeFileSync(probe, CPU_PROBE);
  // Stopped early (Ctrl-C, kill): remove the checkouts and the store copies all the same.
  const cleanup = async () => {
    for (const c of copies.splice(0)) await c.drop().catch(() => {});
    if (!o.keepCheckouts) {
      for (const c of checkouts.splice(0)) {
        try {
          removeCheckout(c);
        } catch (e) {
          log(`  could not remove the checkout ${c.dir}: ${e.message}`);
        }
      }
      rmSync(tempRoot, { recursive: true, force: true });
    } else log(`  checkouts kept under ${tempRoot}`);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      log(`\ncompare-reports: stopped by ${signal} after ${identical} identical, ${different} different; cleaning up`);
      cleanup().finally(() => process.exit(130));
    });
  }
  git('worktree', 'prune');
  try {
    const base = prepareCheckout('base', baseRev, tempRoot);
    checkouts.push(base);
    // The same commit twice: one checkout (and one build) serves both sides.
    const head = headRev === baseRev ? { ...base, label: 'head' } : prepareCheckout('head', headRev, tempRoot);
    if (head !== base && headRev !== baseRev) checkouts.push(head);

    const [commandsBase, commandsHead] = await Promise.all([discoverCommands(base), head.dir === base.dir ? null : discoverCommands(head)]);
    for (const [name, formats] of commandsHead ?? []) {
      if (!commandsBase.has(name)) log(`  NOTE: \`steward ${name}\` (--format) is new in the head revision: no case runs it`);
      else if (formats.join() !== commandsBase.get(name).join())
        log(
          `  NOTE: \`steward ${name}\` takes --format ${formats.join(',')} in the head revision, ${commandsBase.get(name).join(',')} in the base (the base's are run)`,
        );
    }
    for (const name of commandsBase.keys())
      if (commandsHead && !commandsHead.has(name)) log(`  NOTE: \`steward ${name}\` (--format) is gone from the head revision`);

    const separate = o.copyStores || migrationsDiffer(baseRev, headRev);
    log(
      `  ${separate ? 'each revision reads its own copy of each store (' + (o.copyStores ? '--copy-stores' : 'src/store/migrations differ') + ')' : 'both revisions read the same cached stores (src/store/migrations are the same)'}`,
    );

    for (const storeName of o.stores) {
      for (const engine of o.engines) {
        const store = await cachedStore(storeName, engine, base, cacheDir, o);
        const cases = casesFor(store.yaml).filter((c) => !o.only.length || o.only.some((s) => c.name.includes(s)));
        const covered = new Set(cases.map((c) => c.argv.filter((a) => !a.startsWith('-')).join(' ')));
        if (!o.only.length) {
          const run = new Set(cases.map((c) => formatsOf(commandsBase, c.argv).command));
          const notReports = [
            'import',
            'demo',
            'specs sync',
            'db info',
            'db migrate',
            'core mentor add',
            'core mentor end',
            'priorities add',
            'priorities remove',
            'user add',
            'ci sync',
            'sync',
            'git sync',
          ];
          for (const name of commandsBase.keys())
            if (name && !run.has(name) && !notReports.includes(name)) log(`  NOTE: no case runs \`steward ${name}\``);
        }
        const locs = {};
        for (const c of [base, head]) {
          if (separate) {
            const copy = await storeCopy(store, engine, c.label, tempRoot);
            copies.push(copy);
            locs[c.label] = copy.location;
          } else locs[c.label] = store.location;
        }
        const dir = join(out, `${storeName}-${engine}`);
        mkdirSync(dir, { recursive: true });
        const scratch = {};
        for (const c of [base, head]) {
          scratch[c.label] = join(tempRoot, `cwd-${c.label}`);
          mkdirSync(scratch[c.label], { recursive: true });
        }
        log(`\n== ${storeName} / ${engine}`);
        const runs = [];
        for (const k of cases) {
          const formats = k.error ? [null] : formatsOf(commandsBase, k.argv).formats.filter((f) => o.formats.includes(f));
          if (!k.error && formats.length === 0) log(`  NOTE: ${k.name}: its --help names none of the formats ${o.formats.join(',')}`);
          for (const f of formats) runs.push({ k, f, argv: f ? [...k.argv, '--format', f] : k.argv, id: f ? `${k.name}.${f}` : k.name });
        }
        // Each (case, format) runs in both revisions one after the other (base, then head), so that
        // a change of machine load touches both; `--jobs` such pairs run at once.
        const tasks = runs.map((x, i) => async () => {
          const res = {};
          for (const c of [base, head]) {
            res[c.label] = await runReport(
              c,
              locs[c.label],
              store.config,
              x.argv,
              scratch[c.label],
              probe,
              join(tempRoot, `cpu-${i}-${c.label}`),
            );
            const r = res[c.label];
            if (r.error) throw new Failure(`cannot run steward (${c.label}): ${r.error.message}`);
            writeFileSync(join(dir, `${x.id}.${c.label}.stdout`), r.stdout);
            writeFileSync(join(dir, `${x.id}.${c.label}.stderr`), r.stderr);
            writeFileSync(join(dir, `${x.id}.${c.label}.exit`), `${r.code}\n`);
          }
          return res;
        });
        await pool(tasks, o.jobs, (res, i) => {
          const { k, id } = runs[i];
          const a = res.base;
          const b = res.head;
          const parts = [];
          if (a.stdout !== b.stdout) parts.push(['stdout', a.stdout, b.stdout]);
          if (a.stderr !== b.stderr) parts.push(['stderr', a.stderr, b.stderr]);
          if (a.code !== b.code) parts.push(['exit', `${a.code}`, `${b.code}`]);
          // A report that fails in both revisions is identical, but not what the case is for: say so.
          const unexpected =
            !k.error && (a.code !== 0 || b.code !== 0)
              ? `  (NOTE: exit ${a.code}/${b.code}: ${(a.stderr || b.stderr).trim().split('\n')[0]})`
              : '';
          const errNote = k.error && (a.code === 0 || b.code === 0) ? `  (NOTE: an error case that exited ${a.code}/${b.code})` : '';
          const timing = `${(a.ms / 1000).toFixed(1)}/${(b.ms / 1000).toFixed(1)} s wall, ${(a.cpuMs / 1000).toFixed(1)}/${(b.cpuMs / 1000).toFixed(1)} s CPU`;
          times.push({
            store: storeName,
            engine,
            id,
            ...Object.fromEntries(
              ['base', 'head'].flatMap((l) => [
                [`${l}Ms`, Math.round(res[l].ms)],
                [`${l}CpuMs`, Math.round(res[l].cpuMs)],
              ]),
            ),
          });
          const label = `${storeName}/${engine} ${id}`;
          if (parts.length === 0) {
            identical++;
            log(`identical  ${label.padEnd(56)} ${timing}${unexpected}${errNote}`);
          } else {
            different++;
            const [what, x, y] = parts[0];
            log(`DIFFERENT  ${label.padEnd(56)} ${timing}  ${parts.map((p) => p[0]).join(', ')}: ${firstDifference(x, y)}${unexpected}`);
            const d = spawnSync('diff', ['-u', join(dir, `${id}.base.${what}`), join(dir, `${id}.head.${what}`)], {
              encoding: 'utf8',
              maxBuffer: 1 << 30,
            });
            writeFileSync(join(dir, `${id}.diff`), d.stdout ?? '');
            summary.push(label);
          }
        });
        for (const c of copies.splice(0)) await c.drop();
      }
    }
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    log(`\ncompare-reports: ${e.message}`);
    process.exitCode = 2;
  } finally {
    await cleanup();
  }
  writeFileSync(join(out, 'timings.json'), JSON.stringify(times, null, 1) + '\n');
  const total = (k) => times.reduce((n, t) => n + (t[k] || 0), 0) / 1000;
  if (times.length)
    log(
      `\nsteward runs: base ${total('baseMs').toFixed(0)} s wall, ${total('baseCpuMs').toFixed(0)} s CPU; head ${total('headMs').toFixed(0)} s wall, ${total('headCpuMs').toFixed(0)} s CPU (per run: ${join(out, 'timings.json')})`,
    );
  log(`\n${identical} identical, ${different} different  (${secs(performance.now() - t0)}; outputs in ${out})`);
  if (summary.length) log(`different: ${summary.join('; ')}`);
  if (process.exitCode !== 2) process.exitCode = different === 0 && identical > 0 ? 0 : 1;
}

await main();
