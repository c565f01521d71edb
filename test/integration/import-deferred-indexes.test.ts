/**
 * An import into an empty store builds its deferred indexes (`patch_sets_revision`, `change_files_path`,
 * `changes_topic`, `votes_voter`) once after its load
 * (store/ingest-writes.ts, writeInOneTransaction): afterwards every index of the tables it fills is
 * there with its own definition, the rows are the ones the same changes written into a non-empty
 * store give (where nothing is deferred), a change written twice in one load is replaced whole,
 * an import builds the indexes a killed first sync left recorded (store/deferred-indexes.ts),
 * and a failed import leaves the indexes as they were. Both engines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { generateDemoChanges } from '../../src/demo/demo-project.js';
import { toRestChange } from '../../src/demo/demo-export.js';
import type { ChangeRecord } from '../../src/model/records.js';
import { packChanges } from '../../src/model/packed-changes.js';
import { parseRestChange } from '../../src/sources/gerrit/rest-parser.js';
import type { Store } from '../../src/store/engine.js';
import { deferIndexesIfEmpty } from '../../src/store/deferred-indexes.js';
import { DEFERRED_INDEXES, writeInOneTransaction } from '../../src/store/ingest-writes.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const HOST = 'review.example.org';
const LOADED = ['changes', 'patch_sets', 'votes', 'change_flow', 'messages', 'change_files', 'links', 'ci_reports'];
const records: ChangeRecord[] = [...generateDemoChanges({ seed: 5, changes: 120, months: 3, now: Date.UTC(2026, 0, 1) })].map((c, i) =>
  parseRestChange(toRestChange(c), { host: HOST, where: 'demo', path: `[${i}]` }),
);

/** Every index of the loaded tables with its definition, by name. */
async function indexes(store: Store): Promise<Array<[string, string]>> {
  const tables = sql.join(LOADED.map((t) => sql.lit(t)));
  const rows =
    store.engine === 'sqlite'
      ? await sql<{
          name: string;
          def: string | null;
        }>`select name, sql as def from sqlite_master where type = 'index' and tbl_name in (${tables})`.execute(store.db)
      : await sql<{
          name: string;
          def: string;
        }>`select indexname as name, indexdef as def from pg_indexes where schemaname = current_schema() and tablename in (${tables})`.execute(
          store.db,
        );
  return rows.rows.map((r): [string, string] => [r.name, r.def ?? '(automatic)']).sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * The loaded tables' rows with store ids replaced by what they name (a change's number, an account's
 * Gerrit id), sorted: comparable across stores. change_flow packs account ids inside its text: its
 * patch set lists are compared, and the length of its vote lists.
 */
async function contents(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const numbers = new Map((await store.db.selectFrom('changes').select(['id', 'number']).execute()).map((r) => [r.id, r.number]));
  const accounts = new Map((await store.db.selectFrom('accounts').select(['id', 'gerrit_id']).execute()).map((r) => [r.id, r.gerrit_id]));
  const ACCOUNT_COLUMNS = ['owner_id', 'uploader_id', 'voter_id', 'author_id', 'reporter_id'];
  for (const t of LOADED) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(store.db)).rows;
    out[t] = rows
      .map((r) => {
        const row: Record<string, unknown> = {
          ...r,
          id: undefined,
          change: numbers.get(Number(r.change_id ?? r.id)),
          change_id: undefined,
        };
        for (const c of ACCOUNT_COLUMNS) if (c in r) row[c] = r[c] == null ? null : `gerrit:${accounts.get(Number(r[c]))}`;
        if (t === 'change_flow') row.votes = String(r.votes).split('\u001e').length;
        return JSON.stringify(row);
      })
      .sort();
  }
  return out;
}

async function importRecords(store: Store, batches: ChangeRecord[][]): Promise<void> {
  await writeInOneTransaction(store, { name: HOST, url: null }, async (writer) => {
    for (const b of batches) await writer.write(packChanges(b, HOST, 'rest'));
  });
}

for (const engine of ENGINES) {
  describe(`import into an empty store: an index built after the load (${engine.name})`, { skip: engine.skip }, () => {
    it('keeps every index with its definition and stores the rows a load into a non-empty store stores', async () => {
      await withStore(engine.name, async (empty) => {
        await withStore(engine.name, async (nonEmpty) => {
          const before = await indexes(empty);
          assert.ok(before.length >= 10, `the loaded tables' indexes: ${before.map((i) => i[0]).join(', ')}`);
          // The second batch names three changes of the first again, with a later update and one
          // vote fewer: they are replaced whole inside the same load.
          const again = records.slice(0, 3).map((r) => ({ ...r, updated: r.updated + 1000, votes: r.votes.slice(1) }));
          await importRecords(empty, [records.slice(0, 60), [...records.slice(60), ...again]]);
          assert.deepEqual(await indexes(empty), before);

          // The same changes into a store that already holds one: nothing is deferred there.
          await importRecords(nonEmpty, [records.slice(60, 61)]);
          await importRecords(nonEmpty, [records.slice(0, 60), [...records.slice(60), ...again]]);
          assert.deepEqual(await indexes(nonEmpty), before);
          const got = await contents(empty);
          assert.deepEqual(got, await contents(nonEmpty));
          assert.ok(got.votes!.length > 100 && got.messages!.length > 100, 'the demo changes have votes and messages');
        });
      });
    });

    it('builds the indexes a killed first sync left recorded, whether the store is empty or holds its first pages', async () => {
      for (const pagesBefore of [0, 1]) {
        await withStore(engine.name, async (store) => {
          const before = await indexes(store);
          if (pagesBefore) await importRecords(store, [records.slice(100, 101)]);
          // What a first sync killed before its end leaves: the indexes dropped and recorded (SQLite;
          // PostgreSQL's syncs record none, so there the import finds nothing to build).
          const deferred = await deferIndexesIfEmpty(store);
          if (pagesBefore) {
            assert.equal(deferred, false, 'a store that holds changes defers nothing');
            for (const name of DEFERRED_INDEXES) {
              const definition = before.find((i) => i[0] === name)![1];
              await store.db.insertInto('deferred_indexes').values({ name, definition }).execute();
              await store.db.schema.dropIndex(name).execute();
            }
          } else assert.equal(deferred, store.engine === 'sqlite');
          if (deferred || pagesBefore) {
            const names = new Set((await indexes(store)).map((i) => i[0]));
            assert.ok(
              DEFERRED_INDEXES.every((n) => !names.has(n)),
              'the recorded indexes are gone before the import',
            );
          }
          await importRecords(store, [records.slice(0, 60)]);
          assert.deepEqual(await indexes(store), before);
          assert.deepEqual(await store.db.selectFrom('deferred_indexes').select('name').execute(), []);
        });
      }
    });

    it('a failed import leaves the indexes and stores nothing', async () => {
      await withStore(engine.name, async (store) => {
        const before = await indexes(store);
        await assert.rejects(
          writeInOneTransaction(store, { name: HOST, url: null }, async (writer) => {
            await writer.write(packChanges(records.slice(0, 20), HOST, 'rest'));
            throw new Error('the export is cut off');
          }),
          /the export is cut off/,
        );
        assert.deepEqual(await indexes(store), before);
        assert.equal((await store.db.selectFrom('changes').select('id').execute()).length, 0);
      });
    });
  });
}
