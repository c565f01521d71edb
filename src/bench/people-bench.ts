/**
 * People and code history benchmark, on the SQLite store the git benchmark left (nova's history
 * synced to its tip, git-bench.ts): `steward history` over every release window and `steward
 * electorate` (cold, then the median of five warm runs in one process; wall time and the process's
 * CPU time, user + system, beside it — on a shared machine the wall time waits for the CPU, so a CPU
 * time above the target means it cannot be met even when quiet), and importing a generated
 * default_data.json of 20,000 users (targets: history and electorate ≤ 250 ms warm; the import ≤ 5 s).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { importContributors } from '../ingest/people-import.js';
import { resolveEffectiveConfig } from '../service/effective-config.js';
import { buildElectorateView } from '../service/electorate-view.js';
import { buildHistoryView } from '../service/history-view.js';
import { openStore } from '../store/open-store.js';

interface Timing {
  cold: { wall: number; cpu: number };
  /** Medians of the warm runs. */
  warm: { wall: number; cpu: number };
}

async function timed(run: () => Promise<unknown>): Promise<Timing> {
  const once = async () => {
    const c = process.cpuUsage();
    const t = performance.now();
    await run();
    const u = process.cpuUsage(c);
    return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000 };
  };
  const cold = await once();
  const warm: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < 5; i++) warm.push(await once());
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { cold, warm: { wall: median(warm.map((w) => w.wall)), cpu: median(warm.map((w) => w.cpu)) } };
}

const ms = (x: number) => x.toFixed(0).padStart(5);
const line = (name: string, t: Timing) =>
  console.log(
    `${name.padEnd(34)} cold ${ms(t.cold.wall)} ms (CPU ${ms(t.cold.cpu)}), warm ${ms(t.warm.wall)} ms (CPU ${ms(t.warm.cpu)}), median of 5   (target: ≤ 250 ms warm)`,
  );

/** Runs the benchmark; prints one line per measurement, or why it was skipped. */
export async function runPeopleBench(benchDir: string): Promise<void> {
  const db = join(benchDir, 'git-bench.db');
  if (!existsSync(db)) {
    console.log('history / electorate (nova)        skipped: no git-bench.db (the git benchmark makes it)');
    return;
  }
  const store = await openStore(db);
  try {
    const config = await resolveEffectiveConfig(loadConfig(undefined, benchDir), store);
    const now = Date.UTC(2026, 10, 1);
    line('history, every release (nova)', await timed(() => buildHistoryView(store, {}, config, now)));
    line('electorate liberty (nova)', await timed(() => buildElectorateView(store, { release: 'liberty', cwd: benchDir }, config, now)));
    const file = join(benchDir, 'default_data.json');
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
    const t = performance.now();
    const r = await importContributors(store, file);
    console.log(
      `people import, 20,000 users        ${((performance.now() - t) / 1000).toFixed(2).padStart(5)} s (${r.links} links, ${r.affiliations} affiliations)   (target: ≤ 5 s)`,
    );
  } finally {
    await store.close();
  }
}
