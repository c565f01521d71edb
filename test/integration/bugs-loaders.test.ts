/**
 * The bug reports' narrow loaders (store/queries/bugs.ts loadBacklogData, loadTargetsData, and
 * loadBugData for the rota's bugs) give the same reports as the whole data read into memory
 * (loadBugData, then analysis's backlogDataFrom and targetsDataFrom): what the loaders leave out or
 * count in SQL changes nothing. On the demo, both engines, at several dates and windows.
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
import { ENGINES } from '../helpers/stores.js';
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
