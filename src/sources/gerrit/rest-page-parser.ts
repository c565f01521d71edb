/**
 * Parses pages of changes on a worker thread, for `steward sync`: on a 2-core machine the main
 * thread fetches and writes the store while the worker turns the next page's bytes into a packed
 * batch (JSON.parse, rest-parser.ts, model/packed-changes.ts) — the import does the same with
 * export files (parallel-reader.ts).
 *
 * One worker per parser, started at the first page. Pages are decoded in the order they are
 * given. If the worker dies (a crash, running out of memory), every page waiting for it and every
 * later one fails with an INTERNAL error saying so, rather than waiting forever.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { StewardError, type ErrorCode, type ErrorDetails } from '../../model/errors.js';
import type { DecodedBody } from './rest-body.js';
import type { ParsedChangesPage } from './rest-page-decoder.js';

/** A page posted to the worker; `body` is transferred. */
export interface PageJob {
  id: number;
  body: Uint8Array;
  url: string;
  where: string;
}

/** The worker's answer for one page. */
export type PageReply =
  | { id: number; outcome: DecodedBody<ParsedChangesPage> }
  | { id: number; error: { code: ErrorCode; message: string; details: ErrorDetails } };

// The worker runs the module next to this one with the same extension: .js compiled, .mjs when a
// test bundles the CLI, .ts from sources (under tsx), where the worker must register tsx itself —
// Node 20 does not pass module hooks on to worker threads.
const extension = /\.[cm]?[jt]s$/.exec(new URL(import.meta.url).pathname)?.[0] ?? '.js';
const workerUrl = new URL(`./rest-page-worker${extension}`, import.meta.url);

export interface RestPageParserOptions {
  /**
   * The worker's heap limits. Default: 256 MB old generation, enough for Gerrit's largest pages
   * (the JSON of one page and its records), small enough to keep the sync's peak RSS down.
   */
  resourceLimits?: ResourceLimits;
}

export class RestPageParser {
  readonly #host: string;
  readonly #resourceLimits: ResourceLimits;
  #worker: Worker | null = null;
  readonly #pending = new Map<number, { resolve: (d: DecodedBody<ParsedChangesPage>) => void; reject: (e: Error) => void; where: string }>();
  #nextId = 0;
  #failed: StewardError | null = null;
  #closing = false;

  constructor(host: string, options: RestPageParserOptions = {}) {
    this.#host = host;
    this.#resourceLimits = options.resourceLimits ?? { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };
  }

  /**
   * Decodes one page's body on the worker. The body's memory is handed over to the worker: the
   * caller must not read it afterwards.
   *
   * @param ctx.url the request URL; ctx.where names the page in an error about one of its changes.
   * @throws StewardError SOURCE_BAD_RESPONSE (see decodeChangesPage), or INTERNAL when the worker died.
   */
  decode(body: Uint8Array, ctx: { url: string; where: string }): Promise<DecodedBody<ParsedChangesPage>> {
    if (this.#failed) return Promise.reject(this.#failed);
    if (this.#closing) return Promise.reject(new StewardError('INTERNAL', 'the page parser was used after it was closed', { where: ctx.where }));
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    // Transfer the bytes when they are a whole buffer of their own (a response body is); copy a view.
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject, where: ctx.where });
      const job: PageJob = { id, body: own, url: ctx.url, where: ctx.where };
      worker.postMessage(job, [own.buffer as ArrayBuffer]);
    });
  }

  /** Stops the worker; pages still waiting fail. */
  async close(): Promise<void> {
    this.#closing = true;
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
    this.#fail(new StewardError('INTERNAL', 'the page parser was closed while a page was being parsed'));
  }

  #start(): Worker {
    const workerData = { host: this.#host };
    const resourceLimits = this.#resourceLimits;
    const worker = extension === '.ts'
      ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData, resourceLimits })
      : new Worker(workerUrl, { workerData, resourceLimits });
    this.#worker = worker;
    worker.on('message', (reply: PageReply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      // An idle worker does not keep the process alive; one parsing a page does.
      if (this.#pending.size === 0) worker.unref();
      if ('error' in reply) waiting.reject(new StewardError(reply.error.code, reply.error.message, reply.error.details));
      else waiting.resolve(reply.outcome);
    });
    worker.on('error', (e) => this.#died(`failed: ${e.message}`, e));
    worker.on('exit', (code) => this.#died(`exited with code ${code}`));
    worker.unref();
    return worker;
  }

  #died(how: string, cause?: Error): void {
    if (this.#closing || this.#failed) return;
    this.#worker = null;
    this.#fail(new StewardError('INTERNAL', `the worker thread parsing pages of changes ${how}`, {
      hint: 'Nothing from the page it was parsing was stored (the pages before it were); run the same command again to resume. If it happens again, please report it.',
    }, { cause }));
  }

  #fail(error: StewardError): void {
    if (!this.#closing) this.#failed = error;
    for (const [id, waiting] of this.#pending) {
      this.#pending.delete(id);
      waiting.reject(error.details.where ? error : new StewardError(error.code, error.message, { ...error.details, where: waiting.where }, { cause: error.cause }));
    }
  }
}
