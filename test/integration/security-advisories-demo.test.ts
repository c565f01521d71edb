/**
 * The demo's published advisories (src/demo/demo-advisories.ts): `steward demo` writes them as
 * OSSA-format files and imports them; the advisories report and the candidates report show them,
 * and every planted truth holds: each advisory is linked to its fix, the early fix is flagged, the
 * late backports are flagged, and the files read back as the advisories written.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { demoAdvisories, DEMO_EARLY_DAYS } from '../../src/demo/demo-advisories.js';
import { parseAdvisory } from '../../src/sources/advisories/advisory-yaml.js';
import { runSteward } from '../helpers/cli.js';
import { importedDemo } from '../helpers/demo-cache.js';
import { ENGINES } from '../helpers/stores.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON output
type Json = Record<string, any>;

const NOW = '2025-06-01';
const OPTS = { now: Date.parse(`${NOW}T00:00:00Z`), seed: 7, changes: 2500 };

for (const engine of ENGINES) {
  describe(`published advisories on the demo project (${engine.name})`, { skip: engine.skip }, () => {
    it('imports the planted advisories and reports each planted truth', async () => {
      // `steward demo --now 2025-06-01 --seed 7 --changes 2500` into a store (its folder in `out`), made
      // once per run and copied (specs-demo reads the same one).
      const { location, cleanup, dir, out } = await importedDemo(engine.name, ['--now', NOW, '--seed', '7', '--changes', '2500'], OPTS.now);
      const run = (args: string[]) => runSteward(['--db', location, ...args], { cwd: dir });
      try {
        const { records, truth } = demoAdvisories(OPTS);
        assert.ok(records.length >= 3, `only ${records.length} demo advisories`);
        assert.equal(truth.early.length, 1);
        assert.ok(truth.late.length >= 1, 'the demo plants a late backport');

        // The files read back as the advisories planted.
        const files = readdirSync(join(out, 'advisories')).sort();
        assert.deepEqual(files, records.map((r) => `${r.advisory.id}.yaml`).sort());
        for (const r of records) {
          const f = join(out, 'advisories', `${r.advisory.id}.yaml`);
          assert.deepEqual(parseAdvisory(readFileSync(f, 'utf8'), f).advisory, r.advisory);
        }

        const r = JSON.parse((await run(['security', 'advisories', '--now', NOW, '--format', 'json'])).stdout) as Json;
        assert.equal(r.total.advisories, records.length);
        assert.equal(r.total.linked, records.length);
        for (const a of r.advisories as Json[]) {
          // Linked to the planted fix, merged on master the day before (or DEMO_EARLY_DAYS before).
          assert.deepEqual(
            a.fixes.filter((f: Json) => f.source === 'change').map((f: Json) => Number(f.ref.split('#')[1])),
            [truth.fixes[a.id]],
            a.id,
          );
          const early = truth.early.includes(a.id);
          assert.ok(
            early ? a.fixToAdvisoryDays > DEMO_EARLY_DAYS - 1 : a.fixToAdvisoryDays > 0 && a.fixToAdvisoryDays <= 1,
            `${a.id}: ${a.fixToAdvisoryDays}`,
          );
          assert.equal(a.early, early, a.id);
          assert.equal(a.lateBackports > 0, truth.late.includes(a.id), a.id);
          assert.ok(a.backports.length >= 1, a.id);
        }
        assert.match((await run(['security', 'advisories', '--now', NOW])).stdout, /Fixes that landed long before the advisory:/);

        // Candidates: the backports' owners and reviewers worked on public security changes.
        const c = JSON.parse((await run(['security', 'candidates', '--now', NOW, '--days', '365', '--format', 'json'])).stdout) as Json;
        assert.ok(c.securityChanges >= records.length * 2, `${c.securityChanges} security changes`);
        assert.ok(c.areas.length >= 1);
        assert.ok((c.candidates as Json[]).some((x) => x.fixes > 0));
        assert.ok((c.candidates as Json[]).some((x) => x.securityReviews > 0));
        for (const x of c.candidates as Json[]) assert.notEqual(x.username, 'zuul', 'bots are left out');
      } finally {
        await cleanup();
      }
    });
  });
}
