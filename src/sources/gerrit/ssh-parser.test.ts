import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StewardError } from '../../model/errors.js';
import { parseRestChange } from './rest-parser.js';
import { isSshStatsRow, parseSshChange } from './ssh-parser.js';
import { formatRestTimestamp } from './time.js';

// ---- builders: rows of `gerrit query --format=JSON --all-approvals --comments --patch-sets --files` ----

const T0 = 1_400_000_000; // epoch seconds, 2014-05-13
const HOUR = 3600;
const s = (h: number): number => T0 + h * HOUR;
const ms = (h: number): number => s(h) * 1000;

const alice = { name: 'Alice Owner', email: 'alice@example.com', username: 'alice' };
const bob = { name: 'Bob Core', email: 'bob@example.com', username: 'bob' };
const carol = { name: 'Carol Core', email: 'carol@example.com', username: 'carol' };
const jenkins = { name: 'Jenkins', username: 'jenkins' };

const COMMIT_MESSAGE = 'Fix instance leak on resize revert\n\nFixes bug 1310000.\n\nChange-Id: I2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e\n';

function patchSet(n: number, createdH: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    number: String(n),
    revision: String(n).repeat(40),
    parents: ['f'.repeat(40)],
    ref: `refs/changes/00/93000/${n}`,
    uploader: alice,
    createdOn: s(createdH),
    author: alice,
    isDraft: false,
    kind: n === 1 ? 'REWORK' : 'TRIVIAL_REBASE',
    approvals: [],
    files: [
      { file: '/COMMIT_MSG', type: 'ADDED', insertions: 9, deletions: 0 },
      { file: 'nova/compute/manager.py', type: 'MODIFIED', insertions: 12, deletions: -4 },
      { file: 'nova/tests/compute/test_compute.py', type: 'MODIFIED', insertions: 30, deletions: 0 },
    ],
    sizeInsertions: 42,
    sizeDeletions: -4,
    ...extra,
  };
}

function comment(reviewer: unknown, h: number, message: string): Record<string, unknown> {
  return { timestamp: s(h), reviewer, message };
}

/** A merged 2014-era Nova change: old labels, Jenkins reports, a vote Gerrit copied on rebase. */
function makeSshChange(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: 'openstack/nova',
    branch: 'master',
    topic: 'bug/1310000',
    id: 'I2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e',
    number: '93000',
    subject: 'Fix instance leak on resize revert',
    owner: alice,
    url: 'https://review.openstack.org/93000',
    commitMessage: COMMIT_MESSAGE,
    createdOn: s(0),
    lastUpdated: s(30),
    open: false,
    status: 'MERGED',
    comments: [
      comment(alice, 0, 'Uploaded patch set 1.'),
      comment(
        jenkins,
        1,
        'Patch Set 1: Verified+1\n\nBuild succeeded.\n\n- gate-nova-pep8 http://logs.openstack.org/00/93000/1/check/gate-nova-pep8/a1 : SUCCESS in 3m 02s\n- gate-nova-python27 http://logs.openstack.org/00/93000/1/check/gate-nova-python27/a2 : SUCCESS in 12m 48s\n',
      ),
      comment(bob, 5, 'Patch Set 1: Code-Review+2\n\nLooks good.'),
      comment(alice, 20, 'Uploaded patch set 2: Patch Set 1 was rebased.'),
      comment(carol, 25, 'Patch Set 2: Code-Review+2 Workflow+1'),
      comment(
        jenkins,
        28,
        'Patch Set 2: Verified+2\n\nBuild succeeded (gate pipeline).\n\n- gate-nova-python27 http://logs.openstack.org/00/93000/2/gate/gate-nova-python27/b1 : SUCCESS in 11m 00s\n',
      ),
      comment(jenkins, 29, 'Change has been successfully merged into the git repository.'),
    ],
    patchSets: [
      patchSet(2, 20, {
        approvals: [
          { type: 'CRVW', description: 'Code-Review', value: '2', grantedOn: s(5), by: bob },
          { type: 'Code-Review', description: 'Code-Review', value: '2', grantedOn: s(25), by: carol },
          { type: 'Workflow', description: 'Workflow', value: '1', grantedOn: s(25), by: carol },
          { type: 'Verified', description: 'Verified', value: '2', grantedOn: s(28), by: jenkins },
        ],
      }),
      patchSet(1, 0, {
        approvals: [
          { type: 'Verified', description: 'Verified', value: '1', grantedOn: s(1), by: jenkins },
          { type: 'Code-Review', description: 'Code-Review', value: '2', grantedOn: s(5), by: bob },
          { type: 'Code-Review', value: '0', grantedOn: s(6), by: carol },
        ],
      }),
    ],
    ...overrides,
  };
}

