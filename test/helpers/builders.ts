/** Builders for domain records in tests: sensible defaults, override what the test is about. */
import type { AccountRef, ChangeRecord, CiBuild, PatchSet, ReviewMessage, Vote } from '../../src/model/records.js';

export const T0 = Date.UTC(2015, 3, 1, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const alice: AccountRef = { accountId: 1001, username: 'alice', name: 'Alice Author', email: 'alice@example.org' };
export const bob: AccountRef = { accountId: 1002, username: 'bob', name: 'Bob Core', email: 'bob@example.org' };
export const carol: AccountRef = { accountId: 1003, username: 'carol', name: 'Carol Reviewer', email: 'carol@example.org' };
export const zuul: AccountRef = { accountId: 9, username: 'zuul', name: 'Zuul', email: 'zuul@example.org' };

export function makePatchSet(n: number, over: Partial<PatchSet> = {}): PatchSet {
  return {
    number: n,
    revision: `${n}`.padStart(40, 'a'),
    created: T0 + (n - 1) * DAY,
    uploader: alice,
    author: null,
    kind: n === 1 ? 'REWORK' : 'REWORK',
    insertions: 10,
    deletions: 2,
    ...over,
  };
}

export function makeVote(over: Partial<Vote> = {}): Vote {
  return {
    patchSet: 1,
    label: 'Code-Review',
    value: 1,
    voter: carol,
    grantedAt: T0 + HOUR,
    origin: 'message',
    copied: false,
    selfVote: false,
    ...over,
  };
}

export function makeMessage(seq: number, over: Partial<ReviewMessage> = {}): ReviewMessage {
  return {
    seq,
    patchSet: 1,
    author: carol,
    date: T0 + HOUR * (seq + 1),
    text: 'Patch Set 1:\n\nLooks fine.',
    tag: null,
    kind: 'comment',
    ...over,
  };
}

export function makeBuild(over: Partial<CiBuild> = {}): CiBuild {
  return {
    patchSet: 1,
    pipeline: 'check',
    job: 'tox-py3',
    result: 'SUCCESS',
    voting: true,
    durationSeconds: 300,
    logUrl: 'https://zuul.example.org/build/1',
    reportedAt: T0 + 2 * HOUR,
    reporter: zuul,
    messageSeq: 1,
    ...over,
  };
}

export function makeChange(number: number, over: Partial<ChangeRecord> = {}): ChangeRecord {
  return {
    host: 'review.example.org',
    project: 'demo/compute',
    branch: 'master',
    number,
    changeId: `I${String(number).padStart(40, '0')}`,
    owner: alice,
    subject: `Change ${number}`,
    status: 'NEW',
    workInProgress: false,
    isPrivate: false,
    created: T0,
    updated: T0 + DAY,
    submitted: null,
    topic: null,
    hashtags: [],
    insertions: 10,
    deletions: 2,
    files: [{ path: 'nova/compute/manager.py', insertions: 10, deletions: 2 }],
    commitMessage: `Change ${number}\n\nCloses-Bug: #123\nChange-Id: I${String(number).padStart(40, '0')}\n`,
    patchSets: [makePatchSet(1)],
    votes: [makeVote()],
    messages: [
      makeMessage(0, { author: alice, text: 'Uploaded patch set 1.', kind: 'upload', date: T0 }),
      makeMessage(1, {
        author: zuul,
        text: 'Patch Set 1: Verified+1\n\nBuild succeeded (check pipeline).',
        kind: 'ci-report',
        date: T0 + 2 * HOUR,
      }),
    ],
    links: [{ kind: 'closes-bug', target: '123' }],
    ciBuilds: [makeBuild()],
    ...over,
  };
}
