/**
 * The overview's reads (store/queries/activity.ts): the period's change counts and the open
 * changes with their latest patch set, and the CI line's job counts, give the overview that the
 * analysis computes from every change and every report as stored, on both engines, with and
 * without a project filter, and whatever form a report's job list was written in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeOverview, longestWaitingIds } from '../../src/analysis/overview.js';
import { toRestChange } from '../../src/demo/demo-export.js';
import { generateDemoChanges } from '../../src/demo/demo-project.js';
import type { ChangeTimeline, CiResultCount } from '../../src/model/activity.js';
import type { ChangeStatus } from '../../src/model/records.js';
import { parseRestChange } from '../../src/sources/gerrit/rest-parser.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import type { Store } from '../../src/store/engine.js';
import { situationAt } from '../../src/analysis/queue-state.js';
import {
  loadCiResultCounts,
  loadNegativeWorkflowChangeIds,
  loadOverviewChangeCounts,
  loadChangeLabels,
  loadOverviewChanges,
} from '../../src/store/queries/activity.js';
import { loadFlowChanges } from '../../src/store/queries/flow.js';
import { ENGINES, withStore } from '../helpers/stores.js';

const HOST = 'review.example.org';
const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

async function fill(store: Store): Promise<void> {
  const records = [...generateDemoChanges({ seed: 5, changes: 160, months: 3, now: NOW })].map((c, i) =>
    parseRestChange(toRestChange(c), { host: HOST, where: 'demo', path: `[${i}]` }),
  );
  await store.db
    .transaction()
    .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, HOST, store.bulk), records, 'rest', store.bulk));
}

/** Every stored change as a full timeline (every patch set): what the analysis counts from. */
async function allTimelines(store: Store, projects?: readonly string[]): Promise<ChangeTimeline[]> {
  const ps = await store.db.selectFrom('patch_sets').select(['change_id', 'created']).execute();
  const times = new Map<number, number[]>();
  for (const p of ps) times.set(p.change_id, [...(times.get(p.change_id) ?? []), Number(p.created)]);
  const rows = await store.db.selectFrom('changes').selectAll().orderBy('id').execute();
  return rows
    .filter((c) => !projects || projects.includes(c.project))
    .map((c) => ({
      id: c.id,
      host: c.host,
      project: c.project,
      branch: c.branch,
      number: c.number,
      subject: c.subject,
      ownerId: c.owner_id,
      status: c.status as ChangeStatus,
      workInProgress: c.wip === 1,
      created: Number(c.created),
      mergedAt: c.merged_at === null ? null : Number(c.merged_at),
      abandonedAt: c.abandoned_at === null ? null : Number(c.abandoned_at),
      patchSetCreated: (times.get(c.id) ?? []).sort((a, b) => a - b),
      insertions: c.insertions,
      deletions: c.deletions,
    }));
}

/** Every report's jobs parsed, counted by pipeline, voting and result, in a canonical order. */
async function parsedCounts(store: Store, since: number, until: number, projects?: readonly string[]): Promise<string[]> {
  const rows = await store.db
    .selectFrom('ci_reports')
    .innerJoin('changes', 'changes.id', 'ci_reports.change_id')
    .select(['changes.project', 'ci_reports.pipeline', 'ci_reports.jobs', 'ci_reports.reported_at'])
    .execute();
  const n = new Map<string, number>();
  for (const r of rows) {
    const at = Number(r.reported_at);
    if (at < since || at >= until || (projects && !projects.includes(r.project))) continue;
    for (const [, result, voting] of JSON.parse(r.jobs) as Array<[string, string, number]>) {
      const k = JSON.stringify([r.pipeline, voting === 1, result]);
      n.set(k, (n.get(k) ?? 0) + 1);
    }
  }
  return [...n].map(([k, runs]) => `${k} ${runs}`).sort();
}

const canonical = (counts: readonly CiResultCount[]): string[] =>
  counts.map((c) => `${JSON.stringify([c.pipeline, c.voting, c.result])} ${c.runs}`).sort();

