/**
 * The waits report (`steward waits`, `/api/v1/waits`): the changes created in a period followed
 * to now, where their time went and which factors go with slower merging (analysis/waits.ts); with
 * `bandwidth`, the weekly flow through the review queue (analysis/bandwidth.ts).
 */
import { computeBandwidth } from '../analysis/bandwidth.js';
import { computeWaits, needsFactors, type ReleaseCycle } from '../analysis/waits.js';
import { toMs } from '../config/config-dates.js';
import type { BandwidthView, WaitsView } from '../report/waits-report.js';
import type { Store } from '../store/engine.js';
import { attachDetails, attachFiles, loadFlowChanges, loadOwnerHistory } from '../store/queries/flow.js';
import type { EffectiveConfig } from './effective-config.js';
import { flowSetup } from './flow-setup.js';
import type { Window } from './params.js';

export interface WaitsParams {
  project?: readonly string[];
  branch?: readonly string[];
  window: Window;
  bandwidth?: boolean;
  /** Directory depth that makes an area of the tree (default 3). */
  areaDepth?: number;
  /** An owner's first N changes make them a newcomer (default 3). */
  newcomerChanges?: number;
}

/** The waits (or bandwidth) report as `--format json` prints it. */
export async function buildWaitsView(
  store: Store,
  params: WaitsParams,
  config: EffectiveConfig,
  _now: number,
): Promise<WaitsView | BandwidthView> {
  const win = params.window;
  const setup = await flowSetup(store, params.project, config);
  const [changes, ownerHistory] = await Promise.all([
    loadFlowChanges(store.db, store.engine, {
      scope: { kind: 'active', since: win.since, until: win.until },
      projects: setup.projects,
      branches: params.branch,
      asOf: win.now,
      messages: 'flow',
    }),
    // All projects: no filter, so the owner history reads straight from an index.
    loadOwnerHistory(store.db, store.engine, params.project?.length ? setup.projects : []),
  ]);
  // Details and files only where the report reads them: the cohort created in the period.
  const factored = changes.filter((c) => needsFactors(c, { since: win.since, until: win.until, now: win.now }));
  await Promise.all([
    attachDetails(store.db, store.engine, factored, { commitMessage: false }),
    attachFiles(store.db, store.engine, factored),
  ]);
  const releases: ReleaseCycle[] = setup.config.releases.map((r) => ({
    name: r.name,
    start: toMs(r.start),
    featureFreeze: toMs(r.featureFreeze),
    release: toMs(r.release),
  }));
  const report = computeWaits(
    {
      changes,
      ctx: setup.ctx,
      coreAt: setup.coreAt,
      ownerHistory,
      releases,
      hostUrls: setup.hostUrls,
      areaPrefixes: setup.config.coreRules?.areas ?? [],
    },
    { since: win.since, until: win.until, now: win.now, areaDepth: params.areaDepth, newcomerChanges: params.newcomerChanges },
  );
  if (params.bandwidth) {
    return {
      kind: 'bandwidth',
      projects: setup.projects,
      period: report.period,
      now: report.now,
      sources: setup.sources,
      ...computeBandwidth(report.weeks),
    };
  }
  return { kind: 'waits', projects: setup.projects, sources: setup.sources, ...report };
}
