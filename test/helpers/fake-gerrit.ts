/**
 * A fake Gerrit for tests: a real HTTP server on 127.0.0.1 (port 0) speaking Gerrit's wire format
 * closely enough for Steward's sync: `)]}'`-prefixed JSON, `/a/` for authenticated calls, change
 * queries with paging (`n`, `S`/`start`, `_more_changes`), `o=` options shaping the answer, groups
 * and (recursive) group members, and Gerrit's plain-text errors.
 *
 * Tests mutate `changes`, `groups` and `projects` between syncs, queue faults in `faults` (or turn
 * on seeded random faults for soak tests), and read `log`, `maxInFlight` to assert on traffic. The
 * server, the log and the faults are fake-http.ts's; what is Gerrit's is here.
 *
 * @example
 * const gerrit = new FakeGerrit({ changes: [change(1)], auth: { username: 'sync', password: 'pw' } });
 * const url = await gerrit.start();
 * gerrit.faults.push({ status: 503 }, { dropMidBody: true, match: '/changes/' });
 * … ; await gerrit.stop();
 */
import type { IncomingMessage } from 'node:http';
import type { RestAccountInfo, RestApprovalInfo, RestChangeInfo, RestLabelInfo } from '../../src/sources/gerrit/rest-types.js';
import { parseRestTimestamp } from '../../src/sources/gerrit/time.js';
import { FakeHttpError as HttpError, FakeHttpServer, jsonReply, type FakeHttpRequest, type FakeReply as Reply } from './fake-http.js';

export type { FakeFault, FakeFaultKind } from './fake-http.js';

/** A group: `includes` names other groups' ids whose members count with `?recursive`. */
export interface FakeGroup {
  /** The group UUID, unencoded (may contain ':' like `ldap:cn=nova`; the server sends it encoded, as Gerrit does). */
  id: string;
  name: string;
  group_id?: number;
  members: RestAccountInfo[];
  includes?: string[];
}

/** One request as the server saw it. */
export interface FakeRequest extends FakeHttpRequest {
  method: string;
  /** Whether an Authorization header was sent. */
  auth: boolean;
  /** The basic-auth user name, when one was sent (the password is never recorded). */
  user?: string;
}

export interface FakeGerritOptions {
  changes?: RestChangeInfo[];
  groups?: FakeGroup[];
  /** Projects that exist even without changes (a `project:` term naming any other is a 404). */
  projects?: string[];
  /** Credentials `/a/…` requires. Without them every `/a/…` request is a 401. */
  auth?: { username: string; password: string };
  /** How non-`/a/` requests are treated: served (default), 403, or 404 as Gerrit does for hidden data. */
  anonymous?: 'allow' | 'forbid' | 'hide';
  /** Gerrit's query limit: `n` above it is silently lowered; also the default page size. Default 500. */
  maxPageSize?: number;
  /** Whether `/groups/?query=` exists (older Gerrit: 400). Default true. */
  groupQuery?: boolean;
  /** Added to every request before it is answered, to make requests overlap. Default 0. */
  latencyMs?: number;
}

const XSSI = ")]}'\n";
const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign In · Gerrit Code Review</title></head>' +
  '<body><form method="post" action="/login"><input name="username"><input name="password" type="password">' +
  '<button>Sign In</button></form></body></html>\n';

/** A fake Gerrit server. Fields are public and mutable on purpose: tests change the world between calls. */
export class FakeGerrit extends FakeHttpServer<FakeRequest> {
  changes: RestChangeInfo[];
  groups: FakeGroup[];
  projects: string[];
  auth: { username: string; password: string } | undefined;
  anonymous: 'allow' | 'forbid' | 'hide';
  maxPageSize: number;
  groupQuery: boolean;
  /** Change-query pages serialised ahead of time, by {@link pageKey}. */
  readonly #pages = new Map<string, Reply>();

  constructor(options: FakeGerritOptions = {}) {
    super('gerrit', LOGIN_PAGE);
    this.changes = options.changes ?? [];
    this.groups = options.groups ?? [];
    this.projects = options.projects ?? [];
    this.auth = options.auth;
    this.anonymous = options.anonymous ?? 'allow';
    this.maxPageSize = options.maxPageSize ?? 500;
    this.groupQuery = options.groupQuery ?? true;
    this.latencyMs = options.latencyMs ?? 0;
  }

