import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CI_T0, ciChange, ciRun, MIN } from '../../test/helpers/ci-builders.js';
import type { CiChangeRecord } from '../model/ci.js';
import type { CiRun } from './ci-match.js';
import { computeCiHealth } from './ci-health.js';
import { classifyCiRuns, DEFAULT_PIPELINE_RULES } from './ci-outcomes.js';
import { computeCiExperimental, computeVotingReadiness, DEFAULT_READINESS_RULES } from './ci-readiness.js';
import { newcombeDifference } from './stats/proportions.js';

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

const WEEK = 7 * 24 * 60 * MIN;

/** A job and when it fails: (week, change index in the week) → failed? */
interface JobSpec {
  name: string;
  voting: boolean;
  fails: (week: number, i: number) => boolean;
  runsOn?: (i: number) => boolean;
  pipeline?: string;
}

/**
 * `weeks` weeks of `perWeek` changes that all merged unchanged, each with one check buildset in
 * which every job runs once: every failure is on code known to be fine.
 */
function history(weeks: number, perWeek: number, jobs: JobSpec[]) {
  const changes: CiChangeRecord[] = [];
  const runs: CiRun[] = [];
  let id = 0;
  for (let w = 0; w < weeks; w++) {
    for (let i = 0; i < perWeek; i++) {
      id += 1;
      const t = CI_T0 + w * WEEK + i * Math.floor((6 * 24 * 60) / perWeek) * MIN; // all inside the week
      changes.push({
        ...ciChange(id),
        status: 'MERGED',
        mergedAt: t + 2 * 60 * MIN,
        patchSets: [{ number: 1, kind: 'REWORK', created: t - 60 * MIN }],
      });
      for (const j of jobs) {
        if (j.runsOn && !j.runsOn(i)) continue;
        runs.push(
          ciRun({
            changeId: id,
            job: j.name,
            voting: j.voting,
            at: j.pipeline === 'experimental' ? t + 30 * MIN : t,
            pipeline: j.pipeline ?? 'check',
            result: j.fails(w, i) ? 'FAILURE' : 'SUCCESS',
          }),
        );
      }
    }
  }
  const input = { outcomes: classifyCiRuns(runs, changes, DEFAULT_PIPELINE_RULES), changes };
  const opts = { since: CI_T0, until: CI_T0 + weeks * WEEK, now: CI_T0 + weeks * WEEK, rules: DEFAULT_PIPELINE_RULES };
  return { input, opts };
}

const voting: JobSpec[] = [
  { name: 'pep8', voting: true, fails: () => false },
  { name: 'tempest', voting: true, fails: (_w, i) => i % 50 === 0 }, // 2%
];

