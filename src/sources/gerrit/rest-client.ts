/**
 * A polite, robust client for the Gerrit REST API: it fetches JSON and nothing else. Turning the
 * JSON into records is rest-parser.ts's job (STYLE.md: connectors split fetching from parsing).
 *
 * Polite: at most `concurrency` requests in flight, exponential backoff with full jitter, and the
 * server's `Retry-After` honoured. Robust: transient failures (429, 500/502/503/504, timeouts,
 * connections dropped mid-body, truncated JSON) are retried within a per-request and a per-client
 * budget; everything else becomes a {@link StewardError} with a stable code, the URL in
 * `details.where` and what to do next in `details.hint`.
 *
 * Credentials never leave this module except in the Authorization header: URLs carry no userinfo,
 * and every message, `where` and `onRetry` report is scrubbed of the password as a last defence.
 */
import { StewardError } from '../../model/errors.js';
import type { ErrorCode } from '../../model/errors.js';
import { bodyText, changesArray, decodeJsonBody, isObject, quote, shapeError, XSSI_PREFIX, type BodyDecoder, type DecodedBody } from './rest-body.js';
import type { RestAccountInfo } from './rest-types.js';

export type { BodyDecoder, DecodedBody } from './rest-body.js';

/** Query parameters: arrays repeat the key (`o=A&o=B`); `undefined` values are left out. */
export type QueryParams = Record<string, string | string[] | number | undefined>;

/** What {@link GerritClientOptions.onRetry} is told before each retry's wait. */
export interface RetryEvent {
  /** The request URL, without credentials. */
  url: string;
  /** 1 for the first retry of this request, 2 for the second, … */
  attempt: number;
  /** Why the previous attempt failed, e.g. "HTTP 503 Service Unavailable" or "timed out after 30000 ms". */
  reason: string;
  /** How long the client waits before the retry, in milliseconds. */
  delayMs: number;
}

export interface GerritClientOptions {
  /** The Gerrit root, e.g. `https://review.opendev.org` or `https://host/gerrit` (a path prefix). */
  baseUrl: string;
  /** HTTP basic credentials (Gerrit's HTTP password); when present requests go to the `/a/` prefix. */
  auth?: { username: string; password: string };
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Most requests in flight at once. Default 2. */
  concurrency?: number;
  /** Per-request timeout covering the response headers and the whole body, in ms. Default 30000. */
  timeoutMs?: number;
  /** Retries of one request before giving up. Default 6. */
  maxRetriesPerRequest?: number;
  /** Retries over the client's life before giving up on every request. Default 30. */
  maxTotalRetries?: number;
  /** Backoff before the first retry (the n-th waits up to base·2^(n-1)), in ms. Default 500. */
  backoffBaseMs?: number;
  /** Longest computed backoff, in ms. Default 30000. */
  backoffCapMs?: number;
  /** Longest wait a server's `Retry-After` may impose, in ms. Default 120000. */
  retryAfterCapMs?: number;
  /** Uniform [0, 1) source for the jitter; defaults to Math.random. Injected by tests. */
  random?: () => number;
  /** Waits `ms` milliseconds; injected by tests to record delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Told about each retry, for logging. Never carries credentials. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * What to tell the user when the server wants credentials and none were given (the CLI knows
   * the config keys and environment variables; this module does not).
   */
  authHint?: string;
  /** Sent as User-Agent so server operators can tell who is calling. Default "Steward". */
  userAgent?: string;
}

/** A Gerrit group as {@link GerritClient.findGroup} returns it. */
export interface GerritGroupRef {
  /** The group UUID, decoded (Gerrit sends it URL-encoded, e.g. `global%3ARegistered-Users`). */
  id: string;
  name: string;
  /** The legacy numeric id, when the server sends it. */
  group_id?: number;
}

/**
 * What a page decoder for {@link GerritClient.queryChangePages} makes of one page: its own value
 * plus what paging needs — how many changes the page held and whether Gerrit said more follow.
 */
export interface DecodedChangesPage {
  count: number;
  more: boolean;
}

/** One page of {@link GerritClient.queryChanges}. */
export interface ChangesPage {
  /** The raw ChangeInfo JSON objects of this page, unparsed. */
  changes: unknown[];
  /** The offset (`S=`) this page was asked for. */
  start: number;
  /** Whether Gerrit said more changes follow (`_more_changes` on the last element). */
  more: boolean;
}

