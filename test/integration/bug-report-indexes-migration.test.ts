/**
 * Migration 0033 (`patch_sets_revision`): `bugs rota` finds the change a Gerrit `Revert "…"` names by
 * its commit through the index, by a full SHA, by a short one (the range of revisions it begins, never
 * the neighbouring revisions either side) and not at all when no patch set carries it, both engines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { writeInOneTransaction } from '../../src/store/ingest-writes.js';
import type { Store } from '../../src/store/engine.js';
import type { ChangeRecord } from '../../src/model/records.js';
import { loadRotaData } from '../../src/store/queries/bugs.js';
import { makeChange, makePatchSet } from '../helpers/builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 5);

async function write(store: Store, records: ChangeRecord[]) {
  await store.db
    .transaction()
    .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'rest', store.bulk));
}

async function patchSetIndexes(store: Store): Promise<string[]> {
  const indexes =
    store.engine === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'patch_sets'`.execute(store.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'patch_sets'`.execute(store.db);
  return indexes.rows.map((r) => r.name);
}

for (const engine of ENGINES) {
  describe(`migration 0033: reverts found through patch_sets_revision (${engine.name})`, { skip: engine.skip }, () => {
    it('an import into an empty store builds the index after its load; a failed import leaves it as it was', async () => {
      await withStore(engine.name, async (store) => {
        const host = { name: 'review.example.org', url: null };
        // Empty store: the import drops the index for its load and builds it again in the same transaction.
        assert.equal(await writeInOneTransaction(store, host, async () => 'loaded'), 'loaded');
        assert.ok((await patchSetIndexes(store)).includes('patch_sets_revision'));
        // A failure after the drop rolls the drop back with everything else.
        await assert.rejects(
          writeInOneTransaction(store, host, async () => {
            throw new Error('the export is cut off');
          }),
          /the export is cut off/,
        );
        assert.ok((await patchSetIndexes(store)).includes('patch_sets_revision'));
      });
    });

    it('the index exists and a revert names its change by a full SHA, a short SHA, or names nothing known', async () => {
      await withStore(engine.name, async (store) => {
        const indexes = await patchSetIndexes(store);
        assert.ok(indexes.includes('patch_sets_revision'), `patch_sets_revision among ${indexes.join(', ')}`);
        // Revisions beside each other in the index: the short SHA 'abc1230' begins only the second.
        const rev = (r: string) => r.padEnd(40, '0');
        const merged = (n: number, subject: string, revisions: string[], message?: string) =>
          makeChange(n, {
            subject,
            status: 'MERGED',
            submitted: T + n * DAY,
            updated: T + n * DAY,
            links: [],
            patchSets: revisions.map((r, k) => makePatchSet(k + 1, { revision: r })),
            ...(message ? { commitMessage: message } : {}),
          });
        await write(store, [
          merged(1, 'Fix one', [rev('abc122f'), rev('dd')]),
          merged(2, 'Fix two', [rev('ee'), rev('abc1230f')]),
          merged(3, 'Fix three', [rev('abc1231')]),
          merged(4, 'Fix four', [rev('ff')]),
          merged(5, 'Revert "Fix one"', [rev('15')], `Revert "Fix one"\n\nThis reverts commit ${rev('dd')}.\n`),
          merged(6, 'Revert "Fix two"', [rev('16')], 'Revert "Fix two"\n\nThis reverts commit abc1230.\n'),
          merged(7, 'Revert "Fix four"', [rev('17')], `Revert "Fix four"\n\nThis reverts commit ${'9'.repeat(40)}.\n`),
        ]);
        const rota = await loadRotaData(store.db, store.engine, {
          since: T,
          reviewsSince: T,
          maxLines: 30,
          tag: 'TrivialFix',
          members: [],
        });
        assert.deepEqual(
          rota.reverts.map((r) => ({ number: r.number, reverted: r.reverted?.number ?? null })),
          [
            { number: 5, reverted: 1 },
            { number: 6, reverted: 2 },
            { number: 7, reverted: null },
          ],
        );
      });
    });
  });
}
