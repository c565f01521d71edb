/**
 * The activity the people reports count, in one window, grouped in the database: reviews by the one
 * definition of a review (analysis/reviews.ts, as `steward reviewers` and `steward core idle` count
 * them — one review per person and patch set, bots and owners' own acts left out; the SQL in
 * store/queries/people.ts `loadReviewCounts`), merged changes by owner, and landed commits by author,
 * each keyed by identity (`gerrit:HOST/ID`, `email:ADDRESS`), so that the people and per-company
 * reports count what the reviewer reports count. And the window itself: a release's, or the
 * report's days before `until` (90 by default, as `steward reviewers`).
 */
import { emailKey, gerritKey } from '../analysis/identities.js';
import { StewardError } from '../model/errors.js';
import type { IdentityKey } from '../model/people.js';
import { findRelease } from '../model/release-calendar.js';
import type { Store } from '../store/engine.js';
import { loadAccounts } from '../store/queries/activity.js';
import { loadLandedCommitCounts } from '../store/queries/code-history.js';
import { loadCiReporters } from '../store/queries/flow.js';
import { loadMergedChangeCounts, loadReviewCounts } from '../store/queries/people.js';
import { botIds, type EffectiveConfig } from './effective-config.js';
import type { Window } from './params.js';
import { releaseCalendar } from './releases.js';

/** The window the activity is counted in: [since, until), a release's or the last `days` days. */
export interface ActivityPeriod {
  since: number;
  until: number;
  /** The release whose window it is, or null. */
  release: string | null;
  /** The window's length in days when it was given so (not a release's). */
  days: number | null;
  /** In words, for the reports' text: "Liberty's window (2015-04-30 – 2015-10-15)", "the 90 days to 2026-01-01". */
  label: string;
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The activity window: release `release` of the calendar (steward.yaml's releases, else the
 * built-in one), or `window` (the report's `--days`/`--since`/`--until`, 90 days before now by default).
 */
export function activityPeriod(config: EffectiveConfig, release: string | null | undefined, window: Window): ActivityPeriod {
  if (release) {
    const { calendar, source } = releaseCalendar(config.config, config.origin);
    const r = findRelease(calendar, release);
    if (!r)
      throw new StewardError('USAGE', `release "${release}" is not in the release calendar (${source})`, {
        hint: `Known releases: ${calendar.map((x) => x.name).join(', ')}.`,
      });
    return {
      since: r.start,
      until: r.release,
      release: r.name,
      days: null,
      label: `${r.name}'s window (${day(r.start)} – ${day(r.release)})`,
    };
  }
  const days = (window.until - window.since) / 86_400_000;
  const whole = Number.isInteger(days);
  return {
    since: window.since,
    until: window.until,
    release: null,
    days: whole ? days : null,
    label: whole ? `the ${days} days to ${day(window.until)}` : `${day(window.since)} – ${day(window.until)}`,
  };
}

/** Counts per identity in a window; `times` (epoch ms, unordered) when asked for. */
export interface IdentityCount {
  identity: IdentityKey;
  n: number;
  times: number[] | null;
}

/** What the people reports count in a window, per identity. */
export interface IdentityActivity {
  commits: IdentityCount[];
  changes: IdentityCount[];
  reviews: IdentityCount[];
}

/**
 * The window's landed commits (non-merge, backports left out) by author address, merged changes by
 * owner account and reviews by reviewer account (see the module comment), on `projects` (the
 * changes and reviews; default all). With `times`, each one's time too (for the company at that time).
 */
export async function loadIdentityActivity(
  store: Store,
  config: EffectiveConfig,
  o: { since: number; until: number; projects?: readonly string[]; times?: boolean },
): Promise<IdentityActivity> {
  const [accounts, ciReporters] = await Promise.all([loadAccounts(store.db), loadCiReporters(store.db)]);
  const bots = botIds(config.config, accounts, ciReporters);
  const w = { since: o.since, until: o.until, projects: o.projects, engine: store.engine, times: o.times };
  const [commits, changes, reviews] = await Promise.all([
    loadLandedCommitCounts(store.db, w),
    loadMergedChangeCounts(store.db, w),
    loadReviewCounts(store.db, { ...w, excludeActorIds: [...bots] }),
  ]);
  const byAccount = (xs: typeof changes): IdentityCount[] =>
    xs.map((x) => ({ identity: gerritKey(x.host, x.gerritId), n: x.n, times: x.times }));
  return {
    commits: commits.map((c) => ({ identity: emailKey(c.authorKey), n: c.n, times: c.times })),
    changes: byAccount(changes),
    reviews: byAccount(reviews),
  };
}
