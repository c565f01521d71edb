/**
 * An ingest job (one project's sync) on a worker thread whose young generation is capped, for the
 * sync process's peak RSS: in the main thread V8 lets its young generation grow to its maximum
 * while a sync allocates pages and rows at full speed (the Gerrit sync's main thread held 160 MB of
 * heap for 62 MB in use). Node takes that limit only when an isolate starts (`--max-semi-space-size`),
 * so a worker; it dies with the process, so a kill -9 stops the sync as before and the next run
 * resumes at the last stored page. `steward sync` (gerrit-sync-thread.ts) and `steward bugs sync`
 * (launchpad-sync-thread.ts) run their syncs through it.
 *
 * The job is plain data (the worker opens its own store connection and client from it; a password
 * in it stays in the two threads' memory). Progress and retries come back as events; an error
 * comes back with its code and details and is thrown in the caller's thread as the same
 * StewardError.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { StewardError, type ErrorCode, type ErrorDetails } from '../model/errors.js';

/** What a worker posts: events while it runs, then its result or its error. */
export type IngestWorkerMessage<Event, Result> =
  | { type: 'event'; event: Event }
  | { type: 'done'; result: Result }
  | { type: 'error'; error: { code: ErrorCode; message: string; details: ErrorDetails } };

/** How a job's worker is run and named in an error. */
export interface IngestThreadOptions<Event> {
  /** The worker module (see {@link ingestWorkerUrl}). */
  workerUrl: URL;
  /** The young generation's cap in MB (`resourceLimits.maxYoungGenerationSizeMb`). */
  youngGenerationMb: number;
  /** What runs, for an error: "the Gerrit sync of nova". */
  what: string;
  /** Where, for an error's details (the source's URL). */
  where: string;
  onEvent?: (event: Event) => void;
}

// Compiled code runs the .js worker, a test's bundle its .mjs one, TypeScript sources (tests) the .ts
// one: a worker inherits the process's execArgv, so it runs the TypeScript hooks itself first.
const extensionOf = (url: URL): string => /\.[cm]?[jt]s$/.exec(url.pathname)?.[0] ?? '.js';

/**
 * The URL of the worker module `name` beside the module at `moduleUrl` (its `import.meta.url`),
 * with that module's own extension.
 *
 * @example const url = ingestWorkerUrl('gerrit-sync-worker', import.meta.url);
 */
export function ingestWorkerUrl(name: string, moduleUrl: string): URL {
  return new URL(`./${name}${extensionOf(new URL(moduleUrl))}`, moduleUrl);
}

/**
 * Runs `job` on a new worker thread (the module at `o.workerUrl`, which calls {@link serveIngestJob}):
 * resolves with its result, calls `o.onEvent` for each event, rejects with the worker's
 * StewardError, or INTERNAL when the worker failed or ended without a result (killed, out of memory).
 *
 * @example
 * const r = await runIngestJob<Job, Event, Result>(job, { workerUrl, youngGenerationMb: 16, what: 'the sync of nova', where: url, onEvent });
 */
export function runIngestJob<Job, Event, Result>(job: Job, o: IngestThreadOptions<Event>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(o.workerUrl, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: o.youngGenerationMb } });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (m: IngestWorkerMessage<Event, Result>) => {
      if (m.type === 'event') {
        if (!settled) o.onEvent?.(m.event);
      } else if (m.type === 'done') settle(() => resolve(m.result));
      else settle(() => reject(new StewardError(m.error.code, m.error.message, m.error.details)));
    });
    worker.on('error', (e) =>
      settle(() => reject(new StewardError('INTERNAL', `${o.what} failed: ${e.message}`, { where: o.where }, { cause: e }))),
    );
    // Messages posted before the worker ended are delivered first; a worker that ends without a
    // result is an internal error.
    worker.on('exit', (code) =>
      setImmediate(() =>
        settle(() => reject(new StewardError('INTERNAL', `${o.what} stopped (worker exit code ${code})`, { where: o.where }))),
      ),
    );
  });
}

/**
 * The worker's side of {@link runIngestJob}: runs `run` on the job it was given, posting its events,
 * then its result or its error (a StewardError's code, message and details; anything else as
 * INTERNAL with its stack, named by `where(job)`).
 */
export async function serveIngestJob<Job, Event, Result>(
  run: (job: Job, emit: (event: Event) => void) => Promise<Result>,
  where: (job: Job) => string,
): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveIngestJob runs on a worker thread started by runIngestJob');
  const job = workerData as Job;
  const send = (m: IngestWorkerMessage<Event, Result>) => port.postMessage(m);
  // The thread's event loop is held until the job has settled: a job may await what only an unref'd
  // handle settles (the page parser's idle worker being terminated, rest-page-parser.ts close()),
  // and a worker whose loop runs empty ends (exit code 13) before it could post its result.
  const held = setInterval(() => undefined, 2 ** 30);
  try {
    send({ type: 'done', result: await run(job, (event) => send({ type: 'event', event })) });
  } catch (e) {
    send({
      type: 'error',
      error:
        e instanceof StewardError
          ? { code: e.code, message: e.message, details: e.details }
          : { code: 'INTERNAL', message: (e as Error)?.stack ?? String(e), details: { where: where(job) } },
    });
  } finally {
    clearInterval(held);
  }
}
