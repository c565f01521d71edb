/**
 * The Gerrit REST API client: it fetches JSON and nothing else. Turning the JSON into records is
 * rest-parser.ts's job (STYLE.md: connectors split fetching from parsing).
 *
 * Politeness and robustness (concurrency limit, backoff with jitter, Retry-After, timeouts,
 * retry budgets, the SOURCE_* errors) are the shared HTTP core's (../http/json-http-client.ts).
 * What is Gerrit's stays here: the `)]}'` XSSI prefix, HTTP-password authentication through the
 * `/a/` prefix, change-query paging by `_more_changes`, group look-ups, and Gerrit's words in
 * messages.
 *
 * Credentials never leave this module except in the Authorization header: URLs carry no userinfo,
 * and every message, `where` and `onRetry` report is scrubbed of the password as a last defence.
 */
import type { StewardError } from '../../model/errors.js';
import {
  JsonHttpClient,
  type AuthRefusal,
  type HttpAnswer,
  type HttpWording,
  type HttpQueryParams,
  type HttpRetryEvent,
  type JsonHttpClientOptions,
} from '../http/json-http-client.js';
import { changesArray, decodeJsonBody, isObject, shapeError, XSSI_PREFIX, type BodyDecoder, type DecodedBody } from './rest-body.js';
import type { RestAccountInfo } from './rest-types.js';

export type { BodyDecoder, DecodedBody } from './rest-body.js';

/** Query parameters: arrays repeat the key (`o=A&o=B`); `undefined` values are left out. */
export type QueryParams = HttpQueryParams;

/** What {@link GerritClientOptions.onRetry} is told before each retry's wait (never credentials). */
export type RetryEvent = HttpRetryEvent;

/** The Gerrit client's options: Gerrit's own, and the shared HTTP core's retry and politeness settings. */
export interface GerritClientOptions extends Pick<
  JsonHttpClientOptions,
  | 'fetch'
  | 'concurrency'
  | 'timeoutMs'
  | 'maxRetriesPerRequest'
  | 'maxTotalRetries'
  | 'backoffBaseMs'
  | 'backoffCapMs'
  | 'retryAfterCapMs'
  | 'random'
  | 'sleep'
  | 'onRetry'
  | 'userAgent'
> {
  /** The Gerrit root, e.g. `https://review.opendev.org` or `https://host/gerrit` (a path prefix). */
  baseUrl: string;
  /** HTTP basic credentials (Gerrit's HTTP password); when present requests go to the `/a/` prefix. */
  auth?: { username: string; password: string };
  /**
   * What to tell the user when the server wants credentials and none were given (the CLI knows
   * the config keys and environment variables; this module does not).
   */
  authHint?: string;
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

const NO_STATUS: ReadonlySet<number> = new Set<number>();

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
  readonly stats: { requests: number; retries: number };

  /** The shared HTTP core: retries, backoff, Retry-After, timeouts, errors, redaction. */
  readonly #http: JsonHttpClient;
  /** Whether requests go to `/a/` with credentials. */
  readonly #authenticated: boolean;

  constructor(options: GerritClientOptions) {
    const { baseUrl, auth, authHint, ...http } = options;
    const username = auth?.username;
    // Kept only inside the core's private fields, so neither util.inspect nor JSON.stringify of the client shows it.
    const authorization = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` : undefined;
    this.#authenticated = auth !== undefined;
    this.#http = new JsonHttpClient({
      ...http,
      baseUrl,
      service: 'Gerrit',
      headers: authorization ? { Authorization: authorization } : undefined,
      secrets: [auth?.password, authorization?.slice('Basic '.length)],
      xssiPrefix: XSSI_PREFIX,
      encodeQuery,
      wording: gerritWording(username, authHint),
    });
    this.stats = this.#http.stats;
  }

  /** The base URL requests are built on (with `/a` when authenticated), without credentials. */
  get root(): string {
    return this.#authenticated ? `${this.#http.root}/a` : this.#http.root;
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
  async *queryChanges(query: string, opts: { options: string[]; pageSize: number; start?: number }): AsyncGenerator<ChangesPage> {
    const decode = (body: Uint8Array, page: { url: string }): DecodedBody<DecodedChangesPage & { changes: unknown[] }> => {
      const json = decodeJsonBody(body);
      if (!json.ok) return json;
      const { changes, more } = changesArray(json.value, page.url);
      return { ok: true, value: { changes, count: changes.length, more } };
    };
    for await (const page of this.queryChangePages(query, opts, decode))
      yield { changes: page.changes, start: page.start, more: page.more };
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
    const rel = path.startsWith('/') ? path : `/${path}`;
    return this.#http.url(this.#authenticated ? `/a${rel}` : rel, params);
  }

  /**
   * One logical request with retries (the core's). Statuses in `accept` are returned (json
   * undefined) rather than thrown, for callers that treat them as an answer (findGroup's
   * fallbacks). A successful response's body goes to `decode`.
   */
  #request<T>(path: string, params: QueryParams | undefined, accept: ReadonlySet<number>, decode: BodyDecoder<T>): Promise<HttpAnswer<T>> {
    return this.#http.request(this.#url(path, params), { accept, decode });
  }

  #shapeError(url: string, expected: string, received: unknown): StewardError {
    return this.#http.scrub(shapeError(url, expected, received));
  }
}

/** Gerrit's words for the core's messages: the server named by its origin, hints about hosts, projects and credentials. */
function gerritWording(username: string | undefined, authHint: string | undefined): Partial<HttpWording> {
  return {
    server: (origin) => origin,
    invalidUrlHint: 'Write it like https://review.opendev.org (with any path prefix, e.g. https://example.org/gerrit).',
    credentialsInUrlHint: 'Remove user:password@ from the URL and configure the username and HTTP password separately.',
    tlsHint:
      'The server certificate is not trusted (expired, self-signed or for another name). Check the host URL; ' +
      'for a private CA point NODE_EXTRA_CA_CERTS at its certificate rather than disabling verification.',
    unreachableHint: 'Check the host URL in steward.yaml and your network (proxy, VPN, firewall).',
    networkHint: 'Check the host URL in steward.yaml and your network.',
    auth: ({ status, statusWords, server, serverSays }: AuthRefusal) => {
      if (username === undefined) {
        return {
          message: `${server} requires authentication (${statusWords})${serverSays}.`,
          hint: authHint ?? 'Give Steward a Gerrit username and HTTP password for this host (Gerrit: Settings → HTTP Credentials).',
        };
      }
      return status === 401
        ? {
            message: `${server} refused the credentials for user "${username}" (${statusWords})${serverSays}.`,
            hint: 'Check the username and the HTTP password (Gerrit: Settings → HTTP Credentials; it is not the web login password).',
          }
        : {
            message: `user "${username}" may not read this on ${server} (${statusWords})${serverSays}.`,
            hint: 'Ask the Gerrit administrators for read access, or use an account that has it.',
          };
    },
    notFoundHint: 'Check the project or group name (they are case-sensitive) and the host URL, including any path prefix such as /gerrit.',
    badRequestHint: 'The server rejected the request; check the query terms (e.g. in steward.yaml) against this Gerrit version.',
    otherStatusHint: 'The server answered with an error Steward does not retry; try again later or tell the Gerrit administrators.',
    notJsonHint:
      'A login page or proxy error page usually means the URL is not the Gerrit root or a proxy sits in between; check the host URL.',
  };
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
