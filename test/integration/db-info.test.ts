/**
 * `steward db info` without --exact (issue 20, a fast start): the count that costs a full read — the
 * CI builds, a view over the reports' packed jobs — is estimated from a sample of the reports and
 * named as an estimate, close to the exact count; PostgreSQL tables its statistics put above 10,000
 * rows take that estimate. With exact counts asked for, nothing is estimated.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { storeInfo } from '../../src/store/store-info.js';
import { makeChange } from '../helpers/builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const REPORTS = 12_000;

for (const engine of ENGINES) {
  describe(`db info on ${engine.name}`, { skip: engine.skip }, () => {
    it('estimates the CI builds from a sample of the reports, and counts them with exact', async () => {
      await withStore(engine.name, async (store) => {
        const record = makeChange(1);
        await store.db.transaction().execute(async (trx) => {
          const resolver = new AccountResolver(trx, record.host, store.bulk);
          await writeChanges(trx, resolver, [record], 'rest', store.bulk);
        });
        const change = await store.db.selectFrom('changes').select('id').executeTakeFirstOrThrow();
        // Reports of 1 to 9 jobs in turn: 5 jobs each on average, about 60,000 builds in all.
        const rows = Array.from({ length: REPORTS }, (_, i) => ({
          change_id: change.id,
          message_seq: 1000 + i,
          patch_set: 1,
          pipeline: 'check',
          reported_at: 1_700_000_000_000 + i * 1000,
          reporter_id: null,
          jobs: JSON.stringify(Array.from({ length: 1 + (i % 9) }, (_j, k) => [`job-${k}`, 'SUCCESS', 1, 60, null])),
        }));
        for (let i = 0; i < rows.length; i += 500)
          await store.db
            .insertInto('ci_reports')
            .values(rows.slice(i, i + 500))
            .execute();
        if (store.engine === 'postgres') await sql`analyze`.execute(store.db);

        const exact = await storeInfo(store, { exact: true });
        assert.deepEqual(exact.estimated, []);
        const builds = exact.rowCounts.ci_builds!;
        const planted = rows.reduce((n, r) => n + (JSON.parse(r.jobs) as unknown[]).length, 0);
        assert.ok(builds >= planted, `${builds} builds: the ${planted} planted and the change's own`);

        const quick = await storeInfo(store, { exact: false });
        assert.deepEqual(Object.keys(quick.rowCounts), Object.keys(exact.rowCounts), 'every table, in the same order');
        assert.ok(quick.estimated.includes('ci_builds'), `estimated: ${quick.estimated.join(', ')}`);
        const off = Math.abs(quick.rowCounts.ci_builds! - builds) / builds;
        assert.ok(off < 0.05, `estimate ${quick.rowCounts.ci_builds} against ${builds} (${(off * 100).toFixed(1)}% off)`);
        if (store.engine === 'postgres') {
          assert.ok(quick.estimated.includes('ci_reports'), 'above 10,000 rows: the planner estimate');
          assert.ok(Math.abs(quick.rowCounts.ci_reports! - exact.rowCounts.ci_reports!) <= exact.rowCounts.ci_reports! * 0.05);
        } else {
          assert.equal(quick.rowCounts.ci_reports, exact.rowCounts.ci_reports, 'SQLite counts its tables exactly (by index)');
        }
        for (const t of Object.keys(exact.rowCounts).filter((t) => !quick.estimated.includes(t))) {
          assert.equal(quick.rowCounts[t], exact.rowCounts[t], t);
        }
      });
    });
  });
}
