/**
 * The CI-health commands end to end on the demo project, whose planted jobs have known natures:
 * a voting baseline, a stable non-voting job (nova-ceph-multistore), a flaky one
 * (nova-live-migration, ~25% failures whatever the code) and experimental jobs run on request.
 * Numbers are checked against the store by hand-written SQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { demoConfig } from '../../src/demo/demo-project.js';
import { runSteward } from '../helpers/cli.js';

const NOW = '2026-11-01';
const until = Date.parse(`${NOW}T00:00:00Z`);
const since = until - 90 * 86_400_000;
const demo = demoConfig({ now: until });
let dir: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON reports
type Json = Record<string, any>;

async function json(args: string[]): Promise<Json> {
  const r = await runSteward([...args, '--now', NOW, '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Json;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steward-ci-cli-'));
  const r = await runSteward(['demo', '--now', NOW, '--quiet'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('steward ci on the demo project', () => {
  it('voting-readiness tells the stable non-voting job from the flaky one', async () => {
    const r = await json(['ci', 'voting-readiness']);
    const byName = new Map(r.jobs.map((j: Json) => [j.job, j]));
    assert.deepEqual([...byName.keys()].sort(), [...demo.ci.nonVotingJobs].sort(), 'every non-voting check job, and only those');
    const stable = byName.get(demo.planted.stableNonVotingJob) as Json;
    const flaky = byName.get(demo.planted.flakyJob) as Json;
    assert.equal(stable.verdict, 'ready', stable.reasons.join('\n'));
    assert.equal(flaky.verdict, 'unstable', flaky.reasons.join('\n'));
    assert.ok(flaky.falseFailureRate.rate > 0.15 && flaky.falseFailureRate.rate < 0.35, `flaky ${flaky.falseFailureRate.rate}`);
    assert.ok(stable.falseFailureRate.rate < stable.bar);
    // The baseline is made of the voting check jobs, on the same patch sets.
    assert.deepEqual(stable.baseline.byJob.map((b: Json) => b.job).sort(), demo.ci.votingJobs.filter((j) => j !== 'openstack-tox-docs').sort());
    assert.ok(stable.weeksMetInARow >= 4);
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
        assert.equal(j.runs + j.notCounted, count('select count(*) from ci_builds where job = ? and reported_at >= ? and reported_at < ?', job, since, until), job);
        assert.equal(j.failures, count("select count(*) from ci_builds where job = ? and reported_at >= ? and reported_at < ? and result not in ('SUCCESS', 'SKIPPED')", job, since, until), job);
        assert.equal(j.evidence.falseFailures.length, j.falseFailures);
        assert.ok(j.evidence.falseFailures.every((f: Json) => f.url.startsWith(`${demo.host.url}/c/demo/compute/+/`)));
        assert.equal(j.weekly.reduce((n: number, w: Json) => n + w.runs, 0), j.runs);
        assert.ok(j.durationSeconds.median > 0 && j.durationSeconds.p90 >= j.durationSeconds.median);
      }
      const flaky = byName.get(demo.planted.flakyJob) as Json;
      const stable = byName.get(demo.planted.stableNonVotingJob) as Json;
      assert.ok(flaky.falseFailureRate.ci95.low > stable.falseFailureRate.ci95.high, 'the intervals do not overlap');
      // The flaky job "catches" about as many regressions as its flakiness alone explains.
      assert.ok(flaky.caughtRegressions < 1.5 * flaky.caughtExpectedByChance + 10, `${flaky.caughtRegressions} vs ${flaky.caughtExpectedByChance}`);
    } finally {
      sql.close();
    }
    assert.deepEqual(r.sources.runs.both + r.sources.runs.zuulOnly, 0, 'no Zuul data in the demo');
  });

  it('--pipeline narrows the runs counted; --job the jobs shown', async () => {
    const r = await json(['ci', 'jobs', '--pipeline', 'gate', '--job', 'tempest-full-py3']);
    assert.deepEqual(r.jobs.map((j: Json) => j.job), ['tempest-full-py3']);
    assert.deepEqual(r.jobs[0].pipelines.map((p: Json) => p.pipeline), ['gate']);
    assert.equal(r.jobs[0].falseFailures, r.jobs[0].failures, 'in the gate every failure of an approved change is false');
  });

  it('experimental: the jobs run on request, how often they were requested', async () => {
    const r = await json(['ci', 'experimental']);
    assert.deepEqual(r.jobs.map((j: Json) => j.job).sort(), [...demo.ci.experimentalJobs].sort());
    const sql = new BetterSqlite3(join(dir, 'steward.db'), { readonly: true });
    try {
      const requests = sql.prepare("select count(*) as n from (select distinct change_id, message_seq from ci_builds where pipeline = 'experimental' and reported_at >= ? and reported_at < ?)").get(since, until) as { n: number };
      assert.equal(r.requests, requests.n);
    } finally {
      sql.close();
    }
    assert.ok(r.jobs.every((j: Json) => j.readiness.queue === 'experimental' && j.readiness.verdict !== 'ready'), 'a few runs are not enough evidence');
  });

  it('the overview carries the short form and weekly series', async () => {
    const o = await json(['overview']);
    const jobs = new Map(o.ciHealth.jobs.map((j: Json) => [j.job, j]));
    assert.equal((jobs.get(demo.planted.stableNonVotingJob) as Json).readiness.verdict, 'ready');
    assert.equal((jobs.get(demo.planted.flakyJob) as Json).readiness.verdict, 'unstable');
    assert.equal(o.ciHealth.weekly.find((w: Json) => w.job === demo.planted.flakyJob).weeks.length, 13);
    const text = await runSteward(['overview', '--now', NOW], { cwd: dir });
    assert.match(text.stdout, /nova-ceph-multistore +non-voting +\d+ runs .* ready to vote/);
    assert.match(text.stdout, /nova-live-migration +non-voting +\d+ runs .* unstable/);
  });

  it('text and CSV forms', async () => {
    const t = await runSteward(['ci', 'voting-readiness', '--now', NOW], { cwd: dir });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /nova-ceph-multistore \(non-voting\) — READY\n {2}false-failure rate \d+\.\d% \(95% CI/);
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
    assert.match(j.stderr, /no runs of job "nova-nope" in the period\n {2}Jobs with runs in the period: .*nova-live-migration/);
    const p = await runSteward(['ci', 'voting-readiness', '--now', NOW, '--project', 'no/such'], { cwd: dir });
    assert.equal(p.code, 10);
    const f = await runSteward(['ci', 'experimental', '--now', NOW, '--format', 'xml'], { cwd: dir });
    assert.equal(f.code, 2);
  });
});
