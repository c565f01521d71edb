/**
 * One core team over several repositories (issue 19): reviewstats describes nova as several
 * repositories with one nova-core; Steward says it with `teams:` in steward.yaml, or reads the
 * reviewstats project file itself. The team is counted once: a core team of 11, not 3 × 11, and the
 * per-core figures with it — on both engines, with Steward's definitions and reviewstats'.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AccountRef, ChangeRecord } from '../../src/model/records.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { openStore } from '../../src/store/open-store.js';
import { DAY, HOUR, T0, alice, makeChange, makeMessage, makeVote } from '../helpers/builders.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed JSON reports */

const REPOS = ['acme/server', 'acme/server-specs', 'acme/python-serverclient'];
const cores: AccountRef[] = Array.from({ length: 11 }, (_, i) => ({
  accountId: 3000 + i,
  username: `core${i + 1}`,
  name: `Core ${i + 1}`,
  email: `core${i + 1}@example.org`,
}));
const NOW = T0 + 4 * DAY;
const DAYS = 5;

/** Each repository gets two changes; cores review them: 4 reviews by cores per repository, 12 in all. */
function history(): ChangeRecord[] {
  let n = 700;
  return REPOS.flatMap((project, r) =>
    [0, 1].map((k) =>
      makeChange(++n, {
        project,
        owner: alice,
        votes: [
          makeVote({ voter: cores[(r * 2 + k) % 11]!, value: 1, grantedAt: T0 + (r + 1) * DAY }),
          makeVote({ voter: cores[(r * 2 + k + 5) % 11]!, value: 2, grantedAt: T0 + (r + 1) * DAY + HOUR }),
        ],
        messages: [makeMessage(0, { author: alice, text: 'Uploaded patch set 1.', kind: 'upload', date: T0 })],
        ciBuilds: [],
      }),
    ),
  );
}

const HOST = 'hosts:\n  - name: review.example.org\n    url: https://review.example.org\n';
const MEMBERS = cores.map((c) => c.username!);
const TEAM_YAML = `${HOST}teams:\n  - name: server\n    projects: [${REPOS.join(', ')}]\n    core:\n      members: [${MEMBERS.join(', ')}]\n`;
const REVIEWSTATS_JSON = JSON.stringify({ name: 'server', subprojects: REPOS, 'core-team': MEMBERS, lp_projects: ['server'] }, null, 2);
/** What steward.yaml could only say before: each repository its own copy of the list. */
const COPIES_YAML = `${HOST}projects:\n${REPOS.map((p) => `  - name: ${p}\n    core:\n      members: [${MEMBERS.join(', ')}]\n`).join('')}`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-team-repos-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const engine of ENGINES) {
  describe(`one core team over three repositories (${engine.name})`, { skip: engine.skip }, () => {
    let location: string;
    let cleanup: () => Promise<void>;
    let cwd: string;
    before(async () => {
      ({ location, cleanup } = await freshLocation(engine.name));
      cwd = mkdtempSync(join(dir, `${engine.name}-`));
      writeFileSync(join(cwd, 'team.yaml'), TEAM_YAML);
      writeFileSync(join(cwd, 'copies.yaml'), COPIES_YAML);
      writeFileSync(join(cwd, 'server.json'), REVIEWSTATS_JSON);
      writeFileSync(join(cwd, 'from-file.yaml'), `${HOST}teams:\n  - reviewstats: server.json\n`);
      const store = await openStore(location);
      const records = history();
      await store.db
        .transaction()
        .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'ssh', store.bulk));
      await store.close();
    });
    after(async () => cleanup());
    const run = async (config: string, extra: string[]) => {
      const r = await runSteward(
        ['reviewers', ...extra, '--config', config, '--db', location, '--now', new Date(NOW).toISOString(), '--format', 'json'],
        { cwd },
      );
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as any;
    };

    it('--compat reviewstats: a core team of 11 and reviewstats’ per-core average, from teams:, the reviewstats file, or the file named in teams:', async () => {
      for (const config of ['team.yaml', 'server.json', 'from-file.yaml']) {
        const r = await run(config, ['--compat', 'reviewstats', '--days', String(DAYS)]);
        assert.equal(r.totals.coreTeamSize, 11, config);
        assert.equal(r.totals.coreReviews, 12, config);
        // reviewstats: core reviews / days / core team size, to one decimal.
        assert.equal(r.totals.coreReviewsPerCorePerDay, Math.round((12 / DAYS / 11) * 10) / 10, config);
        assert.ok(
          r.rows.filter((x: any) => x.core).length > 0 && r.rows.every((x: any) => x.core === MEMBERS.includes(x.reviewer)),
          config,
        );
      }
      // The copies are three lists: reviewstats would sum them too — which is why a team says it once.
      const copies = await run('copies.yaml', ['--compat', 'reviewstats', '--days', String(DAYS)]);
      assert.equal(copies.totals.coreTeamSize, 33);
      assert.notEqual(copies.totals.coreReviewsPerCorePerDay, Math.round((12 / DAYS / 11) * 10) / 10, 'the window shows the difference');
    });

    it("Steward's definitions: the same 11, every repository's reviews by them core reviews", async () => {
      const r = await run('team.yaml', ['--days', String(DAYS)]);
      assert.equal(r.totals.coreTeamSize, 11);
      assert.equal(r.totals.coreReviews, 12);
      assert.equal(r.totals.coreDays, 11 * DAYS);
      assert.match(r.sources.coreTeam, /team server \(acme\/server, acme\/server-specs, acme\/python-serverclient\)/);
      const j = await run('server.json', ['--days', String(DAYS)]);
      assert.deepEqual(j.totals, r.totals, 'the reviewstats file and teams: say the same');
    });
  });
}
