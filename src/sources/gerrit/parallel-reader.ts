/**
 * Reads and parses an export file on a worker thread while the caller stores what was parsed:
 * on a 2-core machine parsing (JSON and Gerrit message texts) and writing the store overlap.
 * Yields packed batches of changes (model/packed-changes.ts) in file order; returns the file's
 * ExportStats.
 */
import { Worker } from 'node:worker_threads';
import { StewardError, type ErrorCode, type ErrorDetails } from '../../model/errors.js';
import type { PackedChanges } from '../../model/packed-changes.js';
import type { ExportStats } from './export-reader.js';

type WorkerMessage =
  | { type: 'batch'; batch: PackedChanges }
  | { type: 'done'; stats: ExportStats }
  | { type: 'error'; error: { code: ErrorCode; message: string; details: ErrorDetails } };

// Compiled code runs the .js worker, TypeScript sources (tests, under `node --import tsx`) the .ts
// one: a worker inherits the process's execArgv, so it runs `--import tsx` itself first.
const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./export-parser-worker${fromSources ? '.ts' : '.js'}`, import.meta.url);

function startWorker(workerData: unknown): Worker {
  // A modest heap keeps the worker's garbage collected early: the import's peak RSS is a target.
  const resourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };
  return new Worker(workerUrl, { workerData, resourceLimits });
}

/**
 * `window`: how many parsed batches the worker may have sent that the caller has not taken yet
 * (default 8). Some batches take longer to parse and others longer to write; with one batch of
 * slack each thread kept waiting for the other (about 6 s of 25 on the bench import), with eight
 * both keep busy. A batch of 64 changes is about 1 MB.
 */
export async function* parseExportInWorker(
  path: string,
  host: string,
  opts: { batchSize?: number; window?: number } = {},
): AsyncGenerator<PackedChanges, ExportStats, undefined> {
  const worker = startWorker({ path, host, batchSize: opts.batchSize ?? 250, window: opts.window ?? 8 });
  const queue: WorkerMessage[] = [];
  let notify: (() => void) | null = null;
  let crashed: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    notify?.();
    notify = null;
  });
  worker.on('error', (e) => {
    crashed = e;
    notify?.();
    notify = null;
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !crashed) crashed = new Error(`the parser worker exited with code ${code}`);
    notify?.();
    notify = null;
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        if (crashed)
          throw new StewardError('INTERNAL', `parsing ${path} failed: ${(crashed as Error).message}`, { where: path }, { cause: crashed });
        await new Promise<void>((r) => (notify = r));
      }
      const m = queue.shift()!;
      if (m.type === 'error') throw new StewardError(m.error.code, m.error.message, m.error.details);
      if (m.type === 'done') return m.stats;
      worker.postMessage({ type: 'more' });
      if (m.batch.count) yield m.batch;
    }
  } finally {
    await worker.terminate();
  }
}
