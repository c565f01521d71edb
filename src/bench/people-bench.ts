/**
 * People and code history benchmark (issue 17), on nova's real history in each engine: a fresh
 * SQLite store and, with a PostgreSQL admin URL, a PostgreSQL database it creates and drops. Per
 * engine:
 *
 * - `steward git sync` of nova's history (nova-history-meta.bundle, about 62,000 commits) into a
 *   fresh store, each run in its own process (git-sync-child.ts); then nova-specs (`steward specs
 *   sync`, once, untimed beyond one line);
 * - `steward history` over every release and `steward electorate --release liberty`: cold (a fresh
 *   `steward` process, the real CLI, `--format json`) and warm (built again in one process);
 * - `steward people import` of a generated `default_data.json` of 20,000 users (a fresh process).
 *
 * Each figure is the median of several runs (BENCH_PEOPLE_RUNS, default 3; warm: 5 after one
 * discarded), wall time and CPU time side by side. A process's CPU time is user + system of it and
 * every process it waited for (git included), read from /proc/self/stat's children's times around
 * the run (Linux; elsewhere "–"); in-process (warm) it is `process.cpuUsage()`. PostgreSQL's server
 * works in other processes: for warm runs its backends' CPU is read from /proc too (same machine),
 * otherwise it is not in the figure. On a machine that other work shares the wall time waits for a
 * CPU: a CPU time above a target means the target cannot be met even on a quiet machine.
 *
 * Targets: history and electorate ≤ 250 ms warm; the import ≤ 5 s; the first sync well under a minute.
 * BENCH_ONLY=people runs only this (a few minutes on a quiet machine). The bundles: $STEWARD_SHARED_DATA
 * (default ../shared/data beside the checkout), or BENCH_GIT_BUNDLE and BENCH_SPECS_BUNDLE.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../config/load-config.js';
import { resolveEffectiveConfig } from '../service/effective-config.js';
import { buildElectorateView } from '../service/electorate-view.js';
import { buildHistoryView } from '../service/history-view.js';
import type { Store } from '../store/engine.js';
import { dropPostgresDatabase, recreatePostgresDatabase, vacuumAnalyze } from '../store/maintenance.js';
import { openStore } from '../store/open-store.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const STEWARD = resolve(here, '../../bin/steward.js');
const PG_DB = 'steward_people_bench';
const NOW = '2026-11-01T00:00:00Z';

/** Wall and CPU time of one run, ms; CPU NaN where it cannot be read. */
interface Run {
  wall: number;
  cpu: number;
  /** PostgreSQL's backends' CPU (warm runs on PostgreSQL on this machine), ms. */
  server?: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianRun = (rs: Run[]): Run => ({
  wall: median(rs.map((r) => r.wall)),
  cpu: median(rs.map((r) => r.cpu)),
  ...(rs.every((r) => r.server !== undefined) ? { server: median(rs.map((r) => r.server!)) } : {}),
});

/** CPU time (ms) of the children this process has waited for, and theirs (Linux /proc; NaN elsewhere). */
function childrenCpuMs(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // Fields 16 and 17 of stat (cutime, cstime), in clock ticks (100 per second on Linux).
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return NaN;
  }
}

/** One fresh process of `node args` (cwd `cwd`): its wall and CPU time (and its descendants'). */
function processRun(args: string[], cwd: string): Run & { stdout: string } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return { wall, cpu: childrenCpuMs() - c0, stdout: r.stdout };
}

/** CPU time (ms) of the PostgreSQL backends serving the store's database, when they run here (/proc); else undefined. */
async function serverCpuMs(store: Store): Promise<number | undefined> {
  if (store.engine !== 'postgres') return undefined;
  const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(store.db);
  let sum = 0;
  for (const { pid } of pids.rows) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      sum += (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      return undefined;
    }
  }
  return sum;
}

/** One discarded run, then the median of `n` runs of `work` in this process. */
async function warm(store: Store, work: () => Promise<unknown>, n = 5): Promise<Run> {
  await work();
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const s0 = await serverCpuMs(store);
    const c = process.cpuUsage();
    const t = performance.now();
    await work();
    const wall = performance.now() - t;
    const u = process.cpuUsage(c);
    const s1 = await serverCpuMs(store);
    runs.push({ wall, cpu: (u.user + u.system) / 1000, ...(s0 !== undefined && s1 !== undefined ? { server: s1 - s0 } : {}) });
  }
  return medianRun(runs);
}

