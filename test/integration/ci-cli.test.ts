/**
 * The CI-health commands end to end on the demo project, whose planted jobs have known natures:
 * a voting baseline, a stable non-voting job (nova-ceph-multistore), a flaky one
 * (nova-live-migration, ~25% failures whatever the code) and experimental jobs run on request.
 * Numbers are checked against the store by hand-written SQL.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { benjaminiHochberg } from '../../src/analysis/stats/multiple-testing.js';
import { demoConfig } from '../../src/demo/demo-project.js';
import { runSteward } from '../helpers/cli.js';
import { defaultDemo, type CachedStore } from '../helpers/demo-cache.js';

const NOW = '2026-11-01';
const until = Date.parse(`${NOW}T00:00:00Z`);
const since = until - 90 * 86_400_000;
const demo = demoConfig({ now: until });
let dir: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON reports
type Json = Record<string, any>;

/**
 * What `steward ARGS --now NOW --format json` prints, parsed. The store and the configuration do not
 * change here and the reports are pure functions of them at NOW, so a command asked again (the
 * default `ci jobs` and `ci voting-readiness` are read by two tests each) is answered from the
 * first run's output rather than built again (a CI report on the 5,000-change demo costs seconds).
 */
const printed = new Map<string, Promise<string>>();
async function json(args: string[]): Promise<Json> {
  const key = args.join('\0');
  let out = printed.get(key);
  if (!out) {
    out = runSteward([...args, '--now', NOW, '--format', 'json'], { cwd: dir }).then((r) => {
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    });
    printed.set(key, out);
  }
  return JSON.parse(await out) as Json;
}

let demoStore: CachedStore;
before(async () => {
  // The default demo at NOW, as `npm start` (`overview --demo-if-empty --now 2026-11-01`) in an
  // empty folder leaves it. Under run-tests.mjs a copy of the run's one (cli.test.ts and
  // empty-store.test.ts read the same store; the first file to ask makes it).
  demoStore = await defaultDemo();
  // Its folder holds the store as steward.db (the CLI's default) and no steward.yaml.
  dir = dirname(demoStore.location);
  assert.equal(basename(demoStore.location), 'steward.db');
});
after(async () => demoStore?.cleanup());

