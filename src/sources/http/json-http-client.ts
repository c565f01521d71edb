/**
 * A polite, robust JSON-over-HTTP client for connectors other than Gerrit's (Zuul first). It
 * follows the Gerrit client's approach (sources/gerrit/rest-client.ts) so that every source
 * behaves the same way under load and failure:
 *
 * - polite: at most `concurrency` requests in flight; exponential backoff with full jitter; the
 *   server's `Retry-After` honoured (capped);
 * - robust: 429, 500/502/503/504, timeouts, connections dropped mid-body and truncated JSON are
 *   retried within a per-request and a per-client budget; a host that never answered fails fast
 *   (DNS, refused), a host that answered before is retried (a restart);
 * - every final failure is a StewardError with a stable code (SOURCE_*), the URL in
 *   `details.where` and what to do next in `details.hint`.
 *
 * It fetches JSON and nothing else: turning JSON into records is each connector's parser's job.
 */
import { StewardError } from '../../model/errors.js';
import type { ErrorCode } from '../../model/errors.js';

/** Query parameters: arrays repeat the key; `undefined` values are left out. */
export type HttpQueryParams = Record<string, string | string[] | number | undefined>;

/** What {@link JsonHttpClientOptions.onRetry} is told before each retry's wait. */
export interface HttpRetryEvent {
  url: string;
  /** 1 for the first retry of this request, 2 for the second, … */
  attempt: number;
  /** Why the previous attempt failed, e.g. "HTTP 503 Service Unavailable". */
  reason: string;
  /** How long the client waits before the retry, in ms. */
  delayMs: number;
}

