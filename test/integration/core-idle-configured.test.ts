/**
 * `steward core idle` lists every configured core: one who matches no account in the store (someone
 * who stopped before the imported history begins) is the most idle core of all — 0 reviews, "no
 * review in the whole history since <start>" — not left out; every configured name that matches no
 * account (cores, bots) is reported in `sources.unmatched`. Both engines.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { DEMO_CONFIG_META_KEY } from '../../src/service/effective-config.js';
import { openStore } from '../../src/store/open-store.js';
import { readMeta } from '../../src/store/queries/meta.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, WEB_NOW, type DemoStore } from '../helpers/web.js';

for (const engine of ENGINES) {
  describe(`core idle lists every configured core (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let configured: number;
    before(async () => {
      demo = await demoStore(engine.name);
      const store = await openStore(demo.location);
      const config = parse((await readMeta(store.db, DEMO_CONFIG_META_KEY))!) as {
        projects: Array<{ core?: { members?: Array<string | number> } }>;
        bots: Array<string | number>;
      };
      await store.close();
      config.projects[0]!.core!.members!.push('gone-before-history');
      config.bots.push('no-such-bot');
      configured = config.projects[0]!.core!.members!.length;
      writeFileSync(join(demo.dir, 'steward.yaml'), stringify(config));
    });
    after(async () => {
      await demo?.cleanup();
    });

    it('a core with no trace in the store is idle with 0 reviews, and unmatched names are reported', async () => {
      const json = await runSteward(['core', 'idle', '--db', demo.location, '--format', 'json'], { cwd: demo.dir, now: WEB_NOW });
      assert.equal(json.code, 0, json.stderr);
      const r = JSON.parse(json.stdout) as {
        cores: Array<{ username: string | null; count: number; idle: boolean }>;
        idle: Array<{ username: string | null }>;
        sources: { unmatched?: Array<{ name: string | number; as: string }> };
      };
      assert.equal(r.cores.length, configured, 'every configured core is listed');
      const ghost = r.cores.find((c) => c.username === 'gone-before-history');
      assert.deepEqual([ghost?.count, ghost?.idle], [0, true]);
      assert.ok(
        r.idle.some((c) => c.username === 'gone-before-history'),
        'and counted as idle',
      );
      assert.deepEqual(
        r.sources.unmatched?.map((u) => [u.name, u.as]),
        [
          ['no-such-bot', 'bot'],
          ['gone-before-history', 'core'],
        ],
      );
      const text = await runSteward(['core', 'idle', '--db', demo.location], { cwd: demo.dir, now: WEB_NOW });
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /gone-before-history +0 +no review in the whole history since \d{4}-\d{2}-\d{2}/);
      assert.match(text.stdout, new RegExp(`All ${configured} cores`));
    });
  });
}
