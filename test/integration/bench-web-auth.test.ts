/**
 * The signed-in web benchmark's plumbing (src/bench/web-auth.ts, web-bench.ts), on a small store of
 * each engine: the scratch copy leaves the store it copies untouched; the bench's readers, planted
 * in the copy, sign in through the real login form of a server on loopback and get a cookie that
 * works; each reader's turn of requests answers the status the load run expects of it (the tracker's
 * item for the member and the grantee, a missing item for the viewer and the lead); a wrong password
 * gets no session.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { BENCH_READERS, REPORT_PATHS, plantBenchAccounts, readerName, readerRequests, signInReader } from '../../src/bench/web-auth.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { demoConfigYaml } from '../../src/demo/demo-config-yaml.js';
import { writeRestExport } from '../../src/demo/demo-export.js';
import { importFiles } from '../../src/ingest/import-files.js';
import { copyPostgresDatabase, copySqliteStore, dropPostgresDatabase } from '../../src/store/maintenance.js';
import { openStore } from '../../src/store/open-store.js';
import { secretBox } from '../../src/store/secret-box.js';
import { listUsers } from '../../src/store/users-store.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';
import { migratedStore } from '../helpers/demo-cache.js';
import { ENGINES, PG_ADMIN_URL, pgDatabaseName } from '../helpers/stores.js';
import { TEST_HASH } from '../helpers/web-auth.js';

/** The bench's demo project, small: 60 changes over 3 months to the bench's end date. */
const DEMO = { seed: 7, changes: 60, months: 3, now: Date.UTC(2026, 0, 1) };

for (const engine of ENGINES) {
  describe(`web bench: signed-in readers (${engine.name})`, { skip: engine.skip }, () => {
    it('plants its readers in a copy, signs them in through the form, and each gets what the load run expects', async () => {
      // A small bench store, made as the bench makes its own: the demo's REST export imported.
      const source = await migratedStore(engine.name);
      const dir = mkdtempSync(join(tmpdir(), 'steward-bench-auth-'));
      const exportPath = join(dir, 'rest.json');
      await writeRestExport(DEMO, exportPath, { pageSize: 50 });
      const filling = await openStore(source.location);
      try {
        assert.equal((await importFiles(filling, [exportPath], { host: 'review.example.org' })).stopped, null);
      } finally {
        await filling.close();
        rmSync(dir, { recursive: true, force: true });
      }
      const copyName = engine.name === 'postgres' ? `${pgDatabaseName(source.location)}_copy` : '';
      const copy =
        engine.name === 'sqlite'
          ? await copySqliteStore(source.location, `${source.location}.copy`)
          : await copyPostgresDatabase(PG_ADMIN_URL!, pgDatabaseName(source.location), copyName);
      const store = await openStore(copy);
      const box = secretBox(randomBytes(32));
      let app: Awaited<ReturnType<typeof buildApp>> | undefined;
      try {
        const effective = {
          config: parseConfig(demoConfigYaml(DEMO), 'the demo configuration'),
          path: null,
          origin: 'the demo configuration',
        };
        const config = async () => effective;
        // Cheap scrypt parameters for the readers' hash and the login's (the real ones cost ~0.3 s
        // of CPU a hash, and each sign-in verifies one): what is tested is the plumbing.
        const accounts = await plantBenchAccounts(store, box, effective.config, Date.now(), TEST_HASH);
        const original = await openStore(source.location);
        try {
          assert.equal((await listUsers(original.db)).length, 0, 'the store copied from is left as it was');
        } finally {
          await original.close();
        }
        app = await buildApp({
          store,
          config,
          auth: accessHooks({ enabled: true, store, clock: () => Date.now(), config, securityBox: box, hashParams: TEST_HASH }),
        });
        const url = await app.listen({ port: 0, host: '127.0.0.1' });

        for (const reader of BENCH_READERS) {
          const cookie = await signInReader(url, readerName(reader), accounts.password);
          assert.match(cookie, /steward_session=/);
          for (const q of readerRequests(reader, REPORT_PATHS, accounts.itemId)) {
            const r = await fetch(url + q.path, { headers: { cookie, accept: q.accept ?? 'application/json' }, redirect: 'manual' });
            const body = await r.text();
            assert.equal(r.status, q.expect, `${reader} GET ${q.path}: ${body.slice(0, 200)}`);
            if (q.path === '/api/v1/security/items') {
              const want = reader === 'member' ? accounts.items : reader === 'grantee' ? 1 : 0;
              assert.equal((JSON.parse(body) as { items: unknown[] }).items.length, want, reader);
            }
          }
        }
        // Without the cookie the same request is refused: the cookie is what lets the readers in.
        assert.equal((await fetch(url + REPORT_PATHS[0])).status, 401);
        await assert.rejects(signInReader(url, readerName('viewer'), 'not-the-password'), /without a session cookie/);
      } finally {
        await app?.close();
        await store.close();
        if (engine.name === 'postgres') await dropPostgresDatabase(PG_ADMIN_URL!, copyName);
        await source.cleanup();
      }
    });
  });
}
