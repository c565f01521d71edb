import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { dumpStore } from '../../src/store/dump.js';
import type { Store } from '../../src/store/engine.js';
import { openStore, postgresSessionOptions } from '../../src/store/open-store.js';
import { storeInfo } from '../../src/store/store-info.js';
import type { ChangeRecord, SourceFormat } from '../../src/model/records.js';
import { StewardError } from '../../src/model/errors.js';
import { DAY, alice, bob, carol, makeChange, makeMessage, makeVote } from '../helpers/builders.js';
import { ENGINES, PG_ADMIN_URL, PG_SKIP_REASON, freshLocation, withStore } from '../helpers/stores.js';
import { sql } from 'kysely';

async function write(store: Store, records: ChangeRecord[], format: SourceFormat = 'rest') {
  return store.db.transaction().execute(async (trx) => {
    const resolver = new AccountResolver(trx, records[0]!.host, store.bulk);
    return writeChanges(trx, resolver, records, format, store.bulk);
  });
}

for (const engine of ENGINES) {
  describe(`store on ${engine.name}`, { skip: engine.skip }, () => {
    it('migrates on first use and again is a no-op; info counts rows', async () => {
      await withStore(engine.name, async (store, location) => {
        const info = await storeInfo(store);
        assert.equal(info.engine, engine.name);
        assert.equal(info.schemaVersion, info.latestSchemaVersion);
        assert.deepEqual(info.pendingMigrations, []);
        assert.equal(info.rowCounts.changes, 0);
        const again = await openStore(location);
        assert.equal((await storeInfo(again)).schemaVersion, info.schemaVersion);
        await again.close();
      });
    });

    it('stores a change whole with its children and reads the same data back', async () => {
      await withStore(engine.name, async (store) => {
        const counts = await write(store, [
          makeChange(1),
          makeChange(2, { votes: [makeVote({ voter: bob, value: 2 }), makeVote({ voter: alice, selfVote: true })] }),
        ]);
        assert.deepEqual(
          { n: counts.new, u: counts.updated, same: counts.unchanged, v: counts.votes, m: counts.messages, b: counts.builds },
          { n: 2, u: 0, same: 0, v: 3, m: 4, b: 2 },
        );
        const info = await storeInfo(store);
        assert.deepEqual(
          {
            changes: info.rowCounts.changes,
            ps: info.rowCounts.patch_sets,
            votes: info.rowCounts.votes,
            msgs: info.rowCounts.messages,
            files: info.rowCounts.change_files,
            links: info.rowCounts.links,
            builds: info.rowCounts.ci_builds,
            accounts: info.rowCounts.accounts,
          },
          { changes: 2, ps: 2, votes: 3, msgs: 4, files: 2, links: 2, builds: 2, accounts: 4 },
        );
        const dump = await dumpStore(store);
        const selfVote = dump.votes!.find((v) => v.voter === 'review.example.org/id:1001');
        assert.equal(selfVote?.self_vote, 1);
        assert.equal(dump.changes![0]!.owner, 'review.example.org/id:1001');
      });
    });

    it('re-writing the same records changes nothing; a newer copy replaces; an older copy is ignored', async () => {
      await withStore(engine.name, async (store) => {
        await write(store, [makeChange(1), makeChange(2)]);
        const before = await dumpStore(store);
        const again = await write(store, [makeChange(1), makeChange(2)]);
        assert.deepEqual({ n: again.new, u: again.updated, same: again.unchanged }, { n: 0, u: 0, same: 2 });
        assert.deepEqual(await dumpStore(store), before);

        const newer = makeChange(1, {
          updated: makeChange(1).updated + DAY,
          status: 'MERGED',
          votes: [makeVote(), makeVote({ voter: bob, value: 2, grantedAt: makeChange(1).updated + 1 })],
          messages: [makeMessage(0, { author: bob, text: 'Patch Set 1: Code-Review+2', kind: 'review' })],
        });
        const upd = await write(store, [newer]);
        assert.equal(upd.updated, 1);
        const after = await dumpStore(store);
        assert.equal(after.changes!.find((c) => c.number === 1)!.status, 'MERGED');
        assert.equal(after.votes!.filter((v) => v.change === 'review.example.org/1').length, 2);
        assert.equal(after.messages!.filter((m) => m.change === 'review.example.org/1').length, 1);
        assert.equal(after.ci_builds!.filter((m) => m.change === 'review.example.org/1').length, 1);

        const older = await write(store, [makeChange(1, { subject: 'old title' })]);
        assert.equal(older.stale, 1);
        assert.equal((await dumpStore(store)).changes!.find((c) => c.number === 1)!.subject, 'Change 1');
      });
    });

    it('matches an account first seen without an id (SSH) to its id when a REST record names it', async () => {
      await withStore(engine.name, async (store) => {
        const sshCarol = { username: 'carol', name: 'Carol Reviewer', email: 'carol@example.org' };
        const sshAlice = { username: 'alice', name: 'Alice Author', email: 'alice@example.org' };
        await write(
          store,
          [
            makeChange(1, {
              owner: sshAlice,
              votes: [makeVote({ voter: sshCarol })],
              messages: [],
              ciBuilds: [],
              patchSets: [{ ...makeChange(1).patchSets[0]!, uploader: sshAlice }],
            }),
          ],
          'ssh',
        );
        await write(store, [makeChange(2, { votes: [makeVote({ voter: carol })] })], 'rest');
        const accounts = await store.db.selectFrom('accounts').selectAll().orderBy('username').execute();
        const c = accounts.filter((a) => a.username === 'carol');
        assert.equal(c.length, 1, 'carol is one account');
        assert.equal(c[0]!.gerrit_id, 1003);
      });
    });

    it('a failing transaction leaves the store as it was', async () => {
      await withStore(engine.name, async (store) => {
        await write(store, [makeChange(1)]);
        const before = await dumpStore(store);
        await assert.rejects(
          store.db.transaction().execute(async (trx) => {
            const resolver = new AccountResolver(trx, 'review.example.org', store.bulk);
            await writeChanges(trx, resolver, [makeChange(2), makeChange(3)], 'rest', store.bulk);
            throw new Error('boom after writing');
          }),
          /boom/,
        );
        assert.deepEqual(await dumpStore(store), before);
      });
    });

    it('with create: false, no store at the location (or one without the schema) is STORE_EMPTY naming it, and nothing is created', async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      const noStore = (why: RegExp, where: string) => (e: unknown) => {
        assert.ok(e instanceof StewardError, String(e));
        assert.equal(e.code, 'STORE_EMPTY');
        assert.equal(e.exitCode, 20);
        assert.match(e.message, why);
        assert.equal(e.details.where, where);
        assert.match(e.details.hint ?? '', /`steward import FILE`, `steward sync` or `steward demo`/);
        return true;
      };
      try {
        if (engine.name === 'sqlite') {
          await assert.rejects(openStore(location, { create: false }), noStore(/the file does not exist/, location));
          assert.equal(existsSync(location), false, 'no file was created');
          new BetterSqlite3(location).close();
        } else {
          const missing = new URL(PG_ADMIN_URL!);
          missing.pathname = `/steward_test_missing_${process.pid}`;
          await assert.rejects(
            openStore(missing.toString(), { create: false }),
            noStore(/the database does not exist/, missing.toString()),
          );
        }
        // The file or database exists but Steward never wrote to it: refused, and still without the schema.
        await assert.rejects(openStore(location, { create: false }), noStore(/no Steward schema/, location));
        await assert.rejects(openStore(location, { create: false }), noStore(/no Steward schema/, location));
        (await openStore(location)).close();
        const reopened = await openStore(location, { create: false });
        assert.equal((await storeInfo(reopened)).rowCounts.changes, 0);
        await reopened.close();
      } finally {
        await cleanup();
      }
    });

    it('refuses a store from a newer schema version without touching it', async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        const s = await openStore(location);
        await s.db
          .insertInto('kysely_migration' as never)
          .values({ name: '9999-from-the-future', timestamp: new Date().toISOString() } as never)
          .execute();
        await s.close();
        await assert.rejects(
          openStore(location),
          (e: unknown) => e instanceof StewardError && e.code === 'STORE_VERSION' && /9999-from-the-future/.test(e.message),
        );
      } finally {
        await cleanup();
      }
    });
  });
}