describe('voting readiness on hand-built histories', () => {
  const { input, opts } = history(6, 200, [
    ...voting,
    { name: 'ceph', voting: false, fails: (_w, i) => i % 50 === 25 }, // 2%, never with tempest
    { name: 'live-migration', voting: false, fails: (_w, i) => i % 4 === 0 }, // 25%
    { name: 'cells', voting: false, fails: (w, i) => (w < 2 ? false : w === 2 ? i % 5 === 0 : i % 50 === 1) }, // bad in week 2 only
    { name: 'rare', voting: false, fails: () => false, runsOn: (i) => i % 20 === 0 }, // 10 runs a week
  ]);
  const report = computeVotingReadiness(input, opts, DEFAULT_READINESS_RULES);
  const job = (name: string) => report.jobs.find((j) => j.job === name)!;

  it('lists the non-voting jobs only, each with the voting baseline over its patch sets, counts beside every rate', () => {
    assert.deepEqual(
      report.jobs.map((j) => j.job),
      ['cells', 'ceph', 'live-migration', 'rare'],
    );
    const ceph = job('ceph');
    assert.deepEqual({ count: ceph.falseFailureRate.count, of: ceph.falseFailureRate.of }, { count: 24, of: 1200 });
    // pep8 never fails, tempest fails once in 50: 24 failures in 2400 voting runs.
    assert.deepEqual(
      { count: ceph.baseline?.count, of: ceph.baseline?.of, rate: ceph.baseline?.rate },
      { count: 24, of: 2400, rate: 0.01 },
    );
    assert.deepEqual(ceph.baseline?.byJob, [
      { job: 'pep8', failures: 0, runs: 1200, rate: 0 },
      { job: 'tempest', failures: 24, runs: 1200, rate: 0.02 },
    ]);
  });

  it('the difference comes with a cluster-adjusted Newcombe interval (one run per change: no inflation to speak of)', () => {
    const d = job('ceph').difference!;
    const plain = newcombeDifference(24, 1200, 24, 2400)!;
    assert.equal(d.estimate, 0.01);
    assert.deepEqual(d.changes, { job: 1200, baseline: 1200 });
    // Clusters of one run: the design effect is k/(k − 1), a hair above 1, so the interval is a hair wider than plain Newcombe's.
    assert.ok(d.designEffect.job >= 1 && d.designEffect.job < 1.01);
    assert.ok(d.low <= round4(plain.lower) && d.high >= round4(plain.upper) && d.high - plain.upper < 0.001, JSON.stringify({ d, plain }));
  });

  it('a job no worse than the voting ones by more than the margin, week after week, is ready', () => {
    const ceph = job('ceph');
    assert.equal(ceph.verdict, 'ready', ceph.reasons.join('\n'));
    assert.equal(ceph.weeksMetInARow, 6);
    assert.ok(ceph.weeks.every((w) => w.meets === true && w.knownFineRuns === 200 && w.difference!.high <= 0.05));
    // Its failures at i = 25 came with every voting job passing.
    assert.equal(ceph.extraRechecksIfVoting, 24);
    assert.match(
      ceph.reasons[0]!,
      /false-failure rate 2\.0% \(24 failures in 1200 runs.* vs voting baseline 1\.0% \(24 in 2400 runs.*difference \+1\.0 points, 95% CI .* to \+\d\.\d.*margin \+5\.0: no worse than the voting jobs by more than the margin, 6 week\(s\) in a row/,
    );
  });

  it('a week meets the bar on the upper end of its interval, not on a point estimate or a low end', () => {
    // 3 of 20 failing (15%) against a 1.6% baseline: the low end of the job's own interval is 5.2%, under a
    // "baseline + 5 points" bar, and the old rule passed such a week; the upper end of the difference is far above.
    const h = history(1, 20, [
      { name: 'pep8', voting: true, fails: () => false },
      { name: 'tempest', voting: true, fails: () => false },
      { name: 'py', voting: true, fails: (_w, i) => i === 0 },
      { name: 'x', voting: false, fails: (_w, i) => i % 7 === 3 },
    ]);
    const x = computeVotingReadiness(h.input, h.opts).jobs[0]!;
    assert.equal(x.weeks[0]!.failures, 3);
    assert.equal(x.weeks[0]!.meets, false);
    assert.ok(x.weeks[0]!.difference!.high > 0.05);
  });

  it('a job failing a quarter of the time on fine code is unstable, whatever its weeks', () => {
    const lm = job('live-migration');
    assert.equal(lm.verdict, 'unstable');
    assert.equal(lm.weeksMetInARow, 0);
    assert.ok(lm.weeks.every((w) => w.meets === false));
    assert.ok(lm.difference!.low > 0.05);
    assert.match(lm.reasons[0]!, /worse than the voting jobs by more than the margin/);
  });

  it('a job that recovered counts its weeks since, and says how many more it needs', () => {
    const cells = job('cells');
    assert.deepEqual(
      cells.weeks.map((w) => w.meets),
      [true, true, false, true, true, true],
    );
    assert.equal(cells.weeksMetInARow, 3);
    assert.equal(cells.verdict, 'not-yet');
    assert.match(cells.reasons.join('\n'), /needs 1 more week\(s\) meeting the bar in a row \(has 3, needs 4\)/);
  });

  it('a job with too few runs is not judged: not yet, needing more runs, its weeks not judged', () => {
    const rare = job('rare');
    assert.equal(rare.falseFailureRate.of, 60);
    assert.ok(rare.weeks.every((w) => w.meets === null));
    assert.equal(rare.verdict, 'not-yet');
    assert.match(rare.reasons.join('\n'), /40 more runs on code that merged \(has 60, needs 100\)/);
  });

  it('the margin is configurable: a tighter one needs a narrower interval', () => {
    const ceph = job('ceph').difference!;
    const strict = computeVotingReadiness(input, { ...opts, jobs: ['ceph'] }, { ...DEFAULT_READINESS_RULES, margin: 0.015 });
    assert.ok(ceph.high > 0.015 && ceph.low < 0.015, JSON.stringify(ceph));
    assert.equal(strict.jobs[0]!.verdict, 'not-yet');
    assert.match(strict.jobs[0]!.reasons.join('\n'), /the upper end of the interval to fall by \d\.\d points to the margin/);
    const stricter = computeVotingReadiness(input, { ...opts, jobs: ['ceph'] }, { ...DEFAULT_READINESS_RULES, margin: ceph.low / 2 });
    assert.equal(stricter.jobs[0]!.verdict, 'unstable', 'the whole interval is above a margin below its low end');
    const longer = computeVotingReadiness(input, { ...opts, jobs: ['ceph'] }, { ...DEFAULT_READINESS_RULES, weeks: 8 });
    assert.match(longer.jobs[0]!.reasons.join('\n'), /2 more week\(s\)/);
  });

  it('the baseline is taken over the same patch sets the job ran on', () => {
    const h = history(2, 50, [
      { name: 'pep8', voting: true, fails: () => false },
      { name: 'tempest', voting: true, fails: (_w, i) => i % 2 === 1 }, // fails on every odd change
      { name: 'evens', voting: false, fails: () => false, runsOn: (i) => i % 2 === 0 },
    ]);
    const evens = computeVotingReadiness(h.input, h.opts).jobs[0]!;
    assert.equal(evens.baseline?.rate, 0, 'tempest never failed on the patch sets the job ran on');
  });

  it('the overview summary carries the verdicts and weekly series', () => {
    const h = computeCiHealth(input, opts);
    assert.equal(h.votingBaseline.rate, 0.01);
    assert.equal(h.jobs.find((j) => j.job === 'ceph')?.readiness?.verdict, 'ready');
    assert.equal(h.jobs.find((j) => j.job === 'ceph')?.readiness?.differenceHigh, job('ceph').difference!.high);
    assert.equal(h.jobs.find((j) => j.job === 'pep8')?.readiness, null);
    assert.equal(h.weekly.find((w) => w.job === 'live-migration')?.weeks.length, 6);
  });
});

describe('experimental queue', () => {
  it('counts requests, and judges readiness for the check queue by the same rules', () => {
    const { input, opts } = history(2, 50, [
      ...voting,
      { name: 'multi-cell', voting: false, pipeline: 'experimental', fails: (_w, i) => i % 10 === 0, runsOn: (i) => i % 10 < 3 },
      { name: 'emulation', voting: false, pipeline: 'experimental', fails: () => false, runsOn: (i) => i % 10 < 3 },
    ]);
    const r = computeCiExperimental(input, opts);
    assert.equal(r.requests, 30, 'one request per buildset: 15 changes a week, both jobs in one buildset');
    assert.equal(r.changes, 30);
    assert.deepEqual(
      r.weekly.map((w) => w.requests),
      [15, 15],
    );
    assert.deepEqual(
      r.jobs.map((j) => j.job),
      ['emulation', 'multi-cell'],
    );
    const mc = r.jobs[1]!;
    assert.deepEqual(mc.results, { FAILURE: 10, SUCCESS: 20 });
    assert.equal(mc.readiness.queue, 'experimental');
    assert.equal(mc.readiness.verdict, 'unstable');
    assert.equal(r.jobs[0]!.readiness.verdict, 'not-yet');
    assert.match(r.jobs[0]!.readiness.reasons.join('\n'), /70 more runs/);
  });
});