const NO_STATUS = new Set<number>();
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
// Failures that mean "this host/port does not answer at all". On a host the client has never
// reached they are a misconfiguration and fail fast; after a success they are a restart and retried.
// Every other connection-level failure (reset, dropped mid-body, EAI_AGAIN, stalls) is retried.
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

/** Why one attempt failed: retryable or not, and how to report it if it is the last. */
interface Failure {
  /** Short words for logs and messages, e.g. "HTTP 503 Service Unavailable". */
  reason: string;
  retryable: boolean;
  /** The error to throw when this failure ends the request (not retried, or retries ran out). */
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

/**
 * Gerrit REST client. One instance per host; share it between syncs of that host so the
 * concurrency limit and the retry budget hold for the host as a whole.
 *
 * @example
 * const client = new GerritClient({ baseUrl: 'https://review.opendev.org' });
 * for await (const page of client.queryChanges('project:openstack/nova status:open', { options: ['MESSAGES'], pageSize: 100 })) {
 *   console.log(page.start, page.changes.length);
 * }
 */
export class GerritClient {
  /** Requests actually sent (retries included) and retries made, over the client's life. */
  readonly stats = { requests: 0, retries: 0 };

  readonly #root: string;
  readonly #username: string | undefined;
  // Private fields so that neither util.inspect nor JSON.stringify of the client shows credentials.
  readonly #authorization: string | undefined;
  readonly #password: string | undefined;
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
  readonly #onRetry: ((event: RetryEvent) => void) | undefined;
  readonly #authHint: string;
  readonly #userAgent: string;
  #reachedOnce = false;

  constructor(options: GerritClientOptions) {
    this.#root = normaliseBaseUrl(options.baseUrl);
    if (options.auth) {
      this.#username = options.auth.username;
      this.#password = options.auth.password;
      this.#authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`, 'utf8').toString('base64')}`;
    }
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#semaphore = new Semaphore(positive(options.concurrency, 2, 'concurrency'));
    this.#timeoutMs = positive(options.timeoutMs, 30_000, 'timeoutMs');
    this.#maxRetriesPerRequest = nonNegative(options.maxRetriesPerRequest, 6, 'maxRetriesPerRequest');
    this.#maxTotalRetries = nonNegative(options.maxTotalRetries, 30, 'maxTotalRetries');
    this.#backoffBaseMs = nonNegative(options.backoffBaseMs, 500, 'backoffBaseMs');
    this.#backoffCapMs = nonNegative(options.backoffCapMs, 30_000, 'backoffCapMs');
    this.#retryAfterCapMs = nonNegative(options.retryAfterCapMs, 120_000, 'retryAfterCapMs');
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#onRetry = options.onRetry;
    this.#authHint =
      options.authHint ??
      'Give Steward a Gerrit username and HTTP password for this host (Gerrit: Settings → HTTP Credentials).';
    this.#userAgent = options.userAgent ?? 'Steward';
  }

  /** The base URL requests are built on (with `/a` when authenticated), without credentials. */
  get root(): string {
    return this.#authorization ? `${this.#root}/a` : this.#root;
  }

  /**
   * GET a Gerrit REST endpoint and return its JSON, with Gerrit's XSSI prefix line removed.
   *
   * `path` is relative to the Gerrit root and starts with `/` (e.g. `/changes/`); it may carry a
   * query string of its own (`/groups/x/members/?recursive`), to which `params` are appended.
   *
   * @example await client.getJson<RestChangeInfo[]>('/changes/', { q: 'project:openstack/nova', o: ['MESSAGES', 'LABELS'], n: 25 })
   * @throws StewardError SOURCE_UNREACHABLE, SOURCE_TLS, SOURCE_AUTH, SOURCE_NOT_FOUND,
   *   SOURCE_BAD_RESPONSE or SOURCE_RETRIES_EXHAUSTED, with the URL in `details.where`.
   */
  async getJson<T>(path: string, params?: QueryParams): Promise<T> {
    const result = await this.#request(path, params, NO_STATUS, decodeJsonBody);
    return result.json as T;
  }