describe('store on sqlite only', () => {
  it('reports a locked store clearly instead of waiting forever', async () => {
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      (await openStore(location)).close();
      const holder = new BetterSqlite3(location);
      holder.exec('BEGIN EXCLUSIVE');
      try {
        await assert.rejects(
          (async () => {
            const s = await openStore(location, { busyTimeoutMs: 50 });
            try {
              await write(s, [makeChange(1)]);
            } finally {
              await s.close();
            }
          })(),
          (e: unknown) =>
            (e instanceof StewardError && e.code === 'STORE_UNAVAILABLE') || /locked|busy/i.test(String((e as Error).message)),
        );
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('says a file that is not a database is not one', async () => {
    const { location, cleanup } = await freshLocation('sqlite');
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(location, 'this is not sqlite, just text '.repeat(100));
      await assert.rejects(
        openStore(location),
        (e: unknown) => e instanceof StewardError && e.code === 'STORE_UNAVAILABLE' && /not a SQLite database/.test(e.describe()),
      );
    } finally {
      await cleanup();
    }
  });
});

describe('PostgreSQL session settings', () => {
  it('asks for jit = off unless the URL or PGOPTIONS sets the options', () => {
    assert.deepEqual(postgresSessionOptions('postgres://u@h/db', {}), { options: '-c jit=off' });
    assert.deepEqual(postgresSessionOptions('postgres://u@h/db?host=/run/pg', { PGOPTIONS: '' }), { options: '-c jit=off' });
    assert.deepEqual(postgresSessionOptions('postgres://u@h/db?options=-c%20jit%3Don', {}), {});
    assert.deepEqual(postgresSessionOptions('postgres://u@h/db?sslmode=require&options=-c%20work_mem%3D64MB', {}), {});
    assert.deepEqual(postgresSessionOptions('postgres://u@h/db', { PGOPTIONS: '-c jit=on' }), {});
  });

  it('every connection of a store runs with jit off; a URL that sets options keeps its own', { skip: PG_SKIP_REASON }, async () => {
    await withStore('postgres', async (store, location) => {
      const shown = await Promise.all(
        [1, 2, 3].map(() =>
          store.db.transaction().execute(async (trx) => (await sql<{ jit: string }>`show jit`.execute(trx)).rows[0]!.jit),
        ),
      );
      assert.deepEqual(shown, ['off', 'off', 'off']);
      const sep = location.includes('?') ? '&' : '?';
      const own = await openStore(`${location}${sep}options=${encodeURIComponent('-c jit=on')}`);
      try {
        assert.equal((await sql<{ jit: string }>`show jit`.execute(own.db)).rows[0]!.jit, 'on');
      } finally {
        await own.close();
      }
    });
  });
});
