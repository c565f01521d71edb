/**
 * `steward queue`: the open review queue, reviewstats' openreviews figures (`--compat reviewstats`)
 * or the ranked trivial-fix queue (`--trivial`): the catalogue's queue entry (service/catalogue/flow-entries.ts).
 */
import type { QueueView } from '../../report/queue-report.js';
import { queueReport } from '../../service/catalogue/flow-entries.js';
import type { Store } from '../../store/engine.js';
import type { GlobalOptions, Runtime } from '../context.js';
import { buildReportFor, reportInput, runReport } from '../report-command.js';

export interface QueueCommandOptions extends GlobalOptions {
  project?: string[];
  branch?: string[];
  now?: string;
  format?: string;
  compat?: string;
  trivial?: boolean;
  days?: string;
  since?: string;
  until?: string;
  maxDelta?: string;
  longest?: string;
  waitingMore?: string;
  stable?: boolean;
}

export type QueueOutput = QueueView;

/** Parses the options and builds the queue as `--format json` prints it. */
export async function buildQueue(store: Store, o: QueueCommandOptions, rt: Runtime): Promise<QueueOutput> {
  return buildReportFor(queueReport, store, reportInput(queueReport, { ...o }), o, rt);
}

export async function runQueue(o: QueueCommandOptions, rt: Runtime): Promise<void> {
  await runReport(queueReport, { ...o }, rt);
}
