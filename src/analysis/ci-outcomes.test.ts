import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, ciChange, ciRun } from '../../test/helpers/ci-builders.js';
import type { CiRun } from './ci-match.js';
import { computeCiJobs } from './ci-jobs.js';
import { classifyCiRuns, DEFAULT_PIPELINE_RULES, type ClassifiedRun } from './ci-outcomes.js';

const classOf = (out: { runs: ClassifiedRun[] }, run: CiRun) => out.runs.find((c) => c.run === run)!;

describe('false failures', () => {
  it('(a) a recheck that passes shows the failure false; the recheck is attributed to the failed job', () => {
    const change = ciChange(1, { status: 'ABANDONED' });
    const pep8 = ciRun({ changeId: 1, job: 'pep8', at: at(30) });
    const py = ciRun({ changeId: 1, job: 'py3', at: at(30), result: 'FAILURE' });
    const pep8b = ciRun({ changeId: 1, job: 'pep8', at: at(200) });
    const pyb = ciRun({ changeId: 1, job: 'py3', at: at(200) });
    const out = classifyCiRuns([pep8, py, pep8b, pyb], [change]);
    assert.equal(classOf(out, py).class, 'false-failure');
    assert.deepEqual(classOf(out, py).reasons, ['passed-later']);
    assert.equal(classOf(out, py).knownFine, false, 'not merged: the code is not known fine for every job');
    assert.equal(out.rechecks.length, 1);
    assert.deepEqual(out.rechecks[0]!.after?.failedJobs, ['py3']);
    assert.equal(out.rechecks[0]!.buildset, pyb.buildset);
  });

  it('a pass before the failure is not a later pass: the failure stays unexplained', () => {
    const change = ciChange(1, { status: 'ABANDONED' });
    const pass = ciRun({ changeId: 1, job: 'py3', at: at(30) });
    const fail = ciRun({ changeId: 1, job: 'py3', at: at(200), result: 'FAILURE' });
    assert.equal(classOf(classifyCiRuns([pass, fail], [change]), fail).class, 'unexplained-failure');
  });

  it('(b) the patch set merged unchanged, even through a trivial rebase; a reworked patch set did not', () => {
    const merged = ciChange(1, { kinds: ['REWORK', 'TRIVIAL_REBASE'], status: 'MERGED', mergedAt: at(500) });
    const nvOnPs1 = ciRun({ changeId: 1, job: 'live-migration', voting: false, at: at(30), result: 'FAILURE' });
    const out = classifyCiRuns([nvOnPs1], [merged]);
    assert.deepEqual(classOf(out, nvOnPs1).reasons, ['merged-unchanged']);
    assert.equal(classOf(out, nvOnPs1).knownFine, true);

    const reworked = ciChange(2, { kinds: ['REWORK', 'REWORK'], status: 'MERGED', mergedAt: at(500) });
    const nvOnOld = ciRun({ changeId: 2, job: 'live-migration', voting: false, at: at(30), result: 'FAILURE' });
    const out2 = classifyCiRuns([nvOnOld], [reworked]);
    assert.equal(classOf(out2, nvOnOld).class, 'unexplained-failure');
    assert.equal(classOf(out2, nvOnOld).knownFine, false);
  });

  it('(c) a gate failure of an approved change; without an approval it is not false by that rule', () => {
    const approved = ciChange(1, { approvals: [{ patchSet: 1, at: at(100) }] });
    const gate = ciRun({ changeId: 1, job: 'py3', pipeline: 'gate', at: at(160), result: 'TIMED_OUT' });
    const out = classifyCiRuns([gate], [approved]);
    assert.deepEqual(classOf(out, gate).reasons, ['gate-approved']);
    assert.equal(classOf(out, gate).knownFine, true);

    const approvedLater = ciChange(2, { approvals: [{ patchSet: 1, at: at(300) }] });
    const early = ciRun({ changeId: 2, job: 'py3', pipeline: 'gate', at: at(160), result: 'FAILURE' });
    assert.equal(classOf(classifyCiRuns([early], [approvedLater]), early).class, 'unexplained-failure');
  });

  it('SKIPPED, ABORTED and merge failures are not counted at all', () => {
    const change = ciChange(1);
    const runs = ['SKIPPED', 'ABORTED', 'MERGER_FAILURE', 'CANCELED'].map((result, i) =>
      ciRun({ changeId: 1, job: `j${i}`, at: at(10), result }),
    );
    const out = classifyCiRuns(runs, [change]);
    assert.ok(out.runs.every((c) => c.class === 'not-counted'));
  });

  it('an open change whose patch set was not revised: the failure is pending', () => {
    const change = ciChange(1);
    const fail = ciRun({ changeId: 1, job: 'live-migration', voting: false, at: at(30), result: 'FAILURE' });
    const c = classOf(classifyCiRuns([fail], [change]), fail);
    assert.equal(c.class, 'unexplained-failure');
    assert.equal(c.pending, true);
  });
});

