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
import { computeBugRota } from '../../src/analysis/bugs-rota.js';
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

    it('counting the large merged changes in SQL lists every revert and reverted change whatever its size: the same report', async () => {
      await withStore(engine.name, async (store) => {
        const big = (n: number, subject: string, at: number, over: Partial<ChangeRecord> = {}) =>
          makeChange(n, {
            subject,
            status: 'MERGED',
            submitted: T + at * DAY,
            updated: T + at * DAY,
            insertions: 100,
            deletions: 20,
            files: [{ path: 'nova/compute/manager.py', insertions: 100, deletions: 20 }],
            ...over,
          });
        await write(store, [
          big(1, 'Fix the thing', 1),
          // A large revert naming no commit: it reverts the latest change of that subject merged before it.
          big(2, 'Revert "Fix the thing"', 3, { commitMessage: 'Revert "Fix the thing"\n\nIt broke.\n' }),
          big(3, 'Tidy', 2),
          big(4, 'Tidy more', 2),
          makeChange(5, { subject: 'Small', status: 'MERGED', submitted: T + 2 * DAY, updated: T + 2 * DAY }),
        ]);
        // Change 4 reverted straight in git, named by its commit.
        await store.db
          .insertInto('git_commits')
          .values([
            commit('a'.repeat(40), { subject: 'Tidy more', change_id: `I${'4'.padStart(40, '0')}`, landed_at: T + 2 * DAY }),
            commit('c'.repeat(40), {
              subject: 'Revert "Tidy more"',
              message: `Revert "Tidy more"\n\nThis reverts commit ${'a'.repeat(40)}.\n`,
              landed_at: T + 4 * DAY,
            }),
          ])
          .execute();
        const now = T + 10 * DAY;
        const o = { since: T - 7 * DAY, reviewsSince: T - 7 * DAY, maxLines: 30, tag: 'TrivialFix', members: [] };
        const full = await loadRotaData(store.db, store.engine, o);
        const counted = await loadRotaData(store.db, store.engine, { ...o, until: now, from: T - 7 * DAY });
        assert.deepEqual(
          counted.changes.map((c) => c.number),
          [1, 2, 4, 5],
        );
        assert.deepEqual(counted.large, { merged: 1, bugFixes: 1, reopened: 0 });
        const rules = { members: [], duty: [], maxLines: 30, tag: 'TrivialFix', importances: ['Medium', 'Low'] as const, neverPaths: [] };
        const ro = { now, weeks: 2, quietWeeks: 1, rules, limit: 100 };
        const report = computeBugRota(counted, [], ro);
        assert.deepEqual(report, computeBugRota(full, [], ro));
        assert.deepEqual(report.constraints.reverted.other, { count: 2, of: 5, rate: 0.4 });
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

    it('a small change is tagged when a line of its commit message is the trivial tag alone (any case, blanks around it); a large one never', async () => {
      await withStore(engine.name, async (store) => {
        const messages = [
          'Fix a\n\nTrivialFix\n',
          'Fix b\n\n  trivialFIX \t\nChange-Id: I1\n',
          'Fix c\n\nTrivialFix: not alone\n',
          'Fix d\n\nNot a TrivialFix\n',
          'Fix e\r\n\r\nTrivialFix',
          'Fix f, no tag at all\n',
          'Fix g\n\nTrivial\u00b7Fix\n',
        ];
        const small = messages.map((m, i) =>
          makeChange(i + 1, { subject: `Small ${i + 1}`, commitMessage: m, status: 'NEW', updated: T + DAY }),
        );
        const large = makeChange(10, {
          subject: 'Large',
          commitMessage: 'Large\n\nTrivialFix\n',
          status: 'NEW',
          updated: T + DAY,
          insertions: 100,
          deletions: 20,
          files: [{ path: 'nova/compute/manager.py', insertions: 100, deletions: 20 }],
        });
        await write(store, [...small, large]);
        const o = { since: T, reviewsSince: T, maxLines: 200, members: [] };
        const tagged = async (tag: string, maxLines = 30) =>
          (await loadRotaData(store.db, store.engine, { ...o, tag, maxLines })).changes.filter((c) => c.tagged).map((c) => c.number);
        assert.deepEqual(await tagged('TrivialFix'), [1, 2, 5]);
        // Beyond ASCII the tag is tested on every small change's message (no SQL filter folds its case).
        assert.deepEqual(await tagged('TRIVIAL\u00b7fix'), [7]);
        // Large changes are only listed when small enough for the trivial path: with a larger limit, tagged too.
        assert.deepEqual(await tagged('TrivialFix', 200), [1, 2, 5, 10]);
      });
    });
  });
}
