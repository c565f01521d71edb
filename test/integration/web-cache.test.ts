/**
 * The view cache in the running app, on both engines: cached answers equal uncached ones byte for
 * byte; concurrent requests share one computation; a committed change to the store (here a
 * mentorship added the way the web page adds it) is in the next answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { openDataVersion, type DataVersion } from '../../src/store/data-version.js';
import { addMentorship } from '../../src/store/mentoring-store.js';
import { ViewCache } from '../../src/web/view-cache.js';
import { ENGINES } from '../helpers/stores.js';
import { WEB_NOW, demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

for (const engine of ENGINES) {
  describe(`view cache in the app (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let plain: TestApp;
    let cached: TestApp;
    let version: DataVersion;
    let cache: ViewCache;
    before(async () => {
      demo = await demoStore(engine.name, { changes: 400, months: 4 });
      version = await openDataVersion(demo.location);
      cache = new ViewCache({ version: version.current, clock: () => WEB_NOW });
      plain = await testApp(demo.location, demo.dir);
      cached = await testApp(demo.location, demo.dir, { cache });
    });
    after(async () => {
      await cached?.close();
      await plain?.close();
      await version?.close();
      await demo?.cleanup();
    });

    it('answers exactly what the uncached app answers, computing each report once', async () => {
      for (const url of ['/api/v1/overview?days=30', '/api/v1/reviewers', '/api/v1/queue?project=demo/compute']) {
        const want = await plain.app.inject(url);
        const [a, b] = await Promise.all([cached.app.inject(url), cached.app.inject(url)]);
        const c = await cached.app.inject(url);
        assert.equal(want.statusCode, 200, want.body);
        for (const r of [a, b, c]) {
          assert.equal(r.statusCode, 200);
          assert.equal(r.body, want.body, url);
          assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        }
      }
      const s = cache.stats();
      assert.equal(s.misses, 3);
      assert.equal(s.shared + s.hits, 6);
    });

    it('sends the cached JSON gzipped to a client that accepts it', async () => {
      const url = '/api/v1/overview?days=30&full=true'; // the overview with every section: a body worth compressing
      const plainBody = (await cached.app.inject(url)).body;
      const z = await cached.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(z.headers['content-encoding'], 'gzip');
      assert.equal(z.headers.vary, 'accept-encoding');
      assert.equal(gunzipSync(z.rawPayload).toString(), plainBody);
      assert.ok(z.rawPayload.length < plainBody.length / 3);
      const refused = await cached.app.inject({ url, headers: { 'accept-encoding': 'gzip;q=0, identity' } });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.equal(refused.body, plainBody);
    });

    it("a page and the API share entries; a page's own parameters (its sort order) make no new one", async () => {
      const before = cache.stats();
      const page = await cached.app.inject('/reviewers?sort=reviews&dir=asc');
      assert.equal(page.statusCode, 200);
      const again = await cached.app.inject('/reviewers?sort=name&dir=desc');
      assert.equal(again.statusCode, 200);
      const after = cache.stats();
      assert.equal(after.misses, before.misses, 'the reviewers report cached by the API serves both pages');
    });

    it('a bad parameter is still a 400, and is not cached', async () => {
      const r = await cached.app.inject('/api/v1/overview?project=nope');
      assert.equal(r.statusCode, 400);
      assert.equal((await cached.app.inject('/api/v1/overview?project=nope')).statusCode, 400);
    });

    it('a committed store change is in the next answer', async () => {
      const url = '/api/v1/core/mentoring';
      const before = JSON.parse((await cached.app.inject(url)).body);
      const [a, b] = await cached.store.db.selectFrom('accounts').select('id').orderBy('id').limit(2).execute();
      await addMentorship(
        cached.store.db,
        { candidateId: a!.id, mentorId: b!.id, startedAt: WEB_NOW - 86_400_000, note: 'cache test' },
        WEB_NOW,
      );
      // PostgreSQL announces the commit asynchronously (NOTIFY): wait for the version to move.
      const end = Date.now() + 5000;
      let afterView = JSON.parse((await cached.app.inject(url)).body);
      while (afterView.mentorships.length === before.mentorships.length && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        afterView = JSON.parse((await cached.app.inject(url)).body);
      }
      assert.equal(afterView.mentorships.length, before.mentorships.length + 1);
      assert.equal((await plain.app.inject(url)).body, JSON.stringify(afterView));
    });
  });
}