  /**
   * Query changes page by page (`GET /changes/?q=…&o=…&n=…&S=…`), following Gerrit's
   * `_more_changes` flag. Page k+1 starts at `start` plus the changes received so far. Stops after
   * a page without `_more_changes: true`, or an empty page.
   *
   * @param options Gerrit's `o=` options, e.g. `['DETAILED_LABELS', 'MESSAGES', 'ALL_REVISIONS']`.
   * @param pageSize `n=`; Gerrit may silently return fewer (its query limit), which paging absorbs.
   * @example for await (const { changes } of client.queryChanges('project:openstack/nova after:"2024-01-01"', { options: [], pageSize: 200 })) { … }
   */
  async *queryChanges(
    query: string,
    opts: { options: string[]; pageSize: number; start?: number },
  ): AsyncGenerator<ChangesPage> {
    const decode = (body: Uint8Array, page: { url: string }): DecodedBody<DecodedChangesPage & { changes: unknown[] }> => {
      const json = decodeJsonBody(body);
      if (!json.ok) return json;
      const { changes, more } = changesArray(json.value, page.url);
      return { ok: true, value: { changes, count: changes.length, more } };
    };
    for await (const page of this.queryChangePages(query, opts, decode)) yield { changes: page.changes, start: page.start, more: page.more };
  }

  /**
   * {@link queryChanges} with the pages' bodies handed to `decode` as bytes instead of parsed
   * here: a sync parses them on a worker thread (rest-page-parser.ts). `decode` is called once per
   * response, in request order, with the page's URL and offset; its failures count as the
   * response's: `ok: false` (not JSON) is retried like truncated JSON, a thrown StewardError ends
   * the query. Yields what `decode` returned, with the page's offset.
   *
   * @example for await (const page of client.queryChangePages(q, { options, pageSize: 500 }, (body, p) => parser.decode(body, p))) { … }
   */
  async *queryChangePages<T extends DecodedChangesPage>(
    query: string,
    opts: { options: string[]; pageSize: number; start?: number },
    decode: (body: Uint8Array, page: { url: string; start: number }) => DecodedBody<T> | Promise<DecodedBody<T>>,
  ): AsyncGenerator<T & { start: number }> {
    let offset = opts.start ?? 0;
    for (;;) {
      const start = offset;
      const params: QueryParams = { q: query, o: opts.options, n: opts.pageSize, S: start };
      const { json: page } = await this.#request('/changes/', params, NO_STATUS, (body, url) => decode(body, { url, start }));
      yield { ...page!, start };
      if (!page!.more || page!.count === 0) return;
      offset += page!.count;
    }
  }

  /**
   * Find a group by name (`GET /groups/?query=name:NAME`), falling back to `GET /groups/NAME` —
   * which also accepts a UUID or a numeric id — when the server has no group query (older
   * Gerrit: 400/404) or the query finds nothing.
   *
   * @returns the group, or null when the server knows no such group (or hides it from the caller).
   * @example const core = await client.findGroup('nova-core'); // { id: '…uuid…', name: 'nova-core', group_id: 42 }
   */
  async findGroup(nameOrId: string): Promise<GerritGroupRef | null> {
    const query = await this.#request('/groups/', { query: `name:${quoteQueryValue(nameOrId)}` }, new Set([400, 404]), decodeJsonBody);
    if (query.status === 200) {
      if (!Array.isArray(query.json)) throw this.#shapeError(query.url, 'a JSON array of groups', query.json);
      const found = query.json.map(toGroupRef).find((g) => g?.name === nameOrId);
      if (found) return found;
    }
    const direct = await this.#request(`/groups/${encodeId(nameOrId)}`, undefined, new Set([404]), decodeJsonBody);
    if (direct.status === 404) return null;
    const group = toGroupRef(direct.json);
    if (!group) throw this.#shapeError(direct.url, 'a GroupInfo object with "id" and "name"', direct.json);
    return group;
  }

  /**
   * The members of a group (`GET /groups/{id}/members/`), by default with the members of included
   * groups too (`?recursive`). `groupId` may be a UUID, a numeric id or a name, encoded or not.
   *
   * @example const members = await client.groupMembers(core.id); // [{ _account_id: 1000096, name: '…', … }]
   */
  async groupMembers(groupId: string, recursive = true): Promise<RestAccountInfo[]> {
    const path = `/groups/${encodeId(groupId)}/members/${recursive ? '?recursive' : ''}`;
    const members = await this.getJson<unknown>(path);
    if (!Array.isArray(members) || !members.every((m) => isObject(m) && typeof m._account_id === 'number')) {
      throw this.#shapeError(this.#url(path), 'a JSON array of accounts with "_account_id"', members);
    }
    return members as RestAccountInfo[];
  }