export interface JsonHttpClientOptions {
  /** The service root, e.g. `https://zuul.opendev.org`; requests are relative to it. */
  baseUrl: string;
  /** What the server is, for messages: "Zuul", "Launchpad". */
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
  onRetry?: (event: HttpRetryEvent) => void;
  /** Sent as User-Agent. Default "Steward". */
  userAgent?: string;
  /** What to tell the user on a 404 (which names in steward.yaml to check). */
  notFoundHint?: string;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED', 'CERT_UNTRUSTED', 'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH', 'EPROTO',
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
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

interface Failure {
  reason: string;
  retryable: boolean;
  kind: 'network' | 'http' | 'json';
  retryAfterMs?: number;
  error?: StewardError;
  cause?: unknown;
}

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
    if (next) next();
    else this.#free++;
  }
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
  /** Requests sent and retries made so far (for summaries and tests). */
  readonly stats = { requests: 0, retries: 0 };
  readonly root: string;
  readonly #service: string;
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
  readonly #notFoundHint: string;
  #reachedOnce = false;

  constructor(options: JsonHttpClientOptions) {
    this.#service = options.service;
    this.root = normaliseBaseUrl(options.baseUrl, options.service);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#semaphore = new Semaphore(atLeast(options.concurrency, 2, 1, 'concurrency'));
    this.#timeoutMs = atLeast(options.timeoutMs, 30_000, 1, 'timeoutMs');
    this.#maxRetriesPerRequest = atLeast(options.maxRetriesPerRequest, 6, 0, 'maxRetriesPerRequest');
    this.#maxTotalRetries = atLeast(options.maxTotalRetries, 30, 0, 'maxTotalRetries');
    this.#backoffBaseMs = atLeast(options.backoffBaseMs, 500, 0, 'backoffBaseMs');
    this.#backoffCapMs = atLeast(options.backoffCapMs, 30_000, 0, 'backoffCapMs');
    this.#retryAfterCapMs = atLeast(options.retryAfterCapMs, 120_000, 0, 'retryAfterCapMs');
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#onRetry = options.onRetry;
    this.#userAgent = options.userAgent ?? 'Steward';
    this.#notFoundHint = options.notFoundHint ?? `Check the ${options.service} URL and the names in steward.yaml (they are case-sensitive).`;
  }

  /** The full URL of `path` + `params`. */
  url(path: string, params?: HttpQueryParams): string {
    const query: string[] = [];
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) query.push(`${encodeQuery(key)}=${encodeQuery(String(v))}`);
    }
    const rel = path.startsWith('/') ? path : `/${path}`;
    return `${this.root}${rel}${query.length ? (rel.includes('?') ? '&' : '?') + query.join('&') : ''}`;
  }

  /**
   * GET `path` and return its JSON.
   *
   * @throws StewardError SOURCE_UNREACHABLE, SOURCE_TLS, SOURCE_AUTH, SOURCE_NOT_FOUND,
   *   SOURCE_BAD_RESPONSE or SOURCE_RETRIES_EXHAUSTED, with the URL in `details.where`.
   */
  async getJson<T = unknown>(path: string, params?: HttpQueryParams): Promise<T> {
    const url = this.url(path, params);
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(url);
      if (!('reason' in outcome)) return outcome.json as T;
      if (!outcome.retryable) throw outcome.error ?? this.#finalError(url, outcome, attempt);
      if (attempt >= this.#maxRetriesPerRequest || this.stats.retries >= this.#maxTotalRetries) throw this.#finalError(url, outcome, attempt);
      const delayMs = outcome.retryAfterMs !== undefined
        ? Math.min(outcome.retryAfterMs, this.#retryAfterCapMs)
        : Math.floor(this.#random() * Math.min(this.#backoffCapMs, this.#backoffBaseMs * 2 ** attempt));
      this.stats.retries++;
      this.#onRetry?.({ url, attempt: attempt + 1, reason: outcome.reason, delayMs });
      await this.#sleep(delayMs);
    }
  }

  /** A StewardError for a well-formed answer of the wrong shape (the connector's parser decides). */
  shapeError(url: string, expected: string, received: unknown): StewardError {
    return new StewardError('SOURCE_BAD_RESPONSE', `expected ${expected} from ${this.#service}, received ${describeJson(received)}.`, {
      where: url,
      hint: `Check that the URL points at the ${this.#service} root (the one its web dashboard is served from).`,
    });
  }

  async #attempt(url: string): Promise<{ json: unknown } | Failure> {
    await this.#semaphore.acquire();
    const controller = new AbortController();
    let timedOut = false;
    let onTimeout: (() => void) | undefined;
    // Raced against the body read too: an injected fetch might not tie its body to the signal.
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
    let body: string;
    try {
      this.stats.requests++;
      response = await Promise.race([
        this.#fetch(url, { headers: { Accept: 'application/json', 'User-Agent': this.#userAgent }, signal: controller.signal, redirect: 'follow' }),
        timeout,
      ]);
      body = await Promise.race([response.text(), timeout]);
    } catch (e) {
      return this.#networkFailure(url, e, timedOut, response !== undefined);
    } finally {
      clearTimeout(timer);
      this.#semaphore.release();
    }
    this.#reachedOnce = true;
    return this.#interpret(url, response, body);
  }

  #networkFailure(url: string, e: unknown, timedOut: boolean, midBody: boolean): Failure {
    const origin = new URL(url).origin;
    if (timedOut) return { reason: `timed out after ${this.#timeoutMs} ms${midBody ? ' reading the response' : ''}`, retryable: true, kind: 'network', cause: e };
    const code = errorCode(e);
    const words = (code && CODE_WORDS[code]) ?? innermostMessage(e);
    if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
      return {
        reason: `TLS failed (${code})`,
        retryable: false,
        kind: 'network',
        error: new StewardError('SOURCE_TLS', `TLS with ${origin} failed: ${innermostMessage(e)} (${code}).`, {
          where: url,
          hint: `The ${this.#service} server certificate is not trusted. Check the URL; for a private CA point NODE_EXTRA_CA_CERTS at its certificate.`,
        }, { cause: e }),
      };
    }
    const reason = code ? `${words} (${code})` : words;
    if (code && UNREACHABLE_CODES.has(code) && !this.#reachedOnce) {
      return {
        reason,
        retryable: false,
        kind: 'network',
        error: new StewardError('SOURCE_UNREACHABLE', `cannot reach ${this.#service} at ${origin}: ${reason}.`, {
          where: url,
          hint: `Check the ${this.#service} URL in steward.yaml and your network (proxy, VPN, firewall).`,
        }, { cause: e }),
      };
    }
    return { reason: midBody ? `connection dropped while reading the response: ${reason}` : reason, retryable: true, kind: 'network', cause: e };
  }

  #interpret(url: string, response: Response, body: string): { json: unknown } | Failure {
    const status = response.status;
    const statusText = response.statusText || STATUS_TEXT[status];
    const statusWords = statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}`;
    const text = body.trim();
    if (RETRYABLE_STATUSES.has(status)) {
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      return { reason: statusWords, retryable: true, kind: 'http', retryAfterMs };
    }
    const origin = new URL(url).origin;
    const serverSays = text ? `: ${quote(text, 200)}` : '';
    const fatal = (error: StewardError): Failure => ({ reason: error.message, retryable: false, kind: 'http', error });
    if (status === 401 || status === 403) {
      return fatal(new StewardError('SOURCE_AUTH', `${this.#service} at ${origin} refused access (${statusWords})${serverSays}.`, {
        where: url,
        hint: `This ${this.#service} tenant is not public; Steward reads only public ${this.#service} data.`,
      }));
    }
    if (status === 404) {
      return fatal(new StewardError('SOURCE_NOT_FOUND', `${this.#service} at ${origin} does not know what was asked for (${statusWords})${serverSays}.`, {
        where: url,
        hint: this.#notFoundHint,
      }));
    }
    if (status < 200 || status >= 300) {
      return fatal(new StewardError('SOURCE_BAD_RESPONSE', `${this.#service} at ${origin} answered ${statusWords}${serverSays}.`, {
        where: url,
        hint: status === 400
          ? `The server rejected the request's parameters; check the names in steward.yaml against this ${this.#service} version.`
          : `The server answered with an error Steward does not retry; try again later or tell the ${this.#service} operators.`,
      }));
    }
    const contentType = response.headers.get('content-type') ?? '';
    try {
      return { json: JSON.parse(body) as unknown };
    } catch (e) {
      if (looksLikeJson(contentType, text)) {
        // JSON that does not parse after a 200 is almost always a connection dropped mid-body.
        return { reason: `truncated or invalid JSON (${body.length} characters received)`, retryable: true, kind: 'json', cause: e };
      }
      const redirected = response.redirected && response.url ? ` (redirected to ${response.url})` : '';
      return fatal(new StewardError('SOURCE_BAD_RESPONSE', `expected JSON from ${this.#service} at ${origin}, received ${contentType || 'no content type'}, starting ${quote(text, 80)}${redirected}.`, {
        where: url,
        hint: `An HTML page usually means the URL is not the ${this.#service} root (for Zuul: the host serving /api/tenants) or a proxy sits in between.`,
      }, { cause: e }));
    }
  }

  #finalError(url: string, failure: Failure, attempt: number): StewardError {
    const budget = this.stats.retries >= this.#maxTotalRetries && attempt < this.#maxRetriesPerRequest
      ? ` The client's retry budget (${this.#maxTotalRetries} retries in total) is spent.`
      : '';
    const counts = `after ${attempt + 1} attempt${attempt === 0 ? '' : 's'} (${attempt} ${attempt === 1 ? 'retry' : 'retries'}; ${this.stats.retries} in this run)`;
    const origin = new URL(url).origin;
    const resume = 'Run the sync again later; it resumes from its last checkpoint.';
    let code: ErrorCode;
    let message: string;
    let hint: string;
    if (failure.kind === 'json') {
      code = 'SOURCE_BAD_RESPONSE';
      message = `${this.#service} at ${origin} kept sending JSON that does not parse ${counts}: ${failure.reason}.${budget}`;
      hint = `A proxy may be cutting responses short; try a smaller page size. ${resume}`;
    } else if (failure.kind === 'network') {
      code = 'SOURCE_UNREACHABLE';
      message = `cannot reach ${this.#service} at ${origin} ${counts}: ${failure.reason}.${budget}`;
      hint = `Check the ${this.#service} URL and your network. ${resume}`;
    } else {
      code = 'SOURCE_RETRIES_EXHAUSTED';
      message = `${this.#service} at ${origin} kept failing ${counts}: last failure ${failure.reason}.${budget}`;
      hint = `The server is overloaded or rate-limiting; lower the concurrency or page size. ${resume}`;
    }
    return new StewardError(code, message, { where: url, hint }, { cause: failure.cause });
  }
}

