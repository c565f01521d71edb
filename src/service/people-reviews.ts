/**
 * Reviews by identity: the one definition of a review (analysis/reviews.ts, as `steward reviewers`
 * and `steward core idle` count them — one review per person and patch set, bots and owners' own
 * acts left out) in a period, each with the reviewer's Gerrit account as an identity key, so that
 * people and per-company reports count the same reviews the reviewer reports count.
 */
import { gerritKey } from '../analysis/identities.js';
import { reviewsInPeriod } from '../analysis/reviews.js';
import type { IdentityKey } from '../model/people.js';
import type { Store } from '../store/engine.js';
import { loadAccounts } from '../store/queries/activity.js';
import { loadCiReporters } from '../store/queries/flow.js';
import { loadTeamActs } from '../store/queries/reviewers.js';
import { botIds, type EffectiveConfig } from './effective-config.js';

/** A review with its reviewer's identity and time (epoch ms). */
export interface IdentityReview {
  identity: IdentityKey;
  at: number;
}

/**
 * The reviews in [since, until) (whole history when not given) on `projects` (default all), by
 * the reviewer's Gerrit account (`gerrit:HOST/ID`). Accounts without a Gerrit id are left out.
 */
export async function loadIdentityReviews(
  store: Store,
  config: EffectiveConfig,
  o: { projects?: readonly string[]; since?: number | null; until?: number | null },
): Promise<IdentityReview[]> {
  const [accounts, ciReporters] = await Promise.all([loadAccounts(store.db), loadCiReporters(store.db)]);
  const bots = botIds(config.config, accounts, ciReporters);
  const since = o.since ?? 0;
  const until = o.until ?? Number.MAX_SAFE_INTEGER;
  const acts = await loadTeamActs(store.db, {
    projects: o.projects?.length ? o.projects : undefined,
    since,
    until,
    excludeActorIds: [...bots],
    engine: store.engine,
  });
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const out: IdentityReview[] = [];
  for (const r of reviewsInPeriod(acts, (id) => bots.has(id), since, until).reviews) {
    const a = byId.get(r.reviewerId);
    if (a?.gerritId != null) out.push({ identity: gerritKey(a.host, a.gerritId), at: r.at });
  }
  return out;
}
