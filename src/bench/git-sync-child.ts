/**
 * Benchmark worker: runs the steward CLI with this process's arguments (`git sync …`), then prints
 * its peak RSS on stderr, so the peak belongs to the sync alone.
 */
import { runCli } from '../cli/main.js';

await runCli();
process.stderr.write(`\nRSS ${process.resourceUsage().maxRSS}\n`);
