/**
 * A fake Launchpad web service for tests: a real HTTP server on 127.0.0.1 (port 0) answering, under
 * `/devel`, a project's `?ws.op=searchTasks` (the `status` list, `modified_since` on the bug's
 * last update, `order_by=id`, `ws.size` capped like Launchpad's, `ws.start`, `total_size`,
 * `next_collection_link`), `/bugs/N` (404 for an unknown bug) and `all_specifications` (entries without
 * their series goal, as Launchpad's), a project's `series` and each series' `all_specifications`, with
 * Launchpad's entry shapes (src/demo/demo-launchpad-pages.ts). Optionally it wants an OAuth
 * PLAINTEXT token (401 otherwise) and hides non-public bugs from anonymous readers.
 *
 * Tests change the data between syncs (`tasks`, `bugs`, `specs`), queue faults (`faults`, from
 * fake-http.ts: 429 with Retry-After, 5xx, slow, dropped, truncated, an HTML page) and read `log`.
 * `savePages(dir)` writes what a full walk serves as files, for `steward bugs import`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { FakeHttpError, FakeHttpServer, HTML_TYPE, jsonReply, type FakeHttpRequest, type FakeReply } from './fake-http.js';
import type { Blueprint, Bug, BugTask } from '../../src/model/bugs.js';
import { bugEntry, bugTaskEntry, collectionPage, seriesEntry, specificationEntry } from '../../src/demo/demo-launchpad-pages.js';

export interface FakeLaunchpadOptions {
  tasks?: BugTask[];
  bugs?: Bug[];
  specs?: Blueprint[];
  /** The largest `ws.size` honoured. Default 300. */
  maxSize?: number;
  /** When set, every request must carry this OAuth token (else 401). */
  requireToken?: { token: string; tokenSecret: string };
  /** Hide bugs that are not Public from requests without a token. */
  hidePrivate?: boolean;
}

export interface FakeLaunchpadRequest extends FakeHttpRequest {
  authorization: string | undefined;
}

const LP_PAGE = '<!DOCTYPE html><html><head><title>Launchpad</title></head><body>Log in</body></html>';

export class FakeLaunchpad extends FakeHttpServer<FakeLaunchpadRequest> {
  tasks: BugTask[];
  bugs: Map<number, Bug>;
  specs: Blueprint[];
  maxSize: number;
  requireToken: FakeLaunchpadOptions['requireToken'];
  hidePrivate: boolean;
  /** Raw entries to serve instead of a task's own (bad-input tests): self link → entry. */
  readonly overrides = new Map<string, unknown>();
  /** Raw bodies to serve for a bug (bad-input tests). */
  readonly bugOverrides = new Map<number, unknown>();

  constructor(options: FakeLaunchpadOptions = {}) {
    super('launchpad', LP_PAGE);
    this.tasks = options.tasks ?? [];
    this.bugs = new Map((options.bugs ?? []).map((b) => [b.id, b]));
    this.specs = options.specs ?? [];
    this.maxSize = options.maxSize ?? 300;
    this.requireToken = options.requireToken;
    this.hidePrivate = options.hidePrivate ?? false;
  }

  /** The web service root to give the client. */
  get root(): string {
    return `${this.url}/devel`;
  }

  /** Requests for searchTasks pages, in order. */
  get searchRequests(): FakeLaunchpadRequest[] {
    return this.log.filter((r) => r.path.includes('ws.op=searchTasks'));
  }

  protected logEntry(req: IncomingMessage, path: string): FakeLaunchpadRequest {
    return { path, status: 0, authorization: req.headers.authorization };
  }