  /** The full URL of `path` + `params`, with `/a` when authenticated. Never carries userinfo. */
  #url(path: string, params?: QueryParams): string {
    const query: string[] = [];
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) query.push(`${encodeQuery(key)}=${encodeQuery(String(v))}`);
    }
    const rel = path.startsWith('/') ? path : `/${path}`;
    const joiner = rel.includes('?') ? '&' : '?';
    return `${this.root}${rel}${query.length ? joiner + query.join('&') : ''}`;
  }

  /**
   * One logical request with retries. Statuses in `accept` are returned (json undefined) rather
   * than thrown, for callers that treat them as an answer (findGroup's fallbacks). A successful
   * response's body goes to `decode`.
   */
  async #request<T>(
    path: string,
    params: QueryParams | undefined,
    accept: ReadonlySet<number>,
    decode: BodyDecoder<T>,
  ): Promise<{ status: number; json: T | undefined; url: string }> {
    const url = this.#url(path, params);
    for (let attempt = 0; ; attempt++) {
      let outcome: { status: number; json: T | undefined; url: string } | Failure;
      try {
        outcome = await this.#attempt(url, accept, decode);
      } catch (e) {
        // Only the decoder throws (a body it rejects, or its worker failing): final, not retried.
        throw e instanceof StewardError ? this.#scrub(e) : e;
      }
      if (!('reason' in outcome)) return outcome;
      const failure = outcome;
      if (!failure.retryable) throw this.#scrub(failure.error ?? this.#finalError(url, failure, attempt));
      if (attempt >= this.#maxRetriesPerRequest || this.stats.retries >= this.#maxTotalRetries) {
        throw this.#scrub(this.#finalError(url, failure, attempt));
      }
      const delayMs = this.#delay(attempt + 1, failure.retryAfterMs);
      this.stats.retries++;
      this.#onRetry?.({ url, attempt: attempt + 1, reason: this.#redact(failure.reason), delayMs });
      await this.#sleep(delayMs);
    }
  }

  /** Backoff before retry number `retry` (1-based): Retry-After when given, else full jitter. */
  #delay(retry: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.#retryAfterCapMs);
    const ceiling = Math.min(this.#backoffCapMs, this.#backoffBaseMs * 2 ** (retry - 1));
    return Math.floor(this.#random() * ceiling);
  }

  /** Send one HTTP request and read its body, all within the timeout and a concurrency slot. */
  async #attempt<T>(url: string, accept: ReadonlySet<number>, decode: BodyDecoder<T>): Promise<{ status: number; json: T | undefined; url: string } | Failure> {
    await this.#semaphore.acquire();
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
      const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.#userAgent };
      if (this.#authorization) headers.Authorization = this.#authorization;
      response = await Promise.race([this.#fetch(url, { headers, signal: controller.signal, redirect: 'follow' }), timeout]);
      // Bytes, not text: a page decoder may decode them on another thread.
      body = new Uint8Array(await Promise.race([response.arrayBuffer(), timeout]));
    } catch (e) {
      return this.#networkFailure(url, e, timedOut, response !== undefined);
    } finally {
      clearTimeout(timer);
      this.#semaphore.release();
    }
    this.#reachedOnce = true;
    return this.#interpret(url, response, body, accept, decode);
  }

  /** Classify a thrown fetch/body error: TLS (final), unreachable (final on a never-reached host), or transient. */
  #networkFailure(url: string, e: unknown, timedOut: boolean, midBody: boolean): Failure {
    const origin = new URL(url).origin;
    if (timedOut) {
      return { reason: `timed out after ${this.#timeoutMs} ms${midBody ? ' reading the response' : ''}`, retryable: true, kind: 'network', cause: e };
    }
    const code = errorCode(e);
    const words = (code && CODE_WORDS[code]) ?? innermostMessage(e);
    if (code && (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))) {
      return {
        reason: `TLS failed: ${innermostMessage(e)} (${code})`,
        retryable: false,
        kind: 'network',
        error: new StewardError('SOURCE_TLS', `TLS with ${origin} failed: ${innermostMessage(e)} (${code}).`, {
          where: url,
          hint:
            'The server certificate is not trusted (expired, self-signed or for another name). Check the host URL; ' +
            'for a private CA point NODE_EXTRA_CA_CERTS at its certificate rather than disabling verification.',
        }, { cause: e }),
      };
    }
    const reason = code ? `${words} (${code})` : words;
    if (code && UNREACHABLE_CODES.has(code) && !this.#reachedOnce) {
      return {
        reason,
        retryable: false,
        kind: 'network',
        error: new StewardError('SOURCE_UNREACHABLE', `cannot reach ${origin}: ${reason}.`, {
          where: url,
          hint: 'Check the host URL in steward.yaml and your network (proxy, VPN, firewall).',
        }, { cause: e }),
      };
    }
    // Anything else thrown by fetch is a connection-level problem: after a success it is most
    // likely transient (a restart, a reset), and an unknown code is retried rather than fatal.
    return { reason: midBody ? `connection dropped while reading the response: ${reason}` : reason, retryable: true, kind: 'network', cause: e };
  }

  /** Turn a complete HTTP response into decoded JSON, a retryable failure, or a final error. */
  async #interpret<T>(url: string, response: Response, body: Uint8Array, accept: ReadonlySet<number>, decode: BodyDecoder<T>): Promise<{ status: number; json: T | undefined; url: string } | Failure> {
    const status = response.status;
    const statusText = response.statusText || STATUS_TEXT[status];
    const statusWords = statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}`;
    if (accept.has(status)) return { status, json: undefined, url };
    if (RETRYABLE_STATUSES.has(status)) {
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      return { reason: statusWords, retryable: true, kind: 'http', retryAfterMs };
    }
    const origin = new URL(url).origin;
    if (status >= 200 && status < 300) return this.#decoded(url, response, await decode(body, url));
    const text = bodyText(body).trim();
    const serverSays = text ? `: ${quote(text, 200)}` : '';
    if (status === 401 || status === 403) {
      const message = this.#username === undefined
        ? `${origin} requires authentication (${statusWords})${serverSays}.`
        : status === 401
          ? `${origin} refused the credentials for user "${this.#username}" (${statusWords})${serverSays}.`
          : `user "${this.#username}" may not read this on ${origin} (${statusWords})${serverSays}.`;
      const hint = this.#username === undefined
        ? this.#authHint
        : status === 401
          ? 'Check the username and the HTTP password (Gerrit: Settings → HTTP Credentials; it is not the web login password).'
          : 'Ask the Gerrit administrators for read access, or use an account that has it.';
      return fatal(new StewardError('SOURCE_AUTH', message, { where: url, hint }));
    }
    if (status === 404) {
      return fatal(new StewardError('SOURCE_NOT_FOUND', `${origin} does not know what was asked for (${statusWords})${serverSays}.`, {
        where: url,
        hint: 'Check the project or group name (they are case-sensitive) and the host URL, including any path prefix such as /gerrit.',
      }));
    }
    return fatal(new StewardError('SOURCE_BAD_RESPONSE', `${origin} answered ${statusWords}${serverSays}.`, {
      where: url,
      hint: status === 400
        ? 'The server rejected the request; check the query terms (e.g. in steward.yaml) against this Gerrit version.'
        : 'The server answered with an error Steward does not retry; try again later or tell the Gerrit administrators.',
    }));
  }

  /** A 2xx body as its decoder saw it: the value, or — when it was not JSON — a retryable failure or a final error. */
  #decoded<T>(url: string, response: Response, decoded: DecodedBody<T>): { status: number; json: T; url: string } | Failure {
    if (decoded.ok) return { status: response.status, json: decoded.value, url };
    const e = new SyntaxError(decoded.error);
    const contentType = response.headers.get('content-type') ?? '';
    const redirected = response.redirected && response.url ? ` (redirected to ${stripUserinfo(response.url)})` : '';
    const received = `${contentType ? `${contentType}` : 'no content type'}, starting ${quote(decoded.head, 80)}`;
    if (looksLikeJson(contentType, decoded.head)) {
      // JSON that does not parse after a 200 is almost always a connection dropped mid-body:
      // retried, and reported as a bad response only if it keeps happening.
      return { reason: `truncated or invalid JSON (${decoded.chars} characters received)`, retryable: true, kind: 'json', cause: e };
    }
    return fatal(new StewardError('SOURCE_BAD_RESPONSE', `expected JSON from ${new URL(url).origin}, received ${received}${redirected}.`, {
      where: url,
      hint: 'A login page or proxy error page usually means the URL is not the Gerrit root or a proxy sits in between; check the host URL.',
    }, { cause: e }));
  }

  /** The error for a retryable failure that ran out of retries (or hit the client budget). */
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
      message = `${origin} kept sending JSON that does not parse ${counts}: ${failure.reason}.${budget}`;
      hint = `A proxy may be cutting responses short; try a smaller page size. ${resume}`;
    } else if (failure.kind === 'network') {
      code = 'SOURCE_UNREACHABLE';
      message = `cannot reach ${origin} ${counts}: ${failure.reason}.${budget}`;
      hint = `Check the host URL in steward.yaml and your network. ${resume}`;
    } else {
      code = 'SOURCE_RETRIES_EXHAUSTED';
      message = `${origin} kept failing ${counts}: last failure ${failure.reason}.${budget}`;
      hint = `The server is overloaded or rate-limiting; lower the concurrency or page size. ${resume}`;
    }
    return new StewardError(code, message, { where: url, hint }, { cause: failure.cause });
  }

  #shapeError(url: string, expected: string, received: unknown): StewardError {
    return this.#scrub(shapeError(url, expected, received));
  }

  /** Remove the password from a string: a last defence in case a server echoes it back. */
  #redact(text: string): string {
    const secrets = [this.#password, this.#authorization?.slice('Basic '.length)];
    let out = text;
    for (const s of secrets) if (s) out = out.split(s).join('***');
    return out;
  }

  #scrub(error: StewardError): StewardError {
    const message = this.#redact(error.message);
    const details = { ...error.details };
    if (details.where) details.where = this.#redact(details.where);
    if (details.hint) details.hint = this.#redact(details.hint);
    if (message === error.message && details.where === error.details.where && details.hint === error.details.hint) return error;
    return new StewardError(error.code, message, details, { cause: error.cause });
  }
}

function fatal(error: StewardError): Failure {
  return { reason: error.message, retryable: false, kind: 'http', error };
}

/** Validate and normalise the base URL: http(s), no credentials, no trailing slash. */
function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (e) {
    throw new StewardError('CONFIG', `the Gerrit URL ${quote(stripUserinfo(baseUrl), 100)} is not a valid URL.`, {
      hint: 'Write it like https://review.opendev.org (with any path prefix, e.g. https://example.org/gerrit).',
    }, { cause: e });
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new StewardError('CONFIG', `the Gerrit URL ${url.origin} must not contain credentials.`, {
      where: url.href,
      hint: 'Remove user:password@ from the URL and configure the username and HTTP password separately.',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StewardError('CONFIG', `the Gerrit URL ${url.href} must start with https:// or http://.`, { where: url.href });
  }
  url.search = '';
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 1) throw new StewardError('INTERNAL', `GerritClient option ${name} must be a number ≥ 1, received ${v}.`);
  return v;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new StewardError('INTERNAL', `GerritClient option ${name} must be a number ≥ 0, received ${v}.`);
  return v;
}

