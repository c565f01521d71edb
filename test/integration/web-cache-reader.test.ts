/**
 * The view cache and per-reader reports: a report whose result depends on who reads it is cached
 * once per reader and never served from another reader's entry, whether the requests come one
 * after another or at the same time; a shared report's build never sees the reader at all.
 *
 * No real report is per-reader yet, so the test registers its own: the reader's own account as the
 * store holds it (role, live sessions) — a result that honestly depends on the reader.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import { paramSchema } from '../../src/service/catalogue/param-schema.js';
import { defineReport } from '../../src/service/catalogue/report-entry.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { openDataVersion, type DataVersion } from '../../src/store/data-version.js';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { countSessions, findUserByName } from '../../src/store/users-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';
import { ViewCache } from '../../src/web/view-cache.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { Jar, TEST_HASH, addUser, signIn } from '../helpers/web-auth.js';

const NOW = Date.UTC(2026, 5, 1, 12);
const PW = { ann: 'ann-secret-password-1', vic: 'vic-secret-password-2' };

/** What the reader's own-account report says. */
interface MyAccount {
  name: string | null;
  role: string | null;
  sessions: number;
}

/** Per reader: the reader's own account as the store holds it. */
const myAccount = defineReport({
  name: 'testMyAccount',
  params: paramSchema({}),
  resolve: () => ({}),
  action: 'read',
  cache: 'per-reader',
  build: async (store, _p, _config, now, reader): Promise<MyAccount> => {
    if (!reader) return { name: null, role: null, sessions: 0 };
    const u = await findUserByName(store.db, reader.name);
    return { name: u?.name ?? null, role: u?.role ?? null, sessions: (await countSessions(store.db, now)).get(reader.id) ?? 0 };
  },
});

/** The same build declared shared: the catalogue never hands it a reader. */
const sharedSeen: Array<string | null> = [];
const sharedReport = defineReport({
  name: 'testShared',
  params: paramSchema({}),
  resolve: () => ({}),
  action: 'read',
  cache: 'shared',
  build: async (_store, _p, _config, _now, reader): Promise<{ readers: number }> => {
    sharedSeen.push(reader?.name ?? null);
    return { readers: 1 };
  },
});

describe('per-reader reports in the view cache', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let version: DataVersion;
  let cache: ViewCache;
  let app: FastifyInstance;
  const jars = { ann: new Jar(), vic: new Jar() };

  before(async () => {
    const loc = await migratedStore('sqlite');
    cleanup = loc.cleanup;
    store = await openStore(loc.location);
    await addUser(store, 'ann', 'lead', PW.ann, NOW);
    await addUser(store, 'vic', 'viewer', PW.vic, NOW);
    version = await openDataVersion(loc.location);
    cache = new ViewCache({ version: version.current, clock: () => NOW });
    const config = async () => resolveEffectiveConfig(loadConfig(undefined, process.cwd()), store);
    app = await buildApp({
      store,
      config,
      clock: () => NOW,
      cache,
      auth: accessHooks({ enabled: true, store, clock: () => NOW, config, hashParams: TEST_HASH, loginAttemptsPerMinute: 1000 }),
      extraReports: [
        { path: '/test/my-account', entry: myAccount },
        { path: '/test/shared', entry: sharedReport },
      ],
    });
    for (const who of ['ann', 'vic'] as const) {
      const r = await signIn(app, jars[who], who, PW[who]);
      assert.equal(r.statusCode, 303, `${who} signs in: ${r.body}`);
    }
  });
  after(async () => {
    await app?.close();
    await version?.close();
    await store?.close();
    await cleanup?.();
  });

  /** The report's own fields (after the envelope every report has: docs/json-contract.md). */
  const get = async (who: 'ann' | 'vic', url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: jars[who].header() });
    assert.equal(r.statusCode, 200, `${who} ${url}: ${r.body}`);
    const {
      report: _r,
      schemaVersion: _v,
      projects: _p,
      period: _pe,
      now: _n,
      sources: _s,
      ...own
    } = JSON.parse(r.body) as Record<string, unknown>;
    return own as unknown;
  };

  it('each reader gets their own result, computed once for each and then served from their own entry', async () => {
    const before = cache.stats();
    assert.deepEqual(await get('ann', '/api/v1/test/my-account'), { name: 'ann', role: 'lead', sessions: 1 });
    assert.deepEqual(await get('vic', '/api/v1/test/my-account'), { name: 'vic', role: 'viewer', sessions: 1 });
    assert.deepEqual(await get('ann', '/api/v1/test/my-account'), { name: 'ann', role: 'lead', sessions: 1 });
    assert.deepEqual(await get('vic', '/api/v1/test/my-account'), { name: 'vic', role: 'viewer', sessions: 1 });
    const s = cache.stats();
    assert.equal(s.misses - before.misses, 2, 'one computation per reader');
    assert.equal(s.hits - before.hits, 2, 'the second request of each reader is served from the cache');
  });

  it('readers asking at the same time never share one computation', async () => {
    cache.clear();
    const before = cache.stats();
    const answers = await Promise.all([
      get('vic', '/api/v1/test/my-account'),
      get('ann', '/api/v1/test/my-account'),
      get('vic', '/api/v1/test/my-account'),
      get('ann', '/api/v1/test/my-account'),
    ]);
    assert.deepEqual(
      answers.map((a) => (a as MyAccount).name),
      ['vic', 'ann', 'vic', 'ann'],
    );
    assert.equal(cache.stats().misses - before.misses, 2);
  });

  it('a shared report is computed once for every reader, and its build is never given the reader', async () => {
    sharedSeen.length = 0;
    assert.deepEqual(await get('ann', '/api/v1/test/shared'), { readers: 1 });
    assert.deepEqual(await get('vic', '/api/v1/test/shared'), { readers: 1 });
    assert.deepEqual(sharedSeen, [null], 'one computation, without a reader');
  });
});
