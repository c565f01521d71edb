/**
 * A fake Zuul web API for tests: a real HTTP server on 127.0.0.1 (port 0) answering
 * `/api/tenants` and `/api/tenant/{tenant}/builds` as Zuul does — newest build first, the filters
 * Steward uses (`project`, `pipeline`, `job_name`, `change`, `patchset`, `result`), `limit` (capped
 * like a server's) and `skip`, 404 for an unknown tenant, and either of Zuul's build shapes (change
 * fields at the top level up to Zuul 9, under `ref` from Zuul 10).
 *
 * Tests add builds between syncs (`builds.push`), queue faults (`faults`) and read `log`.
 *
 * @example
 * const zuul = new FakeZuul({ tenants: ['openstack'], builds: [fakeBuild({ id: 1, change: 880001 })] });
 * const url = await zuul.start();
 * zuul.faults.push({ status: 503 });
 * … ; await zuul.stop();
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export type FakeZuulFaultKind =
  | { status: number; retryAfter?: number; body?: string }
  | { delayMs: number }
  | { dropMidBody: true }
  | { truncate: true }
  | { html: true };
export type FakeZuulFault = FakeZuulFaultKind & { match?: string };

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

export interface FakeZuulRequest {
  path: string;
  status: number;
  fault?: string;
}

const zuulTime = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString().slice(0, 19));

export class FakeZuul {
  tenants: string[];
  builds: FakeZuulBuild[];
  maxLimit: number;
  shape: 'v9' | 'v10';
  faults: FakeZuulFault[] = [];
  log: FakeZuulRequest[] = [];
  #server: Server | undefined;
  #url = '';
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: FakeZuulOptions = {}) {
    this.tenants = options.tenants ?? ['openstack'];
    this.builds = options.builds ?? [];
    this.maxLimit = options.maxLimit ?? 1000;
    this.shape = options.shape ?? 'v10';
  }

  get url(): string {
    return this.#url;
  }

  /** Requests to the builds endpoint, in order. */
  get buildRequests(): FakeZuulRequest[] {
    return this.log.filter((r) => r.path.includes('/builds'));
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.#send(res, 500, 'text/plain', `fake zuul bug: ${String(e)}`);
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
    const raw = req.url ?? '/';
    const entry: FakeZuulRequest = { path: raw, status: 0 };
    this.log.push(entry);
    const i = this.faults.findIndex((f) => f.match === undefined || raw.includes(f.match));
    const fault = i >= 0 ? this.faults.splice(i, 1)[0] : undefined;
    if (fault) entry.fault = Object.keys(fault).filter((k) => k !== 'match').join(',');
    if (fault && 'delayMs' in fault) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.#timers.delete(t);
          resolve();
        }, fault.delayMs);
        this.#timers.add(t);
      });
      if (res.destroyed) return;
    }
    if (fault && 'status' in fault) {
      entry.status = fault.status;
      res.writeHead(fault.status, { 'Content-Type': 'text/plain', ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}) });
      res.end(fault.body ?? `error ${fault.status}\n`);
      return;
    }
    if (fault && 'html' in fault) {
      entry.status = 200;
      this.#send(res, 200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><head><title>Zuul</title></head><body><div id="root"></div></body></html>');
      return;
    }
    const { status, body } = this.#route(new URL(raw, 'http://fake.invalid'));
    entry.status = status;
    const contentType = status === 200 ? 'application/json; charset=utf-8' : 'text/html;charset=utf-8';
    if (fault && 'dropMidBody' in fault) {
      const bytes = Buffer.from(body, 'utf8');
      res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
      return;
    }
    if (fault && 'truncate' in fault) {
      this.#send(res, status, contentType, body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    this.#send(res, status, contentType, body);
  }

  #send(res: ServerResponse, status: number, contentType: string, body: string): void {
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length) });
    res.end(bytes);
  }

  #route(url: URL): { status: number; body: string } {
    const m = /^\/api\/tenant\/([^/]+)\/builds\/?$/.exec(url.pathname);
    if (url.pathname === '/api/tenants') return { status: 200, body: JSON.stringify(this.tenants.map((name) => ({ name, projects: 1, queue: 0 }))) };
    if (!m) return { status: 404, body: '<html><body>404 Not Found</body></html>' };
    const tenant = decodeURIComponent(m[1]!);
    if (!this.tenants.includes(tenant)) return { status: 404, body: `<html><body>Tenant ${tenant} does not exist.</body></html>` };
    const p = url.searchParams;
    const int = (name: string, fallback: number): number | null => {
      const v = p.get(name);
      if (v === null || v === '') return fallback;
      return /^\d+$/.test(v) ? Number(v) : null;
    };
    const limit = int('limit', 50);
    const skip = int('skip', 0);
    if (limit === null || skip === null) return { status: 400, body: 'limit and skip must be integers' };
    const eq = (name: string, value: unknown) => !p.has(name) || String(value) === p.get(name);
    const matching = this.builds
      .filter((b) => eq('project', b.project) && eq('pipeline', b.pipeline) && eq('job_name', b.job_name) && eq('change', b.change) && eq('patchset', b.patchset) && eq('result', b.result))
      .sort((a, b) => b.id - a.id);
    const page = matching.slice(skip, skip + Math.min(limit, this.maxLimit));
    return { status: 200, body: JSON.stringify(page.map((b) => this.#shapeBuild(b))) };
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
