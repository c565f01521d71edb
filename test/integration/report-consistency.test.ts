/**
 * Every number defined once: each quantity that two reports both show is computed through each
 * report (its JSON from /api/v1, as `--format json` prints it) and must be equal — reviews per
 * person (reviewers, core idle / candidates / load / mentoring, people, companies), commits and
 * contributors per release (history, people, companies, the electorate), review and core
 * totals, the core team (core idle, load, companies), reviews per week (core load, waits
 * --bandwidth), open / WIP / waiting counts (overview, queue, waits --bandwidth, the review inbox),
 * CI runs and failures per job (ci jobs, voting-readiness, experimental, the CI page, the overview),
 * bugs (overview, backlog, targets), advisories (overview, advisories, security candidates), specs
 * counts. On the demo store and on a longer one (the demo generator, 18 months of a larger
 * project: LONG_DEMO, which core-idle-window.test.ts reads too, so a run generates it
 * once), in SQLite and PostgreSQL. The definitions are in
 * docs/reviewers-and-core.md, docs/review-flow.md, docs/ci.md, docs/bugs.md,
 * docs/people-and-history.md, docs/security-advisories.md and docs/specs-and-priorities.md.
 *
 * The last test of each store checks that every report of the catalogue was read here, or is in
 * NOT_COMPARED with the reason: a new report cannot skip the comparison unnoticed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { REPORTS } from '../../src/service/catalogue/report-catalogue.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { runSteward } from '../helpers/cli.js';
import { TempRepo } from '../helpers/git-repo.js';
import { ENGINES } from '../helpers/stores.js';
import { LONG_DEMO, WEB_NOW, demoStore, testApp, type DemoStore, type TestApp } from '../helpers/web.js';

/**
 * The reports this test does not read, each with why. Only two kinds of reason belong here: the
 * report shows no number another report shows, or the demo stores hold none of the data it reads
 * (then the comparison is owed, and the reason says where it is made instead, if anywhere).
 */
const NOT_COMPARED: Record<string, string> = {
  // Needs a Gerrit core group (projects[].core.group) and its recorded membership: the demo
  // configures its core team by core.members, so the report refuses (CONFIG). Its numbers (joins and
  // leaves of the group) no other report shows.
  coreHistory: 'the demo has no core group; joins and leaves are shown by no other report',
  // The security team's roster: for a signed-in member of the team only (SECURITY_FORBIDDEN
  // otherwise). Its triage steps, patches and reviews are acts on embargoed items in Steward's own
  // security tracker (analysis/security-roster.ts), which no other report reads: no number of it is
  // shown anywhere else.
  securityRoster: 'shows no number another report shows (acts in the private security tracker)',
  // Blueprints as Launchpad keeps them; the code naming each is compared with `steward git
  // blueprint` (the same link rule) in test/integration/bugs-demo.test.ts.
  bugsBlueprints: "blueprints' statuses are shown by no other report; their code is compared in bugs-demo.test.ts",
};

