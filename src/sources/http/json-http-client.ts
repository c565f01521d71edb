/**
 * The HTTP core every connector's client is built on (Gerrit, Zuul, Launchpad), so that every
 * source behaves the same way under load and failure:
 *
 * - polite: at most `concurrency` requests in flight; exponential backoff with full jitter; the
 *   server's `Retry-After` honoured (capped);
 * - robust: 429, 500/502/503/504, timeouts, connections dropped mid-body and truncated JSON are
 *   retried within a per-request and a per-client budget; a host that never answered fails fast
 *   (DNS, refused), a host that answered before is retried (a restart);
 * - every final failure is a StewardError with a stable code (SOURCE_*), the URL and the HTTP
 *   status in the message, the URL in `details.where` and what to do next in `details.hint`;
 * - credentials travel only in the request headers a connector gives; every message, `where`,
 *   hint and retry report is scrubbed of the connector's secrets as a last defence.
 *
 * What is a connector's own stays with it: its endpoints, its paging, how it authenticates (the
 * headers), its words for messages ({@link HttpWording}) and how a body becomes a value (a
 * {@link BodyDecoder}; by default JSON, after an optional XSSI guard line such as Gerrit's `)]}'`).
 * It fetches and decodes; turning JSON into records is each connector's parser's job.
 */
import { StewardError } from '../../model/errors.js';
import type { ErrorCode } from '../../model/errors.js';
import { bodyBuffers, readBody } from './body-buffers.js';
import {
  bodyText,
  decodeJsonBytes,
  describeJson,
  isObject,
  quote,
  stripUserinfo,
  type BodyDecoder,
  type DecodedBody,
} from './json-body.js';

export {
  bodyText,
  decodeJsonBytes,
  describeJson,
  isObject,
  quote,
  stripUserinfo,
  stripXssiPrefix,
  type BodyDecoder,
  type DecodedBody,
} from './json-body.js';

/** Query parameters: arrays repeat the key (`o=A&o=B`); `undefined` values are left out. */
export type HttpQueryParams = Record<string, string | string[] | number | undefined>;

/** What {@link JsonHttpClientOptions.onRetry} is told before each retry's wait. Never carries secrets. */
export interface HttpRetryEvent {
  /** The request URL, without credentials. */
  url: string;
  /** 1 for the first retry of this request, 2 for the second, … */
  attempt: number;
  /** Why the previous attempt failed, e.g. "HTTP 503 Service Unavailable" or "timed out after 30000 ms". */
  reason: string;
  /** How long the client waits before the retry, in ms. */
  delayMs: number;
}

/** A 401 or 403, for {@link HttpWording.auth} to put into words. */
export interface AuthRefusal {
  status: number;
  /** e.g. "HTTP 401 Unauthorized". */
  statusWords: string;
  /** How messages name the server ({@link HttpWording.server}). */
  server: string;
  /** `: "what the server said"`, or empty. */
  serverSays: string;
}

/**
 * How a client's messages name its server and what they tell the user to do. The defaults are
 * worded from `service`; a connector overrides what it knows better (Gerrit: credentials and
 * path prefixes; Zuul: tenants).
 */
export interface HttpWording {
  /** How messages name the server at `origin`. Default: `${service} at ${origin}`. */
  server: (origin: string) => string;
  /** For a base URL that does not parse. */
  invalidUrlHint: string;
  /** For a base URL with user:password@ in it. */
  credentialsInUrlHint: string;
  /** For a certificate that is not trusted. */
  tlsHint: string;
  /** For a host never reached that does not answer (DNS, refused): no retries. */
  unreachableHint: string;
  /** For connection failures that outlasted the retries; the advice to resume follows it. */
  networkHint: string;
  /** For 401 and 403, when {@link auth} is not given. */
  authHint: string;
  /** Message and hint for 401 and 403. Default: "<server> refused access (HTTP 403 …)" and {@link authHint}. */
  auth?: (refusal: AuthRefusal) => { message: string; hint: string };
  /** For 404. */
  notFoundHint: string;
  /** For 400. */
  badRequestHint: string;
  /** For any other status that is not retried. */
  otherStatusHint: string;
  /** For a 2xx answer that is not JSON (an HTML page). */
  notJsonHint: string;
}