const CTX = { host: 'review.openstack.org', where: 'nova.jsonl', line: 7 };

function expectFormatError(fn: () => unknown, message: RegExp, field?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof StewardError);
    assert.equal(e.code, 'INPUT_FORMAT');
    assert.match(e.message, message);
    assert.equal(e.details.where, 'nova.jsonl');
    assert.equal(e.details.line, 7);
    if (field !== undefined) assert.equal(e.details.field, field);
    assert.ok(e.details.hint);
    return true;
  });
}

// ---- tests ----

describe('parseSshChange: change fields', () => {
  it('maps the change-level fields', () => {
    const c = parseSshChange(makeSshChange(), CTX);
    assert.equal(c.host, 'review.openstack.org');
    assert.equal(c.number, 93000);
    assert.equal(c.changeId, 'I2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e');
    assert.deepEqual(c.owner, { username: 'alice', name: 'Alice Owner', email: 'alice@example.com' });
    assert.equal(c.status, 'MERGED');
    assert.equal(c.created, ms(0));
    assert.equal(c.updated, ms(30));
    assert.equal(c.topic, 'bug/1310000');
    assert.deepEqual(c.hashtags, []);
    assert.equal(c.commitMessage, COMMIT_MESSAGE);
    assert.deepEqual(c.links, [
      { kind: 'closes-bug', target: '1310000' },
      { kind: 'topic-bug', target: '1310000' },
    ]);
  });

  it('dates submission by the merge message', () => {
    assert.equal(parseSshChange(makeSshChange(), CTX).submitted, ms(29));
    assert.equal(parseSshChange(makeSshChange({ status: 'ABANDONED' }), CTX).submitted, null);
    assert.equal(parseSshChange(makeSshChange({ comments: [] }), CTX).submitted, null);
  });

  it('reads files without magic paths and with non-negative deletions', () => {
    const c = parseSshChange(makeSshChange(), CTX);
    assert.deepEqual(c.files, [
      { path: 'nova/compute/manager.py', insertions: 12, deletions: 4 },
      { path: 'nova/tests/compute/test_compute.py', insertions: 30, deletions: 0 },
    ]);
    assert.equal(c.insertions, 42);
    assert.equal(c.deletions, 4);
  });

  it('builds patch sets sorted by number, the author dated at creation', () => {
    const c = parseSshChange(makeSshChange(), CTX);
    assert.deepEqual(c.patchSets[0], {
      number: 1,
      revision: '1'.repeat(40),
      created: ms(0),
      uploader: { username: 'alice', name: 'Alice Owner', email: 'alice@example.com' },
      author: { name: 'Alice Owner', email: 'alice@example.com', date: ms(0) },
      kind: 'REWORK',
      insertions: 42,
      deletions: 4,
    });
    assert.deepEqual(
      c.patchSets.map((p) => [p.number, p.kind, p.created]),
      [
        [1, 'REWORK', ms(0)],
        [2, 'TRIVIAL_REBASE', ms(20)],
      ],
    );
  });

  it('uses sizeInsertions/sizeDeletions when a patch set has no files', () => {
    const raw = makeSshChange({
      patchSets: [patchSet(1, 0, { files: undefined, sizeInsertions: 17, sizeDeletions: -6, author: undefined })],
    });
    const c = parseSshChange(raw, CTX);
    assert.deepEqual(c.files, []);
    assert.equal(c.insertions, 17);
    assert.equal(c.deletions, 6);
    assert.equal(c.patchSets[0]?.author, null);
  });

  it('falls back to currentPatchSet when patchSets is absent', () => {
    const raw = makeSshChange({ patchSets: undefined, currentPatchSet: patchSet(3, 10) });
    const c = parseSshChange(raw, CTX);
    assert.deepEqual(
      c.patchSets.map((p) => p.number),
      [3],
    );
  });

  it('maps DRAFT to NEW and reads wip, private, hashtags and a numeric change number', () => {
    const c = parseSshChange(
      makeSshChange({ status: 'DRAFT', wip: true, private: true, hashtags: ['a', 3], number: 93000, topic: '' }),
      CTX,
    );
    assert.equal(c.status, 'NEW');
    assert.equal(c.workInProgress, true);
    assert.equal(c.isPrivate, true);
    assert.deepEqual(c.hashtags, ['a']);
    assert.equal(c.number, 93000);
    assert.equal(c.topic, null);
  });
});