describe('caught regressions', () => {
  /** PS1: voting jobs as given, the non-voting job fails; PS2 (revised): everything passes. */
  function history(opts: { votingOnPs1?: string; ps2Kind?: 'REWORK' | 'TRIVIAL_REBASE'; nvOnPs2?: string } = {}) {
    const change = ciChange(1, { kinds: ['REWORK', opts.ps2Kind ?? 'REWORK'], status: 'MERGED', mergedAt: at(900) });
    const runs = [
      ciRun({ changeId: 1, job: 'pep8', at: at(30) }),
      ciRun({ changeId: 1, job: 'py3', at: at(30), result: opts.votingOnPs1 ?? 'SUCCESS' }),
      ciRun({ changeId: 1, job: 'ceph', voting: false, at: at(30), result: 'FAILURE' }),
      ciRun({ changeId: 1, job: 'pep8', patchSet: 2, at: at(300) }),
      ciRun({ changeId: 1, job: 'py3', patchSet: 2, at: at(300) }),
      ciRun({ changeId: 1, job: 'ceph', voting: false, patchSet: 2, at: at(300), result: opts.nvOnPs2 ?? 'SUCCESS' }),
    ];
    return { change, runs, failed: runs[2]!, fix: runs[5]! };
  }

  it('failed while every voting job passed, the change was revised, the revision passed: caught, with the fixing run', () => {
    const { change, runs, failed, fix } = history();
    const out = classifyCiRuns(runs, [change]);
    const c = classOf(out, failed);
    assert.equal(c.class, 'caught-regression');
    assert.equal(c.fixedBy, fix);
    const checks = out.revisionChecks.filter((rc) => rc.job === 'ceph');
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.caught, true);
    // The voting jobs passed before and after the revision: a revision check for them too, nothing caught.
    assert.deepEqual(
      out.revisionChecks
        .filter((rc) => rc.job !== 'ceph')
        .map((rc) => [rc.job, rc.caught])
        .sort(),
      [
        ['pep8', false],
        ['py3', false],
      ],
    );
  });

  it('not caught when a voting job failed too, when the next patch set is the same code, or when the revision failed', () => {
    for (const [name, opts] of [
      ['a voting job failed too', { votingOnPs1: 'FAILURE' }],
      ['trivial rebase', { ps2Kind: 'TRIVIAL_REBASE' as const }],
      ['the revision failed', { nvOnPs2: 'FAILURE' }],
    ] as const) {
      const { change, runs, failed } = history(opts);
      const out = classifyCiRuns(runs, [change]);
      assert.notEqual(classOf(out, failed).class, 'caught-regression', name);
      assert.equal(
        out.revisionChecks.some((rc) => rc.job === 'ceph' && rc.caught),
        false,
        name,
      );
    }
    // On a trivial rebase that passed, the failure was of the same code that then passed: false.
    const { change, runs, failed } = history({ ps2Kind: 'TRIVIAL_REBASE' });
    assert.deepEqual(classOf(classifyCiRuns(runs, [change]), failed).reasons, ['passed-later', 'merged-unchanged']);
  });

  it('the jobs report counts caught regressions beside its failures on fine code, with links', () => {
    const { change, runs } = history();
    const report = computeCiJobs(
      { outcomes: classifyCiRuns(runs, [change]), changes: [change] },
      { since: at(0), until: at(1000), now: at(1000), rules: DEFAULT_PIPELINE_RULES },
    );
    const ceph = report.jobs.find((j) => j.job === 'ceph')!;
    assert.equal(ceph.voting, false);
    assert.equal(ceph.caughtRegressions, 1);
    assert.equal(ceph.revisionChecks, 1);
    // One revision check (caught) against its only known-fine run (PS2, merged, passed): far too little to call.
    assert.deepEqual(
      [ceph.caught.onFixedCode, ceph.caught.onFineCode],
      [
        { failures: 1, runs: 1, changes: 1 },
        { failures: 0, runs: 1, changes: 1 },
      ],
    );
    assert.equal(ceph.caught.verdict, 'no-more-than-chance');
    assert.equal(ceph.evidence.caughtRegressions[0]!.failed.url, 'https://review.example.org/c/openstack/nova/+/880001/1');
    assert.equal(ceph.evidence.caughtRegressions[0]!.fixedBy.url, 'https://review.example.org/c/openstack/nova/+/880001/2');
  });
});