export interface JsonHttpClientOptions {
  /** The service root, e.g. `https://zuul.opendev.org` or `https://host/gerrit`; requests are relative to it. */
  baseUrl: string;
  /** What the server is, for messages: "Gerrit", "Zuul", "Launchpad". */
  service: string;
  /** The fetch to use; defaults to the global one. Tests inject one. */
  fetch?: typeof fetch;
  /** Most requests in flight at once. Default 2. */
  concurrency?: number;
  /** Per-request timeout covering the headers and the whole body, in ms. Default 30000. */
  timeoutMs?: number;
  /** Retries of one request. Default 6. */
  maxRetriesPerRequest?: number;
  /** Retries over the client's life. Default 30. */
  maxTotalRetries?: number;
  /** Backoff before the first retry (the n-th waits up to base·2^(n-1)), in ms. Default 500. */
  backoffBaseMs?: number;
  /** Longest computed backoff, in ms. Default 30000. */
  backoffCapMs?: number;
  /** Longest wait a server's Retry-After may impose, in ms. Default 120000. */
  retryAfterCapMs?: number;
  /** Uniform [0, 1) source for the jitter; default Math.random. */
  random?: () => number;
  /** Waits `ms` milliseconds; tests record instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry, for logging. Never carries secrets. */
  onRetry?: (event: HttpRetryEvent) => void;
  /** Sent as User-Agent so server operators can tell who is calling. Default "Steward". */
  userAgent?: string;
  /**
   * Headers added to every request, e.g. Authorization; a function is called once per attempt
   * (OAuth signs each request with a fresh nonce). Never logged.
   */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Strings never to show (a password, a token, an encoded header): replaced by `***` in every error and retry report. */
  secrets?: ReadonlyArray<string | undefined>;
  /** A guard line some servers put before their JSON against XSSI (Gerrit: `)]}'`); removed before parsing. */
  xssiPrefix?: string;
  /** Percent-encodes a query key or value; default keeps `/` and `:` readable. */
  encodeQuery?: (s: string) => string;
  /** The connector's words for its messages; the rest default from `service`. */
  wording?: Partial<HttpWording>;
}

/** The client's limits as plain data, each set: what an ingest job carries to its worker thread (gerrit-sync.ts, launchpad-sync-thread.ts). */
export type HttpClientLimits = Required<
  Pick<JsonHttpClientOptions, 'concurrency' | 'timeoutMs' | 'maxTotalRetries' | 'maxRetriesPerRequest'>
>;

/** The result of {@link JsonHttpClient.request}: the decoded value, or no value for a status the caller accepted. */
export interface HttpAnswer<T> {
  status: number;
  /** The decoded body of a 2xx answer; undefined for a status in `accept`. */
  json: T | undefined;
  url: string;
}

const NO_STATUS: ReadonlySet<number> = new Set<number>();
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
// Failures that mean "this host/port does not answer at all". On a host the client has never
// reached they are a misconfiguration and fail fast; after a success they are a restart and retried.
// Every other connection-level failure (reset, dropped mid-body, EAI_AGAIN, stalls) is retried.
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);
const CODE_WORDS: Record<string, string> = {
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection dropped by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};
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

/** Why one attempt failed: retryable or not, and how to report it if it is the last. */
interface Failure {
  /** Short words for logs and messages, e.g. "HTTP 503 Service Unavailable". */
  reason: string;
  retryable: boolean;
  /** Which final error a retryable failure becomes when the retries run out. */
  kind: 'network' | 'http' | 'json';
  /** Server-requested wait (Retry-After), in ms. */
  retryAfterMs?: number;
  /** The final error when the failure is not retryable. */
  error?: StewardError;
  cause?: unknown;
}

/** Bounds how many requests are in flight; waiters are served first come, first served. */
class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(slots: number) {
    this.#free = slots;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    // Hand the slot straight to the next waiter so a newcomer cannot overtake it.
    if (next) next();
    else this.#free++;
  }
}

