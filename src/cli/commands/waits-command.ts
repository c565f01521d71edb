/**
 * `steward waits`: where the time of the changes closed in a period went, by factor
 * (analysis/waits.ts); `--bandwidth`: the weekly arrivals, core reviews and queue
 * (analysis/bandwidth.ts).
 */
import { computeBandwidth } from '../../analysis/bandwidth.js';
import { computeWaits, type ReleaseCycle } from '../../analysis/waits.js';
import { toMs } from '../../config/config-schema.js';
import { renderBandwidthCsv, renderBandwidthText, renderWaitsCsv, renderWaitsText, type BandwidthView, type WaitsView } from '../../report/waits-report.js';
import type { Store } from '../../store/engine.js';
import { loadFlowChanges, loadOwnerHistory } from '../../store/queries/flow.js';
import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, resolveWindow } from '../options.js';
import { flowSetup } from './queue-command.js';

export interface WaitsCommandOptions extends GlobalOptions {
  project?: string[];
  branch?: string[];
  days?: string;
  since?: string;
  until?: string;
  now?: string;
  format?: string;
  bandwidth?: boolean;
  areaDepth?: string;
  newcomerChanges?: string;
}

/** Gathers (store), computes (analysis): the waits or bandwidth report as `--format json` prints it. */
export async function buildWaits(store: Store, o: WaitsCommandOptions, rt: Runtime): Promise<WaitsView | BandwidthView> {
  const win = resolveWindow(o, rt.clock, 90);
  const setup = await flowSetup(store, o, rt);
  const [changes, ownerHistory] = await Promise.all([
    loadFlowChanges(store.db, store.engine, {
      scope: { kind: 'active', since: win.since, until: win.until },
      projects: setup.projects,
      branches: o.branch,
      asOf: win.now,
      messages: 'flow',
      details: true,
      files: true,
    }),
    // All projects: no filter, so the owner history reads straight from an index.
    loadOwnerHistory(store.db, store.engine, o.project?.length ? setup.projects : []),
  ]);
  const releases: ReleaseCycle[] = setup.config.releases.map((r) => ({ name: r.name, start: toMs(r.start), featureFreeze: toMs(r.featureFreeze), release: toMs(r.release) }));
  const report = computeWaits(
    { changes, ctx: setup.ctx, coreAt: setup.coreAt, ownerHistory, releases, hostUrls: setup.hostUrls, areaPrefixes: setup.config.coreRules?.areas ?? [] },
    {
      since: win.since,
      until: win.until,
      now: win.now,
      areaDepth: o.areaDepth ? parsePositiveInt(o.areaDepth, '--area-depth', 10) : undefined,
      newcomerChanges: o.newcomerChanges ? parsePositiveInt(o.newcomerChanges, '--newcomer-changes', 1000) : undefined,
    },
  );
  if (o.bandwidth) {
    return { kind: 'bandwidth', projects: setup.projects, period: report.period, now: report.now, sources: setup.sources, ...computeBandwidth(report.weeks) };
  }
  return { kind: 'waits', projects: setup.projects, sources: setup.sources, ...report };
}

export async function runWaits(o: WaitsCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const out = await buildWaits(store, o, rt);
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else if (out.kind === 'bandwidth') rt.stdout(format === 'csv' ? renderBandwidthCsv(out) : renderBandwidthText(out));
    else rt.stdout(format === 'csv' ? renderWaitsCsv(out) : renderWaitsText(out));
  } finally {
    await store.close();
  }
}
