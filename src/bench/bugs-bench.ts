/**
 * `npm run bench`, bugs part (issue 15), BENCH_ONLY=bugs to run it alone:
 *
 * - a full `steward bugs sync` of about 50,000 bug tasks (BENCH_LP_TASKS) from the fake Launchpad on
 *   loopback into SQLite (test/bench/launchpad-sync-bench.ts through tsx, the sync in its own
 *   process): tasks/s and peak RSS. Targets: ≥ 2,000 tasks/s, peak RSS < 300 MB.
 * - `bugs backlog`, `bugs rota` and `bugs targets` on the bench store (the 100,000-change demo export
 *   run.ts imports) with the demo's Launchpad side for it added (50,000 bugs), warm: one cold
 *   run, then the median of five. Target: ≤ 250 ms each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../config/load-config.js';
import { demoConfigYaml } from '../demo/demo-config-yaml.js';
import { generateDemoLaunchpad } from '../demo/demo-launchpad.js';
import type { DemoOptions } from '../demo/demo-project.js';
import { buildBugBacklogView, buildBugRotaView, buildBugTargetsView, type BugsViewParams } from '../service/bugs-view.js';
import { writeLaunchpadPage } from '../store/ingest-writes.js';
import { openStore } from '../store/open-store.js';
import { countLaunchpadRows } from '../store/queries/bugs.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The sync benchmark, through tsx (its fake Launchpad is test code). */
export function runLaunchpadSyncBench(tasks: number): void {
  const script = resolve(here, '../../test/bench/launchpad-sync-bench.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, String(tasks)], {
    encoding: 'utf8',
    cwd: resolve(here, '../..'),
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    console.log(`bugs sync from fake Launchpad  failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return;
  }
  const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    tasks: number;
    bugs: number;
    requests: number;
    seconds: number;
    tasksPerSecond: number;
    peakRssMb: number;
    cpuSeconds: number;
  };
  console.log(
    `${'bugs sync fake LP → SQLite'.padEnd(28)} ${String(x.tasks).padStart(7)} tasks in ${x.seconds.toFixed(1).padStart(6)} s = ${Math.round(x.tasksPerSecond).toString().padStart(6)} tasks/s, peak RSS ${Math.round(x.peakRssMb)} MB, CPU ${x.cpuSeconds.toFixed(1)} s, ${x.requests} requests (${x.bugs} bugs)   (target ≥ 2000 tasks/s, RSS < 300 MB)`,
  );
}

/** The three bug reports on the store at `location` (the bench store), after adding the demo's Launchpad side when it has none. */
export async function runBugsReportsBench(location: string, demo: DemoOptions, runs = 5): Promise<void> {
  if (!/^postgres/.test(location) && !existsSync(location)) {
    console.log(`bugs reports                  skipped: no bench store at ${location} (run npm run bench once)`);
    return;
  }
  // Warm figures are a long-lived process's: opened as the web server opens its store (a 64 MB page cache).
  const store = await openStore(location, { largePageCache: true });
  try {
    if ((await countLaunchpadRows(store.db)).tasks === 0) {
      // The issue's shape: 50,000 bugs beside the 100,000 changes.
      const lp = generateDemoLaunchpad(demo, undefined, { bugs: 50_000 });
      await store.bulkLoad(() => writeLaunchpadPage(store, { tasks: lp.tasks, bugs: lp.bugs, blueprints: [] }, null));
    }
    const rows = await countLaunchpadRows(store.db);
    const config = { config: parseConfig(demoConfigYaml(demo), 'the demo configuration'), path: null, origin: 'the demo configuration' };
    const p: BugsViewParams = { weeks: 26, includePrivate: false, limit: 30 };
    const reports: Array<[string, () => Promise<unknown>]> = [
      ['backlog', () => buildBugBacklogView(store, p, config, demo.now)],
      ['rota', () => buildBugRotaView(store, { ...p, limit: 50 }, config, demo.now)],
      ['targets', () => buildBugTargetsView(store, p, config, demo.now)],
    ];
    for (const [name, build] of reports) {
      // Wall time and this process's CPU time (user + system): on a shared machine only the CPU
      // time says what the report costs; a report whose CPU exceeds the target cannot meet it.
      const once = async () => {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        JSON.stringify(await build());
        const c = process.cpuUsage(c0);
        return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
      };
      const cold = await once();
      const warm: Array<{ wall: number; cpu: number }> = [];
      for (let i = 0; i < runs; i++) warm.push(await once());
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(
        `${`bugs ${name} (${store.engine})`.padEnd(28)} cold ${Math.round(cold.wall)} ms (CPU ${Math.round(cold.cpu)} ms), warm median ${Math.round(median(warm.map((w) => w.wall)))} ms (CPU ${Math.round(median(warm.map((w) => w.cpu)))} ms) over ${rows.bugs} bugs, ${rows.tasks} tasks   (target ≤ 250 ms)`,
      );
    }
  } finally {
    await store.close();
  }
}
