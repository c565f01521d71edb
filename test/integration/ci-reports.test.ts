/**
 * CI builds are stored one row per CI report (ci_reports) and read through the ci_builds view
 * (migration 0013). The view must give back exactly the builds the parser produced, and a store
 * that held ci_builds rows before 0013 must end with the same builds after it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { toRestChange } from '../../src/demo/demo-export.js';
import { generateDemoChanges } from '../../src/demo/demo-project.js';
import type { ChangeRecord } from '../../src/model/records.js';
import { parseRestChange } from '../../src/sources/gerrit/rest-parser.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges, type WriteCounts } from '../../src/store/change-writer.js';
import { dumpStore } from '../../src/store/dump.js';
import type { Store } from '../../src/store/engine.js';
import { migrationList } from '../../src/store/migrations/index.js';
import { makeBuild, makeChange } from '../helpers/builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const HOST = 'review.example.org';
const DEMO = { seed: 11, changes: 120, months: 3, now: Date.UTC(2026, 0, 1) };

function demoRecords(): ChangeRecord[] {
  return [...generateDemoChanges(DEMO)].map((c, i) => parseRestChange(toRestChange(c), { host: HOST, where: 'demo', path: `[${i}]` }));
}

async function write(store: Store, records: ChangeRecord[]): Promise<WriteCounts> {
  return store.db
    .transaction()
    .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, HOST, store.bulk), records, 'rest', store.bulk));
}

/** The builds of the view as comparable tuples, with change numbers and account ids resolved. */
async function viewBuilds(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('ci_builds')
    .innerJoin('changes', 'changes.id', 'ci_builds.change_id')
    .leftJoin('accounts', 'accounts.id', 'ci_builds.reporter_id')
    .select([
      'changes.number',
      'message_seq',
      'patch_set',
      'pipeline',
      'job',
      'result',
      'voting',
      'duration_s',
      'log_url',
      'reported_at',
      'accounts.gerrit_id',
      'accounts.username',
    ])
    .execute();
  return rows
    .map((r) =>
      JSON.stringify([
        r.number,
        r.message_seq,
        r.patch_set,
        r.pipeline,
        r.job,
        r.result,
        r.voting,
        r.duration_s,
        r.log_url,
        r.reported_at,
        r.gerrit_id ?? r.username ?? null,
      ]),
    )
    .sort();
}

function recordBuilds(records: readonly ChangeRecord[]): string[] {
  return records
    .flatMap((c) =>
      c.ciBuilds.map((b) =>
        JSON.stringify([
          c.number,
          b.messageSeq,
          b.patchSet,
          b.pipeline,
          b.job,
          b.result,
          b.voting ? 1 : 0,
          b.durationSeconds,
          b.logUrl,
          b.reportedAt,
          b.reporter?.accountId ?? b.reporter?.username ?? null,
        ]),
      ),
    )
    .sort();
}

for (const engine of ENGINES) {
  describe(`CI reports on ${engine.name}`, { skip: engine.skip }, () => {
    it('gives back, through the ci_builds view, every build the parser found, with the same values and types', async () => {
      const records = demoRecords();
      const builds = records.reduce((n, c) => n + c.ciBuilds.length, 0);
      assert.ok(builds > 500, `the demo sample has CI builds (${builds})`);
      await withStore(engine.name, async (store) => {
        const counts = await write(store, records);
        assert.equal(counts.builds, builds);
        assert.deepEqual(await viewBuilds(store), recordBuilds(records));
        // One row per report message: fewer rows than builds, and each report's builds share its message.
        const reports = await store.db.selectFrom('ci_reports').select(['change_id', 'message_seq']).execute();
        assert.ok(reports.length < builds / 2, `${reports.length} reports for ${builds} builds`);
        assert.equal(new Set(reports.map((r) => `${r.change_id}/${r.message_seq}`)).size, reports.length);
        const nonVoting = (await store.db.selectFrom('ci_builds').select('voting').where('voting', '=', 0).execute()).length;
        assert.equal(
          nonVoting,
          records.reduce((n, c) => n + c.ciBuilds.filter((b) => !b.voting).length, 0),
        );
      });
    });

    it('keeps builds of one message apart when they differ in patch set, pipeline, time or reporter', async () => {
      const zuul2 = { accountId: 99, username: 'other-ci', name: 'Other CI' };
      const record = makeChange(7, {
        ciBuilds: [
          makeBuild({ job: 'a' }),
          makeBuild({ job: 'b', durationSeconds: null, logUrl: null, voting: false }),
          makeBuild({ job: 'c', pipeline: null }),
          makeBuild({ job: 'd', reporter: zuul2 }),
          makeBuild({ job: 'e', reporter: null, patchSet: 2 }),
          makeBuild({ job: 'f', messageSeq: 2 }),
        ],
      });
      await withStore(engine.name, async (store) => {
        await write(store, [record]);
        assert.deepEqual(await viewBuilds(store), recordBuilds([record]));
        assert.equal((await store.db.selectFrom('ci_reports').select('jobs').execute()).length, 5);
      });
    });

    it('a newer copy of a change replaces its reports', async () => {
      const old = makeChange(8, { ciBuilds: [makeBuild({ job: 'a' }), makeBuild({ job: 'b' })] });
      const newer = makeChange(8, { updated: old.updated + 1000, ciBuilds: [makeBuild({ job: 'c', result: 'FAILURE' })] });
      await withStore(engine.name, async (store) => {
        await write(store, [old]);
        await write(store, [newer]);
        assert.deepEqual(await viewBuilds(store), recordBuilds([newer]));
      });
    });

    it('migration 0013 turns a store of per-build rows into reports with the same builds', async () => {
      const records = demoRecords();
      await withStore(engine.name, async (store) => {
        await write(store, records);
        const before = await dumpStore(store);
        // Put the CI tables back as they were at 0012 (the builds as table rows, no reports) and the
        // index 0015 dropped, then run 0013 and 0015 as the migrator does. The later migrations
        // touch none of this, so they stay applied.
        await store.db.transaction().execute(async (trx) => {
          await sql`create table ci_builds_old as select * from ci_builds`.execute(trx);
          await sql`drop view ci_builds`.execute(trx);
          await sql`drop table ci_reports`.execute(trx);
          await sql`alter table ci_builds_old rename to ci_builds`.execute(trx);
          await sql`create index messages_date on messages (date)`.execute(trx);
        });
        assert.equal(
          Number((await sql<{ n: number }>`select count(*) as n from ci_builds`.execute(store.db)).rows[0]!.n),
          before.ci_builds!.length,
        );
        const list = migrationList(store.caps);
        for (const name of ['0013-ci-reports', '0015-drop-messages-date']) await list[name]!.up(store.db);
        const after = await dumpStore(store);
        assert.deepEqual(after, before);
        assert.deepEqual(await viewBuilds(store), recordBuilds(records));
      });
    });
  });
}
