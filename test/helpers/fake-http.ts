/**
 * The plumbing every fake server of a test shares (fake-gerrit.ts, fake-zuul.ts, and the ones to
 * come): a real HTTP server on 127.0.0.1 (port 0), a request log, and fault injection — queued
 * faults (429 with Retry-After, 5xx, slow answers, connections dropped mid-body, truncated JSON,
 * an HTML page instead of JSON) or seeded random ones for soak tests — plus added latency and a
 * count of requests in flight.
 *
 * A fake extends {@link FakeHttpServer} with what is its server's own: its routes (`route`), what
 * it logs of a request (`logEntry`) and the HTML page a misconfigured proxy would send (`htmlPage`).
 *
 * @example
 * class FakeThing extends FakeHttpServer {
 *   constructor() { super('thing', '<!DOCTYPE html><html></html>'); }
 *   protected route(req, url) { if (url.pathname !== '/api') throw new FakeHttpError(404, 'Not Found'); return jsonReply([]); }
 * }
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fault does to one request. */
export type FakeFaultKind =
  /** Answer with this status (text/plain body), e.g. 429 with `retryAfter` seconds or an HTTP date. */
  | { status: number; retryAfter?: number | string; body?: string }
  /** Wait this long, then answer normally (make it longer than the client's timeout). */
  | { delayMs: number }
  /** Send the headers (full Content-Length) and half the body, then destroy the socket. */
  | { dropMidBody: true }
  /** Send a 200 with the first half of the body and a matching Content-Length: ends cleanly. */
  | { truncate: true }
  /** Send a 200 with the server's HTML page, as a misconfigured SSO proxy does. */
  | { html: true };

/** A queued fault; `match` limits it to requests whose path+query contains that text. */
export type FakeFault = FakeFaultKind & { match?: string };

/** One request as the server saw it; a fake may log more about it. */
export interface FakeHttpRequest {
  /** Path and query as sent, e.g. `/a/changes/?q=project:x&n=2&S=0`. */
  path: string;
  /** The status answered (0 when the connection was dropped before a status was sent). */
  status: number;
  /** The fault applied, if any, e.g. `status:503`, `delay:2500` or `dropMidBody`. */
  fault?: string;
}

