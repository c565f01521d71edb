/**
 * Access control over HTTP (inject): login, logout, session expiry, wrong password, disabled user,
 * roles, CSRF missing or wrong, login rate limits, and that no secret reaches a log, the audit log,
 * or a response. The app here is the access plugin with three stand-in routes (a page, an API
 * endpoint, a form that changes data), so these tests pin down the plugin itself.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { listAudit, setUserDisabled, findUserByName, setUserRole } from '../../src/store/users-store.js';
import { accessPlugin, type AccessOptions } from '../../src/web/auth/access-plugin.js';
import { Jar, TEST_HASH, addUser, csrfOf, form, signIn } from '../helpers/web-auth.js';
import { freshLocation } from '../helpers/stores.js';

const PW = { ann: 'ann-secret-password-1', vic: 'vic-secret-password-2', adm: 'adm-secret-password-3' };

let store: Store;
let cleanup: () => Promise<void>;
let now = Date.UTC(2026, 5, 1, 12);
let logs = '';

async function makeApp(o: Partial<AccessOptions> = {}): Promise<FastifyInstance> {
  const stream = new Writable({ write: (c, _e, cb) => void ((logs += String(c)), cb()) });
  const app = Fastify({ logger: { level: 'trace', stream } });
  await app.register(accessPlugin, { enabled: true, store, clock: () => now, hashParams: TEST_HASH, secureCookies: true, ...o });
  app.get('/', async (req, reply) => reply.type('text/html').send(`<p>hello ${req.user?.name}</p>`));
  app.get('/api/v1/ping', async (req) => ({ ok: true, user: req.user?.name }));
  app.register(async (child) => {
    child.get('/manage/thing', { preHandler: child.access.require('mentoring.change', { kind: 'mentoring' }) }, async (req, reply) =>
      reply
        .type('text/html')
        .send(`<form method="post"><input type="hidden" name="_csrf" value="${child.access.csrfToken(req, reply)}"></form>`),
    );
    child.post('/manage/thing', { preHandler: child.access.require('mentoring.change', { kind: 'mentoring' }) }, async () => ({
      changed: true,
    }));
  });
  await app.ready();
  return app;
}

before(async () => {
  const loc = await freshLocation('sqlite');
  cleanup = loc.cleanup;
  store = await openStore(loc.location);
  await addUser(store, 'ann', 'lead', PW.ann);
  await addUser(store, 'vic', 'viewer', PW.vic);
  await addUser(store, 'adm', 'admin', PW.adm);
});
after(async () => {
  await store.close();
  await cleanup();
});

describe('access control (--auth), over HTTP', () => {
  let app: FastifyInstance;
  // Many sign-ins from one address here; the per-address limit has its own test below.
  before(async () => (app = await makeApp({ loginAttemptsPerMinute: 1000 })));
  after(async () => app.close());

  it('without a session: pages redirect to the login page, the API answers 401', async () => {
    const page = await app.inject({ method: 'GET', url: '/?days=30', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, '/login?next=%2F%3Fdays%3D30');
    const api = await app.inject({ method: 'GET', url: '/api/v1/ping' });
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().error.code, 'UNAUTHENTICATED');
    const login = await app.inject({ method: 'GET', url: '/login' });
    assert.equal(login.statusCode, 200);
    assert.match(login.body, /<form method="post" action="\/login"/);
  });

  it('signs in with the right password: Secure, HttpOnly, SameSite cookie; back to where the user was going', async () => {
    const jar = new Jar();
    const res = await signIn(app, jar, 'Ann', PW.ann, '/?days=30');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/?days=30');
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] as string[]).find((c) => c.startsWith('steward_session='))!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /Secure/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Path=\//);
    const api = await app.inject({ method: 'GET', url: '/api/v1/ping', headers: jar.header() });
    assert.deepEqual(api.json(), { ok: true, user: 'ann' });
    const audit = await listAudit(store.db, { limit: 1 });
    assert.equal(audit[0]!.event, 'login');
    assert.equal(audit[0]!.subject, 'ann');
  });

  it('refuses a wrong password and an unknown name with the same answer, and logs no password anywhere', async () => {
    logs = '';
    const jar = new Jar();
    const secret = 'Hunter2-very-secret-guess';
    const wrong = await signIn(app, jar, 'ann', secret);
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /Wrong name or password/);
    assert.ok(!jar.cookies.has('steward_session'));
    const unknown = await signIn(app, jar, 'nobody-here', secret);
    assert.equal(unknown.statusCode, 401);
    assert.match(unknown.body, /Wrong name or password/);
    // A password typed into the name field is not recorded either.
    await signIn(app, jar, secret, secret);
    for (const text of [wrong.body, unknown.body, logs, JSON.stringify(await listAudit(store.db, { limit: 50 }))]) {
      assert.ok(!text.includes(secret), 'the password appears');
      assert.ok(!text.includes('Hunter2'), 'part of the password appears');
    }
    assert.ok(logs.length > 0, 'the logger did log the requests');
    const failed = await listAudit(store.db, { limit: 3, event: 'login.failed' });
    assert.deepEqual(
      failed.map((e) => [e.subject, e.detail?.reason]),
      [
        [null, 'unknown user'],
        [null, 'unknown user'],
        ['ann', 'wrong password'],
      ],
    );
  });

  it('refuses a disabled user, and disabling ends its open sessions', async () => {
    const jar = new Jar();
    assert.equal((await signIn(app, jar, 'vic', PW.vic)).statusCode, 303);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/ping', headers: jar.header() })).statusCode, 200);
    const vic = (await findUserByName(store.db, 'vic'))!;
    await setUserDisabled(store.db, vic.id, now);
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/v1/ping', headers: jar.header() })).statusCode,
      401,
      'the open session ended',
    );
    const again = await signIn(app, new Jar(), 'vic', PW.vic);
    assert.equal(again.statusCode, 401);
    assert.match(again.body, /Wrong name or password/);
    await setUserDisabled(store.db, vic.id, null);
  });

  it('ends a session at its absolute expiry and after the idle timeout', async () => {
    const start = now;
    try {
      const jar = new Jar();
      await signIn(app, jar, 'ann', PW.ann);
      now += 60 * 60_000; // 1 h: still valid (and touched)
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/ping', headers: jar.header() })).statusCode, 200);
      now += 2 * 60 * 60_000 + 1; // more than 2 h idle
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/ping', headers: jar.header() })).statusCode, 401);

      const jar2 = new Jar();
      await signIn(app, jar2, 'ann', PW.ann);
      for (let i = 0; i < 12; i++) {
        now += 60 * 60_000; // active every hour, never idle...
        const r = await app.inject({ method: 'GET', url: '/api/v1/ping', headers: jar2.header() });
        assert.equal(r.statusCode, i < 11 ? 200 : 401, `after ${i + 1} h`); // ...but over after 12 h
      }
    } finally {
      now = start;
    }
  });

  it('logs out: the session ends, and its cookie no longer works even if kept', async () => {
    const jar = new Jar();
    await signIn(app, jar, 'ann', PW.ann);
    const kept = jar.header();
    const page = jar.take(await app.inject({ method: 'GET', url: '/logout', headers: jar.header() }));
    const f = form({ _csrf: csrfOf(page.body) });
    const out = jar.take(
      await app.inject({ method: 'POST', url: '/logout', payload: f.payload, headers: { ...f.headers, ...jar.header() } }),
    );
    assert.equal(out.statusCode, 303);
    assert.ok(!jar.cookies.has('steward_session'), 'the cookie is cleared');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/ping', headers: kept })).statusCode, 401);
  });

  it('roles: a viewer reads but is refused changes (403, with why); a lead may change', async () => {
    const viewer = new Jar();
    await signIn(app, viewer, 'vic', PW.vic);
    const page = await app.inject({ method: 'GET', url: '/manage/thing', headers: { ...viewer.header(), accept: 'text/html' } });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /changing mentoring needs the lead or admin role; vic has the viewer role/);
    const lead = new Jar();
    await signIn(app, lead, 'ann', PW.ann);
    const form1 = lead.take(await app.inject({ method: 'GET', url: '/manage/thing', headers: lead.header() }));
    assert.equal(form1.statusCode, 200);
    const f = form({ _csrf: csrfOf(form1.body) });
    const ok = await app.inject({ method: 'POST', url: '/manage/thing', payload: f.payload, headers: { ...f.headers, ...lead.header() } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { changed: true });
    // The viewer's POST, even with a valid token of its own, is refused by role.
    const vf = viewer.take(await app.inject({ method: 'GET', url: '/login', headers: viewer.header() }));
    assert.equal(vf.statusCode, 303, 'a signed-in user is sent on from the login page');
    const refused = await app.inject({
      method: 'POST',
      url: '/manage/thing',
      payload: 'x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': 'whatever', ...viewer.header() },
    });
    assert.equal(refused.statusCode, 403);
    const events = await listAudit(store.db, { limit: 5, event: 'access.refused' });
    assert.ok(events.some((e) => e.actor === 'vic'));
  });

  it('a role change takes effect on the next request', async () => {
    const jar = new Jar();
    await signIn(app, jar, 'vic', PW.vic);
    const vic = (await findUserByName(store.db, 'vic'))!;
    await setUserRole(store.db, vic.id, 'lead');
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/manage/thing', headers: jar.header() })).statusCode, 200);
    } finally {
      await setUserRole(store.db, vic.id, 'viewer');
    }
  });

  it("CSRF: a change without a token, with a wrong one, or with another session's token is refused (403)", async () => {
    const lead = new Jar();
    await signIn(app, lead, 'ann', PW.ann);
    const formPage = lead.take(await app.inject({ method: 'GET', url: '/manage/thing', headers: lead.header() }));
    const token = csrfOf(formPage.body);
    const post = (fields: Record<string, string>, headers: Record<string, string> = lead.header()) => {
      const f = form(fields);
      return app.inject({
        method: 'POST',
        url: '/manage/thing',
        payload: f.payload,
        headers: { ...f.headers, ...headers, accept: 'text/html' },
      });
    };
    const missing = await post({});
    assert.equal(missing.statusCode, 403);
    const wrong = await post({ _csrf: token.slice(0, -3) + 'abc' });
    assert.equal(wrong.statusCode, 403);
    // A second session of the same user has its own tokens: a token leaked from one is no use in the other.
    const other = new Jar();
    await signIn(app, other, 'ann', PW.ann);
    const otherPage = other.take(await app.inject({ method: 'GET', url: '/manage/thing', headers: other.header() }));
    const crossed = await post({ _csrf: csrfOf(otherPage.body) });
    assert.equal(crossed.statusCode, 403);
    // The login form too: a cross-site login attempt without the page's token is refused.
    const blind = await app.inject({ method: 'POST', url: '/login', ...form({ name: 'ann', password: PW.ann }) });
    assert.equal(blind.statusCode, 403);
    assert.ok(!String(blind.headers['set-cookie'] ?? '').includes('steward_session='));
    // And the right token works.
    assert.equal((await post({ _csrf: token })).statusCode, 200);
    // The header form works for scripts.
    const viaHeader = await app.inject({ method: 'POST', url: '/manage/thing', headers: { ...lead.header(), 'x-csrf-token': token } });
    assert.equal(viaHeader.statusCode, 200);
  });

  it('a login never redirects off the site', async () => {
    const jar = new Jar();
    const res = await signIn(app, jar, 'ann', PW.ann, '//evil.example/x');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
  });
});

describe('login rate limits', () => {
  it('locks a name after 5 wrong passwords, for the lockout period, even with the right password', async () => {
    const app = await makeApp({ loginFailuresPerName: 5, lockoutMs: 15 * 60_000, loginAttemptsPerMinute: 100 });
    const start = now;
    try {
      for (let i = 0; i < 5; i++) assert.equal((await signIn(app, new Jar(), 'adm', `wrong-password-${i}`)).statusCode, 401);
      const locked = await signIn(app, new Jar(), 'adm', PW.adm);
      assert.equal(locked.statusCode, 429);
      assert.match(locked.body, /Too many wrong passwords/);
      assert.ok(Number(locked.headers['retry-after']) > 0);
      now += 15 * 60_000;
      assert.equal((await signIn(app, new Jar(), 'adm', PW.adm)).statusCode, 303, 'open again after the lockout');
    } finally {
      now = start;
      await app.close();
    }
  });

  it('limits login attempts per address (429)', async () => {
    const app = await makeApp({ loginAttemptsPerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await signIn(app, new Jar(), 'ann', `nope-nope-nope-${i}`)).statusCode);
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    } finally {
      await app.close();
    }
  });
});

describe('without --auth', () => {
  it('reading is open and changes are refused with 403 and the reason', async () => {
    const app = await makeApp({ enabled: false });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/api/v1/ping' })).statusCode, 200);
      const refused = await app.inject({ method: 'GET', url: '/manage/thing', headers: { accept: 'text/html' } });
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /steward serve --auth/);
      const post = await app.inject({ method: 'POST', url: '/manage/thing', headers: { accept: 'application/json' } });
      assert.equal(post.statusCode, 403);
      assert.equal(post.json().error.code, 'FORBIDDEN');
    } finally {
      await app.close();
    }
  });
});
