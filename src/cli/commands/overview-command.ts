import type { OverviewReport } from '../../report/overview-report.js';
import { overviewReport } from '../../service/catalogue/overview-entry.js';
import type { Store } from '../../store/engine.js';
import { countChanges } from '../../store/store-info.js';
import { openStoreFor, type Runtime, type WindowReportOptions } from '../context.js';
import { parseFormat, parsePositiveInt } from '../options.js';
import { buildReportFor, reportInput, runReport } from '../report-command.js';
import { runDemo } from './demo-command.js';

export interface OverviewCommandOptions extends WindowReportOptions {
  demoIfEmpty?: boolean;
}

/** Parses the options and builds the overview as `--format json` prints it (the catalogue's overview entry). */
export async function buildOverview(store: Store, o: OverviewCommandOptions, rt: Runtime): Promise<OverviewReport> {
  return buildReportFor(overviewReport, store, reportInput(overviewReport, { ...o }), o, rt);
}

/**
 * `steward overview`: the catalogue's overview, after generating the demo project into an empty store when asked to
 * (`--demo-if-empty`, what `npm start` runs; STEWARD_DEMO_CHANGES sets the demo's number of changes).
 */
export async function runOverview(o: OverviewCommandOptions, rt: Runtime): Promise<void> {
  parseFormat(o.format); // a bad --format stops the command before the demo is generated
  if (o.demoIfEmpty) {
    // STEWARD_DEMO_CHANGES: another size than the default 5,000 changes (docs/demo.md).
    const size = rt.env.STEWARD_DEMO_CHANGES;
    const changes = size === undefined ? undefined : String(parsePositiveInt(size, 'STEWARD_DEMO_CHANGES', 1_000_000));
    const store = await openStoreFor(o, rt);
    const n = await countChanges(store.db);
    await store.close();
    if (n === 0) {
      rt.stderr('The store is empty: generating the demo project first (steward demo). Use `steward import` for real data.\n');
      await runDemo({ db: o.db, config: o.config, quiet: true, now: o.now, changes }, rt);
    }
  }
  await runReport(overviewReport, { ...o }, rt);
}