const fmt = (ms: number, unit: 'ms' | 's' = 'ms') =>
  Number.isNaN(ms) ? '–' : unit === 's' ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms).toLocaleString('en')} ms`;
const cell = (r: Run | undefined, unit: 'ms' | 's' = 'ms') =>
  r ? `${fmt(r.wall, unit)} (CPU ${fmt(r.cpu, unit)}${r.server !== undefined ? ` + server ${fmt(r.server, unit)}` : ''})` : '–';

function line(
  engine: string,
  what: string,
  cold: Run | undefined,
  warmRun: Run | undefined,
  target: string,
  unit: 'ms' | 's' = 'ms',
): void {
  console.log(
    `${`${what}, ${engine}`.padEnd(44)} cold ${cell(cold, unit).padEnd(30)} warm ${cell(warmRun, unit).padEnd(40)} (target: ${target})`,
  );
}

/** The generated contributor file: 20,000 users of 50 companies, each with a company change. */
function writeDefaultData(file: string): void {
  const users = Array.from({ length: 20_000 }, (_, i) => ({
    launchpad_id: `user${i}`,
    gerrit_id: `u${i}`,
    user_name: `User ${i}`,
    emails: [`user${i}@example.org`, `u${i}@corp${i % 50}.example`],
    companies: [
      { company_name: `Corp${i % 50}`, end_date: '2015-Jan-01' },
      { company_name: `Corp${(i + 1) % 50}`, end_date: null },
    ],
  }));
  const companies = Array.from({ length: 50 }, (_, i) => ({ company_name: `Corp${i}`, domains: [`corp${i}.example`], aliases: [] }));
  writeFileSync(file, JSON.stringify({ users, companies }));
}

/** Runs the benchmark; prints one line per measurement, or why it was skipped. */
export async function runPeopleBench(benchDir: string, pgAdmin: string | undefined): Promise<void> {
  const shared = process.env.STEWARD_SHARED_DATA ?? resolve(here, '../../../shared/data');
  const historyBundle = process.env.BENCH_GIT_BUNDLE ?? join(shared, 'nova-history-meta.bundle');
  const specsBundle = process.env.BENCH_SPECS_BUNDLE ?? join(shared, 'nova-specs.bundle');
  if (!existsSync(historyBundle)) {
    console.log(`people and history (nova)                   skipped: no ${historyBundle} (set STEWARD_SHARED_DATA or BENCH_GIT_BUNDLE)`);
    return;
  }
  const runs = Math.max(1, Number(process.env.BENCH_PEOPLE_RUNS ?? 3));
  const work = join(benchDir, 'people');
  mkdirSync(work, { recursive: true });
  // A folder without a steward.yaml: the built-in OpenStack release calendar applies.
  const cwd = join(work, 'cwd');
  mkdirSync(cwd, { recursive: true });
  const repo = join(work, 'nova-history.git');
  if (!existsSync(repo)) execFileSync('git', ['clone', '--quiet', '--bare', historyBundle, repo]);
  const specs = join(work, 'nova-specs');
  if (existsSync(specsBundle) && !existsSync(specs)) execFileSync('git', ['clone', '--quiet', specsBundle, specs]);
  const contributors = join(work, 'default_data.json');
  if (!existsSync(contributors)) writeDefaultData(contributors);

  const sqlite = join(work, 'people-bench.db');
  const engines: Array<{ name: string; fresh: () => Promise<string>; drop: () => Promise<void> }> = [
    {
      name: 'SQLite',
      fresh: async () => {
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(sqlite + suffix, { force: true });
        return sqlite;
      },
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(sqlite + suffix, { force: true });
      },
    },
  ];
  if (pgAdmin)
    engines.push({
      name: 'PostgreSQL',
      fresh: () => recreatePostgresDatabase(pgAdmin, PG_DB),
      drop: () => dropPostgresDatabase(pgAdmin, PG_DB),
    });
  else console.log('people and history, PostgreSQL                skipped: set STEWARD_BENCH_PG or STEWARD_TEST_PG to an admin URL');

  for (const e of engines) {
    try {
      // The first sync of everything, each run into a fresh store.
      const syncs: Run[] = [];
      let location = '';
      for (let i = 0; i < runs; i++) {
        location = await e.fresh();
        syncs.push(processRun([join(here, 'git-sync-child.js'), location, repo], cwd));
      }
      line(e.name, `git sync nova (first, ${runs} runs)`, medianRun(syncs), undefined, 'well under a minute', 's');
      if (existsSync(specs)) {
        const s = processRun([STEWARD, 'specs', 'sync', '--db', location, '--repo', specs], cwd);
        line(e.name, 'specs sync nova-specs (once)', s, undefined, '—', 's');
      }
      {
        const store = await openStore(location);
        try {
          await vacuumAnalyze(store); // as autovacuum would soon after a bulk load (PostgreSQL)
        } finally {
          await store.close();
        }
      }
      const cli = (...args: string[]) => [STEWARD, ...args, '--db', location, '--format', 'json', '--now', NOW];
      const cases: Array<{
        what: string;
        args: string[];
        build: (s: Store, c: Awaited<ReturnType<typeof resolveEffectiveConfig>>) => Promise<unknown>;
      }> = [
        { what: 'history, every release', args: cli('history'), build: (s, c) => buildHistoryView(s, {}, c, Date.parse(NOW)) },
        {
          what: 'electorate --release liberty',
          args: cli('electorate', '--release', 'liberty'),
          build: (s, c) => buildElectorateView(s, { release: 'liberty', cwd }, c, Date.parse(NOW)),
        },
      ];
      const store = await openStore(location);
      try {
        const config = await resolveEffectiveConfig(loadConfig(undefined, cwd), store);
        for (const c of cases) {
          processRun(c.args, cwd); // fills the compile cache
          const cold = medianRun(Array.from({ length: runs }, () => processRun(c.args, cwd)));
          line(e.name, c.what, cold, await warm(store, () => c.build(store, config)), '≤ 250 ms warm');
        }
      } finally {
        await store.close();
      }
      const imports = Array.from({ length: runs }, () =>
        processRun([STEWARD, 'people', 'import', contributors, '--db', location, '--format', 'json'], cwd),
      );
      const last = JSON.parse(imports.at(-1)!.stdout) as { links?: number; affiliations?: number };
      line(e.name, 'people import, 20,000 users', medianRun(imports), undefined, '≤ 5 s', 's');
      console.log(`  (the import stored ${last.links ?? '?'} links and ${last.affiliations ?? '?'} affiliations each run)`);
    } finally {
      await e.drop();
    }
  }
}