describe('parseSshChange: messages, votes and CI builds', () => {
  it('classifies messages and takes their patch set from the text, else the one current at the message date', () => {
    const c = parseSshChange(makeSshChange(), CTX);
    assert.deepEqual(
      c.messages.map((m) => [m.seq, m.patchSet, m.author?.username, m.tag, m.kind]),
      [
        [0, 1, 'alice', null, 'upload'],
        [1, 1, 'jenkins', null, 'ci-report'],
        [2, 1, 'bob', null, 'review'],
        [3, 2, 'alice', null, 'upload'],
        [4, 2, 'carol', null, 'review'],
        [5, 2, 'jenkins', null, 'ci-report'],
        [6, 2, 'jenkins', null, 'system'],
      ],
    );
  });

  it('adds per-patch-set approvals that no message accounts for, matching voters by username', () => {
    const c = parseSshChange(makeSshChange(), CTX);
    assert.deepEqual(
      c.votes.map((v) => [v.patchSet, v.label, v.value, v.voter.username, v.origin, v.copied, v.grantedAt]),
      [
        [1, 'Verified', 1, 'jenkins', 'message', false, ms(1)],
        [1, 'Code-Review', 2, 'bob', 'message', false, ms(5)],
        [2, 'Code-Review', 2, 'bob', 'approval', true, ms(5)],
        [2, 'Code-Review', 2, 'carol', 'message', false, ms(25)],
        [2, 'Workflow', 1, 'carol', 'message', false, ms(25)],
        [2, 'Verified', 2, 'jenkins', 'message', false, ms(28)],
      ],
    );
  });

  it('matches voters by email, then name, when usernames are missing', () => {
    const noUser = { name: 'Dan Reviewer', email: 'dan@example.com' };
    const nameOnly = { name: 'Eve Reviewer' };
    const raw = makeSshChange({
      comments: [comment(noUser, 3, 'Patch Set 1: Code-Review+1'), comment(nameOnly, 4, 'Patch Set 1: Code-Review-1')],
      patchSets: [
        patchSet(1, 0, {
          approvals: [
            { type: 'Code-Review', value: '1', grantedOn: s(3), by: { ...noUser, username: undefined } },
            { type: 'Code-Review', value: '-1', grantedOn: s(4), by: nameOnly },
            { type: 'Code-Review', value: 'x', grantedOn: s(4), by: bob },
            { type: 'Code-Review', value: '1', grantedOn: 'later', by: bob },
            'junk',
          ],
        }),
      ],
    });
    const c = parseSshChange(raw, CTX);
    assert.deepEqual(
      c.votes.map((v) => [v.voter.name, v.value, v.origin]),
      [
        ['Dan Reviewer', 1, 'message'],
        ['Eve Reviewer', -1, 'message'],
      ],
    );
  });

  it("marks the owner's own votes", () => {
    const raw = makeSshChange({ comments: [comment(alice, 3, 'Patch Set 1: Workflow-1')] });
    const c = parseSshChange(raw, CTX);
    assert.equal(c.votes.find((v) => v.voter.username === 'alice')?.selfVote, true);
    assert.equal(c.votes.find((v) => v.voter.username === 'bob')?.selfVote, false);
  });

  it('makes CI builds from Jenkins and Zuul v2 reports', () => {
    const c = parseSshChange(makeSshChange(), CTX);
    assert.deepEqual(
      c.ciBuilds.map((b) => [b.patchSet, b.pipeline, b.job, b.result, b.durationSeconds, b.reporter?.username, b.messageSeq, b.reportedAt]),
      [
        [1, null, 'gate-nova-pep8', 'SUCCESS', 182, 'jenkins', 1, ms(1)],
        [1, null, 'gate-nova-python27', 'SUCCESS', 768, 'jenkins', 1, ms(1)],
        [2, 'gate', 'gate-nova-python27', 'SUCCESS', 660, 'jenkins', 5, ms(28)],
      ],
    );
  });
});