/** The default words for `service`'s messages. */
export function defaultWording(service: string): HttpWording {
  return {
    server: (origin) => `${service} at ${origin}`,
    invalidUrlHint: `Write it as the ${service} root, like https://host (with any path prefix).`,
    credentialsInUrlHint: 'Remove user:password@ from the URL.',
    tlsHint: `The ${service} server certificate is not trusted. Check the URL; for a private CA point NODE_EXTRA_CA_CERTS at its certificate.`,
    unreachableHint: `Check the ${service} URL in steward.yaml and your network (proxy, VPN, firewall).`,
    networkHint: `Check the ${service} URL and your network.`,
    authHint: `This ${service} data is not public; Steward reads only public ${service} data.`,
    notFoundHint: `Check the ${service} URL and the names in steward.yaml (they are case-sensitive).`,
    badRequestHint: `The server rejected the request's parameters; check the names in steward.yaml against this ${service} version.`,
    otherStatusHint: `The server answered with an error Steward does not retry; try again later or tell the ${service} operators.`,
    notJsonHint: `An HTML page usually means the URL is not the ${service} root or a proxy sits in between.`,
  };
}

/**
 * A JSON GET client with the house retry policy. One instance per server, shared by every sync
 * of that server so the concurrency limit and the retry budget hold for the server as a whole.
 *
 * @example
 * const http = new JsonHttpClient({ baseUrl: 'https://zuul.opendev.org', service: 'Zuul' });
 * const builds = await http.getJson('/api/tenant/openstack/builds', { project: 'openstack/nova', limit: 100 });
 */
export class JsonHttpClient {
  /** Requests sent (retries included) and retries made so far, over the client's life. */
  readonly stats = { requests: 0, retries: 0 };
  /** The base URL requests are built on, without credentials or a trailing slash. */
  readonly root: string;
  readonly #service: string;
  readonly #words: HttpWording;
  readonly #fetch: typeof fetch;
  readonly #semaphore: Semaphore;
  readonly #timeoutMs: number;
  readonly #maxRetriesPerRequest: number;
  readonly #maxTotalRetries: number;
  readonly #backoffBaseMs: number;
  readonly #backoffCapMs: number;
  readonly #retryAfterCapMs: number;
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onRetry: ((event: HttpRetryEvent) => void) | undefined;
  readonly #userAgent: string;
  // Private fields so that neither util.inspect nor JSON.stringify of the client shows credentials.
  readonly #headers: Record<string, string> | (() => Record<string, string>) | undefined;
  readonly #secrets: string[];
  readonly #xssiPrefix: string | undefined;
  readonly #encodeQuery: (s: string) => string;
  #reachedOnce = false;
  /** While the server asked us to wait (Retry-After, or a backoff after a failure): when the wait ends, and the wait itself. */
  #pauseUntil = 0;
  #pause: Promise<void> | undefined;

