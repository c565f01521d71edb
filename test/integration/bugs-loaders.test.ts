/**
 * The bug reports' narrow loaders (store/queries/bugs.ts loadBacklogData, loadTargetsData, and
 * loadBugData for the rota's bugs) give the same reports as the whole data read into memory
 * (loadBugData, then analysis's backlogDataFrom and targetsDataFrom): what the loaders leave out or
 * count in SQL changes nothing. On the demo, both engines, at several dates and windows; and the
 * targets' fixers on a store built here (below).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeBugBacklog } from '../../src/analysis/bugs-backlog.js';
import { backlogDataFrom, weekStarts } from '../../src/analysis/bugs-common.js';
import { computeBugRota, rotaBugTasksFrom } from '../../src/analysis/bugs-rota.js';
import { computeBugTargets, targetsDataFrom } from '../../src/analysis/bugs-targets.js';
import { DEMO_LAUNCHPAD_PROJECT } from '../../src/demo/demo-specs-repo.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/engine.js';
import { loadBacklogData, loadBugData, loadRotaBugs, loadRotaData, loadTargetsData } from '../../src/store/queries/bugs.js';
import type { RotaBugTask } from '../../src/model/bugs.js';
import { AccountResolver } from '../../src/store/account-resolver.js';
import { writeChanges } from '../../src/store/change-writer.js';
import { writeLaunchpadPage } from '../../src/store/ingest-writes.js';
import type { ChangeRecord, LinkKind } from '../../src/model/records.js';
import { alice, bob, carol, makeChange } from '../helpers/builders.js';
import { BUG_T0, makeBug, makeBugTask } from '../helpers/bug-builders.js';
import { ENGINES, withStore } from '../helpers/stores.js';
import { demoStore, WEB_NOW, type DemoStore } from '../helpers/web.js';

const DAY = 86_400_000;
const CASES = [
  { now: WEB_NOW, weeks: 26 },
  { now: WEB_NOW - 60 * DAY, weeks: 8 },
  { now: WEB_NOW - 200 * DAY, weeks: 52 },
];

for (const engine of ENGINES) {
  describe(`bug report loaders equal the whole data (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let store: Store;
    before(async () => {
      demo = await demoStore(engine.name);
      store = await openStore(demo.location);
    });
    after(async () => {
      await store?.close();
      await demo?.cleanup();
    });

    for (const projects of [[], [DEMO_LAUNCHPAD_PROJECT]])
      it(`backlog and targets (${projects.length ? 'one project' : 'every project'})`, async () => {
        const all = await loadBugData(store.db, projects);
        for (const { now, weeks } of CASES)
          for (const showRestricted of [false, true]) {
            const bo = { now, weeks, cohortDays: 365, highImportances: ['Critical', 'High'] as const, showRestricted };
            const since = Math.min(weekStarts(now, weeks)[0]!, now - 365 * DAY);
            assert.deepEqual(
              computeBugBacklog(await loadBacklogData(store.db, store.engine, projects, { now, since }), bo),
              computeBugBacklog(backlogDataFrom(all, now), bo),
            );
            const to = { now, highImportances: ['Critical', 'High'] as const, staleDays: 90, fixersDays: 730, limit: 1000, showRestricted };
            assert.deepEqual(
              computeBugTargets(await loadTargetsData(store.db, projects, to, store.engine), to),
              computeBugTargets(targetsDataFrom(all, to), to),
            );
          }
      });

    it("rota: the rota's bugs alone give the same report as every bug", async () => {
      for (const { now, weeks } of CASES) {
        const since = now - weeks * 7 * DAY - 7 * DAY;
        const rota = await loadRotaData(store.db, store.engine, {
          since,
          reviewsSince: since,
          maxLines: 30,
          tag: 'TrivialFix',
          members: ['nobody'],
        });
        const rules = { members: [], duty: [], maxLines: 30, tag: 'TrivialFix', importances: ['Medium', 'Low'] as const, neverPaths: [] };
        const o = { now, weeks, quietWeeks: 13, rules, limit: 1000 };
        const named = [...new Set(rota.changes.flatMap((c) => c.bugs))];
        const whole = computeBugRota(rota, await loadBugData(store.db, [], { refs: false }), o);
        assert.deepEqual(computeBugRota(rota, await loadBugData(store.db, [], { refs: false, bugs: named }), o), whole);
        // The rota's four columns of its bugs (loadRotaBugs) are what the analysis takes from their records.
        const sorted = (xs: RotaBugTask[]) => [...xs].sort((a, b) => a.bug - b.bug || a.importance.localeCompare(b.importance));
        for (const projects of [[], [DEMO_LAUNCHPAD_PROJECT], ['no-such-project']])
          assert.deepEqual(
            sorted(await loadRotaBugs(store.db, store.engine, projects, named)),
            sorted(rotaBugTasksFrom(await loadBugData(store.db, projects, { refs: false, bugs: named }))),
          );
        assert.deepEqual(computeBugRota(rota, await loadRotaBugs(store.db, store.engine, [], named), o), whole);
        // With never-paths the loader reads only the files under them: the same report as with every file.
        for (const neverPaths of [[], ['releasenotes/', 'doc/'], ['nova/api/']]) {
          const withNever = { ...o, rules: { ...rules, neverPaths } };
          const narrow = await loadRotaData(store.db, store.engine, {
            since,
            reviewsSince: since,
            maxLines: 30,
            tag: 'TrivialFix',
            members: ['nobody'],
            neverPaths,
          });
          assert.ok(narrow.changes.every((c) => c.files.every((f) => neverPaths.some((p) => f.startsWith(p)))));
          assert.deepEqual(
            computeBugRota(narrow, await loadRotaBugs(store.db, store.engine, [], named), withNever),
            computeBugRota(rota, await loadBugData(store.db, [], { refs: false }), withNever),
          );
        }
        // With `until`, the large merged changes are counted in SQL, not listed (reverts and the
        // changes they revert still listed): the same report, on every project or one, at several sizes.
        for (const projects of [[], [DEMO_LAUNCHPAD_PROJECT], ['no-such-project']])
          for (const maxLines of [30, 5, 200]) {
            const sized = { ...o, rules: { ...rules, maxLines } };
            const full = await loadRotaData(store.db, store.engine, {
              since,
              reviewsSince: since,
              maxLines,
              tag: 'TrivialFix',
              members: ['nobody'],
            });
            const counted = await loadRotaData(store.db, store.engine, {
              since,
              reviewsSince: since,
              maxLines,
              tag: 'TrivialFix',
              members: ['nobody'],
              until: now,
              from: weekStarts(now, weeks)[0]!,
              lpProjects: projects,
            });
            assert.ok(counted.large && counted.changes.length < full.changes.length);
            const namedBy = (r: typeof full) => [...new Set(r.changes.flatMap((c) => c.bugs))];
            assert.deepEqual(
              computeBugRota(counted, await loadRotaBugs(store.db, store.engine, projects, namedBy(counted)), sized),
              computeBugRota(full, await loadRotaBugs(store.db, store.engine, projects, namedBy(full)), sized),
            );
          }
      }
    });
  });
}

// `bugs targets`' fixers: per bug's tags and owner's name, the closed project tasks fixed within the
// window whose bug a merged change of that owner names (Closes-Bug, Partial-Bug, a bug/N topic), once
// per task and name. The loader joins the links to the bugs itself: a link names a bug only by the
// bug number's own text (as the SQL join on `cast(bug as text)` did), so a target with a leading zero
// or not a number names none (the demo has neither, and the whole-data path reads targets as numbers).
const FIXERS_NOW = BUG_T0 + 200 * DAY;

const change = (n: number, owner: typeof bob, status: 'MERGED' | 'ABANDONED', links: Array<[LinkKind, string]>): ChangeRecord =>
  makeChange(n, {
    owner,
    status,
    submitted: status === 'MERGED' ? BUG_T0 + n * DAY : null,
    updated: BUG_T0 + n * DAY,
    links: links.map(([kind, target]) => ({ kind, target })),
  });

for (const engine of ENGINES) {
  describe(`bugs targets: the fixers (${engine.name})`, { skip: engine.skip }, () => {
    it('counts each fixed task once per owner of a merged change naming its bug by its number, within the window', async () => {
      await withStore(engine.name, async (store) => {
        const fixed = (bug: number, project: string, at: number, status: 'Fix Committed' | 'Fix Released' = 'Fix Committed') =>
          makeBugTask({
            bug,
            project,
            status,
            dates: status === 'Fix Committed' ? { fixCommitted: at } : { fixReleased: at },
          });
        await writeLaunchpadPage(
          store,
          {
            tasks: [
              fixed(1001, 'nova', FIXERS_NOW - 10 * DAY),
              fixed(1002, 'nova', FIXERS_NOW - 20 * DAY, 'Fix Released'),
              fixed(1002, 'neutron', FIXERS_NOW - 20 * DAY, 'Fix Released'),
              // Fixed before the 730 days, and a bug without tags: neither counts.
              fixed(1003, 'nova', FIXERS_NOW - 800 * DAY),
              fixed(1004, 'nova', FIXERS_NOW - 10 * DAY),
            ],
            bugs: [
              makeBug({ id: 1001, tags: ['net'] }),
              makeBug({ id: 1002, tags: ['db', 'net'] }),
              makeBug({ id: 1003, tags: ['net'] }),
              makeBug({ id: 1004, tags: [] }),
            ],
            blueprints: [],
          },
          null,
        );
        const records = [
          // bob names 1001 twice in one change and again in another: its one task once.
          change(1, bob, 'MERGED', [
            ['closes-bug', '1001'],
            ['topic-bug', '1001'],
          ]),
          change(2, bob, 'MERGED', [['closes-bug', '1001']]),
          // Not 1001's text, and not a number: no bug.
          change(3, carol, 'MERGED', [['closes-bug', '01001']]),
          change(4, carol, 'MERGED', [['closes-bug', 'abc']]),
          // carol's partial fix of 1002: both its project tasks.
          change(5, carol, 'MERGED', [['partial-bug', '1002']]),
          // Abandoned, related only, out of the window, no tags: none counts.
          change(6, alice, 'ABANDONED', [['closes-bug', '1002']]),
          change(7, alice, 'MERGED', [['related-bug', '1002']]),
          change(8, bob, 'MERGED', [['closes-bug', '1003']]),
          change(9, alice, 'MERGED', [['closes-bug', '1004']]),
        ];
        await store.db
          .transaction()
          .execute(async (trx) => writeChanges(trx, new AccountResolver(trx, records[0]!.host, store.bulk), records, 'rest', store.bulk));

        const o = { now: FIXERS_NOW, highImportances: ['Critical', 'High'] as const, fixersDays: 730 };
        assert.deepEqual((await loadTargetsData(store.db, [], o, store.engine)).fixers, [
          { tags: ['net'], who: 'bob', fixes: 1 },
          { tags: ['db', 'net'], who: 'carol', fixes: 2 },
        ]);
        // One project: its tasks only.
        assert.deepEqual((await loadTargetsData(store.db, ['neutron'], o, store.engine)).fixers, [
          { tags: ['db', 'net'], who: 'carol', fixes: 1 },
        ]);
      });
    });
  });
}
