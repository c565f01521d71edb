/**
 * The fair queue in the running app (docs/web.md, "The fair queue"): one reader flooding the server
 * with uncached reports (many distinct `now` values) holds at most its limit of computations and gets
 * 503 with Retry-After beyond it, while a second reader's cached page is served at once and its
 * uncached one is computed before the flood's next. Asserted by order and outcome, never by time:
 * the flood's computations are held until the test releases them one by one. With sign-in, the
 * client is the user: two users behind one address each have their own limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDataVersion, type DataVersion } from '../../src/store/data-version.js';
import { FairQueue } from '../../src/web/fair-queue.js';
import { computeInProcess, type ReportCompute } from '../../src/web/report-compute.js';
import { ViewCache } from '../../src/web/view-cache.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { openStore } from '../../src/store/open-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';
import { Jar, TEST_HASH, addUser, signIn } from '../helpers/web-auth.js';
import { WEB_NOW, demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

const FLOODER = '10.0.0.1';
const READER = '10.0.0.2';

describe('fair queue in the app', () => {
  let demo: DemoStore;
  let t: TestApp;
  let version: DataVersion;
  /** Computations started, by the day of their `now`; each waits for a release while `holding`. */
  const started: string[] = [];
  const releases: Array<() => void> = [];
  let holding = false;
  const compute: ReportCompute = async (entry, store, params, config, now, reader) => {
    if (holding) {
      started.push(new Date(now).toISOString().slice(0, 10));
      await new Promise<void>((r) => releases.push(r));
    }
    return computeInProcess(entry, store, params, config, now, reader);
  };
  /** Waits (by turns of the event loop, no clock) until `cond` holds. */
  const until = async (cond: () => boolean, what: string) => {
    for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
    assert.ok(cond(), `never happened: ${what}`);
  };

  before(async () => {
    demo = await demoStore('sqlite', { changes: 400, months: 4 });
    version = await openDataVersion(demo.location);
    const cache = new ViewCache({ version: version.current, clock: () => WEB_NOW });
    const queue = new FairQueue({ concurrency: 1, perClient: 3, maxWaiting: 50, retryAfterSeconds: 9 });
    t = await testApp(demo.location, demo.dir, { cache, compute, queue });
  });
  after(async () => {
    await t?.close();
    await version?.close();
    await demo?.cleanup();
  });

  it("a flood is held to its limit and refused beyond it, while another reader's cached page and its own turn come first", async () => {
    const get = (url: string, remoteAddress: string) => t.app.inject({ url, remoteAddress });
    // The reader has seen the reviewers page before: its view is cached.
    const warm = await get('/api/v1/reviewers?days=30', READER);
    assert.equal(warm.statusCode, 200);

    holding = true;
    const days = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06'];
    const settled = new Set<string>();
    const flood = days.map((d) =>
      get(`/api/v1/overview?days=30&now=${d}`, FLOODER).then((r) => {
        settled.add(d);
        return r;
      }),
    );
    // Three are taken (one running, two waiting); the other three are refused at once, while the
    // first still runs.
    await until(() => settled.size === 3, 'three of the flood answered');
    assert.deepEqual(started, ['2026-10-01']);
    const refused = await Promise.all(flood.slice(3));
    for (const r of refused) {
      assert.equal(r.statusCode, 503, r.body);
      assert.equal(r.headers['retry-after'], '9');
      const body = JSON.parse(r.body);
      assert.equal(body.error.code, 'SERVER_BUSY');
      assert.match(body.error.message, /3 running or waiting, at most 3/);
    }
    // A page of the flooder's beyond its limit is refused the same way, as a page.
    const page = await get('/?days=30&now=2026-09-30', FLOODER);
    assert.equal(page.statusCode, 503);
    assert.equal(page.headers['retry-after'], '9');
    assert.match(page.body, /at most 3/);

    // The other reader's cached page comes while the flood's queue is still full.
    const cached = await get('/api/v1/reviewers?days=30', READER);
    assert.equal(cached.statusCode, 200);
    assert.equal(cached.body, warm.body);
    assert.equal(settled.size, 3, 'the flood is still waiting');
    assert.deepEqual(started, ['2026-10-01']);

    // Its uncached one waits, and runs next: before the flood's other two.
    let readerDone = false;
    const mine = get('/api/v1/overview?days=30&now=2026-09-15', READER).then((r) => {
      readerDone = true;
      return r;
    });
    await until(() => releases.length === 1, 'the first computation holds');
    releases.shift()!();
    await until(() => started.length === 2, 'the next computation started');
    assert.deepEqual(started, ['2026-10-01', '2026-09-15']);
    releases.shift()!();
    assert.equal((await mine).statusCode, 200);
    assert.ok(readerDone);
    holding = false;
    releases.splice(0).forEach((r) => r());
    await until(() => started.length === 3, 'the flood goes on');
    releases.splice(0).forEach((r) => r());
    const answered = await Promise.all(flood.slice(0, 3));
    assert.deepEqual(
      answered.map((r) => r.statusCode),
      [200, 200, 200],
    );
    assert.deepEqual(started, ['2026-10-01', '2026-09-15', '2026-10-02']);
    // Its computations done, the flooder may ask again.
    assert.equal((await get('/api/v1/overview?days=30&now=2026-10-05', FLOODER)).statusCode, 200);
  });

  it('with sign-in, each user is a client of its own, even behind one address', async () => {
    const store = await openStore(demo.location);
    const config = async () => resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
    await addUser(store, 'ann', 'viewer', 'ann-password-long', WEB_NOW);
    await addUser(store, 'bob', 'viewer', 'bob-password-long', WEB_NOW);
    const cache = new ViewCache({ version: version.current, clock: () => WEB_NOW });
    const queue = new FairQueue({ concurrency: 1, perClient: 1, maxWaiting: 50, retryAfterSeconds: 4 });
    const app = await buildApp({
      store,
      config,
      clock: () => WEB_NOW,
      cwd: demo.dir,
      cache,
      compute,
      queue,
      auth: accessHooks({ enabled: true, store, clock: () => WEB_NOW, config, hashParams: TEST_HASH, secureCookies: false }),
    });
    try {
      const ann = new Jar();
      const bob = new Jar();
      assert.equal((await signIn(app, ann, 'ann', 'ann-password-long')).statusCode, 303);
      assert.equal((await signIn(app, bob, 'bob', 'bob-password-long')).statusCode, 303);
      const proxy = '10.0.0.7';
      const get = (jar: Jar, day: string) =>
        app.inject({ url: `/api/v1/overview?days=30&now=${day}`, remoteAddress: proxy, headers: jar.header() });
      holding = true;
      started.length = 0;
      const first = get(ann, '2026-08-01');
      await until(() => releases.length === 1, "ann's computation runs");
      // Ann is at her limit of one: refused. Bob, from the same address, is not: he waits his turn.
      const refused = await get(ann, '2026-08-02');
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.headers['retry-after'], '4');
      const bobs = get(bob, '2026-08-03');
      await until(() => queue.stats().waiting === 1, "bob's computation waits");
      const clients = Object.keys(queue.stats().clients);
      assert.equal(clients.length, 2);
      assert.ok(
        clients.every((c) => c.startsWith('user:')),
        clients.join(', '),
      );
      holding = false;
      releases.splice(0).forEach((r) => r());
      assert.equal((await first).statusCode, 200);
      assert.equal((await bobs).statusCode, 200);
      assert.deepEqual(started, ['2026-08-01']);
    } finally {
      holding = false;
      releases.splice(0).forEach((r) => r());
      await app.close();
      await store.close();
    }
  });
});
