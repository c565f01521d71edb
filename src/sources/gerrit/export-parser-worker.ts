/**
 * Worker thread body for parseExportInWorker: reads an export file, parses every change into a
 * ChangeRecord, and sends them in packed batches (model/packed-changes.ts: flat arrays clone far
 * more cheaply than records) to the parent, at most `window` batches ahead of what the parent has
 * taken (so memory stays bounded when the store is slower than parsing).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StewardError } from '../../model/errors.js';
import { ChangePacker, type PackedChanges } from '../../model/packed-changes.js';
import { readGerritExport } from './export-reader.js';
import { parseRestChange } from './rest-parser.js';
import { parseSshChange } from './ssh-parser.js';

interface Job {
  path: string;
  host: string;
  batchSize: number;
  window: number;
}

const job = workerData as Job;
const port = parentPort!;
let credits = job.window;
let wake: (() => void) | null = null;
port.on('message', (m: { type: 'more' }) => {
  if (m.type === 'more') {
    credits += 1;
    wake?.();
    wake = null;
  }
});

async function send(batch: PackedChanges): Promise<void> {
  while (credits <= 0) await new Promise<void>((r) => (wake = r));
  credits -= 1;
  port.postMessage({ type: 'batch', batch });
}

try {
  const it = readGerritExport(job.path);
  // Created with the first change's format (one file holds one format: the reader makes sure).
  let packer: ChangePacker | null = null;
  for (;;) {
    const next = await it.next();
    if (next.done) {
      if (packer?.count) await send(packer.take());
      port.postMessage({ type: 'done', stats: next.value });
      break;
    }
    const item = next.value;
    packer ??= new ChangePacker(job.host, item.format);
    const ctx = { host: job.host, where: job.path, line: item.line ?? undefined };
    // Packed at once, so the record (and the parsed JSON) can go before the batch is full.
    packer.add(item.format === 'rest' ? parseRestChange(item.raw, ctx) : parseSshChange(item.raw, ctx));
    if (packer.count >= job.batchSize) await send(packer.take());
  }
} catch (e) {
  const err =
    e instanceof StewardError
      ? { code: e.code, message: e.message, details: e.details }
      : { code: 'INTERNAL', message: (e as Error)?.stack ?? String(e), details: { where: job.path } };
  port.postMessage({ type: 'error', error: err });
}