/**
 * Percent-encode a query component, keeping `:`, `/`, `,` and `@` readable (RFC 3986 allows them
 * in a query) and spaces as `+`, so URLs in logs and errors look like the ones in Gerrit's docs.
 */
function encodeQuery(s: string): string {
  return encodeURIComponent(s).replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%2C/g, ',').replace(/%40/g, '@').replace(/%20/g, '+');
}

/** Encode a group id for a path segment, decoding first: Gerrit sends ids already encoded. */
function encodeId(id: string): string {
  let decoded = id;
  try {
    decoded = decodeURIComponent(id);
  } catch {
    // Not valid percent-encoding: it is a raw id containing '%'.
  }
  return encodeURIComponent(decoded);
}

/** Quote a group name for a Gerrit query when it has spaces or query syntax in it. */
function quoteQueryValue(value: string): string {
  return /^[^\s"(){}:]+$/.test(value) ? value : `"${value.replace(/"/g, '\\"')}"`;
}

function toGroupRef(value: unknown): GerritGroupRef | null {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.name !== 'string') return null;
  let id = value.id;
  try {
    id = decodeURIComponent(id);
  } catch {
    // Keep the id as sent.
  }
  const ref: GerritGroupRef = { id, name: value.name };
  if (typeof value.group_id === 'number') ref.group_id = value.group_id;
  return ref;
}

function looksLikeJson(contentType: string, text: string): boolean {
  if (text.startsWith('<')) return false;
  return /json/i.test(contentType) || text.startsWith(XSSI_PREFIX) || text.startsWith('[') || text.startsWith('{');
}

/** Retry-After as delay-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - Date.now());
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

function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
