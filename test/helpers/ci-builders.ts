/**
 * Builders for CI-health records in tests: hand-built histories where the right answer is known.
 * Times are minutes after T0 (`at(m)`) so a test reads as a timeline.
 */
import type { CiChangeRecord, CiReportedBuildRecord, CiZuulBuildRecord } from '../../src/model/ci.js';
import type { PatchSetKind } from '../../src/model/records.js';
import type { CiRun } from '../../src/analysis/ci-match.js';

export const CI_T0 = Date.UTC(2026, 9, 5, 0, 0, 0); // a Monday
export const MIN = 60_000;
export const at = (minutes: number): number => CI_T0 + minutes * MIN;

/** A change with `patchSets` (kinds; the first is REWORK), created an hour apart from T0. */
export function ciChange(id: number, over: Partial<CiChangeRecord> & { kinds?: Array<PatchSetKind | null> } = {}): CiChangeRecord {
  const { kinds = ['REWORK'], ...rest } = over;
  return {
    id,
    host: 'review.example.org',
    hostUrl: 'https://review.example.org',
    project: 'openstack/nova',
    number: 880000 + id,
    status: 'NEW',
    mergedAt: null,
    patchSets: kinds.map((kind, i) => ({ number: i + 1, kind, created: CI_T0 + i * 60 * MIN })),
    approvals: [],
    ...rest,
  };
}

let seq = 0;

/**
 * A run, as mergeCiRuns produces it. `buildset` defaults to one per (change, patch set, pipeline, minute),
 * so runs given the same `at` on the same patch set and pipeline form one buildset.
 */
export function ciRun(over: Partial<CiRun> & { changeId: number; job: string; at: number }): CiRun {
  const patchSet = over.patchSet ?? 1;
  const pipeline = over.pipeline === undefined ? 'check' : over.pipeline;
  seq += 1;
  return {
    id: `run${seq}`,
    patchSet,
    pipeline,
    result: 'SUCCESS',
    voting: true,
    durationSeconds: 600,
    startedAt: null,
    endedAt: null,
    reportedAt: over.at,
    logUrl: `https://logs.example.org/${seq}/`,
    uuid: null,
    buildset: `bs:${over.changeId}/${patchSet}/${pipeline}/${over.at}`,
    source: 'message',
    ...over,
  };
}

export function reportedBuild(over: Partial<CiReportedBuildRecord> = {}): CiReportedBuildRecord {
  return {
    changeId: 1,
    messageSeq: 3,
    patchSet: 1,
    pipeline: 'check',
    job: 'tox-py3',
    result: 'SUCCESS',
    voting: true,
    durationSeconds: 600,
    logUrl: 'https://zuul.example.org/build/from-message',
    reportedAt: at(60),
    reporterId: 9,
    ...over,
  };
}

export function zuulBuild(over: Partial<CiZuulBuildRecord> = {}): CiZuulBuildRecord {
  return {
    changeId: 1,
    uuid: 'z1',
    patchSet: 1,
    pipeline: 'check',
    job: 'tox-py3',
    result: 'SUCCESS',
    voting: true,
    startTime: at(10),
    endTime: at(30),
    durationSeconds: 1200,
    logUrl: 'https://logs.example.org/z1/',
    buildset: 'bs1',
    ...over,
  };
}