describe('steward ci on the demo project', () => {
  it('voting-readiness tells the stable non-voting job from the flaky one', async () => {
    const r = await json(['ci', 'voting-readiness']);
    const byName = new Map(r.jobs.map((j: Json) => [j.job, j]));
    assert.deepEqual([...byName.keys()].sort(), [...demo.ci.nonVotingJobs].sort(), 'every non-voting check job, and only those');
    // The non-voting jobs it leaves out are named, with why: the experimental ones run on request only.
    assert.deepEqual(
      r.leftOut.map((x: Json) => x.job),
      [...demo.ci.experimentalJobs].sort(),
    );
    for (const x of r.leftOut) assert.match(x.reason, /experimental pipelines: see steward ci experimental/);
    const stable = byName.get(demo.planted.stableNonVotingJob) as Json;
    const flaky = byName.get(demo.planted.flakyJob) as Json;
    // Non-inferiority: over the period the stable job's excess over the voting jobs is ruled out
    // beyond the margin (the upper end of its interval is below it)…
    assert.ok(stable.difference.high <= r.rules.margin, JSON.stringify(stable.difference));
    // …but a week of its runs (about 80 on code that merged) cannot rule out 5 points: its weeks'
    // intervals are too wide, so it is not ready yet, and the report says what it lacks.
    for (const w of stable.weeks) if (w.meets !== null) assert.equal(w.meets, w.difference.high <= r.rules.margin, w.week);
    assert.ok(
      stable.weeks.filter((w: Json) => w.meets === false).every((w: Json) => w.difference.low < r.rules.margin),
      'missed weeks are inconclusive, not worse',
    );
    assert.equal(stable.verdict, stable.weeksMetInARow >= r.rules.weeks ? 'ready' : 'not-yet', stable.reasons.join('\n'));
    if (stable.verdict === 'not-yet') assert.match(stable.reasons.join('\n'), /more week\(s\) meeting the bar in a row/);
    assert.equal(flaky.verdict, 'unstable', flaky.reasons.join('\n'));
    assert.ok(flaky.difference.low > r.rules.margin, 'the whole interval is above the margin');
    assert.ok(flaky.falseFailureRate.rate > 0.15 && flaky.falseFailureRate.rate < 0.35, `flaky ${flaky.falseFailureRate.rate}`);
    // The baseline is made of the voting check jobs, on the same patch sets, and is counted, not assumed.
    assert.deepEqual(
      stable.baseline.byJob.map((b: Json) => b.job).sort(),
      demo.ci.votingJobs.filter((j) => j !== 'openstack-tox-docs').sort(),
    );
    assert.equal(
      stable.baseline.byJob.reduce((n: number, b: Json) => n + b.runs, 0),
      stable.baseline.of,
    );
    assert.equal(
      stable.baseline.byJob.reduce((n: number, b: Json) => n + b.failures, 0),
      stable.baseline.count,
    );
    // Caught regressions: counts that trace back, compared with the job's failures on fine code.
    for (const j of [stable, flaky]) {
      assert.equal(j.caught.onFixedCode.failures, j.caughtRegressions);
      assert.equal(j.caught.onFixedCode.runs, j.revisionChecks);
      assert.equal(j.caught.onFineCode.runs, j.falseFailureRate.of);
      assert.equal(j.caught.onFineCode.failures, j.falseFailureRate.count);
    }
    assert.equal(stable.caught.verdict, 'no-more-than-chance');
    assert.ok(flaky.extraRechecksIfVoting > stable.extraRechecksIfVoting * 3, 'the flaky job would cause far more rechecks');
    assert.equal(r.rules.margin, 0.05, 'the documented default');
  });

  it('ci jobs: every planted job with its voting flag, numbers that match the store, evidence for each false failure', async () => {
    const r = await json(['ci', 'jobs']);
    const byName = new Map(r.jobs.map((j: Json) => [j.job, j]));
    for (const job of demo.ci.votingJobs) assert.equal((byName.get(job) as Json)?.voting, true, job);
    for (const job of [...demo.ci.nonVotingJobs, ...demo.ci.experimentalJobs]) assert.equal((byName.get(job) as Json)?.voting, false, job);
    const sql = new BetterSqlite3(join(dir, 'steward.db'), { readonly: true });
    try {
      const count = (q: string, ...p: unknown[]) => Number(Object.values(sql.prepare(q).get(...p) as object)[0]);
      for (const job of [demo.planted.flakyJob, demo.planted.stableNonVotingJob, 'tempest-full-py3']) {
        const j = byName.get(job) as Json;
        assert.equal(
          j.runs + j.notCounted,
          count('select count(*) from ci_builds where job = ? and reported_at >= ? and reported_at < ?', job, since, until),
          job,
        );
        assert.equal(
          j.failures,
          count(
            "select count(*) from ci_builds where job = ? and reported_at >= ? and reported_at < ? and result not in ('SUCCESS', 'SKIPPED')",
            job,
            since,
            until,
          ),
          job,
        );
        // The evidence lists are bounded by default: the first 20, and how many are left out.
        assert.equal(r.evidenceLimit, 20);
        assert.equal(j.evidence.falseFailures.length, Math.min(j.falseFailures, 20));
        assert.equal(j.evidence.falseFailures.length + j.evidenceOmitted.falseFailures, j.falseFailures);
        assert.equal(j.evidence.caughtRegressions.length + j.evidenceOmitted.caughtRegressions, j.caughtRegressions);
        assert.ok(j.evidence.falseFailures.every((f: Json) => f.url.startsWith(`${demo.host.url}/c/demo/compute/+/`)));
        assert.equal(
          j.weekly.reduce((n: number, w: Json) => n + w.runs, 0),
          j.runs,
        );
        assert.ok(j.durationSeconds.median > 0 && j.durationSeconds.p90 >= j.durationSeconds.median);
      }
      const flaky = byName.get(demo.planted.flakyJob) as Json;
      const stable = byName.get(demo.planted.stableNonVotingJob) as Json;
      assert.ok(flaky.falseFailureRate.ci95.low > stable.falseFailureRate.ci95.high, 'the intervals do not overlap');
      // The adjusted p-values are Benjamini–Hochberg's over the jobs compared (printed to 3 digits).
      const tested = r.jobs.filter((j: Json) => j.caught.pValue !== null);
      const bh = benjaminiHochberg(tested.map((j: Json) => j.caught.pValue));
      tested.forEach((j: Json, i: number) =>
        assert.ok(Math.abs(j.caught.adjustedP - bh[i]!) <= 0.01 * bh[i]!, `${j.job}: ${j.caught.adjustedP} vs ${bh[i]}`),
      );
    } finally {
      sql.close();
    }
    assert.deepEqual(r.sources.runs.both + r.sources.runs.zuulOnly, 0, 'no Zuul data in the demo');
  });

  it("the flaky job's catches are no more than chance: its failures on code later fixed are flakes (the demo's broken patch sets always fail a voting job)", async () => {
    // Over the demo's whole year, the most evidence it has. (A shorter window can show a chance
    // excess: in the default 90 days of seed 42, 27.8% against 22.9%, adjusted p ≈ 0.02 — one of
    // the false positives a 5% test makes.)
    const r = await json(['ci', 'voting-readiness', '--days', '365']);
    const flaky = r.jobs.find((j: Json) => j.job === demo.planted.flakyJob) as Json;
    assert.equal(flaky.caught.verdict, 'no-more-than-chance', flaky.reasons.join('\n'));
    assert.ok(flaky.caught.ci95.low < 0 && flaky.caught.ci95.high > 0);
    assert.match(flaky.reasons.join('\n'), /: no more than chance$/m);
  });

  it('--evidence all lists every false failure and caught regression; the default the first 20 of the same list, with the same numbers', async () => {
    const all = await json(['ci', 'jobs', '--evidence', 'all']);
    const bounded = await json(['ci', 'jobs']);
    assert.equal(all.evidenceLimit, null);
    assert.ok(
      bounded.jobs.some((j: Json) => j.evidenceOmitted.falseFailures > 0),
      'the demo has a job with more than 20 false failures',
    );
    const strip = (r: Json) => ({
      ...r,
      evidenceLimit: undefined,
      jobs: r.jobs.map((j: Json) => ({ ...j, evidence: undefined, evidenceOmitted: undefined })),
    });
    assert.deepEqual(strip(bounded), strip(all), 'the numbers do not depend on the evidence shown');
    for (const [i, j] of all.jobs.entries()) {
      const b = bounded.jobs[i];
      assert.equal(j.evidence.falseFailures.length, j.falseFailures, j.job);
      assert.equal(j.evidence.caughtRegressions.length, j.caughtRegressions, j.job);
      assert.deepEqual(j.evidenceOmitted, { falseFailures: 0, caughtRegressions: 0 });
      assert.deepEqual(b.evidence.falseFailures, j.evidence.falseFailures.slice(0, 20), `${j.job}: the first 20`);
      assert.deepEqual(b.evidence.caughtRegressions, j.evidence.caughtRegressions.slice(0, 20), `${j.job}: the first 20`);
    }
    const text = await runSteward(['ci', 'jobs', '--now', NOW], { cwd: dir });
    const left = bounded.jobs.reduce((n: number, j: Json) => n + j.evidenceOmitted.falseFailures, 0);
    assert.match(
      text.stdout,
      new RegExp(
        `lists the first 20 false failures and caught regressions of each job \\(${left} false failures .*more in all: --evidence all lists them\\)`,
      ),
    );
    const readiness = await json(['ci', 'voting-readiness', '--days', '365', '--evidence', 'all']);
    for (const j of readiness.jobs) assert.equal(j.evidence.caughtRegressions.length, j.caughtRegressions, j.job);
  });

  it('--pipeline narrows the runs counted; --job the jobs shown', async () => {
    const r = await json(['ci', 'jobs', '--pipeline', 'gate', '--job', 'tempest-full-py3']);
    assert.deepEqual(
      r.jobs.map((j: Json) => j.job),
      ['tempest-full-py3'],
    );
    assert.deepEqual(
      r.jobs[0].pipelines.map((p: Json) => p.pipeline),
      ['gate'],
    );
    assert.equal(r.jobs[0].falseFailures, r.jobs[0].failures, 'in the gate every failure of an approved change is false');
  });

  it('experimental: the jobs run on request, how often they were requested', async () => {
    const r = await json(['ci', 'experimental']);
    assert.deepEqual(r.jobs.map((j: Json) => j.job).sort(), [...demo.ci.experimentalJobs].sort());
    const sql = new BetterSqlite3(join(dir, 'steward.db'), { readonly: true });
    try {
      const requests = sql
        .prepare(
          "select count(*) as n from (select distinct change_id, message_seq from ci_builds where pipeline = 'experimental' and reported_at >= ? and reported_at < ?)",
        )
        .get(since, until) as { n: number };
      assert.equal(r.requests, requests.n);
    } finally {
      sql.close();
    }
    assert.ok(
      r.jobs.every((j: Json) => j.readiness.queue === 'experimental' && j.readiness.verdict !== 'ready'),
      'a few runs are not enough evidence',
    );
  });

  it('the overview carries the short form and weekly series', async () => {
    const o = await json(['overview', '--full']);
    const jobs = new Map(o.ciHealth.jobs.map((j: Json) => [j.job, j]));
    const readiness = await json(['ci', 'voting-readiness']);
    const verdictOf = (job: string) => readiness.jobs.find((j: Json) => j.job === job).verdict;
    assert.equal((jobs.get(demo.planted.stableNonVotingJob) as Json).readiness.verdict, verdictOf(demo.planted.stableNonVotingJob));
    assert.equal((jobs.get(demo.planted.flakyJob) as Json).readiness.verdict, 'unstable');
    assert.ok((jobs.get(demo.planted.flakyJob) as Json).readiness.differenceHigh > readiness.rules.margin);
    assert.equal(o.ciHealth.weekly.find((w: Json) => w.job === demo.planted.flakyJob).weeks.length, 13);
    const text = await runSteward(['overview', '--full', '--now', NOW], { cwd: dir });
    assert.match(text.stdout, /nova-ceph-multistore +non-voting +\d+ runs .* (ready to vote|not yet ready)/);
    assert.match(text.stdout, /nova-live-migration +non-voting +\d+ runs .* unstable/);
  });

  it('text and CSV forms', async () => {
    const t = await runSteward(['ci', 'voting-readiness', '--now', NOW], { cwd: dir });
    assert.equal(t.code, 0, t.stderr);
    assert.match(
      t.stdout,
      /nova-ceph-multistore \(non-voting\) — (READY|NOT YET)\n {2}false-failure rate \d+\.\d% \(\d+ failures in \d+ runs on code that merged, \d+ changes\) vs voting baseline \d+\.\d% \(\d+ in \d+ runs .*95% CI/,
    );
    assert.match(t.stdout, /nova-live-migration \(non-voting\) — UNSTABLE/);
    const c = await runSteward(['ci', 'jobs', '--now', NOW, '--format', 'csv'], { cwd: dir });
    assert.match(c.stdout, /^job,voting,runs,passes,failures,failure_rate,/);
    assert.match(c.stdout, /\nnova-live-migration,0,\d+,/);
  });

  it('steward.yaml sets the readiness bar', async () => {
    const yaml = join(dir, 'strict.yaml');
    writeFileSync(yaml, 'ci:\n  readiness:\n    margin: 0.001\n    weeks: 20\n');
    const r = await json(['ci', 'voting-readiness', '--config', yaml, '--job', demo.planted.stableNonVotingJob]);
    assert.deepEqual(r.rules, { margin: 0.001, weeks: 20, minRuns: 100, minWeeklyRuns: 20 });
    assert.notEqual(r.jobs[0].verdict, 'ready');
    assert.match(r.sources.config, /strict\.yaml$/);
  });

  it('an unknown job or project is NOT_FOUND with what there is; a bad format is USAGE', async () => {
    const j = await runSteward(['ci', 'jobs', '--now', NOW, '--job', 'nova-nope'], { cwd: dir });
    assert.equal(j.code, 10);
    assert.match(j.stderr, /job "nova-nope": no such job \(no CI run in the store ran it\)\n {2}Jobs in the store: .*nova-live-migration/);
    // A job the store holds, asked for a period in which it never ran: refused, naming those that ran then.
    const quiet = await runSteward(
      ['ci', 'jobs', '--now', NOW, '--job', 'nova-live-migration', '--since', '2020-01-01', '--until', '2020-01-15'],
      {
        cwd: dir,
      },
    );
    assert.equal(quiet.code, 10);
    assert.match(quiet.stderr, /job "nova-live-migration": no runs in the period\n {2}There are no CI runs in the period/);
    const p = await runSteward(['ci', 'voting-readiness', '--now', NOW, '--project', 'no/such'], { cwd: dir });
    assert.equal(p.code, 10);
    const f = await runSteward(['ci', 'experimental', '--now', NOW, '--format', 'xml'], { cwd: dir });
    assert.equal(f.code, 2);
    // --evidence takes only "all": another value is refused, not read as the default.
    const e = await runSteward(['ci', 'jobs', '--now', NOW, '--evidence', 'some'], { cwd: dir });
    assert.equal(e.code, 2);
    assert.match(e.stderr, /--evidence must be "all", not "some"/);
    assert.equal(e.stdout, '');
  });
});

// The same default demo (what `npm start` shows) for the waits report's planted slow area: with the
// default 90-day window it has about 50 changes there, fewer than the eight busiest areas, and a
// fixed "top 8 areas" once lumped it into "other" — where the report cannot name it.
describe('steward waits on the default demo', () => {
  it('names the planted slow area, with the default window', async () => {
    const w = await json(['waits']);
    const area = w.factors.find((f: Json) => f.factor === 'area');
    assert.ok(
      area.groups.some((g: Json) => g.group === demo.planted.slowArea),
      `areas: ${area.groups.map((g: Json) => g.group)}`,
    );
    assert.equal(area.merge.declared, true);
    assert.equal(area.merge.named.level, demo.planted.slowArea);
    assert.ok(area.merge.named.upper < 1, 'its own interval is below 1');
    assert.match(w.summary.join('\n'), /area: "nova\/virt\/hyperv\/" associated with [\d.]+× slower merging/);
  });
});