function normaliseBaseUrl(baseUrl: string, service: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (e) {
    throw new StewardError('CONFIG', `the ${service} URL ${quote(baseUrl, 100)} is not a valid URL.`, {
      hint: `Write it like https://zuul.opendev.org (the ${service} root, with any path prefix).`,
    }, { cause: e });
  }
  if (url.username || url.password) {
    throw new StewardError('CONFIG', `the ${service} URL ${url.origin} must not contain credentials.`, { hint: 'Remove user:password@ from the URL.' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StewardError('CONFIG', `the ${service} URL ${url.href} must start with https:// or http://.`, { where: url.href });
  }
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

function atLeast(value: number | undefined, fallback: number, min: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min) throw new StewardError('INTERNAL', `JsonHttpClient option ${name} must be a number ≥ ${min}, received ${v}.`);
  return v;
}

/** Percent-encode a query component, keeping `/` and `:` readable (as in the servers' own docs). */
function encodeQuery(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%3A/g, ':');
}

function looksLikeJson(contentType: string, text: string): boolean {
  if (text.startsWith('<')) return false;
  return /json/i.test(contentType) || text.startsWith('[') || text.startsWith('{');
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

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

function innermostMessage(e: unknown): string {
  let message = e instanceof Error ? e.message : String(e);
  let current: unknown = e;
  for (let i = 0; i < 8 && isObject(current) && current.cause !== undefined; i++) {
    current = current.cause;
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A short description of a JSON value for error messages (its kind and a quoted prefix). */
export function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return `${typeof value} ${quote(String(value), 80)}`;
}

/** JSON-quote the first `max` characters of `text`, whitespace collapsed (only a prefix is scanned). */
export function quote(text: string, max: number): string {
  const flat = text.slice(0, max * 8).replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}
