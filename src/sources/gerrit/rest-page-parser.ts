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
import { Worker } from 'node:worker_threads';
import { StewardError, type ErrorCode, type ErrorDetails } from '../../model/errors.js';
import { bodyBuffers } from '../http/body-buffers.js';
import type { DecodedBody } from './rest-body.js';
import type { PackedChangesPage } from './rest-page-decoder.js';

/** A page posted to the worker: its bytes are `buffer`'s first `length`; `buffer` is transferred (and comes back). */
export interface PageJob {
  id: number;
  buffer: ArrayBuffer;
  length: number;
  url: string;
  where: string;
}

/** What paging needs to know about a page, known before its changes are parsed. */
export interface PageHead {
  /** Changes on the page. */
  count: number;
  /** Whether Gerrit said more changes follow. */
  more: boolean;
}

/**
 * The worker's answers for one page: its body's buffer back (for the next response), its head,
 * then its packed changes; an error replaces either of the last two.
 */
export type PageReply =
  | { id: number; buffer: ArrayBuffer }
  | { id: number; head: DecodedBody<PageHead> }
  | { id: number; page: PackedChangesPage }
  | { id: number; error: { code: ErrorCode; message: string; details: ErrorDetails } };

/** A page whose head is known; its changes are still being parsed. */
export interface ParsingPage extends PageHead {
  /** The packed changes; rejects with SOURCE_BAD_RESPONSE for a change that cannot be read, or INTERNAL when the worker died. */
  parsed: Promise<PackedChangesPage>;
}

interface Waiting {
  where: string;
  /** Set until the head arrives. */
  head: { resolve: (d: DecodedBody<ParsingPage>) => void; reject: (e: Error) => void } | null;
  page: { resolve: (p: PackedChangesPage) => void; reject: (e: Error) => void } | null;
}

// The worker is the module next to this one with the same extension: .js compiled, .mjs when a
// test bundles the CLI, .ts from sources (under tsx).
const extensionOf = (url: URL): string => /\.[cm]?[jt]s$/.exec(url.pathname)?.[0] ?? '.js';
const WORKER_URL = new URL(`./rest-page-worker${extensionOf(new URL(import.meta.url))}`, import.meta.url);

// No old-generation limit (V8's default, as on the main thread): one page of large changes can
// take hundreds of MB while parsed, and a worker over its limit can take the process down with
// it. A small young generation keeps the sync's peak RSS down (a larger one saves some of the
// worker's garbage collection, but the sync's thread, writing, is the slower of the two): 6 MB
// rather than 16 took about 25 MB off the 50,000-change sync's peak at the same CPU
// (docs/benchmarks.md, sync).
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6 };

export interface RestPageParserOptions {
  /** The worker module; tests give one that fails on purpose. Default: rest-page-worker beside this module. */
  workerUrl?: URL;
}

export class RestPageParser {
  readonly #host: string;
  readonly #workerUrl: URL;
  #worker: Worker | null = null;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #failed: StewardError | null = null;
  #closing = false;

  constructor(host: string, options: RestPageParserOptions = {}) {
    this.#host = host;
    this.#workerUrl = options.workerUrl ?? WORKER_URL;
  }

  /**
   * Hands one page's body to the worker; resolves with the page's head as soon as the worker has
   * read it, its changes following in `parsed`. Pages are parsed in the order given. The body's
   * memory goes to the worker: the caller must not read it afterwards.
   *
   * @param ctx.url the request URL; ctx.where names the page in an error about one of its changes.
   * @throws StewardError SOURCE_BAD_RESPONSE when the JSON is not an array of changes, or INTERNAL when the worker died.
   */
  decode(body: Uint8Array, ctx: { url: string; where: string }): Promise<DecodedBody<ParsingPage>> {
    if (this.#failed) return Promise.reject(naming(this.#failed, ctx.where));
    if (this.#closing)
      return Promise.reject(new StewardError('INTERNAL', 'the page parser was used after it was closed', { where: ctx.where }));
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    // Transfer the buffer when the bytes start it (a response body's does: the worker moves it
    // back, and the client reads a later response into it); copy other views.
    const own = body.byteOffset === 0 && body.buffer instanceof ArrayBuffer ? body : body.slice();
    return new Promise((resolve, reject) => {
      // An idle worker does not keep the process alive; one with a page to parse does.
      if (this.#waiting.size === 0) worker.ref();
      this.#waiting.set(id, { where: ctx.where, head: { resolve, reject }, page: null });
      const job: PageJob = { id, buffer: own.buffer as ArrayBuffer, length: own.byteLength, url: ctx.url, where: ctx.where };
      worker.postMessage(job, [job.buffer]);
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
    const resourceLimits = RESOURCE_LIMITS;
    // A .ts worker (tests, under `node --import tsx`) runs `--import tsx` itself: it inherits the process's execArgv.
    const worker = new Worker(this.#workerUrl, { workerData, resourceLimits });
    this.#worker = worker;
    worker.on('message', (reply: PageReply) => this.#receive(worker, reply));
    worker.on('error', (e) => this.#died(`failed: ${e.message}`, e));
    worker.on('exit', (code) => this.#died(`exited with code ${code}`));
    worker.unref();
    return worker;
  }

  #receive(worker: Worker, reply: PageReply): void {
    if ('buffer' in reply) return bodyBuffers.give(reply.buffer);
    const waiting = this.#waiting.get(reply.id);
    if (!waiting) return;
    if ('head' in reply && waiting.head) {
      const head = waiting.head;
      waiting.head = null;
      if (!reply.head.ok) {
        this.#done(worker, reply.id);
        head.resolve(reply.head);
        return;
      }
      const parsed = new Promise<PackedChangesPage>((resolve, reject) => (waiting.page = { resolve, reject }));
      // Handled here so that a page abandoned after an earlier error is no unhandled rejection;
      // whoever awaits `parsed` still sees its error.
      parsed.catch(() => undefined);
      head.resolve({ ok: true, value: { ...reply.head.value, parsed } });
    } else if ('page' in reply && waiting.page) {
      this.#done(worker, reply.id);
      waiting.page.resolve(reply.page);
    } else if ('error' in reply) {
      this.#done(worker, reply.id);
      const error = new StewardError(reply.error.code, reply.error.message, reply.error.details);
      (waiting.head ?? waiting.page)?.reject(error);
    }
  }

  #done(worker: Worker, id: number): void {
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) worker.unref();
  }

  #died(how: string, cause?: Error): void {
    if (this.#closing || this.#failed) return;
    this.#worker = null;
    this.#fail(
      new StewardError(
        'INTERNAL',
        `the worker thread parsing pages of changes ${how}`,
        {
          hint: 'Nothing from the page it was parsing was stored (the pages before it were); run the same command again to resume. If it happens again, please report it.',
        },
        { cause },
      ),
    );
  }

  #fail(error: StewardError): void {
    if (!this.#closing) this.#failed = error;
    for (const [id, waiting] of this.#waiting) {
      this.#waiting.delete(id);
      (waiting.head ?? waiting.page)?.reject(naming(error, waiting.where));
    }
  }
}

/** `error` about the page `where`. */
function naming(error: StewardError, where: string): StewardError {
  return new StewardError(error.code, error.message, { ...error.details, where }, { cause: error.cause });
}