describe('parseSshChange: stats row and errors', () => {
  it('recognises the stats row', () => {
    assert.equal(isSshStatsRow({ type: 'stats', rowCount: 500, runTimeMilliseconds: 120, moreChanges: true }), true);
    assert.equal(isSshStatsRow(makeSshChange()), false);
    assert.equal(isSshStatsRow(null), false);
    assert.equal(isSshStatsRow('stats'), false);
    expectFormatError(() => parseSshChange({ type: 'stats', rowCount: 1 }, CTX), /is the query's "stats" row, not a change/);
  });

  it('names the missing patch sets and how to export them', () => {
    expectFormatError(
      () => parseSshChange(makeSshChange({ patchSets: undefined }), CTX),
      /^change 93000: field `patchSets` is missing: a change needs at least one patch set \(export with --patch-sets\)$/,
      'patchSets',
    );
    expectFormatError(() => parseSshChange(makeSshChange({ patchSets: [] }), CTX), /field `patchSets` is empty/);
  });

  it('rejects missing or wrong-typed required fields', () => {
    expectFormatError(() => parseSshChange('{"number":1}', CTX), /^change: expected a change object, got "/);
    expectFormatError(
      () => parseSshChange(makeSshChange({ number: 'abc' }), CTX),
      /^change: field `number` must be a positive integer, got "abc"$/,
      'number',
    );
    expectFormatError(() => parseSshChange(makeSshChange({ id: undefined }), CTX), /^change 93000: field `id` is missing/);
    expectFormatError(() => parseSshChange(makeSshChange({ createdOn: '2014-05-13' }), CTX), /field `createdOn` must be epoch seconds/);
    expectFormatError(() => parseSshChange(makeSshChange({ lastUpdated: undefined }), CTX), /field `lastUpdated` is missing/);
    expectFormatError(() => parseSshChange(makeSshChange({ owner: 'alice' }), CTX), /field `owner` must be an account object, got "alice"/);
    expectFormatError(() => parseSshChange(makeSshChange({ status: undefined }), CTX), /field `status` is missing/);
  });

  it('names the patch set or comment at fault', () => {
    expectFormatError(
      () => parseSshChange(makeSshChange({ patchSets: [patchSet(1, 0), patchSet(2, 1, { createdOn: null })] }), CTX),
      /field `patchSets\[1\]\.createdOn` must be epoch seconds/,
      'patchSets[1].createdOn',
    );
    expectFormatError(
      () => parseSshChange(makeSshChange({ patchSets: [patchSet(1, 0, { revision: 5 })] }), CTX),
      /`patchSets\[0\]\.revision` must be a commit id/,
    );
    expectFormatError(
      () => parseSshChange(makeSshChange({ comments: [comment(bob, 1, 'x'), { reviewer: bob, message: 'y' }] }), CTX),
      /`comments\[1\]\.timestamp` is missing/,
    );
    expectFormatError(() => parseSshChange(makeSshChange({ comments: {} }), CTX), /`comments` must be an array/);
  });
});

describe('REST and SSH agree', () => {
  it('give the same messages, votes and builds for the same change (accounts aside)', () => {
    const toRest = (a: { name: string; email?: string; username: string }, id: number) => ({ _account_id: id, ...a });
    const ids: Record<string, number> = { alice: 1, bob: 2, carol: 3, jenkins: 4 };
    const ssh = makeSshChange();
    const rest = {
      project: ssh.project,
      branch: ssh.branch,
      topic: ssh.topic,
      change_id: ssh.id,
      subject: ssh.subject,
      status: ssh.status,
      created: formatRestTimestamp(ms(0)),
      updated: formatRestTimestamp(ms(30)),
      _number: 93000,
      owner: toRest(alice, 1),
      labels: {
        'Code-Review': {
          all: [
            { ...toRest(bob, 2), value: 2, date: formatRestTimestamp(ms(5)) },
            { ...toRest(carol, 3), value: 2, date: formatRestTimestamp(ms(25)) },
          ],
        },
        Workflow: { all: [{ ...toRest(carol, 3), value: 1, date: formatRestTimestamp(ms(25)) }] },
        Verified: { all: [{ ...toRest(jenkins, 4), value: 2, date: formatRestTimestamp(ms(28)) }] },
      },
      messages: (ssh.comments as Array<{ timestamp: number; reviewer: typeof alice; message: string }>).map((m, i) => ({
        id: `m${i}`,
        author: toRest(m.reviewer, ids[m.reviewer.username] ?? 0),
        date: formatRestTimestamp(m.timestamp * 1000),
        message: m.message,
      })),
      current_revision: '2'.repeat(40),
      revisions: Object.fromEntries(
        (ssh.patchSets as Array<Record<string, unknown>>).map((p) => [
          p.revision,
          {
            _number: Number(p.number),
            kind: p.kind,
            created: formatRestTimestamp((p.createdOn as number) * 1000),
            uploader: toRest(alice, 1),
            commit: {
              parents: [],
              author: { ...alice, date: formatRestTimestamp((p.createdOn as number) * 1000) },
              committer: { ...alice, date: '' },
              subject: ssh.subject,
              message: COMMIT_MESSAGE,
            },
            files: Object.fromEntries(
              (p.files as Array<{ file: string; insertions: number; deletions: number }>).map((f) => [
                f.file,
                { lines_inserted: f.insertions, lines_deleted: Math.abs(f.deletions) },
              ]),
            ),
          },
        ]),
      ),
    };
    const a = parseSshChange(ssh, CTX);
    const b = parseRestChange(rest, CTX);
    const strip = <T extends object>(rows: T[]): unknown[] =>
      rows.map(
        (r) =>
          JSON.parse(JSON.stringify(r, (k, v) => (['voter', 'author', 'reporter', 'uploader'].includes(k) ? undefined : v))) as unknown,
      );
    assert.deepEqual(strip(a.votes), strip(b.votes));
    assert.deepEqual(strip(a.messages), strip(b.messages));
    assert.deepEqual(strip(a.ciBuilds), strip(b.ciBuilds));
    assert.deepEqual(strip(a.patchSets), strip(b.patchSets));
    assert.deepEqual(
      [a.insertions, a.deletions, a.files, a.links, a.submitted],
      [b.insertions, b.deletions, b.files, b.links, b.submitted],
    );
  });
});