// Loose views of the report JSON: only the fields compared here.
interface Person {
  username: string | null;
  name?: string | null;
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

interface PeopleJson {
  total: number;
  window: { start: string | null; end: string | null };
  people: Array<{
    id: string;
    name: string;
    identities: { gerrit: Array<{ host: string; id: number }> };
    activity: { commits: number; changes: number; reviews: number };
  }>;
}
interface CompaniesJson {
  rows: Array<{ company: string | null; commits: number; changes: number; reviews: number; people: number }>;
}
interface MentoringPeriod {
  from: string;
  to: string;
  reviews: number;
}
interface BandwidthJson {
  weeks: Array<{
    week: string;
    from: number;
    to: number;
    reviews: number;
    coreReviews: number | null;
    cores: number | null;
    waitingAtEnd: number;
  }>;
}
interface ExperimentalJson {
  pipelines: string[];
  jobs: Array<{ job: string; runs: number; readiness: { queue: string; runs: number } }>;
}

interface PrioritiesPart {
  proposed: number;
  merged: number;
  abandoned: number;
  open: number;
}
interface PrioritiesJson {
  release: { start: string; release: string };
  asOf: string;
  priorities: Array<{ title: string; changes: Array<{ number: number; reviewersDays: number }> }>;
  allPriorities: PrioritiesPart;
  baseline: PrioritiesPart;
}
interface WaitsJson {
  cohort: { total: number; merged: number; abandoned: number; open: number };
  changes: Array<{ number: number; reviewersDays: number }>;
}
interface InitiativeJson {
  changes: Array<{ number: number; status: string }>;
  blockers: { waitingOnReviewers: Array<{ number: number }> };
}

/** The reports read here, on any store (each is read to be compared with another). */
const read = new Set<string>();

const key = (p: Person): string => p.username ?? `#${p.gerritAccountId}`;
const countOf = (x: { count: number } | number): number => (typeof x === 'number' ? x : x.count);

const STORES = [
  { name: 'demo', options: {} },
  { name: 'long', options: LONG_DEMO },
] as const;

/**
 * The demo has no code history: a small one, a commit a month over the demo's span by three
 * authors, synced into each store, gives history, the electorate and people's commits something to
 * count. Made once for the file (each commit is a git process): every store syncs the same one.
 */
let codeHistory: TempRepo | undefined;
function codeHistoryRepo(): TempRepo {
  if (codeHistory) return codeHistory;
  const repo = TempRepo.create('steward-consistency-git-');
  const day = (d: number) => new Date(WEB_NOW - d * 86_400_000).toISOString();
  let tip = repo.commit({ message: 'Start', author: 'Ann Lee', at: day(420) });
  for (let i = 0; i < 14; i++)
    tip = repo.commit({
      message: `Change ${i}`,
      author: ['Ann Lee', 'Bob Roy', 'Cat Diaz'][i % 3],
      parents: [tip],
      at: day(410 - 29 * i),
    });
  repo.setBranch(tip);
  return (codeHistory = repo);
}
after(() => codeHistory?.remove());

for (const engine of ENGINES) {
  for (const shape of STORES) {
    describe(`one number, one definition: ${shape.name} store (${engine.name})`, { skip: engine.skip }, () => {
      let demo: DemoStore;
      let t: TestApp;
      /**
       * What the app answered for each URL since the store was last written: the tests ask for the
       * same report more than once (/overview, /queue, /specs/report, core idle over 90 days…), and
       * each answer is a report built afresh (the app here has no cache), ~1 s of CPU a store in
       * all. Each caller parses its own copy. A test that writes to the store calls `written()`.
       */
      const answers = new Map<string, Promise<string>>();
      const written = () => answers.clear();
      const get = async <T>(url: string): Promise<T> => {
        let answer = answers.get(url);
        if (!answer) {
          answer = t.app.inject({ method: 'GET', url: `/api/v1${url}` }).then((res) => {
            assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
            return res.body;
          });
          answers.set(url, answer);
        }
        const body = JSON.parse(await answer) as T & { report: string };
        read.add(body.report);
        return body;
      };
      before(async () => {
        demo = await demoStore(engine.name, shape.options);
        const repo = codeHistoryRepo();
        const sync = await runSteward(['git', 'sync', '--repo', repo.dir, '--db', demo.location, '--quiet'], {
          cwd: demo.dir,
          now: WEB_NOW,
        });
        assert.equal(sync.code, 0, sync.stderr);
        t = await testApp(demo.location, demo.dir);
      });
      /**
       * The app as run beside the demo's own steward.yaml (what `steward demo` writes: the same
       * project, plus the planted priorities and initiative), for the reports configured there.
       */
      let configured: { t: TestApp; cwd: string } | undefined;
      const withConfig = async (): Promise<{ t: TestApp; cwd: string }> => {
        if (configured) return configured;
        const specs = await get<{ repo: { path: string } }>('/specs/report');
        const cwd = join(demo.dir, 'configured');
        mkdirSync(cwd, { recursive: true });
        copyFileSync(join(dirname(specs.repo.path), 'steward.yaml'), join(cwd, 'steward.yaml'));
        configured = { t: await testApp(demo.location, cwd), cwd };
        return configured;
      };
      const getConfigured = async <T>(url: string): Promise<T> => {
        const res = await (await withConfig()).t.app.inject({ method: 'GET', url: `/api/v1${url}` });
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        const body = JSON.parse(res.body) as T & { report: string };
        read.add(body.report);
        return body;
      };
      after(async () => {
        await configured?.t.close();
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
          // The queue section is the full overview's (the short one replays only the changes that can be work in progress).
          assert.equal(overview.queue, null, `${now}: the short overview leaves the queue section out`);
          const full = await get<OverviewJson & { queue: Record<string, number> }>(`/overview${now ? `${now}&` : '?'}full=true`);
          assert.equal(full.open.workInProgress, queue.states.wip!.count, `${now}: work in progress, full overview`);
          assert.equal(full.queue.open, queue.open, `${now}: open in the overview's queue section`);
          for (const s of ['reviewers', 'author', 'ci', 'approved', 'wip'])
            assert.equal(full.queue[s], queue.states[s]!.count, `${now}: ${s} in the overview and the queue`);
          assert.equal(full.queue.neverReviewed, countOf(queue.neverReviewed), `${now}: never reviewed`);
          assert.equal(full.queue.onePlusTwoShort, countOf(queue.onePlusTwoShort), `${now}: one +2 short`);
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
          const overview = await get<OverviewJson>(`/overview?days=${days}&full=true`);
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

      // One release window (the whole history is the same function over a longer window, at a
      // cost this file need not pay: its reviewers report reads every act).
      it('reviews per person: people and people companies against reviewers, over a release window', async () => {
        const { releases } = await get<SpecsJson>('/specs/report');
        const windows: Array<{ people: string; companies: string }> = [
          ...releases.slice(0, 1).map((r) => ({
            people: `/people?limit=100000&release=${encodeURIComponent(r.release)}`,
            companies: `/people/companies?release=${encodeURIComponent(r.release)}`,
          })),
        ];
        for (const w of windows) {
          const people = await get<PeopleJson>(w.people);
          assert.equal(people.people.length, people.total, `${w.people}: everyone is listed`);
          // The whole history is every act up to now; the reviewers' longest window reaches back 20 years.
          const reviewers = await get<ReviewersJson>(
            people.window.start
              ? `/reviewers?since=${people.window.start}&until=${people.window.end}`
              : `/reviewers?days=7300&until=${new Date(WEB_NOW).toISOString()}`,
          );
          const byAccount = new Map(reviewers.rows.map((r) => [r.gerritAccountId, r.reviews]));
          const claimed = new Set<number | null>();
          for (const p of people.people) {
            const ids = p.identities.gerrit.map((g) => g.id);
            for (const id of ids) claimed.add(id);
            const reviews = ids.reduce((sum, id) => sum + (byAccount.get(id) ?? 0), 0);
            assert.equal(p.activity.reviews, reviews, `${w.people}: ${p.name}'s reviews in people and reviewers`);
          }
          for (const r of reviewers.rows) assert.ok(claimed.has(r.gerritAccountId), `${w.people}: reviewer ${key(r)} is a listed person`);

          const companies = await get<CompaniesJson>(w.companies);
          const sum = (k: 'commits' | 'changes' | 'reviews' | 'people') => companies.rows.reduce((s2, r) => s2 + r[k], 0);
          assert.equal(sum('reviews'), reviewers.totals.reviews, `${w.companies}: reviews, companies and reviewers`);
          // A person counts in each company they contributed for in the window; the people list has
          // everyone, active in it or not.
          const active = people.people.filter((p) => p.activity.commits + p.activity.changes + p.activity.reviews > 0).length;
          if (companies.rows.length === 1) assert.equal(sum('people'), active, `${w.companies}: active people, companies and people`);
          else assert.ok(sum('people') >= active, `${w.companies}: active people, companies and people`);
          for (const k of ['commits', 'changes', 'reviews'] as const)
            assert.equal(
              sum(k),
              people.people.reduce((s2, p) => s2 + p.activity[k], 0),
              `${w.companies}: ${k}, companies and people`,
            );
        }
      });

      it('commits and contributors per release: history, people, people companies and the electorate', async () => {
        const history = await get<{
          releases: Array<{ release: string; start: string; end: string; inProgress: boolean; merged: number; botCommits: number }>;
        }>('/history');
        const done = history.releases.filter((r) => !r.inProgress);
        assert.ok(done.length, 'a release of the demo calendar is over');
        const people = new Map<string, PeopleJson>();
        for (const r of history.releases) {
          const p = await get<PeopleJson>(`/people?limit=100000&release=${encodeURIComponent(r.release)}`);
          people.set(r.release, p);
          const companies = await get<CompaniesJson>(`/people/companies?release=${encodeURIComponent(r.release)}`);
          assert.deepEqual([p.window.start, p.window.end], [r.start, r.end], `${r.release}: the window of history and people`);
          const commits = p.people.reduce((s2, x) => s2 + x.activity.commits, 0);
          assert.equal(r.merged - r.botCommits, commits, `${r.release}: commits landed by people, history and people`);
          assert.equal(
            companies.rows.reduce((s2, c) => s2 + c.commits, 0),
            commits,
            `${r.release}: commits, people companies and people`,
          );
        }
        assert.ok(
          [...people.values()].some((p) => p.people.some((x) => x.activity.commits > 0)),
          'some release has commits',
        );
        // The electorate of each finished release: its voters are the people with a commit or a
        // merged change in the cycles it counts, each with that many contributions. Its cycles are
        // the calendar's, not only those the code history reaches: a cycle before the first synced
        // commit (on a store whose Gerrit changes reach further back than its git history) counts
        // its merged changes, and people over that release's window counts the same ones.
        for (const r of done) {
          const e = await get<{
            window: { releases: string[] };
            voters: Array<{ person: string; contributions: number }>;
          }>(`/electorate?release=${encodeURIComponent(r.release)}`);
          const expected = new Map<string, number>();
          for (const name of e.window.releases) {
            let p = people.get(name);
            if (!p) {
              p = await get<PeopleJson>(`/people?limit=100000&release=${encodeURIComponent(name)}`);
              const end = p.window.end;
              assert.ok(
                end !== null && history.releases.every((h) => h.start >= end),
                `${r.release}: the electorate's cycle ${name}, not in history, is before the code history's first release`,
              );
              people.set(name, p);
            }
            for (const x of p.people) {
              const n = x.activity.commits + x.activity.changes;
              if (n) expected.set(x.id, (expected.get(x.id) ?? 0) + n);
            }
          }
          assert.deepEqual(
            new Map(e.voters.map((v) => [v.person, v.contributions])),
            expected,
            `${r.release}: voters and their contributions, electorate and people`,
          );
        }
      });

      it('priorities and initiatives: their changes against waits and the queue', async () => {
        const list = await getConfigured<{ priorities: Array<{ release: string }> }>('/priorities/list');
        for (const release of [...new Set(list.priorities.map((p) => p.release))]) {
          const pr = await getConfigured<PrioritiesJson>(`/priorities?release=${encodeURIComponent(release)}`);
          // The release's changes, as of its release day: the priorities' and the rest (the baseline)
          // are the cohort of waits over the release window, with the same waits per change.
          const waits = await getConfigured<WaitsJson>(`/waits?since=${pr.release.start}&until=${pr.release.release}&now=${pr.asOf}`);
          const parts = [pr.allPriorities, pr.baseline];
          for (const k of ['proposed', 'merged', 'abandoned', 'open'] as const) {
            const cohort = k === 'proposed' ? waits.cohort.total : waits.cohort[k];
            assert.equal(parts[0]![k] + parts[1]![k], cohort, `${release}: ${k}, priorities (priorities + baseline) and waits`);
          }
          const byNumber = new Map(waits.changes.map((c) => [c.number, c]));
          for (const p of pr.priorities)
            for (const c of p.changes) {
              const w = byNumber.get(c.number);
              assert.ok(w, `${release} / ${p.title}: change ${c.number} is in the waits cohort`);
              assert.equal(c.reviewersDays, w.reviewersDays, `${release}: change ${c.number}'s wait on reviewers, priorities and waits`);
            }
        }
        const initiatives = await getConfigured<{ initiatives: Array<{ name: string }> }>('/initiatives');
        const queue = await getConfigured<QueueJson & { states: Record<string, { changes: number[] }> }>('/queue');
        const open = new Set(Object.values(queue.states).flatMap((x) => x.changes));
        const { cwd } = await withConfig();
        for (const i of initiatives.initiatives) {
          const status = await getConfigured<InitiativeJson>(`/initiatives/${encodeURIComponent(i.name)}`);
          for (const c of status.changes.filter((x) => x.status === 'open'))
            assert.ok(open.has(c.number), `${i.name}: open change ${c.number} is in the queue`);
          for (const c of status.blockers.waitingOnReviewers)
            assert.ok(
              queue.states.reviewers!.changes.includes(c.number),
              `${i.name}: change ${c.number} waits on reviewers, initiative and queue`,
            );
          // The brief (the command line's and the page's Markdown) is built from the same status.
          const entry = REPORTS.initiativeBrief;
          const config = await resolveEffectiveConfig(loadConfig(undefined, cwd), t.store);
          const brief = (await entry.build(t.store, { name: i.name, project: undefined }, config, WEB_NOW)) as unknown as Record<
            string,
            unknown
          >;
          read.add(String(brief.report));
          const { report: _a, ...ownBrief } = brief;
          const { report: _b, ...ownStatus } = status as unknown as Record<string, unknown>;
          assert.deepEqual(ownBrief, ownStatus, `${i.name}: initiative brief and status`);
        }
      });

      it('the core team: core companies, core idle, core load and reviewers', async () => {
        const companies = await get<{ cores: number; companies: Array<{ cores: number; members: Array<{ name: string }> }> }>(
          '/core/companies',
        );
        // The 90-day reports the first test read (the view cache has them).
        const idle = await get<IdleJson>('/core/idle?days=90');
        const load = await get<LoadJson & { total: { cores: number } }>('/core/load?days=90');
        const reviewers = await get<ReviewersJson & { totals: { coreTeamSize: number } }>('/reviewers?days=90');
        assert.equal(companies.cores, idle.cores.length, 'cores: core companies and core idle');
        assert.equal(
          companies.companies.reduce((s2, c) => s2 + c.cores, 0),
          companies.cores,
          "core companies: the companies' cores add up",
        );
        assert.deepEqual(
          companies.companies.flatMap((c) => c.members.map((m) => m.name)).sort(),
          idle.cores.map((c) => c.name).sort(),
          'the same people in core companies and core idle',
        );
        assert.equal(load.total.cores, companies.cores, 'cores: core load and core companies');
        assert.equal(reviewers.totals.coreTeamSize, companies.cores, 'cores: reviewers and core companies');
      });

      it('a mentored candidate: core mentoring against reviewers, before and during', async () => {
        const candidates = await get<CandidatesJson>('/core/candidates?days=90');
        const idle = await get<IdleJson>('/core/idle?days=90');
        const candidate = candidates.candidates[0];
        const mentor = idle.cores[0];
        assert.ok(candidate && mentor, 'the demo has a core candidate and a core');
        const since = new Date(WEB_NOW - 60 * 86_400_000).toISOString().slice(0, 10);
        const r = await runSteward(
          ['core', 'mentor', 'add', key(candidate), '--mentor', key(mentor), '--since', since, '--db', demo.location],
          {
            cwd: demo.dir,
            now: WEB_NOW,
          },
        );
        assert.equal(r.code, 0, r.stderr);
        written();
        const mentoring = await get<{
          mentorships: Array<{ candidate: Person; before: MentoringPeriod; during: MentoringPeriod }>;
        }>('/core/mentoring');
        const m = mentoring.mentorships.find((x) => key(x.candidate) === key(candidate));
        assert.ok(m, 'the mentorship is reported');
        for (const period of [m.before, m.during]) {
          const reviewers = await get<ReviewersJson>(`/reviewers?since=${period.from}&until=${period.to}`);
          const row: { reviews: number } | undefined = reviewers.rows.find((x) => key(x) === key(candidate));
          assert.equal(period.reviews, row?.reviews ?? 0, `${key(candidate)}'s reviews ${period.from} to ${period.to}`);
        }
      });

      it('reviews per week and the queue: waits --bandwidth against core load and the queue; the review inbox against the queue', async () => {
        // 90 days: the window of the first test's core load (cached); it starts on a Monday, so its
        // weeks are the bandwidth's ISO weeks.
        for (const days of [90]) {
          const bandwidth = await get<BandwidthJson>(`/waits?bandwidth=true&days=${days}`);
          const load = await get<{
            total: { reviews: number; coreReviews: number };
            weeks: Array<{ from: string; to: string; reviews: number; coreReviews: number; cores: number }>;
          }>(`/core/load?days=${days}`);
          // Both cover the window; core load's weeks are 7-day blocks from its start, the bandwidth's
          // are ISO weeks (clipped to the window): the same where their bounds are the same.
          assert.equal(
            bandwidth.weeks.reduce((s2, w) => s2 + w.reviews, 0),
            load.total.reviews,
            `${days} d: reviews, waits --bandwidth and core load`,
          );
          assert.equal(
            bandwidth.weeks.reduce((s2, w) => s2 + (w.coreReviews ?? 0), 0),
            load.total.coreReviews,
            `${days} d: core reviews, waits --bandwidth and core load`,
          );
          const loadWeek = new Map(load.weeks.map((l) => [`${l.from} ${l.to}`, l]));
          let same = 0;
          for (const w of bandwidth.weeks) {
            const l = loadWeek.get(`${new Date(w.from).toISOString()} ${new Date(w.to).toISOString()}`);
            if (!l) continue;
            same += 1;
            assert.deepEqual(
              [w.reviews, w.coreReviews, w.cores],
              [l.reviews, l.coreReviews, l.cores],
              `${days} d: week of ${w.week}: reviews, core reviews, cores in waits --bandwidth and core load`,
            );
          }
          // The 90 days before the demo's end start on a Monday: every week is the same in both.
          if (days === 90) assert.equal(same, bandwidth.weeks.length, '90 d: the weeks of waits --bandwidth and core load');
          const queue = await get<QueueJson>('/queue');
          assert.equal(
            bandwidth.weeks.at(-1)!.waitingAtEnd,
            queue.states.reviewers!.count,
            `${days} d: waiting on reviewers now, waits --bandwidth (the last week's end) and the queue`,
          );
        }
        // The review inbox: each change it lists is in the queue's list of its state.
        const queue = await get<QueueJson & { states: Record<string, { changes: number[] }> }>('/queue');
        const list = await get<{ dashboards: Array<{ name: string; sections: number }> }>('/dashboards');
        for (const d of list.dashboards) {
          const dash = await get<{ sections: Array<{ name: string; count: number; changes: Array<{ number: number; state: string }> }> }>(
            `/dashboards/${d.name}`,
          );
          assert.equal(dash.sections.length, d.sections, `${d.name}: sections, dashboards and the dashboard`);
          for (const sec of dash.sections)
            for (const c of sec.changes)
              assert.ok(
                queue.states[c.state]?.changes.includes(c.number),
                `${d.name} / ${sec.name}: change ${c.number} is "${c.state}" in the inbox and in the queue`,
              );
        }
      });

      it('CI experimental jobs: ci experimental, ci jobs, voting-readiness and the CI page', async () => {
        // The 30-day window of the test above (the view cache has those reports; a CI report's cost
        // is mostly gathering the window's runs, so the shorter window).
        const experimental = await get<ExperimentalJson>('/ci/experimental?days=30');
        const jobs = await get<CiJobsJson>('/ci/jobs?days=30');
        const readiness = await get<ReadinessJson>('/ci/voting-readiness?days=30');
        const ci = await get<{ votingReadiness: Record<string, unknown>; experimental: Record<string, unknown> }>('/ci?days=30');
        const byJob = new Map(jobs.jobs.map((j) => [j.job, j]));
        assert.ok(experimental.jobs.length, 'the demo has experimental jobs in the last 30 days');
        for (const e of experimental.jobs) {
          const j = byJob.get(e.job);
          assert.ok(j, `${e.job} of ci experimental is in ci jobs`);
          const inExperimental = j.pipelines.filter((p) => experimental.pipelines.includes(p.pipeline)).reduce((s2, p) => s2 + p.runs, 0);
          assert.equal(e.runs, inExperimental, `${e.job}: runs, ci experimental and ci jobs`);
          assert.equal(e.readiness.runs, e.runs, `${e.job}: runs, and its readiness in ci experimental`);
        }
        for (const r of readiness.jobs) {
          const e = experimental.jobs.find((x) => x.job === r.job && x.readiness.queue === r.queue);
          if (e) assert.equal(e.readiness.runs, r.runs, `${r.job}: runs in ${r.queue}, experimental and voting-readiness`);
        }
        // The CI page's readiness and experimental parts are the two reports.
        for (const [part, report] of [
          ['votingReadiness', readiness],
          ['experimental', experimental],
        ] as const) {
          const {
            report: _r,
            schemaVersion: _v,
            projects: _p,
            period: _pe,
            now: _n,
            sources: _s,
            ...own
          } = report as unknown as Record<string, unknown>;
          for (const [k, v] of Object.entries(own)) assert.deepEqual(ci[part][k], v, `the CI page's ${part}.${k}`);
        }
      });

      it('bugs: open high-importance bugs in bugs targets and bugs backlog', async () => {
        for (const now of ['', '?now=2026-08-01']) {
          const targets = await get<{ openHigh: number }>(`/bugs/targets${now}`);
          const backlog = await get<{ byImportance: Array<{ importance: string; open: number }>; areas: unknown[] }>(`/bugs/backlog${now}`);
          const high = backlog.byImportance.filter((b) => b.importance === 'Critical' || b.importance === 'High');
          assert.equal(
            targets.openHigh,
            high.reduce((s2, b) => s2 + b.open, 0),
            `${now}: open Critical and High bugs, targets and backlog`,
          );
        }
      });

      it("the bug rota: its members' reviews against reviewers", async () => {
        const rota = await get<{ weeks: Array<{ week: string }>; people: Array<{ who: string; reviews: number }> }>('/bugs/rota');
        assert.ok(rota.people.length && rota.weeks.length, 'the demo has a rota');
        const reviewers = await get<ReviewersJson>(`/reviewers?since=${rota.weeks[0]!.week}&until=${new Date(WEB_NOW).toISOString()}`);
        for (const p of rota.people) {
          const row = reviewers.rows.find((r) => r.username === p.who);
          assert.equal(p.reviews, row?.reviews ?? 0, `${p.who}'s reviews in the bug rota and reviewers`);
        }
      });

      it('advisories: security candidates against security advisories, as of now', async () => {
        for (const now of ['', '?now=2026-08-01']) {
          const candidates = await get<{
            sources: { advisories: number };
            candidates: Array<{ advisories: string[] }>;
          }>(`/security/candidates${now}`);
          const advisories = await get<{ total: { advisories: number }; advisories: Array<{ id: string }> }>(`/security/advisories${now}`);
          assert.equal(candidates.sources.advisories, advisories.total.advisories, `${now}: advisories, candidates and advisories`);
          const ids = new Set(advisories.advisories.map((a) => a.id));
          for (const c of candidates.candidates)
            for (const id of c.advisories) assert.ok(ids.has(id), `${now}: ${id} of a candidate's evidence is a published advisory`);
        }
      });
    });
  }
}

// After every store's comparisons (the describes run in order).
describe('the comparisons cover the catalogue', () => {
  it('every report of the catalogue is compared here, or listed in NOT_COMPARED with why', () => {
    const names = Object.keys(REPORTS).sort();
    for (const n of Object.keys(NOT_COMPARED)) {
      assert.ok(names.includes(n), `NOT_COMPARED names ${n}, which is not in the catalogue`);
      assert.ok(!read.has(n), `${n} is compared here: take it out of NOT_COMPARED`);
    }
    const missed = names.filter((n) => !read.has(n) && !(n in NOT_COMPARED));
    assert.deepEqual(missed, [], 'reports neither compared here nor in NOT_COMPARED');
  });
});
