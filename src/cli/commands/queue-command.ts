/**
 * `steward queue`: the open review queue, reviewstats' openreviews figures (`--compat reviewstats`)
 * or the ranked trivial-fix queue (`--trivial`); built by service/queue-view.ts.
 */
import { StewardError } from '../../model/errors.js';
import { renderQueueCsv, renderQueueText, renderReviewstatsText, renderTrivialText, type QueueView } from '../../report/queue-report.js';
import { buildQueueView, type QueueParams } from '../../service/queue-view.js';
import type { Store } from '../../store/engine.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parsePositiveInt, parseTime, resolveWindow } from '../options.js';

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

/** Parses the options and builds the queue as `--format json` prints it (service/queue-view.ts). */
export async function buildQueue(store: Store, o: QueueCommandOptions, rt: Runtime): Promise<QueueOutput> {
  const now = o.now ? parseTime(o.now, '--now') : rt.clock();
  if (o.compat && o.compat !== 'reviewstats') throw new StewardError('USAGE', `--compat must be reviewstats, not "${o.compat}"`);
  if (o.compat && o.trivial) throw new StewardError('USAGE', 'give either --compat reviewstats or --trivial, not both');
  const config = await effectiveConfig(o, rt, store);
  const params: QueueParams = {
    project: o.project,
    branch: o.branch,
    compat: o.compat === 'reviewstats' ? 'reviewstats' : undefined,
    trivial: o.trivial,
    longest: o.longest ? parsePositiveInt(o.longest, '--longest', 1000) : undefined,
    waitingMore: o.waitingMore ? parsePositiveInt(o.waitingMore, '--waiting-more', 36_500) : undefined,
    stable: o.stable,
  };
  if (o.trivial) {
    params.maxDelta = o.maxDelta ? parsePositiveInt(o.maxDelta, '--max-delta', 1_000_000) : undefined;
    params.window = resolveWindow({ ...o, now: o.now }, () => now, 28);
  }
  return buildQueueView(store, params, config, now);
}

export async function runQueue(o: QueueCommandOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const out = await buildQueue(store, o, rt);
    if (format === 'json') rt.stdout(JSON.stringify(out, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(renderQueueCsv(out));
    else if (out.kind === 'reviewstats') rt.stdout(renderReviewstatsText(out));
    else if (out.kind === 'trivial') rt.stdout(renderTrivialText(out));
    else rt.stdout(renderQueueText(out));
  } finally {
    await store.close();
  }
}
