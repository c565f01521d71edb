/**
 * The view cache of a signed-in server (`steward serve --auth`), on both engines, with the
 * bookkeeping connection `steward serve` uses (store/web-writes.ts): a cached report stays cached
 * across sign-ins, session touches and audited reads of the security tracker (the server's own
 * writes of sessions and audit lines), and is dropped by every commit of reported data — a change
 * made on the server's connection (as the mentoring form makes it) and a write by another process.
 * A security tracker transition through its form leaves it on PostgreSQL (the tracker's tables
 * announce no change: a cache emptied by an embargoed change could be timed by anyone); on SQLite
 * it empties it like any commit of the main connection (docs/security.md says so). Counted in
 * computations, not timed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import type { AuthUser } from '../../src/service/authorize.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { addSecurityMember, reportSecurityItem, type SecurityDeps } from '../../src/service/security-service.js';
import type { Store } from '../../src/store/engine.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { addMentorship } from '../../src/store/mentoring-store.js';
import { openStore } from '../../src/store/open-store.js';
import { secretBox } from '../../src/store/secret-box.js';
import { findUserByName, listAudit } from '../../src/store/users-store.js';
import { openWebWrites, type WebWritesConnection } from '../../src/store/web-writes.js';
import { advisoryToYaml } from '../../src/sources/advisories/advisory-yaml.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';
import { ViewCache } from '../../src/web/view-cache.js';
import { DAY, makeChange } from '../helpers/builders.js';
import { ENGINES } from '../helpers/stores.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { WEB_NOW } from '../helpers/web.js';
import { Jar, TEST_HASH, addUser, csrfOf, form, signIn } from '../helpers/web-auth.js';

const PW = 'a-password-long-enough-1';
const URL = '/api/v1/overview?days=30';
const ROOT = resolve(import.meta.dirname, '../..');

for (const engine of ENGINES) {
  describe(`view cache of a signed-in server (${engine.name})`, { skip: engine.skip }, () => {
    let demo: { location: string; cleanup: () => Promise<void>; dir: string };
    let store: Store;
    let writes: WebWritesConnection;
    let cache: ViewCache;
    let app: FastifyInstance;
    let itemId: string;
    // The access clock moves (so that sessions are touched); the cache's stays (no entry ages).
    let now = WEB_NOW;
    const member = new Jar();

    before(async () => {
      // A migrated store with a few changes (the overview is computed all the same: counting is the point).
      const m = await migratedStore(engine.name);
      const dir = mkdtempSync(join(tmpdir(), 'steward-cache-auth-'));
      demo = { ...m, dir, cleanup: async () => (rmSync(dir, { recursive: true, force: true }), await m.cleanup()) };
      store = await openStore(demo.location);
      await store.db
        .insertInto('accounts')
        .values([
          { host: 'h', gerrit_id: 1, username: 'a', name: null, email: null },
          { host: 'h', gerrit_id: 2, username: 'b', name: null, email: null },
        ])
        .execute();
      const records = [1, 2, 3, 4, 5].map((n) =>
        makeChange(n, { status: 'MERGED', created: WEB_NOW - (n + 2) * DAY, updated: WEB_NOW - n * DAY, submitted: WEB_NOW - n * DAY }),
      );
      await store.db
        .transaction()
        .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'rest', store.bulk));
      for (const n of ['member', 'reader']) await addUser(store, n, 'viewer', PW, WEB_NOW);
      const box = secretBox(randomBytes(32));
      const config = async () => resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
      const d: SecurityDeps = { store, box, clock: () => now, rules: (await config()).config.security, ip: null };
      const u = async (n: string): Promise<AuthUser> => {
        const r = (await findUserByName(store.db, n))!;
        return { id: r.id, name: r.name, role: r.role };
      };
      await addSecurityMember(d, { id: 0, name: 'command line', role: 'admin' }, 'member');
      itemId = await reportSecurityItem(d, await u('member'), { title: 'Secret flaw', description: 'details', project: 'demo/compute' });
      writes = await openWebWrites(demo.location, store);
      cache = new ViewCache({ version: writes.current, clock: () => WEB_NOW });
      app = await buildApp({
        store,
        config,
        clock: () => now,
        cwd: demo.dir,
        cache,
        auth: accessHooks({
          enabled: true,
          store,
          writes,
          clock: () => now,
          config,
          hashParams: TEST_HASH,
          loginAttemptsPerMinute: 10_000,
          securityBox: box,
          advisoryYaml: advisoryToYaml,
        }),
      });
      assert.equal((await signIn(app, member, 'member', PW)).statusCode, 303);
    });
    after(async () => {
      await app?.close();
      await writes?.close();
      await store?.close();
      await demo?.cleanup();
    });

    const get = async (jar: Jar, url: string) => {
      const r = jar.take(await app.inject({ url, headers: { ...jar.header(), accept: 'application/json' } }));
      return r;
    };
    /** The overview, read after PostgreSQL's notifications (delivered asynchronously) have arrived. */
    const computations = async (): Promise<number> => {
      await new Promise((r) => setTimeout(r, engine.name === 'postgres' ? 300 : 0));
      assert.equal((await get(member, URL)).statusCode, 200);
      return cache.stats().misses;
    };

    it('stays cached across sign-ins, session touches and audited reads of the security tracker', async () => {
      const first = await computations();
      assert.equal(await computations(), first, 'a second read is a hit');
      const auditBefore = (await listAudit(store.db, { limit: 1 }))[0]!.id;
      const versionBefore = writes.current();
      for (let i = 0; i < 3; i++) assert.equal((await signIn(app, new Jar(), 'reader', PW)).statusCode, 303);
      for (let i = 0; i < 5; i++) {
        now += 6 * 60_000; // past the session touch interval: each read also writes last_seen_at
        const r = await get(member, `/api/v1/security/items/${itemId}`);
        assert.equal(r.statusCode, 200, r.body);
        assert.equal((await get(new Jar(), '/api/v1/reviewers')).statusCode, 401);
      }
      const lines = (await listAudit(store.db, { limit: 100 })).filter((e) => e.id > auditBefore);
      assert.ok(lines.filter((e) => e.event === 'login').length >= 3, JSON.stringify(lines.map((e) => e.event)));
      assert.ok(lines.filter((e) => e.subject === `security item ${itemId}`).length >= 5, JSON.stringify(lines.map((e) => e.event)));
      const touched = await store.db.selectFrom('user_sessions').select('last_seen_at').orderBy('last_seen_at', 'desc').executeTakeFirst();
      assert.equal(touched!.last_seen_at, now, 'the session was touched');
      assert.equal(writes.current(), versionBefore, 'the data version did not move');
      assert.equal(await computations(), first, 'the cached overview was not computed again');
    });

    it("is dropped by a change committed on the server's own connection (as the mentoring form commits it)", async () => {
      const before = await computations();
      const [a, b] = await store.db.selectFrom('accounts').select('id').orderBy('id').limit(2).execute();
      await addMentorship(store.db, { candidateId: a!.id, mentorId: b!.id, startedAt: WEB_NOW - 86_400_000, note: 'cache' }, WEB_NOW);
      assert.equal(await computations(), before + 1);
      assert.equal(await computations(), before + 1, 'and cached again');
    });

    it(`${engine.name === 'postgres' ? 'is kept' : 'is dropped'} across a security tracker transition made through its form`, async () => {
      const before = await computations();
      const page = member.take(await app.inject({ url: `/security/items/${itemId}`, headers: member.header() }));
      const f = form({ to: 'triaged', verdict: 'rejected', note: 'not a bug', _csrf: csrfOf(page.body) });
      const r = await app.inject({
        method: 'POST',
        url: `/security/items/${itemId}/transition`,
        payload: f.payload,
        headers: { ...f.headers, ...member.header(), accept: 'text/html' },
      });
      assert.equal(r.statusCode, 303, r.body.slice(0, 300));
      const state = await store.db.selectFrom('security_items').select('state').where('id', '=', itemId).executeTakeFirst();
      assert.equal(state?.state, 'rejected', 'the transition was stored');
      assert.equal(await computations(), before + (engine.name === 'postgres' ? 0 : 1));
    });

    it('is dropped by a commit from another process', async () => {
      const before = await computations();
      const script = `
        const { openStore } = await import(${JSON.stringify(resolve(ROOT, 'src/store/open-store.ts'))});
        const s = await openStore(process.env.LOC);
        await s.db.insertInto('accounts').values({ host: 'elsewhere', gerrit_id: 99991, username: 'x', name: null, email: null }).execute();
        await s.close();`;
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, LOC: demo.location },
        stdio: 'pipe',
      });
      assert.equal(await computations(), before + 1);
    });
  });
}