describe('rates', () => {
  it('failure rate over counted runs; false-failure rate over known-fine runs; intervals; weekly series', () => {
    // Ten merged changes; the job fails once on each of two of them (then a recheck passes) and once on an abandoned one.
    const changes = Array.from({ length: 11 }, (_, i) =>
      ciChange(i + 1, i < 10 ? { status: 'MERGED', mergedAt: at(2000) } : { status: 'ABANDONED' }),
    );
    const runs: CiRun[] = [];
    for (let i = 1; i <= 10; i++) {
      if (i <= 2) runs.push(ciRun({ changeId: i, job: 'tempest', at: at(10 * i), result: 'FAILURE' }));
      runs.push(ciRun({ changeId: i, job: 'tempest', at: at(10 * i + 500) }));
    }
    runs.push(ciRun({ changeId: 11, job: 'tempest', at: at(50), result: 'POST_FAILURE' }));
    runs.push(ciRun({ changeId: 11, job: 'tempest', at: at(60), result: 'SKIPPED' }));
    const report = computeCiJobs(
      { outcomes: classifyCiRuns(runs, changes), changes },
      { since: at(0), until: at(3000), now: at(3000), rules: DEFAULT_PIPELINE_RULES },
    );
    const t = report.jobs[0]!;
    assert.deepEqual(
      { runs: t.runs, notCounted: t.notCounted, passes: t.passes, failures: t.failures },
      { runs: 13, notCounted: 1, passes: 10, failures: 3 },
    );
    assert.deepEqual(t.failuresByResult, { FAILURE: 2, POST_FAILURE: 1 });
    assert.equal(t.failureRate.rate, round4(3 / 13));
    assert.equal(t.falseFailures, 2);
    assert.deepEqual(t.falseFailuresBy, { 'passed-later': 2, 'merged-unchanged': 2, 'gate-approved': 0 });
    assert.deepEqual({ count: t.falseFailureRate.count, of: t.falseFailureRate.of }, { count: 2, of: 12 });
    assert.ok(t.falseFailureRate.ci95!.low < 2 / 12 && t.falseFailureRate.ci95!.high > 2 / 12);
    assert.equal(t.unexplainedFailures, 1);
    assert.equal(t.evidence.falseFailures.length, 2);
    assert.equal(t.weekly.length, 1);
    assert.equal(t.weekly[0]!.week, '2026-W41');
    assert.deepEqual(
      { runs: t.weekly[0]!.runs, fine: t.weekly[0]!.knownFineRuns, ff: t.weekly[0]!.knownFineFailures },
      { runs: 13, fine: 12, ff: 2 },
    );
  });
});

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
