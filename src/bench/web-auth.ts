/**
 * The signed-in side of the web benchmark (web-bench.ts, docs/benchmarks.md "Web server"): the
 * readers a `steward serve --auth` run is measured with, written into a scratch copy of the bench
 * store (never the bench store itself), and their sign-in through the real login form.
 *
 * Five accounts (names `bench-…`, one random password for the run, hashed as `steward user add`
 * hashes it): an admin that only sets things up, and four readers, one per kind of access:
 * - viewer and lead: read every report; for the tracker they are outsiders (an item is, for them,
 *   a missing one: 404, and their lists are empty);
 * - member: a viewer on the security team (sees every item);
 * - grantee: a viewer granted one item (downstream), and no other.
 * Three embargoed items are planted through the tracker's own service (sealed with the run's key).
 *
 * Each reader asks, in turn, for the two reports the open run measures (overview and 90-day
 * reviewers) and for the tracker: the item list (JSON), one item (JSON: the member and the grantee
 * get it, the viewer and the lead get the missing-item answer) and the /security page. Every
 * answer's status is checked against what that reader must get.
 */
import { randomBytes } from 'node:crypto';
import type { StewardConfig } from '../config/config-schema.js';
import type { AuthUser } from '../service/authorize.js';
import {
  addSecurityMember,
  grantSecurityItem,
  reportSecurityItem,
  transitionSecurityItem,
  type SecurityDeps,
} from '../service/security-service.js';
import type { Store } from '../store/engine.js';
import type { SecretBox } from '../store/secret-box.js';
import { createUser } from '../store/users-store.js';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from '../web/auth/password.js';

/** The reports every run asks for, as of the bench export's end (2026-01-01): the overview and the 90-day reviewers report. */
export const REPORT_PATHS = ['/api/v1/overview?now=2026-01-01', '/api/v1/reviewers?now=2026-01-01'] as const;

export const BENCH_READERS = ['viewer', 'lead', 'member', 'grantee'] as const;
export type BenchReader = (typeof BENCH_READERS)[number];

/** What the bench wrote: the run's password and the item every reader asks for. */
export interface BenchAccounts {
  password: string;
  /** The item the member and the grantee see and the others do not. */
  itemId: string;
  /** How many items the member's list must show (all); the grantee's shows 1, the others' 0. */
  items: number;
}

export const readerName = (r: BenchReader): string => `bench-${r}`;

/** One request of a reader's turn, with the status that reader must get. */
export interface BenchRequest {
  path: string;
  kind: 'report' | 'security';
  expect: number;
  accept?: string;
}

/** The turn a reader repeats: the two reports, then the tracker's list, item and page. */
export function readerRequests(reader: BenchReader | null, reportPaths: readonly string[], itemId: string): BenchRequest[] {
  const reports = reportPaths.map((path): BenchRequest => ({ path, kind: 'report', expect: 200 }));
  if (reader === null) return reports;
  const sees = reader === 'member' || reader === 'grantee';
  return [
    ...reports,
    { path: '/api/v1/security/items', kind: 'security', expect: 200, accept: 'application/json' },
    { path: `/api/v1/security/items/${itemId}`, kind: 'security', expect: sees ? 200 : 404, accept: 'application/json' },
    { path: '/security', kind: 'security', expect: 200, accept: 'text/html' },
  ];
}

/**
 * Writes the accounts, the team and the items into `store` (a scratch copy), sealing texts with
 * `box`. The password is random for the run and only the scrypt hash is stored, made with
 * `hashParams` (the real parameters by default, as the bench measures them; a test of the
 * plumbing passes cheap ones, and the same to the app's access hooks).
 */
export async function plantBenchAccounts(
  store: Store,
  box: SecretBox,
  config: StewardConfig,
  now: number,
  hashParams: ScryptParams = DEFAULT_SCRYPT,
): Promise<BenchAccounts> {
  const password = randomBytes(18).toString('base64url');
  const hash = await hashPassword(password, hashParams);
  const users = new Map<string, AuthUser>();
  for (const [name, role] of [
    ['bench-admin', 'admin'],
    [readerName('viewer'), 'viewer'],
    [readerName('lead'), 'lead'],
    [readerName('member'), 'viewer'],
    [readerName('grantee'), 'viewer'],
  ] as const) {
    const u = await createUser(store.db, { name, role, passwordHash: hash }, now);
    if (!u) throw new Error(`the scratch store already has a user ${name}: it should be a fresh copy of the bench store`);
    users.set(name, { id: u.id, name: u.name, role: u.role });
  }
  const d: SecurityDeps = { store, box, clock: () => now, rules: config.security, ip: null };
  await addSecurityMember(d, users.get('bench-admin')!, readerName('member'));
  const member = users.get(readerName('member'))!;
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    const id = await reportSecurityItem(d, member, {
      title: `Bench embargoed item ${n}`,
      description: `A planted report for the web benchmark (${n}).`,
      project: 'bench/project',
    });
    await transitionSecurityItem(d, member, id, {
      to: 'triaged',
      verdict: 'confirmed',
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      branches: ['master'],
    });
    ids.push(id);
  }
  await grantSecurityItem(d, member, ids[0]!, readerName('grantee'), 'downstream');
  return { password, itemId: ids[0]!, items: ids.length };
}

/** The `name=value` pairs a response sets, for the next request's Cookie header. */
function cookiesOf(r: Response, jar: Map<string, string>): void {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (value === '' || /max-age=0/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * Signs `name` in through the login form of the server at `url` (GET /login for the CSRF cookie
 * and token, POST /login), as a browser does; returns the Cookie header that carries the session.
 * Throws, naming the reader and the status, when the server does not answer with a session.
 */
export async function signInReader(url: string, name: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const page = await fetch(`${url}/login`, { redirect: 'manual' });
  cookiesOf(page, jar);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error(`sign-in of ${name} at ${url}/login: the login page (HTTP ${page.status}) has no CSRF field`);
  const r = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ name, password, next: '/', _csrf: csrf }).toString(),
  });
  cookiesOf(r, jar);
  await r.arrayBuffer();
  if (r.status !== 303 || !jar.has('steward_session'))
    throw new Error(`sign-in of ${name} at ${url}/login answered HTTP ${r.status} without a session cookie`);
  return cookieHeader(jar);
}
