/**
 * The reviews grouped and counted in the database (store/queries/review-tally.ts) are what the
 * analysis makes of the same acts as records (analysis/reviews.ts and the reports' own counts): the
 * overview's tally, core load's reviews and patch sets needing review, on a demo store, on both
 * engines, for several windows and with a project filter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeCoreLoad, TRIVIAL_KINDS } from '../../src/analysis/core-load.js';
import { tallyReviews } from '../../src/analysis/overview.js';
import { reviewsInPeriod } from '../../src/analysis/reviews.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveEffectiveConfig } from '../../src/service/effective-config.js';
import { teamContextFor } from '../../src/service/team-context.js';
import type { Store } from '../../src/store/engine.js';
import { openStore } from '../../src/store/open-store.js';
import { loadReviewActs } from '../../src/store/queries/activity.js';
import { countUploadsNeedingReview, loadReviewTally, loadReviewTimes } from '../../src/store/queries/review-tally.js';
import { loadPatchSetUploads, loadTeamActs } from '../../src/store/queries/reviewers.js';
import { ENGINES } from '../helpers/stores.js';
import { demoStore, WEB_NOW, type DemoStore } from '../helpers/web.js';

const DAY = 86_400_000;
const WINDOWS: Array<[string, number, number]> = [
  ['the last 90 days', WEB_NOW - 90 * DAY, WEB_NOW],
  ['30 days ending 100 days ago', WEB_NOW - 130 * DAY, WEB_NOW - 100 * DAY],
  ['a day', WEB_NOW - 11 * DAY, WEB_NOW - 10 * DAY],
];

for (const engine of ENGINES) {
  describe(`reviews grouped in SQL equal reviews grouped from act records (${engine.name})`, { skip: engine.skip }, () => {
    let demo: DemoStore;
    let store: Store;
    before(async () => {
      // The default web demo (800 changes over 6 months), which a dozen other files read too (one
      // store per run, test/helpers/demo-cache.ts): its history reaches back past the earliest
      // window's start (130 days), and it has comment-only reviews and self-votes in the last 90
      // days (asserted below). A store of its own (900 changes, 8 months) cost ~4 s of CPU per
      // engine to generate and showed nothing these windows need.
      demo = await demoStore(engine.name);
      store = await openStore(demo.location);
    });
    after(async () => {
      await store?.close();
      await demo?.cleanup();
    });

    for (const [name, since, until] of WINDOWS) {
      for (const projects of [undefined, ['demo/compute'], ['no/such-project']]) {
        it(`the overview's tally, ${name}, projects ${projects?.join(',') ?? 'all'}`, async () => {
          const config = await resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
          const ctx = await teamContextFor(store, config.config, config.origin, []);
          const bots = [...ctx.bots];
          const acts = await loadReviewActs(store.db, { projects, since, until });
          const want = tallyReviews(acts, (id) => ctx.bots.has(id), since, until);
          const got = await loadReviewTally(store.db, { projects, since, until, excludeActorIds: bots, engine: store.engine });
          assert.deepEqual(got, want);
          if (!projects && name === 'the last 90 days') {
            assert.ok(want.byActor.some((a) => a.commentOnly > 0) && want.byActor.some((a) => a.selfVotes > 0), 'the demo has both');
          }
        });

        it(`core load's reviews and patch sets needing review, ${name}, projects ${projects?.join(',') ?? 'all'}`, async () => {
          const config = await resolveEffectiveConfig(loadConfig(undefined, demo.dir), store);
          const ctx = await teamContextFor(store, config.config, config.origin, []);
          const bots = [...ctx.bots];
          const isBot = (id: number) => ctx.bots.has(id);
          const acts = await loadTeamActs(store.db, { projects, since, until, excludeActorIds: bots, engine: store.engine });
          const key = (r: { reviewerId: number; project: string; at: number }) => `${r.reviewerId} ${r.project} ${r.at}`;
          const want = reviewsInPeriod(acts, isBot, since, until).reviews.map(key).sort();
          const got = (await loadReviewTimes(store.db, { projects, since, until, excludeActorIds: bots, engine: store.engine }))
            .map(key)
            .sort();
          assert.deepEqual(got, want);

          const uploads = await loadPatchSetUploads(store.db, { projects, since, until });
          const needingPerWeek = await countUploadsNeedingReview(store.db, {
            projects,
            since,
            until,
            blockMs: 7 * DAY,
            keepVotesKinds: [...TRIVIAL_KINDS],
            excludeOwnerIds: bots,
          });
          const win = { since, until, now: until };
          const fromRecords = computeCoreLoad({ uploads, acts, isBot, roster: ctx.roster }, win);
          const fromCounts = computeCoreLoad(
            {
              needingPerWeek,
              reviews: await loadReviewTimes(store.db, { projects, since, until, excludeActorIds: bots, engine: store.engine }),
              isBot,
              roster: ctx.roster,
            },
            win,
          );
          assert.deepEqual(fromCounts, fromRecords);
        });
      }
    }
  });
}