for (const engine of ENGINES) {
  describe(`the overview's reads (${engine.name})`, { skip: engine.skip }, () => {
    it("bounds the queue's work in progress: every open change it calls so is flagged or has a negative Workflow vote on its current patch set", async () => {
      await withStore(engine.name, async (store) => {
        await fill(store);
        for (const now of [NOW, NOW - 20 * DAY, NOW - 45 * DAY]) {
          const flows = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'open', at: now }, asOf: now });
          const ctx = { isBot: () => false, gatingCi: new Set<number>() };
          const wip = flows.filter((c) => c.created <= now && situationAt(c, ctx, now).state === 'wip');
          const negative = await loadNegativeWorkflowChangeIds(store.db, { now });
          const byVote = wip.filter((c) => !c.workInProgress);
          for (const c of byVote) assert.ok(negative.has(c.id), `change ${c.number} (work in progress by a vote) is among the candidates`);
          // The candidates are what they say: each has such a vote on its newest patch set before now.
          for (const c of flows.filter((f) => negative.has(f.id))) {
            const current = Math.max(0, ...c.patchSets.filter((p) => p.created < now).map((p) => p.number));
            assert.ok(c.votes.some((v) => v.patchSet === current && v.value < 0 && (v.label === 'Workflow' || v.label === 'Approved')));
          }
          if (now === NOW) assert.ok(byVote.length > 0, 'the demo has changes in progress by a Workflow vote');
        }
      });
    });

    it('counts and open changes as the analysis makes them from every change; CI counts as parsing every report', async () => {
      await withStore(engine.name, async (store) => {
        await fill(store);
        const since = NOW - 30 * DAY;
        const win = { since, until: NOW, now: NOW };
        const projects = [...new Set((await allTimelines(store)).map((c) => c.project))].sort();
        assert.ok(projects.length >= 1);
        for (const filter of [undefined, [projects[0]!]]) {
          const full = computeOverview(
            { changes: await allTimelines(store, filter), acts: [], ci: [], isBot: () => false, coreIds: null },
            win,
          );
          const f = { projects: filter };
          const changeCounts = await loadOverviewChangeCounts(store.db, { ...f, since, until: NOW });
          const open = await loadOverviewChanges(store.db, { ...f, now: NOW, engine: store.engine });
          // The open changes come without project and subject: those of the listed ones are read apart.
          const labels = await loadChangeLabels(store.db, longestWaitingIds({ changes: open }, NOW));
          assert.equal(labels.size, full.open.longestWaiting.length);
          const read = computeOverview({ changes: open, labels, changeCounts, acts: [], ci: [], isBot: () => false, coreIds: null }, win);
          assert.deepEqual(read, full);
          assert.ok(full.changes.opened > 0 && full.open.count > 0, 'the demo has changes in the period and open ones');
          assert.ok(open.every((c) => c.patchSetCreated.length <= 1));

          const ci = await loadCiResultCounts(store.db, { ...f, since, until: NOW });
          assert.ok(ci.length > 0, 'the demo has CI reports in the period');
          assert.deepEqual(canonical(ci), await parsedCounts(store, since, NOW, filter));
        }

        // Job lists in another form (PostgreSQL's json_agg spacing, as migration 0013 wrote them;
        // an escaped result): parsed, with the same counts.
        const before = canonical(await loadCiResultCounts(store.db, { since, until: NOW }));
        const some = await store.db
          .selectFrom('ci_reports')
          .select(['change_id', 'message_seq', 'jobs'])
          .where('reported_at', '>=', since)
          .where('reported_at', '<', NOW)
          .limit(20)
          .execute();
        for (const [i, r] of some.entries()) {
          const jobs = JSON.parse(r.jobs) as unknown[][];
          const text = i % 2 ? JSON.stringify(jobs).replace(/"SUCCESS"/g, '"SUCC\\u0045SS"') : JSON.stringify(jobs, null, 1);
          await store.db
            .updateTable('ci_reports')
            .set({ jobs: text })
            .where('change_id', '=', r.change_id)
            .where('message_seq', '=', r.message_seq)
            .execute();
        }
        assert.deepEqual(canonical(await loadCiResultCounts(store.db, { since, until: NOW })), before);
      });
    });
  });
}
