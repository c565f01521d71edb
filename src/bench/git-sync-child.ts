/**
 * Benchmark worker: runs the steward CLI with this process's arguments (`git sync …`), then prints
 * its peak RSS on stderr, so the peak belongs to the sync alone.
 */
import { runCli } from '../cli/main.js';
import { peakRssMb } from './peak-rss.js';

await runCli();
// In kB, as git-bench.ts reads it.
process.stderr.write(`\nRSS ${Math.round(peakRssMb() * 1024)}\n`);
