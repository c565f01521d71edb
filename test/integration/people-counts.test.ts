/**
 * The people reports count reviews in the database (store/queries/people.ts `loadReviewCounts`),
 * by the one definition of a review `steward reviewers` uses (analysis/reviews.ts): on the demo
 * store, in SQLite and PostgreSQL, each person's reviews in `people list` equal their reviews in
 * `reviewers` for the same window (the default 90 days, 30 days, a window given by dates, one
 * project), and the reviews per company add up to the reviewers' total; merged changes per owner
 * equal the changes the store holds merged in the window.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

for (const engine of ENGINES) {
  describe(`people and companies count what reviewers counts (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let t: TestApp;
    const get = async (url: string): Promise<Json> => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}` });
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body) as Json;
    };
    before(async () => {
      demo = await demoStore(engine.name);
      t = await testApp(demo.location, demo.dir);
    });
    after(async () => {
      await t?.close();
      await demo?.cleanup();
    });

    it('reviews per person and per company, for several windows', async () => {
      const reviewers0 = await get('/reviewers');
      const project = reviewers0.projects[0] as string;
      for (const q of ['', 'days=30', 'since=2026-08-01&until=2026-10-01', `project=${encodeURIComponent(project)}&days=60`]) {
        const reviewers = await get(`/reviewers?${q}`);
        assert.ok(reviewers.totals.reviews > 0, `${q}: the window holds reviews`);
        const byAccount = new Map<number, number>((reviewers.rows as Json[]).map((r) => [r.gerritAccountId, r.reviews]));
        // people list has no --project: its reviews are every project's.
        if (!q.includes('project=')) {
          const people = await get(`/people?limit=100000&bots=true&${q}`);
          assert.deepEqual(people.period, reviewers.period, `${q}: the same window`);
          let total = 0;
          for (const p of people.people as Json[]) {
            const expected = (p.identities.gerrit as Json[]).reduce((s, g) => s + (byAccount.get(g.id) ?? 0), 0);
            assert.equal(p.activity.reviews, expected, `${q}: ${p.name}'s reviews in people list and reviewers`);
            total += p.activity.reviews;
          }
          assert.equal(total, reviewers.totals.reviews, `${q}: people list's reviews add up to reviewers' total`);
        }
        const companies = await get(`/people/companies?${q}`);
        assert.deepEqual(companies.period, reviewers.period, `${q}: the same window`);
        assert.equal(
          (companies.rows as Json[]).reduce((s, r) => s + r.reviews, 0),
          reviewers.totals.reviews,
          `${q}: the companies' reviews add up to reviewers' total`,
        );
      }
    });

    it("merged changes per owner are the window's merged changes", async () => {
      const people = await get('/people?limit=100000&bots=true&days=120');
      const since = Date.parse(people.period.since);
      const until = Date.parse(people.period.until);
      const store = await openStore(demo.location);
      try {
        const rows = await store.db
          .selectFrom('changes')
          .select('merged_at')
          .where('status', '=', 'MERGED')
          .where('merged_at', 'is not', null)
          .execute();
        const expected = rows.filter((r) => Number(r.merged_at) >= since && Number(r.merged_at) < until).length;
        assert.ok(expected > 0);
        assert.equal(
          (people.people as Json[]).reduce((s, p) => s + p.activity.changes, 0),
          expected,
        );
      } finally {
        await store.close();
      }
    });
  });
}
