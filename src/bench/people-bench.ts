/**
 * People and code history benchmark, on the SQLite store the git benchmark left (nova's history
 * synced to its tip, git-bench.ts): `steward history` over every release window and `steward
 * electorate` (cold, then the median of four warm runs in one process), and importing a generated
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

async function timed(run: () => Promise<unknown>): Promise<{ cold: number; warm: number }> {
  let t = performance.now();
  await run();
  const cold = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 4; i++) {
    t = performance.now();
    await run();
    warm.push(performance.now() - t);
  }
  warm.sort((a, b) => a - b);
  return { cold, warm: (warm[1]! + warm[2]!) / 2 };
}

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
    const h = await timed(() => buildHistoryView(store, {}, config, now));
    console.log(
      `history, every release (nova)      cold ${h.cold.toFixed(0).padStart(5)} ms, warm ${h.warm.toFixed(0).padStart(5)} ms   (target: ≤ 250 ms warm)`,
    );
    const e = await timed(() => buildElectorateView(store, { release: 'liberty', cwd: benchDir }, config, now));
    console.log(
      `electorate liberty (nova)          cold ${e.cold.toFixed(0).padStart(5)} ms, warm ${e.warm.toFixed(0).padStart(5)} ms   (target: ≤ 250 ms warm)`,
    );
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
