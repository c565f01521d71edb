/**
 * The queue report (`steward queue`, `/api/v1/queue`): the open review queue (analysis/queue.ts),
 * reviewstats' openreviews figures (`compat: 'reviewstats'`, analysis/queue-reviewstats.ts) or the
 * ranked trivial-fix queue (`trivial`, analysis/queue-trivial.ts).
 */
import { computeQueue, queueEntries, summarizeQueue, type QueueSummary } from '../analysis/queue.js';
import { computeReviewstatsQueue } from '../analysis/queue-reviewstats.js';
import { computeTrivialQueue, DEFAULT_TRIVIAL_MAX_DELTA, trivialCandidates } from '../analysis/queue-trivial.js';
import type { QueueView } from '../report/queue-report.js';
import type { Store } from '../store/engine.js';
import { attachDetails, loadFlowChanges } from '../store/queries/flow.js';
import type { EffectiveConfig } from './effective-config.js';
import { fillSubjects, flowSetup, loadOpenFlows } from './flow-setup.js';
import type { Window } from './params.js';

export interface QueueParams {
  project?: readonly string[];
  branch?: readonly string[];
  /** reviewstats: reproduce reviewstats' openreviews. */
  compat?: 'reviewstats';
  /** The ranked queue of small fixes; `window` is the clearance history. */
  trivial?: boolean;
  /** With trivial: the clearance history (default: the 28 days before now). */
  window?: Window;
  /** With trivial: most lines inserted + deleted. */
  maxDelta?: number;
  /** How many of the longest waiting to list (default 5). */
  longest?: number;
  /** With compat: count changes waiting at least this many days (default 7). */
  waitingMore?: number;
  /** With compat: include stable branches. */
  stable?: boolean;
}

/** The queue as `--format json` prints it, as of `now`. */
export async function buildQueueView(store: Store, params: QueueParams, config: EffectiveConfig, now: number): Promise<QueueView> {
  const setup = await flowSetup(store, params.project, config);
  const longest = params.longest ?? 5;
  if (params.compat === 'reviewstats') {
    const changes = await loadFlowChanges(store.db, store.engine, {
      scope: { kind: 'open', at: now },
      projects: setup.projects,
      branches: params.branch,
      asOf: now,
    });
    const report = computeReviewstatsQueue(changes, {
      now,
      hostUrls: setup.hostUrls,
      waitingMoreDays: params.waitingMore ?? 7,
      longestWaiting: longest,
      includeStable: params.stable ?? false,
    });
    await fillSubjects(store, changes, [...report.longestWaitingLatest, ...report.longestWaitingWithoutNack, ...report.oldest]);
    return { kind: 'reviewstats', projects: setup.projects, ...report };
  }

  const { changes, flows } = await loadOpenFlows(store, setup, params, now);
  if (params.trivial) {
    const maxDelta = params.maxDelta ?? DEFAULT_TRIVIAL_MAX_DELTA;
    const win = params.window ?? { since: now - 28 * 86_400_000, until: now, now };
    const candidates = trivialCandidates(flows, maxDelta);
    await attachDetails(
      store.db,
      store.engine,
      candidates.map((f) => f.change),
      { commitMessage: true },
    );
    const merged = await loadFlowChanges(store.db, store.engine, {
      scope: { kind: 'merged', since: win.since, until: win.until },
      projects: setup.projects,
      branches: params.branch,
      maxDelta,
      details: true,
      commitMessage: true,
    });
    const report = computeTrivialQueue(candidates, merged, setup.ctx, {
      now,
      since: win.since,
      until: win.until,
      maxDelta,
      hostUrls: setup.hostUrls,
      nameOf: setup.nameOf,
    });
    return { kind: 'trivial', projects: setup.projects, sources: setup.sources, ...report };
  }
  const report = computeQueue(flows, setup.ctx, { now, hostUrls: setup.hostUrls, longest });
  await fillSubjects(store, changes, queueEntries(report));
  return {
    kind: 'queue',
    projects: setup.projects,
    branches: params.branch?.length ? [...params.branch] : null,
    sources: setup.sources,
    ...report,
  };
}

/** The queue in short as of `now`, for the overview, with the store ids of its work-in-progress changes. */
export async function buildQueueSummary(
  store: Store,
  project: readonly string[] | undefined,
  config: EffectiveConfig,
  now: number,
): Promise<QueueSummary & { wipChangeIds: Set<number> }> {
  const setup = await flowSetup(store, project, config);
  const { flows } = await loadOpenFlows(store, setup, {}, now);
  const summary = summarizeQueue(computeQueue(flows, setup.ctx, { now, hostUrls: setup.hostUrls, longest: 0 }));
  return { ...summary, wipChangeIds: new Set(flows.filter((f) => f.state === 'wip').map((f) => f.change.id)) };
}
