/**
 * The code history report (`steward history`, `/api/v1/history`): per release window, what landed
 * on the main branch of the synced repositories and how (analysis/code-history.ts), from the
 * commits `steward git sync` stored, with the review side when the store holds the Gerrit changes.
 */
import { computeCodeHistory, gitBotRule } from '../analysis/code-history.js';
import { StewardError } from '../model/errors.js';
import { findRelease } from '../model/release-calendar.js';
import type { HistoryView } from '../report/history-report.js';
import type { Store } from '../store/engine.js';
import { listGitSyncStates } from '../store/git-store.js';
import { loadCommitReviewTimes, loadHistoryColumns } from '../store/queries/code-history.js';
import type { EffectiveConfig } from './effective-config.js';
import { checkRelease, releaseCalendar } from './releases.js';

export type { HistoryView };

export interface HistoryParams {
  /** One release (name or alias): that window in detail, with its neighbours; null for every window. */
  release?: string | null;
  /** One synced repository (its sync name); default every synced repository. */
  repo?: string | null;
}

/** Builds the code history report (see analysis/code-history.ts for every figure's definition). */
export async function buildHistoryView(store: Store, params: HistoryParams, config: EffectiveConfig, now: number): Promise<HistoryView> {
  const repo = params.repo ?? undefined;
  // The checkpoints only: what the report names of each repository (the stored commits' totals would read every row).
  const histories = (await listGitSyncStates(store.db)).filter((s) => repo === undefined || s.repo === repo);
  if (!histories.length)
    throw new StewardError('NOT_FOUND', repo ? `no synced repository named "${repo}" in the store` : 'no code history in the store', {
      hint: 'Run `steward git sync --repo PATH` (a clone of the repository) first.',
    });
  const { calendar, source } = releaseCalendar(config.config, config.origin);
  if (params.release) checkRelease(params.release, config);
  const wanted = params.release ? findRelease(calendar, params.release) : null;
  // The Change-Ids are read (from the table, not the covering index) only when review data can match them.
  const reviewTimes = await loadCommitReviewTimes(store.db, { repo });
  const commits = await loadHistoryColumns(store.db, store.engine, { repo, withChangeIds: reviewTimes.size > 0 });
  const history = computeCodeHistory(
    { commits, calendar, isBot: gitBotRule(config.config.bots), reviewTimes },
    { release: wanted?.name ?? null, now },
  );
  if (wanted && !history.releases.some((r) => r.release === wanted.name))
    throw new StewardError('NOT_FOUND', `the synced history does not reach ${wanted.name}`, {
      hint: `Its landings run from ${history.span.first?.slice(0, 10) ?? '-'} to ${history.span.last?.slice(0, 10) ?? '-'}.`,
    });
  const iso = (t: number) => new Date(t).toISOString();
  const matched = history.releases.filter((r) => r.review !== null).length;
  return {
    kind: 'history',
    release: wanted?.name ?? null,
    now: iso(now),
    calendar: { source },
    repos: histories.map((h) => ({ repo: h.repo, branch: h.branch, tip: h.tip, syncedAt: iso(Number(h.synced_at)) })),
    sources: {
      codeHistory: `git alone: ${histories.map((h) => `${h.repo} (${h.branch} at ${h.tip.slice(0, 12)})`).join(', ')}, synced by steward git sync`,
      reviewData: reviewTimes.size
        ? `Gerrit changes in the store matched to commits by Change-Id: ${reviewTimes.size} merged changes, for ${matched} of the ${history.releases.length} windows reported`
        : "none: no merged Gerrit change in the store carries a synced commit's Change-Id; review-side times are absent",
    },
    ...history,
  };
}
