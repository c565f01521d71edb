/**
 * Launchpad's web service, the part Steward reads (issue 15):
 *
 * - a project's bug tasks: `GET {root}/{project}?ws.op=searchTasks&status=…&omit_duplicates=false
 *   &modified_since=…&order_by=id&ws.size=…&ws.start=…`, every status (Launchpad's default leaves
 *   out the closed ones), duplicates included, oldest task first so that a position in the list
 *   stays valid while bugs change (a changed bug stays in a `modified_since` search);
 * - a bug: `GET {root}/bugs/{id}` (information type, duplicate, heat, tags: not on the task);
 * - a project's blueprints: `GET {root}/{project}/all_specifications`;
 * - their series goals: a specification entry does not carry its goal (Launchpad exports only
 *   `has_accepted_goal`), so the goals come from each series' own list, `GET {root}/{project}/series`
 *   then `GET {root}/{project}/{series}/all_specifications` (every blueprint whose goal is that
 *   series: proposed, accepted or declined);
 * - paging by `next_collection_link`, progress from `total_size` (or `total_size_link`).
 *
 * Anonymous for public data. With an OAuth 1.0 access token (Launchpad issues them for the
 * PLAINTEXT signature: the signature is `&` and the token secret) each request is signed with a
 * fresh nonce; the token and its secret travel only in the Authorization header and are scrubbed
 * from every message. HTTP, retries and error codes come from the shared JSON client; turning the
 * JSON into records is launchpad-parser.ts's job.
 */
import { randomBytes } from 'node:crypto';
import { BUG_STATUSES } from '../../model/bugs.js';
import { JsonHttpClient, type JsonHttpClientOptions } from '../http/json-http-client.js';
import { parseCollectionPage, type LaunchpadCollectionPage } from './launchpad-parser.js';

/** A Launchpad OAuth 1.0 access token (never in argv, config or logs: see cli/launchpad-credentials.ts). */
export interface LaunchpadToken {
  consumerKey: string;
  token: string;
  tokenSecret: string;
}

export interface LaunchpadClientOptions extends Omit<JsonHttpClientOptions, 'service' | 'baseUrl' | 'wording' | 'xssiPrefix' | 'headers'> {
  /** The web service root with its version, e.g. `https://api.launchpad.net/devel`. */
  baseUrl: string;
  token?: LaunchpadToken | null;
  /** Epoch seconds for the OAuth timestamp; default the clock. */
  now?: () => number;
}

/** One collection page, parsed as a collection (entries still raw), with its URL. */
export interface LaunchpadPage extends LaunchpadCollectionPage {
  url: string;
}

const pct = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The Authorization header of a PLAINTEXT-signed OAuth 1.0 request. */
export function oauthPlaintextHeader(t: LaunchpadToken, nowSeconds: number, nonce: string): string {
  const fields: Array<[string, string]> = [
    ['oauth_consumer_key', t.consumerKey],
    ['oauth_token', t.token],
    ['oauth_signature_method', 'PLAINTEXT'],
    ['oauth_signature', `&${t.tokenSecret}`],
    ['oauth_timestamp', String(Math.floor(nowSeconds))],
    ['oauth_nonce', nonce],
    ['oauth_version', '1.0'],
  ];
  return `OAuth realm="https://api.launchpad.net/", ${fields.map(([k, v]) => `${k}="${pct(v)}"`).join(', ')}`;
}

export class LaunchpadClient {
  readonly http: JsonHttpClient;

  constructor(options: LaunchpadClientOptions) {
    const { token, now, ...http } = options;
    const clock = now ?? (() => Date.now() / 1000);
    this.http = new JsonHttpClient({
      ...http,
      service: 'Launchpad',
      headers: token ? () => ({ Authorization: oauthPlaintextHeader(token, clock(), randomBytes(12).toString('hex')) }) : undefined,
      secrets: [...(http.secrets ?? []), token?.token, token?.tokenSecret, token ? pct(`&${token.tokenSecret}`) : undefined],
      wording: {
        invalidUrlHint: 'Write it like https://api.launchpad.net/devel (the web service root and its version).',
        auth: (r) => ({
          message: `${r.server} refused the OAuth token (${r.statusWords})${r.serverSays}`,
          hint: token
            ? 'The token was revoked or has expired: authorise Steward again in Launchpad and store the new token (STEWARD_LAUNCHPAD_TOKEN/STEWARD_LAUNCHPAD_TOKEN_SECRET or the 0600 token file).'
            : 'These bugs are not public: give Steward a Launchpad OAuth token (see docs/bugs.md).',
        }),
        notFoundHint: 'Check launchpad.project in steward.yaml (the name in https://launchpad.net/NAME) and the web service root.',
        notJsonHint:
          'An HTML page usually means the URL is not the web service root (https://api.launchpad.net/devel) or a proxy sits in between.',
      },
    });
  }

  /** Requests sent and retries made (shared with the HTTP client). */
  get stats(): { requests: number; retries: number } {
    return this.http.stats;
  }

  /** The searchTasks URL of `project` from `start`. */
  searchTasksUrl(project: string, opts: { pageSize: number; start: number; modifiedSince?: number | null }): string {
    return this.http.url(`/${encodeURIComponent(project)}`, {
      'ws.op': 'searchTasks',
      status: [...BUG_STATUSES],
      omit_duplicates: 'false',
      modified_since: opts.modifiedSince == null ? undefined : new Date(opts.modifiedSince).toISOString(),
      order_by: 'id',
      'ws.size': opts.pageSize,
      'ws.start': opts.start,
    });
  }

  /** The all_specifications URL of `project` from `start`. */
  specificationsUrl(project: string, opts: { pageSize: number; start: number }): string {
    return this.http.url(`/${encodeURIComponent(project)}/all_specifications`, { 'ws.size': opts.pageSize, 'ws.start': opts.start });
  }

  /** The series collection URL of `project` (`{root}/{project}/series`). */
  seriesUrl(project: string, opts: { pageSize: number }): string {
    return this.http.url(`/${encodeURIComponent(project)}/series`, { 'ws.size': opts.pageSize });
  }

  /** The all_specifications URL of `project`'s `series`: the blueprints whose series goal it is. */
  seriesSpecificationsUrl(project: string, series: string, opts: { pageSize: number }): string {
    return this.http.url(`/${encodeURIComponent(project)}/${encodeURIComponent(series)}/all_specifications`, { 'ws.size': opts.pageSize });
  }

  /**
   * The pages of a collection from `firstUrl`, following `next_collection_link`. The caller may
   * stop early (`return()`).
   */
  async *pages(firstUrl: string): AsyncGenerator<LaunchpadPage> {
    let url: string | null = firstUrl;
    while (url) {
      const json = await this.http.getJsonAt(url);
      const page = parseCollectionPage(json, { where: url, code: 'SOURCE_BAD_RESPONSE' });
      yield { ...page, url };
      url = page.nextLink;
    }
  }

  /** One collection page at `url` (a first URL or a `next_collection_link`). */
  async page(url: string): Promise<LaunchpadPage> {
    const json = await this.http.getJsonAt(url);
    return { ...parseCollectionPage(json, { where: url, code: 'SOURCE_BAD_RESPONSE' }), url };
  }

  /** The number a `total_size_link` points at. */
  async totalSize(link: string): Promise<number> {
    const n = await this.http.getJsonAt(link);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw this.http.shapeError(this.http.within(link), 'a whole number', n);
    return n;
  }

  /** A bug's JSON (`{root}/bugs/{id}`). */
  async bug(id: number): Promise<unknown> {
    return this.http.getJson(`/bugs/${id}`);
  }
}
