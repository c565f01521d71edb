/**
 * `steward waits`: where the time of the changes closed in a period went, by factor
 * (analysis/waits.ts); `--bandwidth`: the weekly arrivals, core reviews and queue
 * (analysis/bandwidth.ts). Built by service/waits-view.ts.
 */
import { renderBandwidthCsv, renderBandwidthText, renderWaitsCsv, renderWaitsText, type BandwidthView, type WaitsView } from '../../report/waits-report.js';
import { buildWaitsView, type WaitsParams } from '../../service/waits-view.js';
import type { Store } from '../../store/engine.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, resolveWindow } from '../options.js';

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

/** Parses the options and builds the waits or bandwidth report as `--format json` prints it (service/waits-view.ts). */
export async function buildWaits(store: Store, o: WaitsCommandOptions, rt: Runtime): Promise<WaitsView | BandwidthView> {
  const window = resolveWindow(o, rt.clock, 90);
  const config = await effectiveConfig(o, rt, store);
  const params: WaitsParams = {
    project: o.project,
    branch: o.branch,
    window,
    bandwidth: o.bandwidth,
    areaDepth: o.areaDepth ? parsePositiveInt(o.areaDepth, '--area-depth', 10) : undefined,
    newcomerChanges: o.newcomerChanges ? parsePositiveInt(o.newcomerChanges, '--newcomer-changes', 1000) : undefined,
  };
  return buildWaitsView(store, params, config, window.now);
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
