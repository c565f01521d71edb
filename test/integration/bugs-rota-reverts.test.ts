/**
 * `bugs rota` reads reverts from the code history too (issue 15): a `Revert "…"` commit of the git
 * history whose "This reverts commit SHA" names a commit carrying a Gerrit Change-Id marks that
 * change reverted, on both engines, even when the revert never went through Gerrit. And the rota's
 * packed reads (one string of records) give back a subject or file path that holds the record
 * separator as it is, with each merged small change's approver and owner.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import type { Store } from '../../src/store/engine.js';
import type { ChangeRecord } from '../../src/model/records.js';
import type { GitCommitsTable } from '../../src/store/schema.js';
import { loadRotaData } from '../../src/store/queries/bugs.js';
import { bob, carol, makeChange, makeVote } from '../helpers/builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 5);

async function write(store: Store, records: ChangeRecord[]) {
  await store.db
    .transaction()
    .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'rest', store.bulk));
}

function commit(sha: string, over: Partial<GitCommitsTable>): GitCommitsTable {
  return {
    repo: 'nova',
    sha,
    parents: '',
    author_name: 'A',
    author_email: 'a@example.org',
    authored_at: T,
    committer_name: 'A',
    committer_email: 'a@example.org',
    committed_at: T,
    subject: 's',
    message: 's\n',
    change_id: null,
    mainline: 1,
    landed_by: sha,
    landed_at: T,
    landing: 'direct',
    merge_commit: 0,
    backport: 0,
    author_key: 'a@example.org',
    names: 0,
    ...over,
  };
}

for (const engine of ENGINES) {
  describe(`bugs rota: reverts from the code history (${engine.name})`, { skip: engine.skip }, () => {
    it('a Revert commit naming a commit marks the Gerrit change of that commit reverted; one naming nothing known does not', async () => {
      await withStore(engine.name, async (store) => {
        const merged = (n: number, subject: string) =>
          makeChange(n, { subject, status: 'MERGED', submitted: T + n * DAY, updated: T + n * DAY, links: [] });
        await write(store, [merged(1, 'Fix the thing'), merged(2, 'Tidy the other thing')]);
        const sha1 = 'a'.repeat(40);
        const sha2 = 'b'.repeat(40);
        await store.db
          .insertInto('git_commits')
          .values([
            commit(sha1, { subject: 'Fix the thing', change_id: `I${'1'.padStart(40, '0')}`, landed_at: T + DAY }),
            commit(sha2, { subject: 'Tidy the other thing', change_id: `I${'2'.padStart(40, '0')}`, landed_at: T + 2 * DAY }),
            // Reverted straight in git (no Gerrit change), naming the commit by a short hash.
            commit('c'.repeat(40), {
              subject: 'Revert "Fix the thing"',
              message: `Revert "Fix the thing"\n\nThis reverts commit ${sha1.slice(0, 10)}.\n`,
              landed_at: T + 5 * DAY,
            }),
            // A revert naming a commit Steward does not have.
            commit('d'.repeat(40), {
              subject: 'Revert "Tidy the other thing"',
              message: `Revert "Tidy the other thing"\n\nThis reverts commit ${'e'.repeat(40)}.\n`,
              landed_at: T + 6 * DAY,
            }),
          ])
          .execute();
        const rota = await loadRotaData(store.db, store.engine, {
          since: T,
          reviewsSince: T,
          maxLines: 30,
          tag: 'TrivialFix',
          members: [],
        });
        assert.deepEqual(
          rota.reverts.map((r) => ({ number: r.number, sha: r.sha, reverted: r.reverted?.number, subject: r.subject })),
          [{ number: null, sha: 'c'.repeat(40), reverted: 1, subject: 'Fix the thing' }],
        );
      });
    });

    it("a subject or a file path holding the packed records' separators is read as it is; approver and owner by name", async () => {
      await withStore(engine.name, async (store) => {
        const odd = 'Fix \u001e the \u001f thing';
        await write(store, [
          makeChange(1, {
            subject: odd,
            status: 'MERGED',
            submitted: T + DAY,
            updated: T + DAY,
            files: [
              { path: 'nova/a\u001eb.py', insertions: 5, deletions: 1 },
              { path: 'nova/c.py', insertions: 5, deletions: 1 },
            ],
            votes: [
              makeVote({ label: 'Code-Review', value: 2, voter: carol, grantedAt: T + 1000 }),
              makeVote({ label: 'Workflow', value: 1, voter: bob, grantedAt: T + 2000 }),
              makeVote({ label: 'Code-Review', value: 2, voter: carol, grantedAt: T + 3000 }),
            ],
          }),
          makeChange(2, {
            subject: 'Plain',
            status: 'MERGED',
            submitted: T + DAY,
            updated: T + DAY,
            votes: [makeVote({ label: 'Code-Review', value: 2, voter: carol, grantedAt: T + 1000 })],
          }),
        ]);
        const rota = await loadRotaData(store.db, store.engine, {
          since: T,
          reviewsSince: T,
          maxLines: 30,
          tag: 'TrivialFix',
          members: [],
        });
        assert.deepEqual(
          rota.changes.map((c) => ({
            number: c.number,
            subject: c.subject,
            files: c.files,
            approver: c.approver,
            owner: c.owner,
            bugs: c.bugs,
          })),
          [
            { number: 1, subject: odd, files: ['nova/a\u001eb.py', 'nova/c.py'], approver: 'bob', owner: 'alice', bugs: [123] },
            { number: 2, subject: 'Plain', files: ['nova/compute/manager.py'], approver: 'carol', owner: 'alice', bugs: [123] },
          ],
        );
      });
    });
  });
}
