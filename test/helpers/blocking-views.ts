/**
 * A stand-in for the report catalogue (service/catalogue/report-catalogue.ts), loaded by compute
 * threads in tests (view-workers.test.ts): `overview` blocks its thread until the test releases it
 * through shared memory, `reviewers` kills its thread, `queue` throws a StewardError; the rest are
 * the real entries.
 */
import { StewardError } from '../../src/model/errors.js';
import { CATALOGUE as real } from '../../src/service/catalogue/report-catalogue.js';
import type { AnyReportEntry } from '../../src/service/catalogue/report-entry.js';

export const CATALOGUE: Readonly<Record<string, AnyReportEntry>> = {
  ...real,
  // Blocks the thread (as a long synchronous SQLite query does) until gate[0] becomes non-zero.
  overview: {
    ...real.overview!,
    build: async (_store, params: { gate: SharedArrayBuffer }) => {
      const gate = new Int32Array(params.gate);
      Atomics.wait(gate, 0, 0);
      return { released: Atomics.load(gate, 0) };
    },
  },
  reviewers: { ...real.reviewers!, build: async () => process.exit(3) },
  queue: {
    ...real.queue!,
    build: async () => {
      throw new StewardError('USAGE', 'no such branch: feature/x', { field: 'branch', hint: 'Give a branch the project has.' });
    },
  },
};
