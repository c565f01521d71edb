/**
 * Review-flow benchmark (`npm run bench`): `steward queue` and `steward waits` over the 100,000-change
 * store the import benchmark built, warm (one run first, then the median of several), in SQLite and,
 * when a PostgreSQL admin URL is given, PostgreSQL. Each engine runs in its own child process; the
 * time is that of the command's work (gather, compute, render JSON), not of starting Node.
 *
 * Targets (issue 5): queue ≤ 250 ms, waits ≤ 2 s. On PostgreSQL the store is vacuumed and
 * analysed first (what autovacuum does within a minute or so of the import).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load-config.js';
import { resolveEffectiveConfig } from '../service/effective-config.js';
import { resolveWindowAt } from '../service/params.js';
import { buildQueueView } from '../service/queue-view.js';
import { buildWaitsView } from '../service/waits-view.js';
import type { Store } from '../store/engine.js';
import { vacuumAnalyze } from '../store/maintenance.js';
import { openStore } from '../store/open-store.js';
import { benchLocations } from './bench-store.js';

// The bench export's end (run.ts): the queue and waits are taken as of then.
const NOW = Date.UTC(2026, 0, 1);

interface FlowBenchResult {
  engine: string;
  openChanges: number;
  closedInPeriod: number;
  queue: Timing;
  waits: Timing;
}

/** Wall-clock and CPU (this process, every thread) milliseconds of the warm runs. */
interface Timing {
  medianMs: number;
  minMs: number;
  cpuMedianMs: number;
  runs: number;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<Timing> {
  await fn();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    medianMs: Math.round(times[Math.floor(times.length / 2)]!),
    minMs: Math.round(times[0]!),
    cpuMedianMs: Math.round(cpu[Math.floor(cpu.length / 2)]!),
    runs,
  };
}

async function child(location: string): Promise<void> {
  // Warm figures are a long-lived process's: opened as the web server opens its store (a 64 MB page cache).
  const store = await openStore(location, { largePageCache: true });
  // The store in its steady state: after a bulk load PostgreSQL's autovacuum soon sets the
  // visibility map (index-only scans) and the planner's statistics; do it now rather than race it.
  await vacuumAnalyze(store);
  // As `steward queue` and `steward waits` with no options do: the configuration in effect is
  // resolved on every run (steward.yaml in the working directory, else the store's demo one).
  const config = (s: Store) => resolveEffectiveConfig(loadConfig(undefined, process.cwd()), s);
  try {
    let open = 0;
    let closed = 0;
    const queue = await timed(7, async () => {
      const q = await buildQueueView(store, {}, await config(store), NOW);
      open = q.kind === 'queue' ? q.open : 0;
      return JSON.stringify(q);
    });
    const waits = await timed(3, async () => {
      const w = await buildWaitsView(store, { window: resolveWindowAt({}, NOW, 90) }, await config(store), NOW);
      closed = w.kind === 'waits' ? w.cohort.total : 0;
      return JSON.stringify(w);
    });
    const result: FlowBenchResult = { engine: store.engine, openChanges: open, closedInPeriod: closed, queue, waits };
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await store.close();
  }
}

/** Runs the flow benchmark on the SQLite bench store and, with `pgAdminUrl`, the PostgreSQL one (database steward_bench). */
export async function runFlowBench(sqlitePath: string, pgAdminUrl: string | undefined, pgDb = 'steward_bench'): Promise<void> {
  const locations = benchLocations(sqlitePath, pgAdminUrl, pgDb);
  for (const location of locations) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), location], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.log(
        `flow queue/waits ${location.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`,
      );
      continue;
    }
    const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as FlowBenchResult;
    const name = x.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    console.log(
      `${`steward queue (${name})`.padEnd(28)} ${String(x.openChanges).padStart(7)} open changes: median ${String(x.queue.medianMs).padStart(5)} ms, best ${x.queue.minMs} ms of ${x.queue.runs} warm runs, CPU median ${x.queue.cpuMedianMs} ms (this process; PostgreSQL's server not included)   (target ≤ 250 ms)`,
    );
    console.log(
      `${`steward waits (${name})`.padEnd(28)} ${String(x.closedInPeriod).padStart(7)} closed in 90 days: median ${String(x.waits.medianMs).padStart(5)} ms, best ${x.waits.minMs} ms of ${x.waits.runs} warm runs, CPU median ${x.waits.cpuMedianMs} ms   (target ≤ 2000 ms)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) await child(process.argv[2]);
