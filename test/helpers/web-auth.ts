/** Helpers for tests of access control: users with cheap hashes, signing in through the real forms. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Store } from '../../src/store/engine.js';
import { createUser } from '../../src/store/users-store.js';
import { hashPassword, type ScryptParams } from '../../src/web/auth/password.js';

/** Cheap scrypt parameters for tests (the real ones cost 64 MiB and ~0.3 s a hash). */
export const TEST_HASH: ScryptParams = { ln: 10, r: 8, p: 1 };

export async function addUser(store: Store, name: string, role: string, password: string, now = Date.now()): Promise<void> {
  const u = await createUser(store.db, { name, role, passwordHash: await hashPassword(password, TEST_HASH) }, now);
  if (!u) throw new Error(`user ${name} exists`);
}

/** A cookie jar for inject(): keeps what Set-Cookie set and cleared. */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }
}

/** The CSRF token in a page's form. */
export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m) throw new Error(`no CSRF field in: ${body.slice(0, 300)}`);
  return m[1]!;
}

export const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

/** GET /login, then POST it with the form's CSRF token. Returns the POST's response. */
export async function signIn(app: FastifyInstance, jar: Jar, name: string, password: string, next = '/'): Promise<LightMyRequestResponse> {
  const page = jar.take(await app.inject({ method: 'GET', url: `/login?next=${encodeURIComponent(next)}`, headers: jar.header() }));
  const f = form({ name, password, next, _csrf: csrfOf(page.body) });
  return jar.take(await app.inject({ method: 'POST', url: '/login', payload: f.payload, headers: { ...f.headers, ...jar.header() } }));
}
