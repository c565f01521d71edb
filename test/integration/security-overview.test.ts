/**
 * The overview's security line (docs/security.md, "The overview's security line"), on both
 * engines: the overview is shared and cached, so it shows published advisories only. An anonymous
 * reader's and a viewer's overview — API, page and the CLI's JSON — are byte for byte the same
 * whether or not embargoed items exist (the demo store has them in every state, one near its cap;
 * its copy has none); a team member's too, as the overview never reads the tracker.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { openStore } from '../../src/store/open-store.js';
import { listItemMeta } from '../../src/store/queries/security.js';
import { accessHooks } from '../../src/web/auth/access-hooks.js';
import { buildApp } from '../../src/web/build-app.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES } from '../helpers/stores.js';
import { WEB_NOW, demoStore } from '../helpers/web.js';
import { Jar, TEST_HASH, addUser, signIn } from '../helpers/web-auth.js';

const PW = 'a-password-long-enough-1';
const API = '/api/v1/overview?now=2026-11-01';

/** What each kind of reader gets from the store at `location`: the API and page, anonymous, signed in, and the CLI's JSON. */
async function overviews(location: string, dir: string): Promise<Record<string, string>> {
  const store = await openStore(location);
  const out: Record<string, string> = {};
  try {
    const config = async () => resolveEffectiveConfig(loadConfig(undefined, dir), store);
    const open = await buildApp({ store, config, clock: () => WEB_NOW, cwd: dir });
    const show = (r: LightMyRequestResponse) => {
      const h = { ...r.headers };
      delete h['date'];
      return `${r.statusCode}\n${JSON.stringify(h)}\n${r.body}`;
    };
    try {
      out['anonymous api'] = show(await open.inject({ method: 'GET', url: API, headers: { accept: 'application/json' } }));
      out['anonymous page'] = show(await open.inject({ method: 'GET', url: '/?now=2026-11-01' }));
    } finally {
      await open.close();
    }
    for (const n of ['eve-viewer', 'sec-member']) await addUser(store, n, 'viewer', PW, WEB_NOW);
    const auth = await buildApp({
      store,
      config,
      clock: () => WEB_NOW,
      cwd: dir,
      auth: accessHooks({ enabled: true, store, clock: () => WEB_NOW, config, hashParams: TEST_HASH, loginAttemptsPerMinute: 10_000 }),
    });
    try {
      for (const who of ['eve-viewer', 'sec-member']) {
        const jar = new Jar();
        assert.equal((await signIn(auth, jar, who, PW)).statusCode, 303);
        // The session's own CSRF token (in the sign-out form) is the reader's, not the store's.
        const masked = (r: LightMyRequestResponse) => show(r).replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="…"');
        out[`${who} api`] = masked(
          await auth.inject({ method: 'GET', url: API, headers: { ...jar.header(), accept: 'application/json' } }),
        );
        out[`${who} page`] = masked(await auth.inject({ method: 'GET', url: '/?now=2026-11-01', headers: jar.header() }));
      }
    } finally {
      await auth.close();
    }
  } finally {
    await store.close();
  }
  const cli = await runSteward(['overview', '--format', 'json', '--now', '2026-11-01', '--db', location], { cwd: dir, now: WEB_NOW });
  assert.equal(cli.code, 0, cli.stderr);
  out['cli json'] = cli.stdout;
  return out;
}

for (const engine of ENGINES) {
  describe(`the overview's security line (${engine.name})`, { skip: engine.skip }, () => {
    it('shows published advisories, and reads byte for byte the same with and without embargoed items', async () => {
      const withItems = await demoStore(engine.name);
      const without = await demoStore(engine.name);
      try {
        // The copy without: every tracker row removed (the demo planted items in every state).
        const s = await openStore(without.location);
        try {
          const embargoed = (await listItemMeta(s.db)).filter((m) => !['disclosed', 'closed', 'rejected', 'public'].includes(m.state));
          assert.ok(embargoed.length >= 3, 'the demo plants embargoed items');
          for (const t of [
            'security_patch_reviews',
            'security_patches',
            'security_grants',
            'security_transitions',
            'security_items',
          ] as const)
            await s.db.deleteFrom(t).execute();
        } finally {
          await s.close();
        }
        const a = await overviews(withItems.location, withItems.dir);
        const b = await overviews(without.location, without.dir);
        for (const k of Object.keys(a)) {
          assert.match(a[k]!, /^(?:200\n|\{)/, `${k}: answered`);
          assert.equal(a[k], b[k], `${k}: the same with and without embargoed items`);
        }
        const json = JSON.parse(a['cli json']!) as {
          security: { published: number; year: number; thisYear: number; last: { id: string } | null };
        };
        assert.equal(json.security.year, 2026);
        assert.ok(json.security.published > 0 && json.security.last !== null, 'the demo publishes advisories');
        assert.match(a['anonymous page']!, /id="overview-security"/);
        assert.ok(!/embargo/i.test(a['cli json']!), 'no embargoed count in the shared overview');
      } finally {
        await withItems.cleanup();
        await without.cleanup();
      }
    });
  });
}