  /**
   * Serialises every page of the change query `q` with `options` and page size `pageSize` now, and
   * answers requests for exactly those pages from these bytes from then on; returns the number of
   * pages. For the sync benchmark: a real Gerrit does this work on another machine, so here it is
   * done before the timed sync instead of on the cores the sync runs on. The pages are what the
   * server held when this was called: a test that edits `changes` afterwards must not use it.
   */
  precomputePages(q: string, options: readonly string[], pageSize: number): number {
    let pages = 0;
    for (let start = 0; ; pages++) {
      const params = new URLSearchParams({ q, n: String(pageSize), S: String(start) });
      for (const o of options) params.append('o', o);
      const changes = this.#queryChanges(params);
      const reply = json(changes);
      this.#pages.set(pageKey(params), { ...reply, body: Buffer.from(reply.body as string, 'utf8') });
      const last = changes[changes.length - 1] as { _more_changes?: boolean } | undefined;
      if (!last?._more_changes) return pages + 1;
      start += changes.length;
    }
  }

  protected logEntry(req: IncomingMessage, path: string): FakeRequest {
    const entry: FakeRequest = { method: req.method ?? 'GET', path, auth: req.headers.authorization !== undefined, status: 0 };
    const credentials = parseBasic(req.headers.authorization);
    if (credentials) entry.user = credentials.username;
    return entry;
  }

