/**
 * A fake Zuul web API for tests: a real HTTP server on 127.0.0.1 (port 0) answering
 * `/api/tenants` and `/api/tenant/{tenant}/builds` as Zuul does — newest build first, the filters
 * Steward uses (`project`, `pipeline`, `job_name`, `change`, `patchset`, `result`), `limit` (capped
 * like a server's) and `skip`, 404 for an unknown tenant, and either of Zuul's build shapes (change
 * fields at the top level up to Zuul 9, under `ref` from Zuul 10).
 *
 * Tests add builds between syncs (`builds.push`), queue faults (`faults`) and read `log`. The
 * server, the log and the faults are fake-http.ts's; what is Zuul's is here.
 *
 * @example
 * const zuul = new FakeZuul({ tenants: ['openstack'], builds: [fakeBuild({ id: 1, change: 880001 })] });
 * const url = await zuul.start();
 * zuul.faults.push({ status: 503 });
 * … ; await zuul.stop();
 */
import type { IncomingMessage } from 'node:http';
import {
  FakeHttpServer,
  HTML_TYPE,
  jsonReply,
  type FakeFault,
  type FakeFaultKind,
  type FakeHttpRequest,
  type FakeReply,
} from './fake-http.js';

/** A build as the fake keeps it; times are epoch ms (sent as Zuul's "YYYY-MM-DDTHH:MM:SS"). */
export interface FakeZuulBuild {
  /** Database id: the order Zuul lists builds in (highest first). */
  id: number;
  uuid: string;
  job_name: string;
  /** null while running. */
  result: string | null;
  voting: boolean;
  pipeline: string;
  project: string;
  branch: string;
  change: number | null;
  patchset: number | null;
  start_time: number | null;
  end_time: number | null;
  log_url: string | null;
  buildset: string;
  /** false for a build Zuul retried. */
  final: boolean;
}

export type FakeZuulFaultKind = FakeFaultKind;
export type FakeZuulFault = FakeFault;

export interface FakeZuulOptions {
  tenants?: string[];
  builds?: FakeZuulBuild[];
  /** The largest `limit` honoured (a bigger one is lowered silently). Default 1000. */
  maxLimit?: number;
  /** Build shape: 'v9' (top-level change fields) or 'v10' (under `ref`). Default 'v10'. */
  shape?: 'v9' | 'v10';
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 9, 5, 8, 0, 0);

/** A build with sensible defaults: job tox-py3 on change 880001 patch set 1, check, SUCCESS, ending `id` hours after T0. */
export function fakeBuild(over: Partial<FakeZuulBuild> & { id: number }): FakeZuulBuild {
  const start = T0 + over.id * HOUR;
  return {
    uuid: `u${String(over.id).padStart(31, '0')}`,
    job_name: 'tox-py3',
    result: 'SUCCESS',
    voting: true,
    pipeline: 'check',
    project: 'openstack/nova',
    branch: 'master',
    change: 880001,
    patchset: 1,
    start_time: start,
    end_time: start + 20 * 60_000,
    log_url: `https://logs.example.org/${over.id}/`,
    buildset: `bs${over.id}`,
    final: true,
    ...over,
  };
}

export type FakeZuulRequest = FakeHttpRequest;

const zuulTime = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString().slice(0, 19));

const ZUUL_PAGE = '<!DOCTYPE html><html><head><title>Zuul</title></head><body><div id="root"></div></body></html>';

export class FakeZuul extends FakeHttpServer {
  tenants: string[];
  builds: FakeZuulBuild[];
  maxLimit: number;
  shape: 'v9' | 'v10';

  constructor(options: FakeZuulOptions = {}) {
    super('zuul', ZUUL_PAGE);
    this.tenants = options.tenants ?? ['openstack'];
    this.builds = options.builds ?? [];
    this.maxLimit = options.maxLimit ?? 1000;
    this.shape = options.shape ?? 'v10';
  }

  /** Requests to the builds endpoint, in order. */
  get buildRequests(): FakeZuulRequest[] {
    return this.log.filter((r) => r.path.includes('/builds'));
  }

  protected logEntry(_req: IncomingMessage, path: string): FakeZuulRequest {
    return { path, status: 0 };
  }

  /** Zuul's answers: JSON, or an HTML error page as its web server sends. */
  protected route(_req: IncomingMessage, url: URL): FakeReply {
    const page = (status: number, body: string): FakeReply => ({ status, contentType: HTML_TYPE, body });
    const m = /^\/api\/tenant\/([^/]+)\/builds\/?$/.exec(url.pathname);
    if (url.pathname === '/api/tenants') return jsonReply(this.tenants.map((name) => ({ name, projects: 1, queue: 0 })));
    if (!m) return page(404, '<html><body>404 Not Found</body></html>');
    const tenant = decodeURIComponent(m[1]!);
    if (!this.tenants.includes(tenant)) return page(404, `<html><body>Tenant ${tenant} does not exist.</body></html>`);
    const p = url.searchParams;
    const int = (name: string, fallback: number): number | null => {
      const v = p.get(name);
      if (v === null || v === '') return fallback;
      return /^\d+$/.test(v) ? Number(v) : null;
    };
    const limit = int('limit', 50);
    const skip = int('skip', 0);
    if (limit === null || skip === null) return page(400, 'limit and skip must be integers');
    const eq = (name: string, value: unknown) => !p.has(name) || String(value) === p.get(name);
    const matching = this.builds
      .filter(
        (b) =>
          eq('project', b.project) &&
          eq('pipeline', b.pipeline) &&
          eq('job_name', b.job_name) &&
          eq('change', b.change) &&
          eq('patchset', b.patchset) &&
          eq('result', b.result),
      )
      .sort((a, b) => b.id - a.id);
    return jsonReply(matching.slice(skip, skip + Math.min(limit, this.maxLimit)).map((b) => this.#shapeBuild(b)));
  }

  #shapeBuild(b: FakeZuulBuild): Record<string, unknown> {
    const duration = b.start_time !== null && b.end_time !== null ? (b.end_time - b.start_time) / 1000 : null;
    const common = {
      _id: b.id,
      uuid: b.uuid,
      job_name: b.job_name,
      result: b.result,
      held: false,
      start_time: zuulTime(b.start_time),
      end_time: zuulTime(b.end_time),
      duration,
      voting: b.voting,
      log_url: b.log_url,
      nodeset: 'ubuntu-jammy',
      error_detail: null,
      final: b.final,
      artifacts: [],
      provides: [],
      pipeline: b.pipeline,
      event_id: `ev${b.id}`,
      buildset: { uuid: b.buildset },
    };
    const ref = {
      project: b.project,
      branch: b.branch,
      change: b.change,
      patchset: b.patchset === null ? null : String(b.patchset),
      ref: b.change === null ? `refs/heads/${b.branch}` : `refs/changes/${String(b.change).slice(-2)}/${b.change}/${b.patchset}`,
      oldrev: null,
      newrev: null,
      ref_url: b.change === null ? null : `https://review.example.org/${b.change}`,
    };
    return this.shape === 'v10' ? { ...common, ref } : { ...common, ...ref };
  }
}
