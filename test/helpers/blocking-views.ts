/**
 * A stand-in for web/report-views.ts, loaded by compute threads in tests (view-workers.test.ts):
 * `overview` blocks its thread until the test releases it through shared memory, `reviewers` kills
 * its thread, `queue` throws a StewardError; the rest are the real views.
 */
import { StewardError } from '../../src/model/errors.js';
import { defaultReportViews as real, type ReportViews } from '../../src/web/report-views.js';

export const defaultReportViews = {
  ...real,
  // Blocks the thread (as a long synchronous SQLite query does) until gate[0] becomes non-zero.
  overview: async (_store: unknown, params: { gate: SharedArrayBuffer }) => {
    const gate = new Int32Array(params.gate);
    Atomics.wait(gate, 0, 0);
    return { released: Atomics.load(gate, 0) };
  },
  reviewers: async () => process.exit(3),
  queue: async () => {
    throw new StewardError('USAGE', 'no such branch: feature/x', { field: 'branch', hint: 'Give a branch the project has.' });
  },
} as unknown as ReportViews;
