/**
 * `steward core idle` reads the cores' reviews of the window and the quarters (with the earlier acts
 * of reviews that began before them) and the whole history only of the cores whose below-since needs
 * it (service/core-idle-view.ts). Its result must be what computing over the cores' whole history
 * gives: checked on a demo store with more than a year of history, for windows, thresholds and both
 * ways of counting, on both engines — including cases where reviews straddle the read bound and where
 * cores need their whole history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeIdleCores, coresNeedingHistory } from '../../src/analysis/core-idle.js';
import { loadConfig } from '../../src/config/load-config.js';
import { idleResult } from '../../src/service/core-idle-view.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { teamContextFor } from '../../src/service/team-context.js';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { loadTeamActs, loadTeamActsBefore } from '../../src/store/queries/reviewers.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, LONG_DEMO, WEB_NOW, type DemoStore } from '../helpers/web.js';

const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`core idle over the window equals core idle over the whole history (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let store: Store;
    before(async () => {
      demo = await demoStore(engine.name, LONG_DEMO);
      store = await openStore(demo.location);
    });
    after(async () => {
      await store?.close();
      await demo?.cleanup();
    });

    const cases: Array<{ now: number; days?: number; threshold?: number; counts: 'reviews' | 'code-review' }> = [
      { now: WEB_NOW, counts: 'reviews' },
      { now: WEB_NOW, counts: 'code-review' },
      { now: WEB_NOW - 40 * DAY, days: 30, threshold: 25, counts: 'reviews' },
      { now: WEB_NOW - 10 * DAY, days: 120, threshold: 60, counts: 'code-review' },
      // Far above anyone's rolling count: every core needs the whole history.
      { now: WEB_NOW, days: 30, threshold: 100_000, counts: 'reviews' },
      { now: WEB_NOW - 90 * DAY, days: 400, threshold: 300, counts: 'code-review' },
    ];
    for (const c of cases) {
      it(`as of ${new Date(c.now).toISOString().slice(0, 10)}, ${c.days ?? 'default'} days, threshold ${c.threshold ?? 'default'}, counting ${c.counts}`, async () => {
        const config = await resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
        config.config.coreRules.idleCounts = c.counts;
        const ctx = await teamContextFor(store, config.config, config.origin, []);
        const got = await idleResult(store, ctx, { now: c.now, days: c.days, threshold: c.threshold });

        const rules = ctx.config.coreRules;
        const rule = { threshold: c.threshold ?? rules.idleThreshold, days: c.days ?? rules.idleDays, counts: c.counts };
        const cores = [...ctx.roster.membersAt(c.now)];
        const acts = await loadTeamActs(store.db, { projects: ctx.filterProjects, until: c.now, actorIds: cores, engine: store.engine });
        const historyFrom = acts.reduce((m, a) => Math.min(m, a.at), c.now);
        const want = computeIdleCores({ acts, isBot: (id) => ctx.bots.has(id), roster: ctx.roster, historyFrom }, { now: c.now, rule });
        assert.deepEqual(got, want);
        assert.ok(want.cores.length > 0, 'the demo has cores');
      });
    }

    it('the cases above take both extra paths: reviews begun before the bound, cores that need their whole history', async () => {
      const config = await resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
      const ctx = await teamContextFor(store, config.config, config.origin, []);
      const cores = [...ctx.roster.membersAt(WEB_NOW)];
      const from = WEB_NOW - 364 * DAY;
      const recent = await loadTeamActs(store.db, { since: from, until: WEB_NOW, actorIds: cores, engine: store.engine });
      const earlier = await loadTeamActsBefore(store.db, {
        from,
        actorIds: cores,
        engine: store.engine,
        changeIds: recent.map((a) => a.changeId),
      });
      const keys = new Set(recent.map((a) => `${a.changeId}:${a.patchSet}:${a.actorId}`));
      assert.ok(
        earlier.some((a) => keys.has(`${a.changeId}:${a.patchSet}:${a.actorId}`)),
        'some review has acts on both sides of the bound',
      );
      const all = await loadTeamActs(store.db, { until: WEB_NOW, actorIds: cores, engine: store.engine });
      const full = computeIdleCores(
        { acts: all, isBot: (id) => ctx.bots.has(id), roster: ctx.roster, historyFrom: WEB_NOW },
        { now: WEB_NOW, rule: { threshold: 100_000, days: 30, counts: 'reviews' } },
      );
      assert.ok(coresNeedingHistory(full, from).length > 0);
    });
  });
}
