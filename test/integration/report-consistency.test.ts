/**
 * Every number defined once: each quantity that two reports both show is computed through each
 * report (its JSON from /api/v1, as `--format json` prints it) and must be equal — reviews per
 * person, review and core totals, open / WIP / waiting counts, CI runs and failures per job, specs
 * counts. On the demo store and on a store of the bench's shape (the demo generator, a year of a
 * larger project, another seed), in SQLite and PostgreSQL. The definitions are in
 * docs/reviewers-and-core.md, docs/review-flow.md, docs/ci.md and docs/specs-and-priorities.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

// Loose views of the report JSON: only the fields compared here.
interface Person {
  username: string | null;
  gerritAccountId: number | null;
}
interface ReviewersJson {
  rows: Array<Person & { reviews: number; coreReviews: number; core: unknown }>;
  totals: { reviews: number; coreReviews: number; activeReviewers: number; commentOnly: number; selfVotes: number };
}
interface IdleJson {
  rule: { counts: string; days: number };
  cores: Array<Person & { count: number }>;
}
interface CandidatesJson {
  candidates: Array<Person & { reviews: number }>;
}
interface LoadJson {
  total: { reviews: number; coreReviews: number };
  weeks: Array<{ reviews: number; coreReviews: number }>;
}
interface OverviewJson {
  reviewers: { active: number; reviews: number; commentOnlyReviews: number; selfVotes: number; core: { reviews: number } };
  open: { count: number; workInProgress: number };
  queue: Record<string, number | null>;
  ciHealth: { jobs: Array<{ job: string; runs: number; failureRate: number | null }> };
}
interface QueueJson {
  open: number;
  states: Record<string, { count: number }>;
  neverReviewed: { count: number } | number;
  onePlusTwoShort: { count: number } | number;
}
interface CiJobsJson {
  jobs: Array<{
    job: string;
    runs: number;
    failures: number;
    pipelines: Array<{ pipeline: string; runs: number }>;
    failureRate: { rate: number | null };
  }>;
}
interface ReadinessJson {
  jobs: Array<{ job: string; queue: string; runs: number }>;
}
interface SpecsJson {
  releases: Array<{ release: string; approved: number; implemented: number; notLanded: number; removed: number }>;
  specs: Array<{ release: string; landed: boolean; removedAt: string | null }>;
}

const key = (p: Person): string => p.username ?? `#${p.gerritAccountId}`;
const countOf = (x: { count: number } | number): number => (typeof x === 'number' ? x : x.count);

const STORES = [
  { name: 'demo', options: {} },
  { name: 'bench-shaped', options: { changes: 2000, months: 12, seed: 11 } },
] as const;

for (const engine of ENGINES) {
  for (const shape of STORES) {
    describe(`one number, one definition: ${shape.name} store (${engine.name})`, { skip: engine.skip }, () => {
      let demo: DemoStore;
      let t: TestApp;
      const get = async <T>(url: string): Promise<T> => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}` });
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        return JSON.parse(res.body) as T;
      };
      before(async () => {
        demo = await demoStore(engine.name, shape.options);
        t = await testApp(demo.location, demo.dir);
      });
      after(async () => {
        await t?.close();
        await demo?.cleanup();
      });

      it('reviews per person and the totals: reviewers, core idle, core candidates, core load, overview', async () => {
        for (const days of [30, 90]) {
          const reviewers = await get<ReviewersJson>(`/reviewers?days=${days}`);
          const idle = await get<IdleJson>(`/core/idle?days=${days}`);
          const candidates = await get<CandidatesJson>(`/core/candidates?days=${days}`);
          const load = await get<LoadJson>(`/core/load?days=${days}`);
          const overview = await get<OverviewJson>(`/overview?days=${days}`);
          const byPerson = new Map(reviewers.rows.map((r) => [key(r), r.reviews]));

          if (idle.rule.counts === 'reviews') {
            for (const c of idle.cores)
              assert.equal(c.count, byPerson.get(key(c)) ?? 0, `${days} d: ${key(c)}'s reviews in core idle and reviewers`);
          }
          for (const c of candidates.candidates)
            assert.equal(c.reviews, byPerson.get(key(c)) ?? 0, `${days} d: ${key(c)}'s reviews in core candidates and reviewers`);

          assert.equal(overview.reviewers.reviews, reviewers.totals.reviews, `${days} d: reviews, overview and reviewers`);
          assert.equal(overview.reviewers.active, reviewers.totals.activeReviewers, `${days} d: active reviewers, overview and reviewers`);
          assert.equal(
            overview.reviewers.commentOnlyReviews,
            reviewers.totals.commentOnly,
            `${days} d: comment-only, overview and reviewers`,
          );
          assert.equal(overview.reviewers.selfVotes, reviewers.totals.selfVotes, `${days} d: self-votes, overview and reviewers`);
          assert.equal(load.total.reviews, reviewers.totals.reviews, `${days} d: reviews, core load and reviewers`);
          assert.equal(
            reviewers.rows.reduce((s, r) => s + r.reviews, 0),
            reviewers.totals.reviews,
            `${days} d: the reviewers' rows add up to the total`,
          );

          assert.equal(overview.reviewers.core.reviews, reviewers.totals.coreReviews, `${days} d: core reviews, overview and reviewers`);
          assert.equal(load.total.coreReviews, reviewers.totals.coreReviews, `${days} d: core reviews, core load and reviewers`);
          assert.equal(
            reviewers.rows.reduce((s, r) => s + r.coreReviews, 0),
            reviewers.totals.coreReviews,
            `${days} d: the reviewers' core reviews add up to the total`,
          );
        }
      });

      it('open, work in progress and waiting: overview and queue', async () => {
        for (const now of ['', '?now=2026-08-01']) {
          const overview = await get<OverviewJson>(`/overview${now}`);
          const queue = await get<QueueJson>(`/queue${now}`);
          assert.equal(overview.open.count, queue.open, `${now}: open changes`);
          assert.equal(overview.open.workInProgress, queue.states.wip!.count, `${now}: work in progress`);
          assert.equal(overview.queue.open, queue.open, `${now}: open in the overview's queue section`);
          for (const s of ['reviewers', 'author', 'ci', 'approved', 'wip'])
            assert.equal(overview.queue[s], queue.states[s]!.count, `${now}: ${s} in the overview and the queue`);
          assert.equal(overview.queue.neverReviewed, countOf(queue.neverReviewed), `${now}: never reviewed`);
          assert.equal(overview.queue.onePlusTwoShort, countOf(queue.onePlusTwoShort), `${now}: one +2 short`);
        }
      });

      it('bugs and advisories: the overview against bugs backlog and security advisories', async () => {
        for (const now of ['', '?now=2026-08-01']) {
          const overview = await get<{
            bugs: { counts: string; open: number; inProgressNoOpenChange: number } | null;
            security: { published: number; year: number; thisYear: number };
          }>(`/overview${now}`);
          const backlog = await get<{ open: number; restrictedOpen: number; inProgressStuck: unknown[]; restrictedHidden: number }>(
            `/bugs/backlog${now}`,
          );
          const advisories = await get<{ total: { advisories: number }; byYear: Array<{ year: number | null; advisories: number }> }>(
            `/security/advisories${now}`,
          );
          // The overview counts public bugs; the backlog counts restricted ones as a total beside them.
          assert.ok(overview.bugs, `${now}: the demo has Launchpad bugs`);
          assert.equal(overview.bugs.counts, 'public');
          assert.equal(overview.bugs.open, backlog.open - backlog.restrictedOpen, `${now}: open public bugs, overview and backlog`);
          assert.equal(backlog.restrictedHidden, 0, `${now}: an anonymous reader's stuck list has no restricted bug to hide here`);
          assert.equal(
            overview.bugs.inProgressNoOpenChange,
            backlog.inProgressStuck.length,
            `${now}: In Progress with no open change, overview and backlog`,
          );
          assert.equal(overview.security.published, advisories.total.advisories, `${now}: advisories published, overview and advisories`);
          const year = advisories.byYear.find((y) => y.year === overview.security.year);
          assert.equal(overview.security.thisYear, year?.advisories ?? 0, `${now}: advisories of ${overview.security.year}`);
        }
      });

      it('CI runs and failures per job: ci jobs, ci voting-readiness, the overview', async () => {
        for (const days of [30, 90]) {
          const jobs = await get<CiJobsJson>(`/ci/jobs?days=${days}`);
          const readiness = await get<ReadinessJson>(`/ci/voting-readiness?days=${days}`);
          const overview = await get<OverviewJson>(`/overview?days=${days}`);
          const ci = await get<{ jobs: CiJobsJson; votingReadiness: ReadinessJson }>(`/ci?days=${days}`);
          const byJob = new Map(jobs.jobs.map((j) => [j.job, j]));
          for (const h of overview.ciHealth.jobs) {
            const j = byJob.get(h.job);
            assert.ok(j, `${days} d: ${h.job} of the overview is in ci jobs`);
            assert.equal(h.runs, j.runs, `${days} d: ${h.job} runs, overview and ci jobs`);
            assert.equal(h.failureRate, j.failureRate.rate, `${days} d: ${h.job} failure rate, overview and ci jobs`);
          }
          for (const r of readiness.jobs) {
            const j = byJob.get(r.job);
            assert.ok(j, `${days} d: ${r.job} of voting-readiness is in ci jobs`);
            const inQueue = j.pipelines.find((p) => p.pipeline === r.queue)?.runs ?? 0;
            assert.equal(r.runs, inQueue, `${days} d: ${r.job} runs in ${r.queue}, voting-readiness and ci jobs`);
          }
          for (const j of jobs.jobs) {
            assert.equal(
              j.pipelines.reduce((s, p) => s + p.runs, 0),
              j.runs,
              `${days} d: ${j.job}'s runs per pipeline add up to its runs`,
            );
          }
          const {
            report: _r,
            schemaVersion: _v,
            projects: _p,
            period: _pe,
            now: _n,
            sources: _s,
            ...ownJobs
          } = jobs as unknown as Record<string, unknown>;
          for (const [k, v] of Object.entries(ownJobs))
            assert.deepEqual((ci.jobs as unknown as Record<string, unknown>)[k], v, `${days} d: ci page's ${k}`);
        }
      });

      it('specs counts: the table of releases and each release spec by spec', async () => {
        const all = await get<SpecsJson>('/specs/report');
        assert.ok(all.releases.length, 'the store has specs');
        for (const row of all.releases) {
          const one = await get<SpecsJson>(`/specs/report?release=${encodeURIComponent(row.release)}`);
          const specs = one.specs;
          assert.equal(specs.length, row.approved, `${row.release}: approved in the table and specs listed`);
          assert.equal(specs.filter((x) => x.landed).length, row.implemented, `${row.release}: implemented`);
          assert.equal(specs.filter((x) => !x.landed).length, row.notLanded, `${row.release}: not landed`);
          assert.equal(specs.filter((x) => x.removedAt !== null).length, row.removed, `${row.release}: removed`);
          assert.deepEqual(
            one.releases.find((r) => r.release === row.release),
            row,
            `${row.release}: its row is the same in both`,
          );
        }
      });
    });
  }
}
