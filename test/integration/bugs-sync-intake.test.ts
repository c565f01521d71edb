/**
 * `steward bugs sync` takes the embargoed bugs it stored (Private Security, Embargoed) into the
 * security tracker when the tracker's key is in the environment, as `steward security intake` does
 * it as the system (docs/security.md, "Intake from Launchpad"); without the key it takes nothing in
 * and says how; `--no-security-intake` leaves it out. On both engines, against the fake Launchpad.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bug } from '../../src/model/bugs.js';
import { makeBug, makeBugTask, BUG_T0 } from '../helpers/bug-builders.js';
import { runSteward } from '../helpers/cli.js';
import { FakeLaunchpad } from '../helpers/fake-launchpad.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const NOW = BUG_T0 + 30 * 86_400_000;
const KEY = { STEWARD_SECURITY_KEY: 'ab'.repeat(32) };
const TYPES: Array<[number, Bug['informationType']]> = [
  [501, 'Public'],
  [502, 'Private Security'],
  [503, 'Embargoed'],
  [504, 'Public Security'],
  [505, 'Private'],
];

let cwd: string;
let f: FakeLaunchpad;
before(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'steward-bugs-intake-'));
  f = new FakeLaunchpad({
    bugs: TYPES.map(([id, informationType]) => makeBug({ id, informationType })),
    tasks: TYPES.map(([id]) => makeBugTask({ bug: id, project: 'nova' })),
  });
  await f.start();
});
after(async () => {
  await f.stop();
  rmSync(cwd, { recursive: true, force: true });
});

for (const engine of ENGINES) {
  describe(`bugs sync, then the security intake (${engine.name})`, { skip: engine.skip }, () => {
    it('takes the embargoed bugs in with the key, once; says how without it; not with --no-security-intake', async () => {
      await withStore(engine.name, async (_store, location) => {
        const sync = (env: Record<string, string>, extra: string[] = []) =>
          runSteward(['bugs', 'sync', '--db', location, '--url', f.root, '--project', 'nova', '--no-blueprints', ...extra], {
            cwd,
            env,
            now: NOW,
          });

        const noKey = await sync({});
        assert.equal(noKey.code, 0, noKey.stderr);
        assert.match(
          noKey.stdout,
          /security intake: 2 embargoed bug\(s\) in the store, not taken into the security tracker here: STEWARD_SECURITY_KEY/,
        );

        const first = await sync(KEY);
        assert.equal(first.code, 0, first.stderr);
        assert.match(
          first.stdout,
          /security intake: 2 embargoed bug\(s\) in the store, 2 taken into the security tracker now, 0 already tracked/,
        );

        // The same items `steward security intake` sees: nothing left to take in.
        const intake = await runSteward(['security', 'intake', '--db', location, '--format', 'json'], { cwd, env: KEY, now: NOW });
        assert.equal(intake.code, 0, intake.stderr);
        assert.deepEqual(JSON.parse(intake.stdout), { bugs: 2, created: [], alreadyTracked: 2 });

        const again = await sync(KEY);
        assert.match(again.stdout, /2 embargoed bug\(s\) in the store, 0 taken into the security tracker now, 2 already tracked/);

        const off = await sync(KEY, ['--no-security-intake']);
        assert.equal(off.code, 0, off.stderr);
        assert.doesNotMatch(off.stdout + off.stderr, /security intake/);

        // The JSON summary stays the list of the projects' results; the intake's line goes to stderr.
        const json = await sync(KEY, ['--format', 'json']);
        assert.equal(json.code, 0, json.stderr);
        assert.equal((JSON.parse(json.stdout) as unknown[]).length, 1);
        assert.match(json.stderr, /security intake: 2 embargoed bug\(s\) in the store, 0 taken/);
      });
    });
  });
}
