/**
 * `npm run bench`, reviewers part: the 90-day `steward reviewers` report over the bench store
 * (the 100,000-change demo export run.ts imports), warm, in SQLite and, with a PostgreSQL admin
 * URL, PostgreSQL (database steward_bench). Target (issue 4): ≤ 250 ms.
 *
 * Each engine runs in its own child process. Measured is what the command does between opening
 * the store and printing: gathering the team context (accounts, bots, core roster from the demo's
 * configuration), loading the window's review acts, computing, serialising the JSON. One run
 * first (cold), then the median and best of several warm runs.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { demoConfigYaml } from '../demo/demo-config-yaml.js';
import { parseConfig } from '../config/load-config.js';
import type { DemoOptions } from '../demo/demo-project.js';
import { reviewersReport } from '../service/reviewers-view.js';
import { teamContextFor } from '../service/team-context.js';
import { openStore } from '../store/open-store.js';
import { benchLocations } from './bench-store.js';

const DAY_MS = 86_400_000;

export interface ReviewersBenchResult {
  engine: string;
  coldMs: number;
  medianMs: number;
  minMs: number;
  runs: number;
  reviews: number;
  reviewers: number;
}

/** Measures the report on the store at `location`, filled with the demo export of `demo`. */
export async function measureReviewers(location: string, demo: DemoOptions, runs = 7): Promise<ReviewersBenchResult> {
  // Warm figures are a long-lived process's: opened as the web server opens its store (a 64 MB page cache).
  const store = await openStore(location, { largePageCache: true });
  try {
    const config = parseConfig(demoConfigYaml(demo), 'the demo configuration');
    const win = { since: demo.now - 90 * DAY_MS, until: demo.now, now: demo.now };
    let reviews = 0;
    let reviewers = 0;
    const once = async (): Promise<number> => {
      const t0 = performance.now();
      const ctx = await teamContextFor(store, config, 'the demo configuration', []);
      const report = await reviewersReport(store, ctx, win);
      JSON.stringify(report);
      reviews = report.totals.reviews;
      reviewers = report.totals.activeReviewers;
      return performance.now() - t0;
    };
    const coldMs = await once();
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(await once());
    warm.sort((a, b) => a - b);
    return {
      engine: store.engine,
      coldMs: Math.round(coldMs),
      medianMs: Math.round(warm[Math.floor(runs / 2)]!),
      minMs: Math.round(warm[0]!),
      runs,
      reviews,
      reviewers,
    };
  } finally {
    await store.close();
  }
}

/**
 * Runs the reviewers benchmark on the SQLite bench store and, with `pgAdminUrl`, the PostgreSQL one.
 * `demo` are the options the bench export was generated with (its core team is the demo's).
 */
export async function runReviewersBench(
  sqlitePath: string,
  pgAdminUrl: string | undefined,
  demo: DemoOptions,
  pgDb = 'steward_bench',
): Promise<void> {
  const locations = benchLocations(sqlitePath, pgAdminUrl, pgDb);
  for (const location of locations) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), location, JSON.stringify(demo)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const name = location.startsWith('postgres') ? 'PostgreSQL' : 'SQLite';
    if (r.status !== 0) {
      console.log(`steward reviewers (${name}) failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as ReviewersBenchResult;
    console.log(
      `${`steward reviewers (${name})`.padEnd(28)} ${String(x.reviews).padStart(7)} reviews in 90 days: median ${String(x.medianMs).padStart(5)} ms, best ${x.minMs} ms of ${x.runs} warm runs (cold ${x.coldMs} ms)   (target ≤ 250 ms)`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] && process.argv[3]) {
  const result = await measureReviewers(process.argv[2], JSON.parse(process.argv[3]) as DemoOptions);
  process.stdout.write(JSON.stringify(result) + '\n');
}