  protected route(req: IncomingMessage, url: URL): Reply {
    const method = req.method ?? 'GET';
    const credentials = parseBasic(req.headers.authorization);
    const sentAuth = req.headers.authorization !== undefined;
    let path = url.pathname;
    const authenticated = path === '/a' || path.startsWith('/a/');
    if (authenticated) {
      path = path.slice(2) || '/';
      const ok = this.auth && credentials && credentials.username === this.auth.username && credentials.password === this.auth.password;
      if (!ok) throw new HttpError(401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="Gerrit Code Review"' });
    } else if (this.anonymous === 'forbid') {
      throw new HttpError(403, sentAuth ? 'Forbidden' : 'Authentication required');
    } else if (this.anonymous === 'hide') {
      throw new HttpError(404, 'Not found');
    }
    if (method !== 'GET') throw new HttpError(405, 'Method Not Allowed');
    const segments = path
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
    const [root, id, sub, extra] = segments;
    if (root === 'changes' && id === '' && segments.length === 2) {
      return this.#pages.get(pageKey(url.searchParams)) ?? json(this.#queryChanges(url.searchParams));
    }
    if (root === 'projects' && id && segments.length <= 3 && !sub) return json(this.#project(id));
    if (root === 'groups' && id === '' && segments.length === 2) return json(this.#listGroups(url.searchParams));
    if (root === 'groups' && id && !sub && segments.length <= 3) return json(groupInfo(this.#group(id)));
    if (root === 'groups' && id && sub === 'members' && !extra) {
      return json(this.#members(this.#group(id), url.searchParams.has('recursive')));
    }
    throw new HttpError(404, 'Not Found');
  }

  #queryChanges(params: URLSearchParams): unknown[] {
    const q = params.get('q') ?? 'status:open';
    const terms = tokenize(q);
    let limit = Infinity;
    const filters: Array<(c: RestChangeInfo) => boolean> = [];
    for (const { op, value } of terms) {
      switch (op) {
        case 'project': {
          if (!this.projects.includes(value) && !this.changes.some((c) => c.project === value)) {
            throw new HttpError(404, `Not found: ${value}`);
          }
          filters.push((c) => c.project === value);
          break;
        }
        case 'branch':
          filters.push((c) => c.branch === value);
          break;
        case 'topic':
          filters.push((c) => c.topic === value);
          break;
        case 'change':
          filters.push((c) => String(c._number) === value || c.change_id === value);
          break;
        case 'status':
        case 'is': {
          const statuses = STATUS_TERMS[value.toLowerCase()];
          if (!statuses) throw new HttpError(400, `bad query: Unrecognized value: ${value}`);
          filters.push((c) => statuses.includes(c.status));
          break;
        }
        case 'after':
        case 'since':
        case 'before':
        case 'until': {
          const t = parseRestTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value} 00:00:00` : value);
          if (t === null) throw new HttpError(400, `bad query: Unrecognized date: ${value}`);
          const isAfter = op === 'after' || op === 'since';
          filters.push((c) => {
            const updated = parseRestTimestamp(c.updated) ?? 0;
            return isAfter ? updated >= t : updated <= t;
          });
          break;
        }
        // Gerrit treats limit: as a cap on the page size, like n.
        case 'limit':
          limit = Number(value);
          if (!Number.isInteger(limit) || limit < 1) throw new HttpError(400, `bad query: Invalid limit: ${value}`);
          break;
        default:
          throw new HttpError(400, `bad query: Unsupported operator ${op}:${value}`);
      }
    }
    // Timestamps parsed once per change, not once per comparison: the sync benchmark serves 50,000.
    const matching = this.changes
      .filter((c) => filters.every((f) => f(c)))
      .map((c) => ({ c, t: parseRestTimestamp(c.updated) ?? 0 }))
      .sort((a, b) => b.t - a.t || b.c._number - a.c._number)
      .map((x) => x.c);
    const pageSize = Math.min(intParam(params.get('n'), this.maxPageSize), this.maxPageSize, limit);
    const start = intParam(params.get('S') ?? params.get('start'), 0);
    const page = matching.slice(start, start + pageSize);
    const options = new Set(params.getAll('o').map((o) => o.toUpperCase()));
    const out: Record<string, unknown>[] = page.map((c) => shapeChange(c, options));
    const more = start + page.length < matching.length;
    const last = out[out.length - 1];
    if (more && last) last._more_changes = true;
    return out;
  }

  #project(name: string): unknown {
    if (!this.projects.includes(name) && !this.changes.some((c) => c.project === name)) throw new HttpError(404, `Not found: ${name}`);
    return { id: encodeURIComponent(name), name, state: 'ACTIVE' };
  }

  #listGroups(params: URLSearchParams): unknown {
    const query = params.get('query');
    if (query === null) {
      if (params.has('query2')) throw new HttpError(400, '"--query2" is not a valid option');
      const sorted = [...this.groups].sort((a, b) => a.name.localeCompare(b.name));
      return Object.fromEntries(sorted.map((g) => [g.name, groupInfo(g)]));
    }
    if (!this.groupQuery) throw new HttpError(400, '"--query" is not a valid option');
    let found = this.groups;
    for (const { op, value } of tokenize(query)) {
      if (op === 'name') found = found.filter((g) => g.name === value);
      else if (op === 'inname') found = found.filter((g) => g.name.toLowerCase().includes(value.toLowerCase()));
      else if (op === 'uuid') found = found.filter((g) => g.id === value);
      else throw new HttpError(400, `bad query: Unsupported operator ${op}:${value}`);
    }
    return found.map(groupInfo);
  }

  /** A group by UUID, numeric id or name, as Gerrit resolves `{group-id}`. */
  #group(id: string): FakeGroup {
    const group =
      this.groups.find((g) => g.id === id) ??
      this.groups.find((g) => g.group_id !== undefined && String(g.group_id) === id) ??
      this.groups.find((g) => g.name === id);
    if (!group) throw new HttpError(404, `Not found: ${id}`);
    return group;
  }

  #members(group: FakeGroup, recursive: boolean): RestAccountInfo[] {
    const byId = new Map<number, RestAccountInfo>();
    const seen = new Set<string>();
    const visit = (g: FakeGroup): void => {
      if (seen.has(g.id)) return;
      seen.add(g.id);
      for (const m of g.members) byId.set(m._account_id, m);
      if (!recursive) return;
      for (const inc of g.includes ?? []) {
        const sub = this.groups.find((x) => x.id === inc);
        if (sub) visit(sub);
      }
    };
    visit(group);
    return [...byId.values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a._account_id - b._account_id);
  }
}

const STATUS_TERMS: Record<string, RestChangeInfo['status'][]> = {
  open: ['NEW', 'DRAFT'],
  new: ['NEW'],
  pending: ['NEW', 'DRAFT'],
  merged: ['MERGED'],
  abandoned: ['ABANDONED'],
  closed: ['MERGED', 'ABANDONED'],
};

function json(value: unknown): Reply {
  return jsonReply(value, XSSI);
}

/** What identifies a page of a change query: the query, the options in any order, the page size and the offset. */
function pageKey(params: URLSearchParams): string {
  const options = params
    .getAll('o')
    .map((o) => o.toUpperCase())
    .sort();
  return [params.get('q') ?? '', options.join(','), params.get('n') ?? '', params.get('S') ?? params.get('start') ?? '0'].join('\n');
}

function groupInfo(g: FakeGroup): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: encodeURIComponent(g.id),
    url: `#/admin/groups/uuid-${encodeURIComponent(g.id)}`,
    options: {},
    name: g.name,
  };
  if (g.group_id !== undefined) info.group_id = g.group_id;
  return info;
}

/**
 * Split a Gerrit query into `op:value` terms. Terms are joined by spaces or `AND` (a `+` in the
 * URL is already a space); values may be quoted ("…") or braced ({…}). OR, NOT, `-`, parentheses
 * and bare words are not needed by Steward and answer 400, as an unsupported operator does.
 */
function tokenize(q: string): Array<{ op: string; value: string }> {
  const terms: Array<{ op: string; value: string }> = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i]!)) {
      i++;
      continue;
    }
    const colon = q.indexOf(':', i);
    const space = q.slice(i).search(/\s/);
    const wordEnd = space === -1 ? q.length : i + space;
    if (colon === -1 || colon > wordEnd) {
      const word = q.slice(i, wordEnd);
      if (word === 'AND') {
        i = wordEnd;
        continue;
      }
      throw new HttpError(400, `bad query: Unsupported query: ${word}`);
    }
    const op = q.slice(i, colon);
    if (!/^[a-z_]+$/.test(op)) throw new HttpError(400, `bad query: Unsupported operator ${op}`);
    let j = colon + 1;
    let value: string;
    const open = q[j];
    if (open === '"' || open === '{') {
      const close = open === '"' ? '"' : '}';
      let v = '';
      j++;
      while (j < q.length && q[j] !== close) {
        if (q[j] === '\\' && j + 1 < q.length) j++;
        v += q[j];
        j++;
      }
      if (j >= q.length) throw new HttpError(400, `bad query: missing ${close} in ${q.slice(i)}`);
      value = v;
      j++;
    } else {
      const end = q.slice(j).search(/\s/);
      value = q.slice(j, end === -1 ? q.length : j + end);
      j = end === -1 ? q.length : j + end;
    }
    terms.push({ op, value });
    i = j;
  }
  return terms;
}

/** Shape a stored change as Gerrit would for the requested `o=` options. */
function shapeChange(c: RestChangeInfo, options: Set<string>): Record<string, unknown> {
  const detailed = options.has('DETAILED_ACCOUNTS');
  const acct = <T extends RestAccountInfo | undefined>(a: T): T => {
    if (!a || detailed) return a;
    const { name: _n, email: _e, secondary_emails: _s, username: _u, display_name: _d, ...rest } = a;
    return rest as T;
  };
  // No deep copy: the shaped objects are only serialised, and every level that differs is rebuilt.
  const { labels, messages, revisions, current_revision, owner, submitter, _more_changes: _m, ...rest } = c;
  const out: Record<string, unknown> = { ...rest, owner: acct(owner) };
  if (submitter) out.submitter = acct(submitter);
  if (labels && (options.has('LABELS') || options.has('DETAILED_LABELS'))) {
    const shaped: Record<string, RestLabelInfo> = {};
    for (const [name, label] of Object.entries(labels)) {
      const { all, values, ...summary } = label;
      const l: RestLabelInfo = { ...summary };
      for (const k of ['approved', 'rejected', 'recommended', 'disliked'] as const) if (l[k]) l[k] = acct(l[k]);
      if (options.has('DETAILED_LABELS')) {
        if (all) l.all = all.map((a) => acct<RestApprovalInfo>(a));
        if (values) l.values = values;
      }
      shaped[name] = l;
    }
    out.labels = shaped;
  }
  if (messages && options.has('MESSAGES')) {
    out.messages = messages.map((m) => ({ ...m, author: acct(m.author), ...(m.real_author ? { real_author: acct(m.real_author) } : {}) }));
  }
  const allRevisions = options.has('ALL_REVISIONS');
  if (revisions && (allRevisions || options.has('CURRENT_REVISION'))) {
    if (current_revision) out.current_revision = current_revision;
    const shaped: Record<string, unknown> = {};
    for (const [sha, rev] of Object.entries(revisions)) {
      const current = sha === current_revision;
      if (!allRevisions && !current) continue;
      const { commit, files, uploader, ...r } = rev;
      const s: Record<string, unknown> = { ...r, uploader: acct(uploader) };
      if (commit && (options.has('ALL_COMMITS') || (current && options.has('CURRENT_COMMIT')))) s.commit = commit;
      if (files && (options.has('ALL_FILES') || (current && options.has('CURRENT_FILES')))) s.files = files;
      shaped[sha] = s;
    }
    out.revisions = shaped;
  }
  return out;
}

function intParam(value: string | null, fallback: number): number {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `"${value}" is not a valid value`);
  return n;
}

function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
