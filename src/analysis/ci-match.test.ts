import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, reportedBuild, zuulBuild } from '../../test/helpers/ci-builders.js';
import { mergeCiRuns } from './ci-match.js';

describe('matching Zuul builds to report messages', () => {
  it('one run when both sources know a build: Zuul fields, the report date, the message buildset', () => {
    const { runs, matched, zuulOnly, messageOnly } = mergeCiRuns(
      [reportedBuild({ reportedAt: at(70), durationSeconds: 1190 })],
      [zuulBuild({ endTime: at(30), uuid: 'abc', logUrl: 'https://logs.example.org/abc/' })],
    );
    assert.deepEqual({ n: runs.length, matched, zuulOnly, messageOnly }, { n: 1, matched: 1, zuulOnly: 0, messageOnly: 0 });
    const r = runs[0]!;
    assert.equal(r.source, 'both');
    assert.equal(r.uuid, 'abc');
    assert.equal(r.id, 'zuul:abc');
    assert.equal(r.logUrl, 'https://logs.example.org/abc/');
    assert.equal(r.durationSeconds, 1200, "Zuul's duration wins");
    assert.equal(r.at, at(30), "the run's time is Zuul's end time");
    assert.equal(r.reportedAt, at(70));
    assert.equal(r.buildset, 'msg:1/3');
  });

  it('a recheck: two reports and two builds pair up in order, never crossed', () => {
    const { runs, matched } = mergeCiRuns(
      [reportedBuild({ messageSeq: 3, reportedAt: at(60), result: 'FAILURE' }), reportedBuild({ messageSeq: 5, reportedAt: at(200) })],
      [
        zuulBuild({ uuid: 'first', endTime: at(50), result: 'FAILURE' }),
        zuulBuild({ uuid: 'second', startTime: at(150), endTime: at(190) }),
      ],
    );
    assert.equal(matched, 2);
    assert.deepEqual(
      runs.map((r) => [r.uuid, r.result, r.buildset]),
      [
        ['first', 'FAILURE', 'msg:1/3'],
        ['second', 'SUCCESS', 'msg:1/5'],
      ],
    );
  });

  it('a report takes the build that ended last before it; an unreported build is a run of its own', () => {
    // Zuul ran the job twice (the first buildset was superseded and never reported).
    const { runs, matched, zuulOnly } = mergeCiRuns(
      [reportedBuild({ reportedAt: at(100) })],
      [
        zuulBuild({ uuid: 'superseded', endTime: at(40), buildset: 'old' }),
        zuulBuild({ uuid: 'reported', endTime: at(90), buildset: 'new' }),
      ],
    );
    assert.equal(matched, 1);
    assert.equal(zuulOnly, 1);
    assert.equal(runs.find((r) => r.source === 'both')?.uuid, 'reported');
    assert.equal(runs.find((r) => r.source === 'zuul')?.buildset, 'zuul:old');
  });

  it('no match beyond the tolerance, after the report (beyond clock skew), across pipelines, jobs or patch sets', () => {
    const report = reportedBuild({ reportedAt: at(600) });
    const cases = [
      zuulBuild({ endTime: at(600 - 7 * 60) }), // 7 h before: beyond the default 6 h
      zuulBuild({ endTime: at(605) }), // after the report
      zuulBuild({ endTime: at(590), pipeline: 'gate' }),
      zuulBuild({ endTime: at(590), job: 'tox-pep8' }),
      zuulBuild({ endTime: at(590), patchSet: 2 }),
    ];
    for (const z of cases) assert.equal(mergeCiRuns([report], [z]).runs.length, 2, JSON.stringify(z));
    assert.equal(mergeCiRuns([report], [zuulBuild({ endTime: at(601) })]).matched, 1, 'a minute of clock skew is tolerated');
    assert.equal(mergeCiRuns([report], [zuulBuild({ endTime: at(600 - 7 * 60) })], { toleranceMs: 8 * 3_600_000 }).matched, 1);
  });

  it('a report that names no pipeline (old Zuul) matches a build in any pipeline', () => {
    assert.equal(mergeCiRuns([reportedBuild({ pipeline: null })], [zuulBuild({ pipeline: 'gate' })]).matched, 1);
  });

  it("Zuul builds of a reported buildset that the report did not list join the report's buildset", () => {
    const { runs } = mergeCiRuns([reportedBuild()], [zuulBuild({ uuid: 'listed' }), zuulBuild({ uuid: 'unlisted', job: 'tox-docs' })]);
    assert.deepEqual(
      runs.map((r) => r.buildset),
      ['msg:1/3', 'msg:1/3'],
    );
  });

  it('a Zuul build without any time and no report is left out, and counted', () => {
    const m = mergeCiRuns([], [zuulBuild({ startTime: null, endTime: null })]);
    assert.deepEqual({ runs: m.runs.length, undated: m.undated }, { runs: 0, undated: 1 });
  });
});
