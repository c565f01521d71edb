import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { fillChangeFlow } from '../../src/store/migrations/0012-change-flow.js';
import { loadFlowChanges } from '../../src/store/queries/flow.js';
import type { Store } from '../../src/store/engine.js';
import type { ChangeRecord } from '../../src/model/records.js';
import { alice, bob, carol, makeChange, makePatchSet, makeVote } from '../helpers/builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';

async function write(store: Store, records: ChangeRecord[]) {
  return store.db
    .transaction()
    .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'rest', store.bulk));
}

/** change_flow as sets of records per change, so that the order of records does not matter. */
async function flowRows(store: Store): Promise<Record<number, { patchSets: string[]; votes: string[] }>> {
  const rows = await store.db.selectFrom('change_flow').selectAll().orderBy('change_id').execute();
  const split = (s: string) => (s === '' ? [] : s.split('\u001e').sort());
  return Object.fromEntries(rows.map((r) => [r.change_id, { patchSets: split(r.patch_sets), votes: split(r.votes) }]));
}

const changes = [
  makeChange(1),
  makeChange(2, {
    patchSets: [makePatchSet(1), makePatchSet(2, { created: 1_700_000_123_456 })],
    votes: [
      makeVote({ voter: bob, value: 2 }),
      makeVote({ voter: carol, value: -1, patchSet: 2, label: 'Verified', copied: true }),
      makeVote({ voter: alice, selfVote: true, value: 0 }),
    ],
  }),
  makeChange(3, { votes: [] }),
];

for (const engine of ENGINES) {
  describe(`change_flow on ${engine.name}`, { skip: engine.skip }, () => {
    it('holds every patch set and vote of each change, as the migration fills it from the rows', async () => {
      await withStore(engine.name, async (store) => {
        await write(store, changes);
        const written = await flowRows(store);
        assert.equal(Object.keys(written).length, 3);
        const votes = await store.db.selectFrom('votes').selectAll().execute();
        const ps = await store.db.selectFrom('patch_sets').selectAll().execute();
        for (const [id, f] of Object.entries(written)) {
          const mine = votes.filter((v) => v.change_id === Number(id));
          assert.deepEqual(
            f.votes,
            mine.map((v) => [v.patch_set, v.label, v.value, v.voter_id, v.granted_at, v.copied].join('\u001f')).sort(),
          );
          assert.deepEqual(
            f.patchSets,
            ps
              .filter((p) => p.change_id === Number(id))
              .map((p) => `${p.number}\u001f${p.created}`)
              .sort(),
          );
        }
        await store.db.deleteFrom('change_flow').execute();
        await fillChangeFlow(store.db, store.caps);
        assert.deepEqual(await flowRows(store), written);
      });
    });

    it('is what the flow loaders read: every patch set and vote of the rows, up to asOf, for every scope', async () => {
      await withStore(engine.name, async (store) => {
        const odd = makeChange(4, {
          patchSets: [makePatchSet(1), makePatchSet(2), makePatchSet(10, { created: 1_700_000_999_000 })],
          votes: [
            makeVote({ voter: bob, value: -2, label: 'Code-Review' }),
            makeVote({ voter: carol, value: 1, label: 'Backport-Candidate', patchSet: 2 }),
            makeVote({ voter: alice, value: -1, label: 'Workflow', patchSet: 10, grantedAt: 1_700_000_999_500, copied: true }),
            makeVote({ voter: bob, value: 1, label: 'Approved', patchSet: 2 }),
          ],
        });
        await write(store, [...changes, odd]);
        const ids = (await store.db.selectFrom('changes').select('id').orderBy('id').execute()).map((r) => r.id);
        const votes = await store.db.selectFrom('votes').selectAll().execute();
        const ps = await store.db.selectFrom('patch_sets').selectAll().execute();
        const asOfs = [Number.MAX_SAFE_INTEGER, 1_700_000_999_200];
        for (const asOf of asOfs) {
          for (const scope of [
            { kind: 'ids', ids },
            { kind: 'open', at: Number.MAX_SAFE_INTEGER },
            { kind: 'active', since: 0, until: Number.MAX_SAFE_INTEGER },
          ] as const) {
            const loaded = await loadFlowChanges(store.db, store.engine, { scope, asOf });
            assert.equal(loaded.length, 4, scope.kind);
            for (const c of loaded) {
              const want = votes
                .filter((v) => v.change_id === c.id && v.granted_at <= asOf)
                .map((v) => [v.patch_set, v.label, v.value, v.voter_id, v.granted_at, v.copied === 1]);
              const got = c.votes.map((v) => [v.patchSet, v.label, v.value, v.voterId, v.at, v.copied]);
              const key = (x: unknown[]) => JSON.stringify(x);
              assert.deepEqual(got.map(key).sort(), want.map(key).sort(), `${scope.kind} change ${c.number}`);
              assert.deepEqual(
                c.patchSets,
                ps
                  .filter((p) => p.change_id === c.id && p.created <= asOf)
                  .map((p) => ({ number: p.number, created: p.created }))
                  .sort((a, b) => a.number - b.number),
              );
            }
          }
        }
      });
    });

    it('is replaced with the change when a newer copy is written', async () => {
      await withStore(engine.name, async (store) => {
        await write(store, changes);
        const newer = makeChange(2, { updated: changes[1]!.updated + 1000, votes: [makeVote({ voter: carol, value: 1 })] });
        await write(store, [newer]);
        const rows = await flowRows(store);
        const id = (await store.db.selectFrom('changes').select('id').where('number', '=', 2).executeTakeFirstOrThrow()).id;
        assert.equal(rows[id]!.votes.length, 1);
        assert.match(rows[id]!.votes[0]!, /^1\u001fCode-Review\u001f1\u001f\d+\u001f\d+\u001f0$/);
      });
    });
  });
}