/** An answer to send. */
export interface FakeReply {
  status: number;
  contentType: string;
  /** Text, or bytes already encoded (pages a fake serialised ahead of time). */
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** Thrown by a route: becomes a plain-text error reply (`message` and a newline), with `headers`. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';

const DEFAULT_RANDOM_FAULTS: FakeFaultKind[] = [
  { status: 429, retryAfter: 0 },
  { status: 500 },
  { status: 502 },
  { status: 503 },
  { dropMidBody: true },
  { truncate: true },
];
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A 200 answer with `value` as JSON, after `prefix` (Gerrit's `)]}'` line), ending in a newline. */
export function jsonReply(value: unknown, prefix = ''): FakeReply {
  return { status: 200, contentType: JSON_TYPE, body: prefix + JSON.stringify(value) + '\n' };
}

/**
 * A fake HTTP server. Fields are public and mutable on purpose: tests change the world, queue
 * faults and clear the log between calls.
 */
export abstract class FakeHttpServer<R extends FakeHttpRequest = FakeHttpRequest> {
  /** Faults applied, first matching first, to the next requests; each is used once. */
  faults: FakeFault[] = [];
  /** Every request, in arrival order. */
  log: R[] = [];
  /** Added to every request before it is answered, to make requests overlap. Default 0. */
  latencyMs = 0;

  readonly #name: string;
  readonly #htmlPage: string;
  #server: Server | undefined;
  #url = '';
  #inFlight = 0;
  #maxInFlight = 0;
  #random: { next: () => number; probability: number; kinds: FakeFaultKind[] } | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();

  /**
   * @param name the server's name in the fake's own bug reports ("fake gerrit bug: …").
   * @param htmlPage what an `{ html: true }` fault answers.
   */
  constructor(name: string, htmlPage: string) {
    this.#name = name;
    this.#htmlPage = htmlPage;
  }

  /** The answer to a request no fault took over; throw {@link FakeHttpError} for an error reply. */
  protected abstract route(req: IncomingMessage, url: URL): FakeReply;

  /** The log entry for a request as it arrives (`status` 0 until answered). */
  protected abstract logEntry(req: IncomingMessage, path: string): R;

  /** Requests being answered right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** The most requests ever answered at once. */
  get maxInFlight(): number {
    return this.#maxInFlight;
  }

  /** The base URL once started, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return this.#url;
  }

  /**
   * Fail each request with `probability` (0–1), picking a fault from `kinds` (default: 429, 500,
   * 502, 503, dropped mid-body, truncated), reproducibly from `seed`. `null` turns it off. Queued
   * `faults` take precedence.
   */
  randomFaults(options: { seed: number; probability: number; kinds?: FakeFaultKind[] } | null): void {
    this.#random = options
      ? { next: mulberry32(options.seed), probability: options.probability, kinds: options.kinds ?? DEFAULT_RANDOM_FAULTS }
      : undefined;
  }

  /** Start listening on 127.0.0.1 on a free port; returns the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) send(res, { status: 500, contentType: TEXT_TYPE, body: `fake ${this.#name} bug: ${String(e)}` });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.#url;
  }

  /** Stop listening and drop open connections (including ones held by `delayMs` faults). */
  async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#inFlight++;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    res.on('close', () => this.#inFlight--);
    const raw = req.url ?? '/';
    const entry = this.logEntry(req, raw);
    this.log.push(entry);

    if (this.latencyMs > 0) await this.#wait(this.latencyMs);
    const fault = this.#takeFault(raw);
    if (fault) entry.fault = describeFault(fault);
    if (fault && 'delayMs' in fault) await this.#wait(fault.delayMs);
    if (res.destroyed) return;

    let reply: FakeReply;
    if (fault && 'status' in fault) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      reply = { status: fault.status, contentType: TEXT_TYPE, body: fault.body ?? `${STATUS_TEXT[fault.status] ?? 'Error'}\n`, headers };
    } else if (fault && 'html' in fault) {
      reply = { status: 200, contentType: HTML_TYPE, body: this.#htmlPage };
    } else {
      try {
        reply = this.route(req, new URL(raw, 'http://fake.invalid'));
      } catch (e) {
        if (!(e instanceof FakeHttpError)) throw e;
        reply = { status: e.status, contentType: TEXT_TYPE, body: `${e.message}\n`, headers: e.headers };
      }
    }
    entry.status = reply.status;

    if (fault && 'dropMidBody' in fault) {
      const bytes = bytesOf(reply);
      res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': String(bytes.length), ...reply.headers });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
      return;
    }
    if (fault && 'truncate' in fault) {
      const bytes = bytesOf(reply);
      entry.status = 200;
      send(res, { ...reply, status: 200, body: bytes.subarray(0, Math.floor(bytes.length / 2)) });
      return;
    }
    send(res, reply);
  }

  #takeFault(path: string): FakeFaultKind | undefined {
    const i = this.faults.findIndex((f) => f.match === undefined || path.includes(f.match));
    if (i >= 0) return this.faults.splice(i, 1)[0];
    if (this.#random && this.#random.next() < this.#random.probability) {
      return this.#random.kinds[Math.floor(this.#random.next() * this.#random.kinds.length)];
    }
    return undefined;
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
    });
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  const bytes = bytesOf(reply);
  res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': String(bytes.length), ...reply.headers });
  res.end(bytes);
}

function bytesOf(reply: FakeReply): Buffer {
  return typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
}

function describeFault(f: FakeFaultKind): string {
  if ('status' in f) return `status:${f.status}`;
  if ('delayMs' in f) return `delay:${f.delayMs}`;
  return Object.keys(f).find((k) => k !== 'match') ?? 'fault';
}

/** A small seeded PRNG (mulberry32): the same seed gives the same fault sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
