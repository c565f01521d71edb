/**
 * Issue 6, done when: "on the demo project every reason occurs and each is tested against the
 * planted cause". `steward demo` writes the demo project with its specs repository; `steward specs
 * sync` and `steward specs report` run on it without arguments (the demo's configuration kept in
 * the store names the repository and the calendar), in both engines; every planted spec
 * (demoConfig().planted.specs, src/demo/demo-specs.ts) must get its planted reason, with evidence
 * that says what was planted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoConfig } from '../../src/demo/demo-project.js';
import { PLANTED_SPEC_REASONS } from '../../src/demo/demo-specs.js';
import { runSteward } from '../helpers/cli.js';
import { importedDemo } from '../helpers/demo-cache.js';
import { ENGINES } from '../helpers/stores.js';

const NOW = Date.UTC(2025, 5, 1);
const DEMO = { seed: 7, changes: 2500, now: NOW };
const planted = demoConfig(DEMO).planted;
const release = planted.specsRelease!;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed report
type Json = any;

for (const engine of ENGINES) {
  describe(`the specs report on the demo project (${engine.name})`, { skip: engine.skip }, () => {
    let dir: string;
    let location: string;
    let cleanup: () => Promise<void>;
    let report: Json;
    const bySpec = (bp: string): Json => report.specs.find((s: Json) => s.blueprint === bp);
    before(async () => {
      // `steward demo --now 2025-06-01 --seed 7 --changes 2500` into a store, made once per run and
      // copied (security-advisories-demo reads the same one).
      ({ location, cleanup, dir } = await importedDemo(engine.name, ['--now', '2025-06-01', '--seed', '7', '--changes', '2500'], NOW));
      // No steward.yaml in `dir`: every command below reads the demo's configuration from the store.
      const run = async (args: string[]) => {
        const r = await runSteward([...args, '--db', location], { cwd: dir, now: NOW });
        assert.equal(r.code, 0, r.stderr);
        return r.stdout;
      };
      await run(['specs', 'sync']);
      report = JSON.parse(await run(['specs', 'report', '--release', release, '--format', 'json']));
    });
    after(async () => {
      await cleanup();
    });

    it('plants every reason the issue names, once each, and the report finds each planted cause first', () => {
      assert.deepEqual(Object.values(planted.specs).sort(), [...PLANTED_SPEC_REASONS].sort());
      for (const [bp, reason] of Object.entries(planted.specs)) {
        const s = bySpec(bp);
        assert.ok(s, `spec of ${bp} in the report`);
        assert.equal(s.landed, false, bp);
        if (reason === 'landed-later') {
          // Landing later is what happened afterwards, not a cause: in its release, its change was
          // left waiting on its owner.
          assert.equal(s.reason, 'waited-on-author', `${bp}: ${s.evidence}`);
          assert.equal(s.outcome.outcome, 're-proposed-landed');
          assert.equal(s.outcome.releasesLater, 1);
        } else {
          assert.equal(s.reason, reason, `${bp}: ${s.evidence}`);
        }
      }
      const summary = report.releases.find((r: Json) => r.release === release);
      assert.equal(summary.approved, 11);
      assert.equal(summary.implemented, 4);
      assert.equal(summary.notLanded, 7);
      assert.equal(summary.reviewData, true);
      for (const reason of PLANTED_SPEC_REASONS) {
        if (reason === 'landed-later') continue;
        assert.equal(summary.reasons.find((r: Json) => r.reason === reason).specs, reason === 'waited-on-author' ? 2 : 1, reason);
      }
      assert.equal(
        summary.reasons.some((r: Json) => r.reason === 'landed-later'),
        false,
      );
      assert.equal(summary.outcomes.find((o: Json) => o.outcome === 're-proposed-landed').specs, 1);
      assert.equal(summary.landedLater, 1);
    });

    it('gives the evidence of each planted story', () => {
      const of = (reason: string): Json => bySpec(Object.keys(planted.specs).find((b) => planted.specs[b] === reason)!);
      assert.deepEqual(of('no-code').changes, []);
      const noCore = of('no-core-review');
      assert.equal(noCore.changes.length, 1);
      assert.equal(noCore.changes[0].coreReviewedBeforeFreeze, false);
      assert.equal(noCore.changes[0].atFreeze, 'reviewers');
      const author = of('waited-on-author');
      assert.equal(author.changes[0].atFreeze, 'author');
      assert.ok(author.changes[0].negativeReviews >= 1 && author.changes[0].waitingDays > 30);
      assert.match(author.evidence, /negative review unanswered/);
      const reviewers = of('waited-on-reviewers');
      assert.equal(reviewers.changes[0].plusTwos, 1);
      assert.match(reviewers.evidence, /one \+2 short/);
      assert.equal(of('blocked').changes[0].blocked, true);
      const part = of('part-merged');
      assert.deepEqual(part.changes.map((c: Json) => c.atFreeze).sort(), ['abandoned', 'merged']);
      const later = of('landed-later');
      assert.deepEqual(
        later.reProposals.map((p: Json) => [p.release.toLowerCase(), p.implementedAt !== null]),
        [[demoConfig(DEMO).releases.at(-1)!.name.toLowerCase(), true]],
      );
    });

    it('lands the other specs of the release, each with merged code', () => {
      const landed = report.specs.filter((s: Json) => s.landed);
      assert.equal(landed.length, 4);
      for (const s of landed) {
        assert.equal(planted.specs[s.blueprint], undefined);
        assert.ok(
          s.changes.some((c: Json) => c.mergedAt !== null),
          s.blueprint,
        );
      }
    });
  });
}
