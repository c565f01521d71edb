import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  COMMIT_FORMAT,
  GRAPH_FORMAT,
  RecordSplitter,
  changeIdOf,
  parseCommitRecord,
  parseGraphRecord,
  subjectOf,
} from './git-log-parser.js';

// Recorded with `git log --no-walk=unsorted --format=<COMMIT_FORMAT / GRAPH_FORMAT> a793b96a1bfb e7ae66a65b95 0f808117`
// on nova-history-meta.bundle: a Zuul merge, a commit with Implements/Change-Id, one with a non-ASCII author.
const LOG = readFileSync(new URL('./testdata/nova-log-3.txt', import.meta.url));
const GRAPH = readFileSync(new URL('./testdata/nova-graph-3.txt', import.meta.url));

function records(bytes: Buffer, chunk: number): string[] {
  const s = new RecordSplitter();
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...s.push(bytes.subarray(i, i + chunk)));
  assert.equal(s.rest().trim(), '');
  return out;
}

describe('git log parsing (recorded nova output)', () => {
  it('uses NUL fields and record separators', () => {
    assert.match(COMMIT_FORMAT, /%x00%x1e$/);
    assert.match(GRAPH_FORMAT, /%x00%x1e$/);
  });

  it('splits records the same whatever the chunking, multi-byte characters included', () => {
    const whole = records(LOG, LOG.length);
    assert.equal(whole.length, 3);
    for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(records(LOG, size), whole);
  });

  it('keeps a record separator inside a message: a record ends only at NUL + separator', () => {
    const rec = `${'a'.repeat(40)}\u0000\u0000A\u0000a@x\u00001\u0000C\u0000c@x\u00002\u0000Odd \u001e subject\n\nbody \u001e\n\u0000\u001e\n`;
    const bytes = Buffer.from(rec + rec.replace('a'.repeat(40), 'b'.repeat(40)));
    for (const size of [1, 5, bytes.length]) {
      const got = records(bytes, size).map(parseCommitRecord);
      assert.deepEqual(
        got.map((c) => [c.sha[0], c.subject, c.message]),
        [
          ['a', 'Odd \u001e subject', 'Odd \u001e subject\n\nbody \u001e'],
          ['b', 'Odd \u001e subject', 'Odd \u001e subject\n\nbody \u001e'],
        ],
      );
    }
  });

  it('reads a Zuul merge', () => {
    const [merge] = records(LOG, 4096).map(parseCommitRecord);
    assert.deepEqual(
      {
        sha: merge!.sha,
        parents: merge!.parents,
        author: merge!.authorName,
        committer: merge!.committerName,
        subject: merge!.subject,
        changeId: merge!.changeId,
      },
      {
        sha: 'a793b96a1bfb758f5209294e549864fe9ac856e6',
        parents: ['87114476353e9eab4f8c07435c52205dca10e20e', '69c6b424ac4a1a2cf6a3e75c9fefe774270ee256'],
        author: 'Zuul',
        committer: 'Gerrit Code Review',
        subject: 'Merge "Mounting the shares as part of the initialization process"',
        changeId: null,
      },
    );
    assert.equal(merge!.committedAt, 1732539551_000);
  });

  it('reads trailers: Change-Id, Implements blueprint, bugs', () => {
    const [, change, third] = records(LOG, 4096).map(parseCommitRecord);
    assert.equal(change!.changeId, 'I44ab37ec2c15fcfc351c42216660bda39461b163');
    assert.deepEqual(change!.blueprints, [{ name: 'libvirt-virtiofs-attach-manila-shares', kind: 'implements' }]);
    assert.equal(change!.subject, 'Attach Manila shares via virtiofs (manila abstraction)');
    assert.equal(change!.authorName, 'René Ribaud');
    assert.ok(change!.message.endsWith('Change-Id: I44ab37ec2c15fcfc351c42216660bda39461b163'));
    assert.equal(third!.changeId, 'Ie8f2d8bd5875748397c9381f9a6d64b3b7f6c48c');
    assert.deepEqual(third!.bugs, [{ kind: 'related-bug', target: '2117700' }]);
    assert.ok(third!.authoredAt > 0 && third!.committedAt >= third!.authoredAt - 86_400_000 * 365);
  });

  it('reads the light graph records', () => {
    const g = records(GRAPH, 100).map(parseGraphRecord);
    assert.deepEqual(
      g.map((c) => [c.sha.slice(0, 8), c.parents.length, c.committerName]),
      [
        ['a793b96a', 2, 'Gerrit Code Review'],
        ['e7ae66a6', 1, 'René Ribaud'],
        ['0f808117', 1, 'René Ribaud'],
      ],
    );
    assert.equal(g[0]!.subject, 'Merge "Mounting the shares as part of the initialization process"');
  });

  it('refuses a record with the wrong number of fields or a bad hash or time', () => {
    assert.throws(() => parseGraphRecord('abc\u0000\u0000x\u00001\u0000s\u0000'), /not a commit hash/);
    assert.throws(() => parseGraphRecord(`${'a'.repeat(40)}\u0000\u0000x\u0000soon\u0000s\u0000`), /not a Unix time/);
    assert.throws(() => parseGraphRecord(`${'a'.repeat(40)}\u0000x`), /expected 5 NUL-separated fields, found 1/);
  });

  it('subject as git gives it, and the last Change-Id', () => {
    assert.equal(subjectOf('First line\ncontinued\n\nbody'), 'First line continued');
    assert.equal(changeIdOf(`x\n\nChange-Id: I${'1'.repeat(40)}\n(cherry picked)\nChange-Id: I${'2'.repeat(40)}\n`), `I${'2'.repeat(40)}`);
    assert.equal(changeIdOf('no id here\nChange-Id: Ishort'), null);
  });
});
