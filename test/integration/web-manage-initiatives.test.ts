/**
 * /manage/initiatives on both engines: a lead adds a stored initiative, notes an open question,
 * resolves it and removes the initiative through the forms, each audited; bad input (milestones out
 * of order, a scope matching nothing, a malformed query, a note on an initiative that does not
 * exist) is answered with the reason and stores nothing; a viewer is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load-config.js';
import type { EffectiveConfig } from '../../src/service/effective-config.js';
import type { Store } from '../../src/store/engine.js';
import { listStoredInitiatives } from '../../src/store/initiatives-store.js';
import { listAudit } from '../../src/store/users-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { ENGINES, withStore } from '../helpers/stores.js';
import { Jar, TEST_HASH, addUser, csrfOf, form, signIn } from '../helpers/web-auth.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const CONFIG: EffectiveConfig = {
  config: parseConfig(
    'releases:\n  - { name: Yak, start: 2025-07-01, featureFreeze: 2025-11-01, release: 2026-01-01 }\n  - { name: Zed, start: 2026-01-01, featureFreeze: 2026-05-01, release: 2026-07-01 }\n',
    'test config',
  ),
  path: null,
  origin: 'test config',
};

async function seed(store: Store): Promise<void> {
  await addUser(store, 'lee', 'lead', 'lee-password-long-1', NOW);
  await addUser(store, 'val', 'viewer', 'val-password-long-2', NOW);
}

async function makeApp(store: Store): Promise<FastifyInstance> {
  const app = Fastify();
  await accessHooks({
    enabled: true,
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
  describe(`/manage/initiatives (${engine.name})`, { skip: engine.skip }, () => {
    it('a lead adds, notes, resolves and removes; bad input stores nothing; a viewer is refused', async () => {
      await withStore(engine.name, async (store) => {
        await seed(store);
        const app = await makeApp(store);
        try {
          const jar = new Jar();
          await signIn(app, jar, 'lee', 'lee-password-long-1');
          const page = jar.take(await app.inject({ method: 'GET', url: '/manage/initiatives', headers: jar.header() }));
          assert.equal(page.statusCode, 200, page.body);
          const csrf = csrfOf(page.body);
          const base = { _csrf: csrf, name: 'disks', title: 'Faster <b>disks</b>', blueprints: 'disk-qos', milestones: 'One=Yak\nTwo=Zed' };
          // Nothing in the store names disk-qos: refused, the scope shown.
          const empty = await post(app, jar, '/manage/initiatives/add', base);
          assert.equal(empty.statusCode, 400);
          assert.match(
            empty.body,
            /Nothing was changed: initiative &quot;disks&quot;: the scope matches nothing in the store: blueprints disk-qos/,
          );
          const order = await post(app, jar, '/manage/initiatives/add', { ...base, milestones: 'Two=Zed\nOne=Yak', allowEmpty: 'on' });
          assert.equal(order.statusCode, 400);
          assert.match(order.body, /milestones out of order/);
          const query = await post(app, jar, '/manage/initiatives/add', { ...base, queries: 'status:open OR', allowEmpty: 'on' });
          assert.equal(query.statusCode, 400);
          assert.match(query.body, /OR must be followed/);
          const overlap = await post(app, jar, '/manage/initiatives/add', {
            ...base,
            milestones: 'Early=Yak\nLate=2026-02-01\nNext=Zed',
            allowEmpty: 'on',
          });
          assert.equal(overlap.statusCode, 400);
          assert.match(overlap.body, /milestones overlap: 3 &quot;Next&quot; \(Zed\) begins 2026-01-01, before 2 &quot;Late&quot; is due/);
          const missing = await post(app, jar, '/manage/initiatives/note', { _csrf: csrf, name: 'nope', kind: 'question', text: 'Why?' });
          assert.equal(missing.statusCode, 400);
          assert.match(missing.body, /no initiative named &quot;nope&quot;/);
          assert.deepEqual(await listStoredInitiatives(store.db), []);

          const added = await post(app, jar, '/manage/initiatives/add', { ...base, allowEmpty: 'on', owners: 'lee, carol' });
          assert.equal(added.statusCode, 303, added.body);
          const [stored] = await listStoredInitiatives(store.db);
          assert.deepEqual(
            [stored!.title, stored!.owners, stored!.milestones.map((m) => m.release)],
            ['Faster <b>disks</b>', ['lee', 'carol'], ['Yak', 'Zed']],
          );
          const noted = await post(app, jar, '/manage/initiatives/note', {
            _csrf: csrf,
            name: 'disks',
            kind: 'question',
            text: 'Who <i>reviews</i>?',
            link: 'https://lists.example.org/x',
          });
          assert.equal(noted.statusCode, 303, noted.body);
          const listed = jar.take(await app.inject({ method: 'GET', url: '/manage/initiatives?done=noted', headers: jar.header() }));
          assert.match(listed.body, /Note added\./);
          assert.match(listed.body, /Faster &lt;b&gt;disks&lt;\/b&gt;/);
          assert.match(listed.body, /\[open question\] Who &lt;i&gt;reviews&lt;\/i&gt;\?/);
          const noteId = (await listStoredInitiatives(store.db))[0]!.notes[0]!.id!;
          const resolved = await post(app, jar, '/manage/initiatives/resolve', {
            _csrf: csrf,
            name: 'disks',
            note: String(noteId),
            text: 'carol',
          });
          assert.equal(resolved.statusCode, 303, resolved.body);
          const note = (await listStoredInitiatives(store.db))[0]!.notes[0]!;
          assert.deepEqual([note.status, note.resolvedBy, note.resolution], ['resolved', 'lee', 'carol']);
          const removed = await post(app, jar, '/manage/initiatives/remove', { _csrf: csrf, name: 'disks' });
          assert.equal(removed.statusCode, 303, removed.body);
          assert.deepEqual(await listStoredInitiatives(store.db), []);
          const audit = (await listAudit(store.db, { limit: 20 })).filter((e) => e.event.startsWith('initiative.'));
          assert.deepEqual(
            audit.map((e) => [e.event, e.actor]),
            [
              ['initiative.remove', 'lee'],
              ['initiative.note.resolve', 'lee'],
              ['initiative.note', 'lee'],
              ['initiative.add', 'lee'],
            ],
          );
          const viewer = new Jar();
          await signIn(app, viewer, 'val', 'val-password-long-2');
          const refused = await app.inject({ method: 'GET', url: '/manage/initiatives', headers: viewer.header() });
          assert.equal(refused.statusCode, 403);
        } finally {
          await app.close();
        }
      });
    });
  });
}
