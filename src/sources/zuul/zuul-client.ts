/**
 * Zuul's REST API, the part Steward reads: finished builds of a tenant, newest first
 * (`GET /api/tenant/{tenant}/builds?project=…&pipeline=…&job_name=…&limit=…&skip=…`).
 * HTTP, retries and error codes come from the shared JSON client; turning the JSON into records
 * is zuul-parser.ts's job (STYLE.md: connectors split fetching from parsing).
 */
import { JsonHttpClient, type JsonHttpClientOptions } from '../http/json-http-client.js';

export interface ZuulClientOptions extends Omit<JsonHttpClientOptions, 'service' | 'baseUrl' | 'wording' | 'xssiPrefix' | 'encodeQuery'> {
  /** The Zuul web root, e.g. `https://zuul.opendev.org`. */
  baseUrl: string;
  /** The tenant, e.g. `openstack`. */
  tenant: string;
}

export interface ZuulBuildsFilter {
  project: string;
  pipeline?: string;
  jobName?: string;
}

/** One page of builds, unparsed, with where it came from. */
export interface ZuulBuildsPage {
  builds: unknown[];
  /** The `skip` this page was asked for. */
  skip: number;
  /** The URL, for messages. */
  url: string;
  /** Whether another page may follow: the page was full. */
  more: boolean;
}

export class ZuulClient {
  readonly http: JsonHttpClient;
  readonly tenant: string;

  constructor(options: ZuulClientOptions) {
    const { tenant, ...http } = options;
    this.tenant = tenant;
    this.http = new JsonHttpClient({
      ...http,
      service: 'Zuul',
      wording: {
        invalidUrlHint: 'Write it like https://zuul.opendev.org (the Zuul root, with any path prefix).',
        authHint: 'This Zuul tenant is not public; Steward reads only public Zuul data.',
        notFoundHint: `Check zuul.url and zuul.tenant in steward.yaml: ${options.baseUrl}/api/tenants lists the tenants (names are case-sensitive).`,
        notJsonHint:
          'An HTML page usually means the URL is not the Zuul root (for Zuul: the host serving /api/tenants) or a proxy sits in between.',
      },
    });
  }

  /** Requests sent and retries made (shared with the HTTP client). */
  get stats(): { requests: number; retries: number } {
    return this.http.stats;
  }

  /** The builds endpoint path for this tenant. */
  get buildsPath(): string {
    return `/api/tenant/${encodeURIComponent(this.tenant)}/builds`;
  }

  /**
   * Builds matching `filter`, newest first, page by page from `skip`. A page shorter than
   * `pageSize` is the last. The caller may stop early (`return()`), as an incremental sync does.
   *
   * @example for await (const page of zuul.builds({ project: 'openstack/nova' }, { pageSize: 100 })) { … }
   */
  async *builds(filter: ZuulBuildsFilter, opts: { pageSize: number; skip?: number }): AsyncGenerator<ZuulBuildsPage> {
    let skip = opts.skip ?? 0;
    for (;;) {
      const params = { project: filter.project, pipeline: filter.pipeline, job_name: filter.jobName, limit: opts.pageSize, skip };
      const url = this.http.url(this.buildsPath, params);
      const json = await this.http.getJson(this.buildsPath, params);
      if (!Array.isArray(json)) throw this.http.shapeError(url, 'a JSON array of builds', json);
      const more = json.length >= opts.pageSize && json.length > 0;
      yield { builds: json, skip, url, more };
      if (!more) return;
      skip += json.length;
    }
  }
}
