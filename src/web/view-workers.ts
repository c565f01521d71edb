/**
 * Compute threads for `steward serve`: the catalogue's reports (the same entries the CLI runs)
 * computed on worker threads, each with its own store connection, instead of on the server's one
 * thread. Why: SQLite queries run synchronously, so on a big store one uncached report (the
 * overview of 100,000 changes takes seconds) held up every other request, cached ones and sign-ins
 * included. With compute threads the main thread only routes, serves the view cache and renders.
 *
 * `compute` is a ReportCompute, so buildApp and the view cache take it unchanged: a thread builds the
 * entry of the same name from its catalogue module. The `store` argument of each call is not used:
 * the thread reads its own connection to the same store.
 * Calls go to the thread with the fewest running; a thread that dies fails its calls with an
 * INTERNAL error and is replaced.
 */
import { Worker } from 'node:worker_threads';
import { StewardError, type ErrorCode, type ErrorDetails } from '../model/errors.js';
import type { Reader } from '../service/catalogue/report-entry.js';
import type { EffectiveConfig } from '../service/effective-config.js';
import type { ReportCompute } from './report-compute.js';

export interface ViewWorkerOptions {
  /** Number of threads (at least 1). */
  threads: number;
  /** Module whose `CATALOGUE` the threads run (default: service/catalogue/report-catalogue). */
  catalogueModule?: URL;
}

export interface ViewWorkerPool {
  compute: ReportCompute;
  /** Stops every thread (after closing its store connection). */
  close(): Promise<void>;
}

type Reply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: ErrorCode; message: string; details: ErrorDetails } };

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

// Compiled code runs the .js worker, TypeScript sources (tests, under `node --import tsx`) the .ts
// one: a worker inherits the process's execArgv, so it runs `--import tsx` itself first.
const fromSources = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./view-worker${fromSources ? '.ts' : '.js'}`, import.meta.url);
const defaultCatalogueModule = new URL(`../service/catalogue/report-catalogue${fromSources ? '.ts' : '.js'}`, import.meta.url);

// An idle thread does not keep the process alive (the listening server does).
function spawn(workerData: unknown): Worker {
  const worker = new Worker(workerUrl, { workerData });
  worker.unref();
  return worker;
}

/** Starts `threads` compute threads over the store at `location`. */
export function startViewWorkers(location: string, opts: ViewWorkerOptions): ViewWorkerPool {
  const setup = { location, catalogueModule: (opts.catalogueModule ?? defaultCatalogueModule).href };
  const threads: Thread[] = [];
  let nextId = 1;
  let closing = false;

  const start = (slot: number): void => {
    const t: Thread = { worker: spawn(setup), pending: new Map() };
    threads[slot] = t;
    t.worker.on('message', (r: Reply) => {
      const p = t.pending.get(r.id);
      if (!p) return;
      t.pending.delete(r.id);
      if (t.pending.size === 0) t.worker.unref();
      if (r.ok) p.resolve(r.value);
      else p.reject(new StewardError(r.error.code, r.error.message, r.error.details));
    });
    const fail = (why: string) => {
      for (const p of t.pending.values())
        p.reject(
          new StewardError('INTERNAL', `the compute thread stopped (${why}) while computing this report`, {
            hint: 'Try again; if it keeps failing, run the same report with the CLI and --debug.',
          }),
        );
      t.pending.clear();
      if (!closing && threads[slot] === t) start(slot);
    };
    t.worker.on('error', (e) => fail(e.message));
    t.worker.on('exit', (code) => fail(`exit code ${code}`));
  };
  const n = Math.max(1, Math.floor(opts.threads));
  for (let i = 0; i < n; i++) start(i);

  const call = (name: string, params: unknown, config: EffectiveConfig, now: number, reader: Reader): Promise<unknown> => {
    if (closing) return Promise.reject(new StewardError('INTERNAL', 'the server is shutting down'));
    let t = threads[0]!;
    for (const x of threads) if (x.pending.size < t.pending.size) t = x;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      // A thread with work in hand keeps the process alive until it answers.
      if (t.pending.size === 0) t.worker.ref();
      t.pending.set(id, { resolve, reject });
      t.worker.postMessage({ id, name, params, config, now, reader });
    });
  };
  // The thread ran the build of the entry of this name and sent its result back by structured clone:
  // the value has the entry's result type, which the message channel cannot carry.
  const compute: ReportCompute = async (entry, _store, params, config, now, reader) =>
    (await call(entry.name, params, config, now, reader)) as Awaited<ReturnType<typeof entry.build>>;

  return {
    compute,
    async close() {
      closing = true;
      await Promise.all(
        threads.map(
          (t) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => void t.worker.terminate().then(() => resolve()), 5000);
              t.worker.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              t.worker.postMessage({ type: 'close' });
            }),
        ),
      );
    },
  };
}
