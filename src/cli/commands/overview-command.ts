import { renderOverviewCsv, renderOverviewText, type OverviewReport } from '../../report/overview-report.js';
import { buildOverviewView } from '../../service/overview-view.js';
import type { Store } from '../../store/engine.js';
import { countChanges } from '../../store/store-info.js';
import { effectiveConfig, openStoreFor, type Runtime, type WindowReportOptions } from '../context.js';
import { parseFormat, resolveWindow } from '../options.js';
import { runDemo } from './demo-command.js';

export interface OverviewCommandOptions extends WindowReportOptions {
  demoIfEmpty?: boolean;
}

/** Parses the options and builds the overview as `--format json` prints it (service/overview-view.ts). */
export async function buildOverview(store: Store, o: OverviewCommandOptions, rt: Runtime): Promise<OverviewReport> {
  const window = resolveWindow(o, rt.clock, 90);
  return buildOverviewView(store, { project: o.project, window }, await effectiveConfig(o, rt, store), window.now);
}

export async function runOverview(o: OverviewCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  if (o.demoIfEmpty) {
    const store = await openStoreFor(o, rt);
    const n = await countChanges(store.db);
    await store.close();
    if (n === 0) {
      rt.stderr('The store is empty: generating the demo project first (steward demo). Use `steward import` for real data.\n');
      await runDemo({ db: o.db, config: o.config, quiet: true, now: o.now }, rt);
    }
  }
  const store = await openStoreFor(o, rt);
  try {
    const report = await buildOverview(store, o, rt);
    if (format === 'json') rt.stdout(JSON.stringify(report, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderOverviewCsv(report));
    else rt.stdout(renderOverviewText(report));
  } finally {
    await store.close();
  }
}
