/**
 * Web accounts in the store (migration 0009), on both engines: users, sessions, audit log, and the
 * data version the web's view cache keys on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { StewardError } from '../../src/model/errors.js';
import { openDataVersion } from '../../src/store/data-version.js';
import { openWebWrites } from '../../src/store/web-writes.js';
import { addMentorship } from '../../src/store/mentoring-store.js';
import { addStoredPriority } from '../../src/store/priorities-store.js';
import {
  appendAudit,
  countSessions,
  createSession,
  createUser,
  deleteSession,
  findSession,
  findUserByName,
  listAudit,
  listUsers,
  purgeSessions,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  touchSession,
} from '../../src/store/users-store.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const T = Date.UTC(2026, 5, 1);

const waitFor = async (cond: () => boolean, ms = 3000): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
};

for (const engine of ENGINES) {
  describe(`web accounts store (${engine.name})`, { skip: engine.skip }, () => {
    it('creates users with unique lower-case names, changes roles, disables (ending sessions)', async () => {
      await withStore(engine.name, async (store) => {
        const ann = await createUser(store.db, { name: 'Ann', role: 'lead', passwordHash: '$h1' }, T);
        assert.ok(ann);
        assert.equal(ann.name, 'ann');
        assert.equal(
          await createUser(store.db, { name: 'ANN', role: 'viewer', passwordHash: '$h2' }, T),
          null,
          'names are unique in any case',
        );
        await createUser(store.db, { name: 'bob', role: 'viewer', passwordHash: '$h3' }, T);
        assert.deepEqual(
          (await listUsers(store.db)).map((u) => [u.name, u.role]),
          [
            ['ann', 'lead'],
            ['bob', 'viewer'],
          ],
        );
        assert.equal(await setUserRole(store.db, ann.id, 'admin'), true);
        assert.equal((await findUserByName(store.db, 'ANN'))?.role, 'admin');

        await createSession(store.db, { tokenHash: 'a1', userId: ann.id, createdAt: T, expiresAt: T + 1000, lastSeenAt: T });
        await createSession(store.db, { tokenHash: 'a2', userId: ann.id, createdAt: T, expiresAt: T + 1000, lastSeenAt: T });
        assert.equal((await countSessions(store.db, T)).get(ann.id), 2);
        await setUserDisabled(store.db, ann.id, T + 5);
        assert.equal((await findUserByName(store.db, 'ann'))?.disabledAt, T + 5);
        assert.equal(await findSession(store.db, 'a1'), null, 'disabling ends the sessions');
        await setUserDisabled(store.db, ann.id, null);
        assert.equal((await findUserByName(store.db, 'ann'))?.disabledAt, null);
      });
    });

    it('sessions: found with their user by token hash, touched, deleted, purged when expired or idle', async () => {
      await withStore(engine.name, async (store) => {
        const u = (await createUser(store.db, { name: 'cy', role: 'viewer', passwordHash: '$h' }, T))!;
        await createSession(store.db, { tokenHash: 's1', userId: u.id, createdAt: T, expiresAt: T + 10_000, lastSeenAt: T });
        await createSession(store.db, { tokenHash: 's2', userId: u.id, createdAt: T, expiresAt: T + 100, lastSeenAt: T });
        await createSession(store.db, { tokenHash: 's3', userId: u.id, createdAt: T, expiresAt: T + 10_000, lastSeenAt: T });
        const found = await findSession(store.db, 's1');
        assert.equal(found?.user.name, 'cy');
        assert.equal(found?.session.expiresAt, T + 10_000);
        await touchSession(store.db, 's1', T + 500);
        assert.equal((await findSession(store.db, 's1'))?.session.lastSeenAt, T + 500);
        // At T+1000, idle limit: last seen before T+400 → s3 idle, s2 expired, s1 stays.
        assert.equal(await purgeSessions(store.db, T + 1000, T + 400), 2);
        assert.ok(await findSession(store.db, 's1'));
        await deleteSession(store.db, 's1');
        assert.equal(await findSession(store.db, 's1'), null);
        await createSession(store.db, { tokenHash: 's4', userId: u.id, createdAt: T, expiresAt: T + 10_000, lastSeenAt: T });
        await setUserPassword(store.db, u.id, '$new', T + 1, { endSessions: true });
        assert.equal(await findSession(store.db, 's4'), null, 'a password change ends the sessions');
        assert.equal((await findUserByName(store.db, 'cy'))?.passwordHash, '$new');
      });
    });

    it('audit log: appended and listed newest first, with details', async () => {
      await withStore(engine.name, async (store) => {
        await appendAudit(store.db, {
          at: T,
          event: 'login.failed',
          actorId: null,
          actor: null,
          subject: 'ann',
          ip: '127.0.0.1',
          outcome: 'failed',
          detail: { reason: 'wrong password' },
        });
        await appendAudit(store.db, {
          at: T + 1,
          event: 'user.role',
          actorId: null,
          actor: 'command line',
          subject: 'ann',
          ip: null,
          outcome: 'ok',
          detail: { from: 'viewer', to: 'lead' },
        });
        const all = await listAudit(store.db, { limit: 10 });
        assert.deepEqual(
          all.map((e) => e.event),
          ['user.role', 'login.failed'],
        );
        assert.deepEqual(all[0]!.detail, { from: 'viewer', to: 'lead' });
        assert.deepEqual(
          (await listAudit(store.db, { limit: 10, event: 'login.failed' })).map((e) => e.ip),
          ['127.0.0.1'],
        );
      });
    });

    it('data version: moves when reported data is committed (here or elsewhere), not otherwise', async () => {
      await withStore(engine.name, async (store, location) => {
        const v = await openDataVersion(location);
        try {
          const v0 = v.current();
          assert.equal(v.current(), v0, 'stable while nothing is written');
          await store.db
            .insertInto('accounts')
            .values([
              { host: 'h', gerrit_id: 1, username: 'a', name: null, email: null },
              { host: 'h', gerrit_id: 2, username: 'b', name: null, email: null },
            ])
            .execute();
          assert.ok(await waitFor(() => v.current() !== v0), 'an insert moves it');
          const v1 = v.current();
          await addMentorship(store.db, { candidateId: 1, mentorId: 2, startedAt: T, note: null }, T);
          assert.ok(await waitFor(() => v.current() !== v1), 'a mentoring change moves it');
          const v2a = v.current();
          // A table made by a later migration (0011) is watched too.
          await addStoredPriority(store.db, { release: 'Zed', title: 'Speed', blueprints: ['fast'], topics: [], queries: [] }, 'ann', T);
          assert.ok(await waitFor(() => v.current() !== v2a), 'a priority added moves it');
          const v2 = v.current();
          // A rolled-back transaction changes nothing.
          await store.db
            .transaction()
            .execute(async (trx) => {
              await trx.insertInto('accounts').values({ host: 'h', gerrit_id: 3, username: 'c', name: null, email: null }).execute();
              throw new Error('roll back');
            })
            .catch(() => undefined);
          await new Promise((r) => setTimeout(r, 200));
          assert.equal(v.current(), v2, 'a rolled-back write does not move it');
        } finally {
          await v.close();
        }
      });
    });

    it("web writes: sessions and audit lines leave the data version alone; the server's data changes and other writers move it", async () => {
      await withStore(engine.name, async (store, location) => {
        const w = await openWebWrites(location, store, { busyWaitMs: 5000 });
        try {
          const u = (await createUser(store.db, { name: 'ann', role: 'viewer', passwordHash: '$x' }, T))!;
          assert.ok(await waitFor(() => w.current() !== ''), 'a version is there');
          await new Promise((r) => setTimeout(r, engine.name === 'postgres' ? 200 : 0));
          const v0 = w.current();
          await w.createSession({ tokenHash: 'h1', userId: u.id, createdAt: T, expiresAt: T + 1000, lastSeenAt: T });
          await w.touchSession('h1', T + 10);
          for (let i = 0; i < 5; i++)
            await w.appendAudit({ at: T, event: 'security.item.read', actorId: u.id, actor: 'ann', subject: 's', ip: null, outcome: 'ok' });
          await w.deleteSession('h1');
          assert.equal(await w.purgeSessions(T, T), 0);
          await new Promise((r) => setTimeout(r, 200));
          assert.equal(w.current(), v0, 'bookkeeping writes do not move it');
          assert.equal((await findSession(store.db, 'h1')) ?? null, null);
          assert.equal((await listAudit(store.db, { limit: 10, event: 'security.item.read' })).length, 5, 'the main connection reads them');
          await addStoredPriority(store.db, { release: 'Zed', title: 'Speed', blueprints: ['fast'], topics: [], queries: [] }, 'ann', T);
          assert.ok(await waitFor(() => w.current() !== v0), "a change on the server's connection moves it");
          if (engine.name === 'sqlite') {
            // Another connection holds the write lock: the bookkeeping write waits on a timer (the
            // event loop keeps running) and lands once the lock is released.
            const other = new BetterSqlite3(location);
            other.exec('begin immediate');
            let ticks = 0;
            const ticker = setInterval(() => void ticks++, 10);
            const pending = w.appendAudit({ at: T, event: 'login', actorId: u.id, actor: 'ann', subject: null, ip: null, outcome: 'ok' });
            let settled = false;
            void pending.then(() => (settled = true));
            await new Promise((r) => setTimeout(r, 150));
            // Counted, not timed: a write that blocked the thread would let no timer run before it returned.
            assert.ok(ticks >= 1, `the event loop ran while the write waited (${ticks} ticks)`);
            assert.equal(settled, false, 'the write waits while the lock is held');
            other.exec("insert into audit_log (at, event, outcome) values (1, 'other', 'ok')");
            other.exec('commit');
            other.close();
            await pending;
            clearInterval(ticker);
            assert.equal((await listAudit(store.db, { limit: 10, event: 'login' })).length, 1);
            // And a lock held past busyWaitMs is reported, naming the store.
            const short = await openWebWrites(location, store, { busyWaitMs: 100 });
            const holder = new BetterSqlite3(location);
            holder.exec('begin immediate');
            try {
              await assert.rejects(
                short.touchSession('x', T),
                (e: unknown) => e instanceof StewardError && e.code === 'STORE_UNAVAILABLE' && e.message.includes(location),
              );
            } finally {
              holder.exec('rollback');
              holder.close();
              await short.close();
            }
          }
        } finally {
          await w.close();
        }
      });
    });
  });
}
