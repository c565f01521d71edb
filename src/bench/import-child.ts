/**
 * Benchmark worker: imports one export file into one store and prints a JSON line with the
 * result and this process's peak RSS. Run in its own process so the peak belongs to the import
 * alone.
 */
import { importFiles } from '../ingest/import-files.js';
import { openStore } from '../store/open-store.js';
import { peakRssMb } from './peak-rss.js';

const [file, location, host] = process.argv.slice(2);
if (!file || !location) {
  process.stderr.write('usage: import-child FILE STORE_LOCATION [HOST]\n');
  process.exit(2);
}
const store = await openStore(location);
const t0 = performance.now();
const c0 = process.cpuUsage();
const summary = await importFiles(store, [file], { host: host ?? 'review.example.org' });
// Closing is part of the import a user waits for (SQLite checkpoints its WAL into the database then).
await store.close();
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
if (summary.stopped) {
  process.stderr.write(`import stopped: ${summary.stopped.error.describe()}\n`);
  process.exit(1);
}
process.stdout.write(
  JSON.stringify({
    engine: store.engine,
    changes: summary.totals.changesRead,
    seconds,
    changesPerSecond: summary.totals.changesRead / seconds,
    peakRssMb: peakRssMb(),
    // CPU time of the whole process (every thread), user + system: comparable on a busy machine.
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    votes: summary.totals.votes,
    messages: summary.totals.messages,
  }) + '\n',
);