  constructor(options: JsonHttpClientOptions) {
    this.#service = options.service;
    this.#words = { ...defaultWording(options.service), ...options.wording };
    this.root = normaliseBaseUrl(options.baseUrl, options.service, this.#words);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#semaphore = new Semaphore(this.#atLeast(options.concurrency, 2, 1, 'concurrency'));
    this.#timeoutMs = this.#atLeast(options.timeoutMs, 30_000, 1, 'timeoutMs');
    this.#maxRetriesPerRequest = this.#atLeast(options.maxRetriesPerRequest, 6, 0, 'maxRetriesPerRequest');
    this.#maxTotalRetries = this.#atLeast(options.maxTotalRetries, 30, 0, 'maxTotalRetries');
    this.#backoffBaseMs = this.#atLeast(options.backoffBaseMs, 500, 0, 'backoffBaseMs');
    this.#backoffCapMs = this.#atLeast(options.backoffCapMs, 30_000, 0, 'backoffCapMs');
    this.#retryAfterCapMs = this.#atLeast(options.retryAfterCapMs, 120_000, 0, 'retryAfterCapMs');
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#onRetry = options.onRetry;
    this.#userAgent = options.userAgent ?? 'Steward';
    this.#headers = options.headers;
    this.#secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
    this.#xssiPrefix = options.xssiPrefix;
    this.#encodeQuery = options.encodeQuery ?? encodeQuery;
  }

  /** The full URL of `path` + `params`; `path` may carry a query string of its own, to which `params` are appended. */
  url(path: string, params?: HttpQueryParams): string {
    const query: string[] = [];
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) query.push(`${this.#encodeQuery(key)}=${this.#encodeQuery(String(v))}`);
    }
    const rel = path.startsWith('/') ? path : `/${path}`;
    return `${this.root}${rel}${query.length ? (rel.includes('?') ? '&' : '?') + query.join('&') : ''}`;
  }

  /**
   * GET `path` and return its JSON (after the XSSI guard line, when the client has one).
   *
   * @throws StewardError SOURCE_UNREACHABLE, SOURCE_TLS, SOURCE_AUTH, SOURCE_NOT_FOUND,
   *   SOURCE_BAD_RESPONSE or SOURCE_RETRIES_EXHAUSTED, with the URL in `details.where`.
   */
  async getJson<T = unknown>(path: string, params?: HttpQueryParams): Promise<T> {
    const { json } = await this.request(this.url(path, params), { decode: this.decodeJson });
    return json as T;
  }

  /**
   * GET a link the server gave (a next page such as Launchpad's `next_collection_link`) and return
   * its JSON. The link must lie under {@link root}: the client's headers (credentials) go nowhere else.
   *
   * @throws StewardError SOURCE_BAD_RESPONSE for a link outside the root; otherwise as {@link getJson}.
   */
  async getJsonAt<T = unknown>(link: string): Promise<T> {
    const { json } = await this.request(this.within(link), { decode: this.decodeJson });
    return json as T;
  }

  /** `link` when it lies under {@link root}, else a SOURCE_BAD_RESPONSE error. */
  within(link: string): string {
    let url: URL | undefined;
    try {
      url = new URL(link, `${this.root}/`);
    } catch {
      url = undefined;
    }
    const href = url?.href;
    if (
      !href ||
      url!.username ||
      url!.password ||
      !(href === this.root || href.startsWith(`${this.root}/`) || href.startsWith(`${this.root}?`))
    ) {
      throw this.scrub(
        new StewardError('SOURCE_BAD_RESPONSE', `${this.#service} sent a link outside ${this.root}: ${quote(stripUserinfo(link), 200)}.`, {
          where: this.root,
          hint: `Steward follows only links under the configured ${this.#service} URL; check that it is the root the server itself uses.`,
        }),
      );
    }
    return href;
  }

  /** The default body decoder: JSON, after the XSSI guard line when the client has one. */
  readonly decodeJson = (body: Uint8Array): DecodedBody<unknown> => decodeJsonBytes(body, this.#xssiPrefix);

  /**
   * One logical GET of `url` with retries. Statuses in `accept` are answered (`json` undefined)
   * rather than thrown, for callers that treat them as an answer (a fallback on 404). A 2xx
   * body goes to `decode`; a StewardError it throws ends the request (scrubbed, not retried).
   *
   * @throws StewardError as {@link getJson}.
   */
  async request<T>(url: string, opts: { decode: BodyDecoder<T>; accept?: ReadonlySet<number> }): Promise<HttpAnswer<T>> {
    const accept = opts.accept ?? NO_STATUS;
    for (let attempt = 0; ; attempt++) {
      let outcome: HttpAnswer<T> | Failure;
      try {
        outcome = await this.#attempt(url, accept, opts.decode);
      } catch (e) {
        // Only the decoder throws (a body it rejects, or its worker failing): final, not retried.
        throw e instanceof StewardError ? this.scrub(e) : e;
      }
      if (!('reason' in outcome)) return outcome;
      const failure = outcome;
      if (!failure.retryable) throw this.scrub(failure.error ?? this.#finalError(url, failure, attempt));
      if (attempt >= this.#maxRetriesPerRequest || this.stats.retries >= this.#maxTotalRetries) {
        throw this.scrub(this.#finalError(url, failure, attempt));
      }
      const delayMs = this.#delay(attempt + 1, failure.retryAfterMs);
      this.stats.retries++;
      this.#onRetry?.({ url, attempt: attempt + 1, reason: this.#redact(failure.reason), delayMs });
      await this.#pauseAll(delayMs);
    }
  }

  /** A StewardError for a well-formed answer of the wrong shape (the connector's parser decides). */
  shapeError(url: string, expected: string, received: unknown): StewardError {
    return this.scrub(
      new StewardError('SOURCE_BAD_RESPONSE', `expected ${expected} from ${this.#service}, received ${describeJson(received)}.`, {
        where: url,
        hint: `Check that the URL points at the ${this.#service} root (the one its web dashboard is served from).`,
      }),
    );
  }

  /** `error` with the client's secrets replaced by `***` in its message, `where` and hint (itself when there are none). */
  scrub(error: StewardError): StewardError {
    const message = this.#redact(error.message);
    const details = { ...error.details };
    if (details.where) details.where = this.#redact(details.where);
    if (details.hint) details.hint = this.#redact(details.hint);
    if (message === error.message && details.where === error.details.where && details.hint === error.details.hint) return error;
    return new StewardError(error.code, message, details, { cause: error.cause });
  }

  /** Remove the secrets from a string: a last defence in case a server echoes them back. */
  #redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join('***');
    return out;
  }

  /** Backoff before retry number `retry` (1-based): Retry-After when given, else full jitter. */
  #delay(retry: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.#retryAfterCapMs);
    const ceiling = Math.min(this.#backoffCapMs, this.#backoffBaseMs * 2 ** (retry - 1));
    return Math.floor(this.#random() * ceiling);
  }

  /**
   * Waits `ms` before a retry and holds every other request back as long: the wait a failure (or
   * the server's Retry-After) imposes applies to the server, not to the one request, so requests
   * in flight at the same time do not keep hitting an overloaded server. A longer wait replaces a
   * shorter one; a shorter one joins the longer one already running.
   */
  async #pauseAll(ms: number): Promise<void> {
    const until = Date.now() + ms;
    if (!this.#pause || until > this.#pauseUntil) {
      this.#pauseUntil = until;
      const pause: Promise<void> = this.#sleep(ms).then(() => {
        if (this.#pause === pause) this.#pause = undefined;
      });
      this.#pause = pause;
    }
    await this.#pause;
  }

  /** Send one HTTP request and read its body, all within the timeout and a concurrency slot. */
  async #attempt<T>(url: string, accept: ReadonlySet<number>, decode: BodyDecoder<T>): Promise<HttpAnswer<T> | Failure> {
    await this.#semaphore.acquire();
    // A request that got its slot while the server asked everyone to wait waits too.
    while (this.#pause) await this.#pause;
    const controller = new AbortController();
    let timedOut = false;
    let onTimeout: (() => void) | undefined;
    // A promise that rejects on timeout, raced against the body read: an injected fetch might not
    // tie its body stream to the signal, and a stalled body must not hang the sync.
    const timeout = new Promise<never>((_, reject) => {
      onTimeout = () => reject(new Error(`timed out after ${this.#timeoutMs} ms`));
    });
    timeout.catch(() => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      onTimeout?.();
    }, this.#timeoutMs);
    let response: Response | undefined;
    let body: Uint8Array;
    try {
      this.stats.requests++;
      const extra = typeof this.#headers === 'function' ? this.#headers() : this.#headers;
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.#userAgent, ...extra };
      response = await Promise.race([this.#fetch(url, { headers, signal: controller.signal, redirect: 'follow' }), timeout]);
      // Bytes, not text: a decoder may decode them on another thread. Read into a reused buffer
      // (body-buffers.ts): a new one per page left glibc's arenas holding the freed ones.
      body = await Promise.race([readBody(response, bodyBuffers), timeout]);
    } catch (e) {
      return this.#networkFailure(url, e, timedOut, response !== undefined);
    } finally {
      clearTimeout(timer);
      this.#semaphore.release();
    }
    this.#reachedOnce = true;
    try {
      return await this.#interpret(url, response, body, accept, decode);
    } finally {
      // The decoder is done with the bytes (or moved their buffer away, and gives it back itself).
      bodyBuffers.give(body.buffer as ArrayBuffer);
    }
  }

  /** Classify a thrown fetch/body error: TLS (final), unreachable (final on a never-reached host), or transient. */
  #networkFailure(url: string, e: unknown, timedOut: boolean, midBody: boolean): Failure {
    const origin = new URL(url).origin;
    if (timedOut) {
      return {
        reason: `timed out after ${this.#timeoutMs} ms${midBody ? ' reading the response' : ''}`,
        retryable: true,
        kind: 'network',
        cause: e,
      };
    }
    const code = errorCode(e);
    const words = (code && CODE_WORDS[code]) ?? innermostMessage(e);
    if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
      const error = new StewardError(
        'SOURCE_TLS',
        `TLS with ${origin} failed: ${innermostMessage(e)} (${code}).`,
        { where: url, hint: this.#words.tlsHint },
        { cause: e },
      );
      return { reason: `TLS failed: ${innermostMessage(e)} (${code})`, retryable: false, kind: 'network', error };
    }
    const reason = code ? `${words} (${code})` : words;
    if (code && UNREACHABLE_CODES.has(code) && !this.#reachedOnce) {
      const error = new StewardError(
        'SOURCE_UNREACHABLE',
        `cannot reach ${this.#words.server(origin)}: ${reason}.`,
        { where: url, hint: this.#words.unreachableHint },
        { cause: e },
      );
      return { reason, retryable: false, kind: 'network', error };
    }
    // Anything else thrown by fetch is a connection-level problem: after a success it is most
    // likely transient (a restart, a reset), and an unknown code is retried rather than fatal.
    return {
      reason: midBody ? `connection dropped while reading the response: ${reason}` : reason,
      retryable: true,
      kind: 'network',
      cause: e,
    };
  }

  /** Turn a complete HTTP response into a decoded value, a retryable failure, or a final error. */
  async #interpret<T>(
    url: string,
    response: Response,
    body: Uint8Array,
    accept: ReadonlySet<number>,
    decode: BodyDecoder<T>,
  ): Promise<HttpAnswer<T> | Failure> {
    const status = response.status;
    const statusText = response.statusText || STATUS_TEXT[status];
    const statusWords = statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}`;
    if (accept.has(status)) return { status, json: undefined, url };
    if (RETRYABLE_STATUSES.has(status)) {
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      return { reason: statusWords, retryable: true, kind: 'http', retryAfterMs };
    }
    if (status >= 200 && status < 300) return this.#decoded(url, response, await decode(body, url));
    const server = this.#words.server(new URL(url).origin);
    const text = bodyText(body).trim();
    const serverSays = text ? `: ${quote(text, 200)}` : '';
    if (status === 401 || status === 403) {
      const { message, hint } = this.#words.auth?.({ status, statusWords, server, serverSays }) ?? {
        message: `${server} refused access (${statusWords})${serverSays}.`,
        hint: this.#words.authHint,
      };
      return fatal(new StewardError('SOURCE_AUTH', message, { where: url, hint }));
    }
    if (status === 404) {
      return fatal(
        new StewardError('SOURCE_NOT_FOUND', `${server} does not know what was asked for (${statusWords})${serverSays}.`, {
          where: url,
          hint: this.#words.notFoundHint,
        }),
      );
    }
    return fatal(
      new StewardError('SOURCE_BAD_RESPONSE', `${server} answered ${statusWords}${serverSays}.`, {
        where: url,
        hint: status === 400 ? this.#words.badRequestHint : this.#words.otherStatusHint,
      }),
    );
  }

  /** A 2xx body as its decoder saw it: the value, or — when it was not JSON — a retryable failure or a final error. */
  #decoded<T>(url: string, response: Response, decoded: DecodedBody<T>): HttpAnswer<T> | Failure {
    if (decoded.ok) return { status: response.status, json: decoded.value, url };
    const e = new SyntaxError(decoded.error);
    const contentType = response.headers.get('content-type') ?? '';
    if (this.#looksLikeJson(contentType, decoded.head)) {
      // JSON that does not parse after a 200 is almost always a connection dropped mid-body:
      // retried, and reported as a bad response only if it keeps happening.
      return { reason: `truncated or invalid JSON (${decoded.chars} characters received)`, retryable: true, kind: 'json', cause: e };
    }
    const redirected = response.redirected && response.url ? ` (redirected to ${stripUserinfo(response.url)})` : '';
    const received = `${contentType || 'no content type'}, starting ${quote(decoded.head, 80)}`;
    return fatal(
      new StewardError(
        'SOURCE_BAD_RESPONSE',
        `expected JSON from ${this.#words.server(new URL(url).origin)}, received ${received}${redirected}.`,
        {
          where: url,
          hint: this.#words.notJsonHint,
        },
        { cause: e },
      ),
    );
  }

  #looksLikeJson(contentType: string, head: string): boolean {
    if (head.startsWith('<')) return false;
    if (this.#xssiPrefix && head.startsWith(this.#xssiPrefix)) return true;
    return /json/i.test(contentType) || head.startsWith('[') || head.startsWith('{');
  }

  /** The error for a retryable failure that ran out of retries (or hit the client budget). */
  #finalError(url: string, failure: Failure, attempt: number): StewardError {
    const budget =
      this.stats.retries >= this.#maxTotalRetries && attempt < this.#maxRetriesPerRequest
        ? ` The client's retry budget (${this.#maxTotalRetries} retries in total) is spent.`
        : '';
    const counts = `after ${attempt + 1} attempt${attempt === 0 ? '' : 's'} (${attempt} ${attempt === 1 ? 'retry' : 'retries'}; ${this.stats.retries} in this run)`;
    const server = this.#words.server(new URL(url).origin);
    const resume = 'Run the sync again later; it resumes from its last checkpoint.';
    let code: ErrorCode;
    let message: string;
    let hint: string;
    if (failure.kind === 'json') {
      code = 'SOURCE_BAD_RESPONSE';
      message = `${server} kept sending JSON that does not parse ${counts}: ${failure.reason}.${budget}`;
      hint = `A proxy may be cutting responses short; try a smaller page size. ${resume}`;
    } else if (failure.kind === 'network') {
      code = 'SOURCE_UNREACHABLE';
      message = `cannot reach ${server} ${counts}: ${failure.reason}.${budget}`;
      hint = `${this.#words.networkHint} ${resume}`;
    } else {
      code = 'SOURCE_RETRIES_EXHAUSTED';
      message = `${server} kept failing ${counts}: last failure ${failure.reason}.${budget}`;
      hint = `The server is overloaded or rate-limiting; lower the concurrency or page size. ${resume}`;
    }
    return new StewardError(code, message, { where: url, hint }, { cause: failure.cause });
  }

  #atLeast(value: number | undefined, fallback: number, min: number, name: string): number {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v < min)
      throw new StewardError('INTERNAL', `${this.#service} client option ${name} must be a number ≥ ${min}, received ${v}.`);
    return v;
  }
}

