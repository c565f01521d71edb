/**
 * store/bulk-insert.ts: the import's multi-row writes, one implementation per engine.
 * insertReturningIds gives each new row its id in the order of the rows given; on SQLite the ids
 * are assigned by Steward inside the write transaction and must behave as AUTOINCREMENT's would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { ENGINES, withStore } from '../helpers/stores.js';

for (const engine of ENGINES) {
  describe(`bulk insert on ${engine.name}`, { skip: engine.skip }, () => {
    it('insertReturningIds returns each row its id, in the order of the rows', async () => {
      await withStore(engine.name, async (store) => {
        await store.db.insertInto('hosts').values({ name: 'h1', url: null }).execute();
        const cols = ['host', 'gerrit_id', 'username', 'name', 'email'];
        const accounts = [
          ['h1', 30, 'carol', null, null],
          ['h1', 10, 'alice', null, null],
          ['h1', 20, 'bob', null, null],
        ];
        const ids = await store.db
          .transaction()
          .execute((trx) => store.bulk.insertReturningIds(trx, 'accounts', cols, accounts, 'gerrit_id'));
        assert.equal(new Set(ids).size, 3);
        const stored = await store.db.selectFrom('accounts').select(['id', 'username']).execute();
        assert.deepEqual(
          ids.map((id) => stored.find((s) => s.id === id)?.username),
          ['carol', 'alice', 'bob'],
        );
      });
    });

    it('never gives an id that was used before, even after the row with the largest id is gone', async () => {
      await withStore(engine.name, async (store) => {
        await store.db.insertInto('hosts').values({ name: 'h1', url: null }).execute();
        const cols = ['host', 'gerrit_id', 'username', 'name', 'email'];
        const first = await store.db.transaction().execute((trx) =>
          store.bulk.insertReturningIds(
            trx,
            'accounts',
            cols,
            [
              ['h1', 1, 'a', null, null],
              ['h1', 2, 'b', null, null],
            ],
            'gerrit_id',
          ),
        );
        await store.db
          .deleteFrom('accounts')
          .where('id', '=', Math.max(...first))
          .execute();
        const second = await store.db
          .transaction()
          .execute((trx) => store.bulk.insertReturningIds(trx, 'accounts', cols, [['h1', 3, 'c', null, null]], 'gerrit_id'));
        assert.ok(second[0]! > Math.max(...first), `${second[0]} after ${first.join(', ')}`);
        // The store's own id assignment continues after Steward's.
        await store.db.insertInto('accounts').values({ host: 'h1', gerrit_id: 4, username: 'd', name: null, email: null }).execute();
        const d = await store.db.selectFrom('accounts').select('id').where('username', '=', 'd').executeTakeFirstOrThrow();
        assert.ok(d.id > second[0]!);
        assert.equal(Number((await sql<{ n: number }>`select count(*) as n from accounts`.execute(store.db)).rows[0]!.n), 3);
      });
    });
  });
}