  #authorised(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (!this.requireToken) return auth !== undefined;
    if (!auth) throw new FakeHttpError(401, 'Unauthorized');
    const token = /oauth_token="([^"]*)"/.exec(auth)?.[1];
    const sig = /oauth_signature="([^"]*)"/.exec(auth)?.[1];
    const method = /oauth_signature_method="([^"]*)"/.exec(auth)?.[1];
    if (method !== 'PLAINTEXT' || decodeURIComponent(token ?? '') !== this.requireToken.token)
      throw new FakeHttpError(401, 'Invalid OAuth token.');
    if (decodeURIComponent(sig ?? '') !== `&${this.requireToken.tokenSecret}`) throw new FakeHttpError(401, 'Invalid OAuth signature.');
    return true;
  }

  #visible(bug: number, authorised: boolean): boolean {
    if (!this.hidePrivate || authorised) return true;
    const b = this.bugs.get(bug);
    return !b || b.informationType === 'Public';
  }

  /** The tasks searchTasks lists for `project` (all statuses), oldest bug first. */
  tasksOf(project: string, since: number | null, authorised = true): BugTask[] {
    return this.tasks
      .filter((t) => t.project === project)
      .filter((t) => since === null || (this.bugs.get(t.bug)?.lastUpdatedAt ?? 0) >= since)
      .filter((t) => this.#visible(t.bug, authorised))
      .sort((a, b) => a.bug - b.bug || ((a.series ?? '') < (b.series ?? '') ? -1 : (a.series ?? '') > (b.series ?? '') ? 1 : 0));
  }

  /** A page of `items` (entries made by `entry` for the page's slice only: a 50,000-task search stays cheap). */
  #page<T>(url: URL, items: readonly T[], entry: (item: T) => unknown): FakeReply {
    const p = url.searchParams;
    const int = (name: string, fallback: number): number => {
      const v = p.get(name);
      if (v === null || v === '') return fallback;
      if (!/^\d+$/.test(v)) throw new FakeHttpError(400, `${name}: not a whole number`);
      return Number(v);
    };
    const size = Math.min(int('ws.size', 75), this.maxSize);
    const start = int('ws.start', 0);
    const slice = items.slice(start, start + size).map(entry);
    let next: string | null = null;
    if (start + size < items.length) {
      const n = new URL(url.toString());
      n.searchParams.set('ws.start', String(start + size));
      n.searchParams.set('ws.size', String(size));
      next = `${this.url}${n.pathname}${n.search}`;
    }
    return jsonReply(collectionPage(slice, { start, total: items.length, next }));
  }

  protected route(req: IncomingMessage, url: URL): FakeReply {
    const authorised = this.#authorised(req);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'devel') return { status: 404, contentType: HTML_TYPE, body: '<html><body>Not found</body></html>' };
    if (parts[1] === 'bugs' && parts.length === 3) {
      const id = Number(parts[2]);
      if (this.bugOverrides.has(id)) return jsonReply(this.bugOverrides.get(id));
      const bug = this.bugs.get(id);
      if (!bug || !this.#visible(id, authorised))
        throw new FakeHttpError(404, `Object: <lp.bugs.model.bug.BugSet object>, name: '${parts[2]}'`);
      return jsonReply(bugEntry(bug));
    }
    const project = decodeURIComponent(parts[1] ?? '');
    if (!this.tasks.some((t) => t.project === project) && !this.specs.some((s) => s.project === project))
      throw new FakeHttpError(404, `Object: <lp.registry.model.pillar.PillarNameSet object>, name: '${project}'`);
    if (parts.length === 2 && url.searchParams.get('ws.op') === 'searchTasks') {
      const statuses = url.searchParams.getAll('status');
      if (url.searchParams.get('omit_duplicates') !== 'false') throw new FakeHttpError(400, 'the fake wants omit_duplicates=false');
      const sinceText = url.searchParams.get('modified_since');
      const since = sinceText ? Date.parse(sinceText) : null;
      if (sinceText && Number.isNaN(since)) throw new FakeHttpError(400, 'modified_since: not a date');
      const tasks = this.tasksOf(project, since, authorised).filter((t) => statuses.length === 0 || statuses.includes(t.status));
      const selfOf = (t: BugTask) => bugTaskEntry(t).self_link as string;
      return this.#page(url, tasks, (t) => this.overrides.get(selfOf(t)) ?? bugTaskEntry(t));
    }
    const specs = this.specs.filter((s) => s.project === project).sort((a, b) => a.name.localeCompare(b.name));
    if (parts.length === 3 && parts[2] === 'all_specifications')
      return this.#page(url, specs, (s) => specificationEntry(s, { goalLink: false }));
    // The series: those some task is on or some blueprint is a goal of.
    const series = [...new Set([...this.tasksOf(project, null).map((t) => t.series), ...specs.map((s) => s.seriesGoal)])]
      .filter((s): s is string => s !== null)
      .sort();
    if (parts.length === 3 && parts[2] === 'series') return this.#page(url, series, (name) => seriesEntry(project, name));
    if (parts.length === 4 && parts[3] === 'all_specifications') {
      const name = decodeURIComponent(parts[2]!);
      if (!series.includes(name)) throw new FakeHttpError(404, `Object: <ProductSeries>, name: '${name}'`);
      return this.#page(
        url,
        specs.filter((s) => s.seriesGoal === name),
        (s) => specificationEntry(s, { goalLink: false }),
      );
    }
    throw new FakeHttpError(404, `Not found: ${url.pathname}`);
  }

  /**
   * Writes what a full walk of `project` serves as files in `dir`: searchTasks pages of `size`,
   * one bugs collection, one blueprints collection. Returns the file paths in order.
   */
  savePages(dir: string, project: string, size = 100): string[] {
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    const tasks = this.tasksOf(project, null);
    for (let start = 0; start < tasks.length || start === 0; start += size) {
      const f = join(dir, `tasks-${String(start).padStart(6, '0')}.json`);
      const entries = tasks.slice(start, start + size).map((t) => bugTaskEntry(t));
      writeFileSync(f, JSON.stringify(collectionPage(entries, { start, total: tasks.length, next: null })));
      files.push(f);
      if (tasks.length === 0) break;
    }
    const ids = [...new Set(tasks.map((t) => t.bug))];
    const bugsFile = join(dir, 'bugs.json');
    writeFileSync(
      bugsFile,
      JSON.stringify(
        collectionPage(
          ids.map((id) => bugEntry(this.bugs.get(id)!)),
          { start: 0, total: ids.length, next: null },
        ),
      ),
    );
    files.push(bugsFile);
    const specs = this.specs.filter((s) => s.project === project);
    const specsFile = join(dir, 'blueprints.json');
    writeFileSync(
      specsFile,
      JSON.stringify(
        collectionPage(
          specs.map((b) => specificationEntry(b)),
          { start: 0, total: specs.length, next: null },
        ),
      ),
    );
    files.push(specsFile);
    return files;
  }
}
