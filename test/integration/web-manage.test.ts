/**
 * The pages that change data (/manage/mentoring) over HTTP, on both engines: a lead starts and ends
 * a mentorship through the forms; a viewer is refused with a page saying why; nobody signed in is
 * sent to the login page; without --auth the page refuses and says how to turn accounts on; bad
 * input is answered with the reason and nothing changes; every change is audited.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load-config.js';
import type { EffectiveConfig } from '../../src/service/effective-config.js';
import type { Store } from '../../src/store/engine.js';
import { listMentorships } from '../../src/store/mentoring-store.js';
import { findUserByName, listAudit } from '../../src/store/users-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { ENGINES, withStore } from '../helpers/stores.js';
import { Jar, TEST_HASH, addUser, csrfOf, form, signIn } from '../helpers/web-auth.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const CONFIG: EffectiveConfig = {
  config: parseConfig(
    'projects:\n  - name: demo/compute\n    core:\n      members: [carol, 1001]\nreleases:\n  - { name: Zed, start: 2026-01-01, featureFreeze: 2026-05-01, release: 2026-07-01 }\npriorities:\n  Zed:\n    - { title: From the file, blueprints: [filed] }\n',
    'test config',
  ),
  path: null,
  origin: 'test config',
};

async function seed(store: Store): Promise<void> {
  await store.db
    .insertInto('accounts')
    .values([
      { host: 'review.example.org', gerrit_id: 1001, username: 'carol', name: 'Carol Core', email: 'carol@example.org' },
      { host: 'review.example.org', gerrit_id: 2002, username: 'dan', name: 'Dan <script>alert(1)</script>', email: 'dan@example.org' },
    ])
    .execute();
  await addUser(store, 'lee', 'lead', 'lee-password-long-1', NOW);
  await addUser(store, 'val', 'viewer', 'val-password-long-2', NOW);
}

async function makeApp(store: Store, enabled: boolean): Promise<FastifyInstance> {
  const app = Fastify();
  await accessHooks({
    enabled,
    store,
    clock: () => NOW,
    hashParams: TEST_HASH,
    loginAttemptsPerMinute: 1000,
    config: async () => CONFIG,
  }).register(app);
  await app.ready();
  return app;
}

const post = (app: FastifyInstance, jar: Jar, url: string, fields: Record<string, string>) => {
  const f = form(fields);
  return app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, ...jar.header(), accept: 'text/html' } });
};

for (const engine of ENGINES) {
  describe(`/manage/mentoring (${engine.name})`, { skip: engine.skip }, () => {
    it('a lead starts and ends a mentorship through the forms; names are shown as text; all audited', async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        const app = await makeApp(store, true);
        try {
          const jar = new Jar();
          assert.equal((await signIn(app, jar, 'lee', 'lee-password-long-1', '/manage/mentoring')).headers.location, '/manage/mentoring');
          const page = jar.take(await app.inject({ method: 'GET', url: '/manage/mentoring', headers: jar.header() }));
          assert.equal(page.statusCode, 200);
          assert.match(page.body, /No mentorship is running/);
          const added = await post(app, jar, '/manage/mentoring/add', {
            _csrf: csrfOf(page.body),
            candidate: 'dan',
            mentor: 'carol',
            since: '2026-05-01',
            note: 'API reviews',
          });
          assert.equal(added.statusCode, 303, added.body);
          assert.equal(added.headers.location, '/manage/mentoring?done=added');
          const [m] = await listMentorships(store.db, { activeOnly: true });
          assert.equal(m!.startedAt, Date.UTC(2026, 4, 1));
          assert.equal(m!.note, 'API reviews');

          const after = jar.take(await app.inject({ method: 'GET', url: '/manage/mentoring?done=added', headers: jar.header() }));
          assert.match(after.body, /Mentorship started\./);
          assert.match(after.body, /Dan &lt;script&gt;alert\(1\)&lt;\/script&gt; \(dan\)/, 'names are escaped');
          assert.ok(!after.body.includes('<script>alert(1)'));
          const ended = await post(app, jar, '/manage/mentoring/end', {
            _csrf: csrfOf(after.body),
            candidate: '2002',
            mentor: '1001',
            at: '',
            note: 'joined the core team',
          });
          assert.equal(ended.statusCode, 303, ended.body);
          assert.equal((await listMentorships(store.db, { activeOnly: true })).length, 0);
          const all = await listMentorships(store.db);
          assert.equal(all[0]!.endedAt, NOW);
          assert.equal(all[0]!.endNote, 'joined the core team');

          const audit = await listAudit(store.db, { limit: 10 });
          assert.deepEqual(
            audit.filter((e) => e.event.startsWith('mentorship.')).map((e) => [e.event, e.actor, e.outcome]),
            [
              ['mentorship.end', 'lee', 'ok'],
              ['mentorship.add', 'lee', 'ok'],
            ],
          );
        } finally {
          await app.close();
        }
      });
    });

    it('users: an admin adds a user, changes its role, sets its password, disables it; the last admin stays; a lead is refused', async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        await addUser(store, 'ada', 'admin', 'ada-password-long-3', NOW);
        const app = await makeApp(store, true);
        try {
          const lead = new Jar();
          await signIn(app, lead, 'lee', 'lee-password-long-1');
          const refused = await app.inject({ method: 'GET', url: '/manage/users', headers: { ...lead.header(), accept: 'text/html' } });
          assert.equal(refused.statusCode, 403);
          assert.match(refused.body, /managing users needs the admin role/);

          const admin = new Jar();
          await signIn(app, admin, 'ada', 'ada-password-long-3');
          const page = admin.take(await app.inject({ method: 'GET', url: '/manage/users', headers: admin.header() }));
          assert.equal(page.statusCode, 200);
          assert.match(page.body, /<a href="\/manage\/users">Manage users<\/a>/);
          const csrf = csrfOf(page.body);
          const newPw = 'a-fresh-password-4';
          const added = await post(app, admin, '/manage/users/add', {
            _csrf: csrf,
            name: 'Nina',
            role: 'viewer',
            password: newPw,
            confirm: newPw,
          });
          assert.equal(added.statusCode, 303, added.body);
          assert.equal((await findUserByName(store.db, 'nina'))?.role, 'viewer');
          const nina = new Jar();
          assert.equal((await signIn(app, nina, 'nina', newPw)).statusCode, 303, 'the new user signs in');

          // Refusals keep everything as it was, and never echo a password.
          const mismatch = await post(app, admin, '/manage/users/add', {
            _csrf: csrf,
            name: 'otto',
            role: 'viewer',
            password: 'one-password-long',
            confirm: 'another-password-long',
          });
          assert.equal(mismatch.statusCode, 400);
          assert.match(mismatch.body, /Nothing was changed: the two passwords differ/);
          assert.ok(!mismatch.body.includes('one-password-long'));
          assert.equal(await findUserByName(store.db, 'otto'), null);
          assert.equal(
            (
              await post(app, admin, '/manage/users/add', {
                _csrf: csrf,
                name: 'bad name',
                role: 'viewer',
                password: newPw,
                confirm: newPw,
              })
            ).statusCode,
            400,
          );
          assert.equal(
            (
              await post(app, admin, '/manage/users/add', {
                _csrf: csrf,
                name: 'short',
                role: 'viewer',
                password: 'short',
                confirm: 'short',
              })
            ).statusCode,
            400,
          );
          assert.equal(
            (await post(app, admin, '/manage/users/add', { _csrf: csrf, name: 'nina', role: 'viewer', password: newPw, confirm: newPw }))
              .statusCode,
            400,
            'taken',
          );

          assert.equal((await post(app, admin, '/manage/users/role', { _csrf: csrf, name: 'nina', role: 'lead' })).statusCode, 303);
          assert.equal((await findUserByName(store.db, 'nina'))?.role, 'lead');
          const again = 'another-fresh-password-5';
          assert.equal(
            (await post(app, admin, '/manage/users/password', { _csrf: csrf, name: 'nina', password: again, confirm: again })).statusCode,
            303,
          );
          const ended = await app.inject({ method: 'GET', url: '/overview', headers: { ...nina.header(), accept: 'text/html' } });
          assert.equal(ended.statusCode, 302, 'a new password ends the sessions');
          assert.equal((await post(app, admin, '/manage/users/disable', { _csrf: csrf, name: 'nina' })).statusCode, 303);
          assert.notEqual((await findUserByName(store.db, 'nina'))?.disabledAt, null);
          assert.equal((await signIn(app, new Jar(), 'nina', again)).statusCode, 401, 'a disabled user cannot sign in');
          assert.equal((await post(app, admin, '/manage/users/enable', { _csrf: csrf, name: 'nina' })).statusCode, 303);
          assert.equal((await findUserByName(store.db, 'nina'))?.disabledAt, null);

          // The last enabled admin can neither be demoted nor disabled from here.
          for (const [url, fields] of [
            ['/manage/users/role', { name: 'ada', role: 'lead' }],
            ['/manage/users/disable', { name: 'ada' }],
          ] as const) {
            const r = await post(app, admin, url, { _csrf: csrf, ...fields });
            assert.equal(r.statusCode, 400);
            assert.match(r.body, /ada is the last enabled admin/);
          }
          assert.equal((await findUserByName(store.db, 'ada'))?.role, 'admin');
          // Without the CSRF token nothing changes.
          assert.equal((await post(app, admin, '/manage/users/role', { name: 'nina', role: 'admin' })).statusCode, 403);
          assert.equal((await findUserByName(store.db, 'nina'))?.role, 'lead');

          const audit = await listAudit(store.db, { limit: 50, event: 'user' });
          assert.deepEqual(
            audit
              .filter((e) => e.subject === 'nina')
              .map((e) => [e.event, e.actor, e.outcome])
              .reverse(),
            [
              ['user.add', 'ada', 'ok'],
              ['user.role', 'ada', 'ok'],
              ['user.password', 'ada', 'ok'],
              ['user.disable', 'ada', 'ok'],
              ['user.enable', 'ada', 'ok'],
            ],
          );
          assert.ok(!JSON.stringify(audit).includes('fresh-password'), 'no password in the audit log');
        } finally {
          await app.close();
        }
      });
    });

    it('the audit log page: an admin reads and filters it; a lead is refused', async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        await addUser(store, 'ada', 'admin', 'ada-password-long-3', NOW);
        const app = await makeApp(store, true);
        try {
          const lead = new Jar();
          await signIn(app, lead, 'lee', 'lee-password-long-1');
          const refused = await app.inject({ method: 'GET', url: '/manage/audit', headers: { ...lead.header(), accept: 'text/html' } });
          assert.equal(refused.statusCode, 403);
          assert.match(refused.body, /reading the audit log needs the admin role/);
          // A failed sign-in: recorded under the user's name, never with the password typed.
          const stranger = new Jar();
          await signIn(app, stranger, 'val', 'not-the-password-<b>');
          const admin = new Jar();
          await signIn(app, admin, 'ada', 'ada-password-long-3');
          const all = admin.take(await app.inject({ method: 'GET', url: '/manage/audit', headers: admin.header() }));
          assert.equal(all.statusCode, 200);
          assert.match(all.body, /<a href="\/manage\/audit">Audit log<\/a>/, 'the header links to it');
          for (const ev of ['login.failed', 'access.refused', 'login'])
            assert.match(all.body, new RegExp(`<td>${ev.replace('.', '\\.')}</td>`));
          assert.ok(!all.body.includes('not-the-password'), 'no password in the log');
          const failed = await app.inject({ method: 'GET', url: '/manage/audit?event=login&outcome=failed', headers: admin.header() });
          assert.equal(failed.statusCode, 200);
          assert.equal((failed.body.match(/<td>login\.failed<\/td>/g) ?? []).length, 1);
          assert.ok(!failed.body.includes('<td>access.refused</td>'));
          const bad = await app.inject({ method: 'GET', url: '/manage/audit?outcome=maybe', headers: admin.header() });
          assert.equal(bad.statusCode, 400);
          assert.match(bad.body, /outcome must be one of ok, refused, failed/);
        } finally {
          await app.close();
        }
      });
    });

    it("priorities: a lead adds and removes a stored priority; the file's cannot be removed here; a viewer is refused", async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        const app = await makeApp(store, true);
        try {
          const jar = new Jar();
          await signIn(app, jar, 'lee', 'lee-password-long-1');
          const page = jar.take(await app.inject({ method: 'GET', url: '/manage/priorities', headers: jar.header() }));
          assert.equal(page.statusCode, 200, page.body);
          assert.match(page.body, /From the file/);
          assert.match(page.body, /<option>Zed<\/option>/);
          const csrf = csrfOf(page.body);
          const added = await post(app, jar, '/manage/priorities/add', {
            _csrf: csrf,
            release: 'Zed',
            title: 'Faster <b>disks</b>',
            blueprints: 'disk-qos, io-limits',
            topics: '',
            queries: '',
          });
          assert.equal(added.statusCode, 303, added.body);
          const list = jar.take(await app.inject({ method: 'GET', url: '/manage/priorities?done=added', headers: jar.header() }));
          assert.match(list.body, /Priority added\./);
          assert.match(list.body, /Faster &lt;b&gt;disks&lt;\/b&gt;/);
          assert.match(list.body, /blueprint disk-qos; blueprint io-limits/);
          assert.match(list.body, /added by lee/);
          const empty = await post(app, jar, '/manage/priorities/add', { _csrf: csrf, release: 'Zed', title: 'Nothing', blueprints: '' });
          assert.equal(empty.statusCode, 400);
          assert.match(empty.body, /Nothing was changed: priority &quot;Nothing&quot;: say what it covers with blueprint, topic or query/);
          const deep = await post(app, jar, '/manage/priorities/add', {
            _csrf: csrf,
            release: 'Zed',
            title: 'Deep',
            blueprints: '',
            topics: '',
            queries: `${'('.repeat(3000)}status:open${')'.repeat(3000)}`,
          });
          assert.equal(deep.statusCode, 400, deep.body.slice(0, 300));
          assert.match(deep.body, /Nothing was changed: priority &quot;Deep&quot;: .*nests parentheses or NOT more than 100 levels deep/);
          const fromFile = await post(app, jar, '/manage/priorities/remove', { _csrf: csrf, release: 'Zed', title: 'From the file' });
          assert.equal(fromFile.statusCode, 400);
          assert.match(fromFile.body, /Edit steward.yaml/);
          const removed = await post(app, jar, '/manage/priorities/remove', { _csrf: csrf, release: 'Zed', title: 'Faster <b>disks</b>' });
          assert.equal(removed.statusCode, 303, removed.body);
          const audit = (await listAudit(store.db, { limit: 10 })).filter((e) => e.event.startsWith('priority.'));
          assert.deepEqual(
            audit.map((e) => [e.event, e.actor]),
            [
              ['priority.remove', 'lee'],
              ['priority.add', 'lee'],
            ],
          );

          const viewer = new Jar();
          await signIn(app, viewer, 'val', 'val-password-long-2');
          const refused = await app.inject({ method: 'GET', url: '/manage/priorities', headers: viewer.header() });
          assert.equal(refused.statusCode, 403);
          assert.match(refused.body, /changing priorities needs the lead or admin role/);
        } finally {
          await app.close();
        }
      });
    });

    it('bad input: answered with the reason, the form keeps what was typed, nothing changes', async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        const app = await makeApp(store, true);
        try {
          const jar = new Jar();
          await signIn(app, jar, 'lee', 'lee-password-long-1');
          const page = jar.take(await app.inject({ method: 'GET', url: '/manage/mentoring', headers: jar.header() }));
          const notCore = await post(app, jar, '/manage/mentoring/add', {
            _csrf: csrfOf(page.body),
            candidate: 'carol',
            mentor: 'dan',
            note: 'x',
          });
          assert.equal(notCore.statusCode, 400);
          assert.match(notCore.body, /Nothing was changed: mentor dan is not in the core team/);
          assert.match(notCore.body, /name="candidate" required maxlength="300" value="carol"/);
          const unknown = await post(app, jar, '/manage/mentoring/add', { _csrf: csrfOf(page.body), candidate: 'nobody', mentor: 'carol' });
          assert.equal(unknown.statusCode, 400);
          assert.match(unknown.body, /candidate &quot;nobody&quot;: no such account in the store/);
          const future = await post(app, jar, '/manage/mentoring/add', {
            _csrf: csrfOf(page.body),
            candidate: 'dan',
            mentor: 'carol',
            since: '2027-01-01',
          });
          assert.equal(future.statusCode, 400);
          assert.match(future.body, /since 2027-01-01 is in the future/);
          const badDate = await post(app, jar, '/manage/mentoring/add', {
            _csrf: csrfOf(page.body),
            candidate: 'dan',
            mentor: 'carol',
            since: 'yesterday',
          });
          assert.equal(badDate.statusCode, 400);
          assert.match(badDate.body, /since must be a date like 2015-04-10/);
          const endNone = await post(app, jar, '/manage/mentoring/end', { _csrf: csrfOf(page.body), candidate: 'dan' });
          assert.equal(endNone.statusCode, 400);
          assert.match(endNone.body, /no running mentorship of dan/);
          assert.equal((await listMentorships(store.db)).length, 0);
        } finally {
          await app.close();
        }
      });
    });

    it('refuses a viewer (403, saying why), nobody signed in (login), a stale form (403), and everyone without --auth', async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        const app = await makeApp(store, true);
        try {
          const viewer = new Jar();
          await signIn(app, viewer, 'val', 'val-password-long-2');
          const page = await app.inject({ method: 'GET', url: '/manage/mentoring', headers: viewer.header() });
          assert.equal(page.statusCode, 403);
          assert.match(page.body, /changing mentoring needs the lead or admin role; val has the viewer role/);
          const anon = await app.inject({ method: 'GET', url: '/manage/mentoring' });
          assert.equal(anon.statusCode, 302);
          assert.equal(anon.headers.location, '/login?next=%2Fmanage%2Fmentoring');
          const anonPost = await post(app, new Jar(), '/manage/mentoring/add', { candidate: 'dan', mentor: 'carol' });
          assert.ok([401, 403].includes(anonPost.statusCode), String(anonPost.statusCode));

          const lead = new Jar();
          await signIn(app, lead, 'lee', 'lee-password-long-1');
          const stale = await post(app, lead, '/manage/mentoring/add', { _csrf: 'made-up-token', candidate: 'dan', mentor: 'carol' });
          assert.equal(stale.statusCode, 403);
          assert.match(stale.body, /Form expired/);
          assert.equal((await listMentorships(store.db)).length, 0);
          assert.equal((await listAudit(store.db, { limit: 1, event: 'csrf.refused' }))[0]?.actor, 'lee');
        } finally {
          await app.close();
        }
        const open = await makeApp(store, false);
        try {
          const page = await open.inject({ method: 'GET', url: '/manage/mentoring', headers: { accept: 'text/html' } });
          assert.equal(page.statusCode, 403);
          assert.match(page.body, /start the server with `steward serve --auth`/);
          const p = await post(open, new Jar(), '/manage/mentoring/add', { candidate: 'dan', mentor: 'carol' });
          assert.equal(p.statusCode, 403);
          assert.equal((await listMentorships(store.db)).length, 0);
        } finally {
          await open.close();
        }
      });
    });
  });
}
