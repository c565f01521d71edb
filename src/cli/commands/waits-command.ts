/**
 * `steward waits`: where the time of the changes closed in a period went, by factor
 * (analysis/waits.ts); `--bandwidth`: the weekly arrivals, core reviews and queue
 * (analysis/bandwidth.ts). The catalogue's waits entry (service/catalogue/flow-entries.ts).
 */
import type { BandwidthView, WaitsView } from '../../report/waits-report.js';
import { waitsReport } from '../../service/catalogue/flow-entries.js';
import type { Store } from '../../store/engine.js';
import type { GlobalOptions, Runtime } from '../context.js';
import { buildReportFor, reportInput, runReport } from '../report-command.js';

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

/** Parses the options and builds the waits or bandwidth report as `--format json` prints it. */
export async function buildWaits(store: Store, o: WaitsCommandOptions, rt: Runtime): Promise<WaitsView | BandwidthView> {
  return buildReportFor(waitsReport, store, reportInput(waitsReport, { ...o }), o, rt);
}

export async function runWaits(o: WaitsCommandOptions, rt: Runtime): Promise<void> {
  await runReport(waitsReport, { ...o }, rt);
}