function fatal(error: StewardError): Failure {
  return { reason: error.message, retryable: false, kind: 'http', error };
}

/** Validate and normalise a base URL: http(s), no credentials, no query, no trailing slash. */
function normaliseBaseUrl(baseUrl: string, service: string, words: HttpWording): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (e) {
    throw new StewardError(
      'CONFIG',
      `the ${service} URL ${quote(stripUserinfo(baseUrl), 100)} is not a valid URL.`,
      { hint: words.invalidUrlHint },
      { cause: e },
    );
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new StewardError('CONFIG', `the ${service} URL ${url.origin} must not contain credentials.`, {
      where: url.href,
      hint: words.credentialsInUrlHint,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StewardError('CONFIG', `the ${service} URL ${url.href} must start with https:// or http://.`, { where: url.href });
  }
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

/** Percent-encode a query component, keeping `/` and `:` readable (as in the servers' own docs). */
function encodeQuery(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%3A/g, ':');
}

/** Retry-After as delay-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The first `code` found along the cause chain (and inside AggregateErrors, as Node's happy eyeballs throws). */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (!isObject(e) || depth > 8) return undefined;
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = errorCode(inner, depth + 1);
      if (code) return code;
    }
  }
  return errorCode(e.cause, depth + 1);
}

/** The message of the deepest cause: "fetch failed" alone says nothing. */
function innermostMessage(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e);
  let current: unknown = e;
  for (let i = 0; i < 8 && isObject(current) && current.cause !== undefined; i++) {
    current = current.cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
}
