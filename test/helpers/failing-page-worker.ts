/**
 * A page parser worker for tests (RestPageParser's `workerUrl`): the real one
 * (src/sources/gerrit/rest-page-worker.ts), except that it exits at once, half-way through
 * parsing and answering nothing, on a page that contains {@link CRASH_MARKER} — as a worker that
 * crashed would.
 */
import { isMainThread } from 'node:worker_threads';

/** Text that, anywhere in a page's JSON, makes this worker exit with code 3 while parsing it. */
export const CRASH_MARKER = 'steward-test: the page parser worker crashes here';

// Tests import this module for the marker; only as a worker thread does it run the worker.
if (!isMainThread) {
  // This thread's own JSON.parse (the worker has nothing else to break): process.exit ends the
  // thread at once.
  const parse = JSON.parse;
  JSON.parse = (text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown): unknown => {
    if (text.includes(CRASH_MARKER)) process.exit(3);
    return parse(text, reviver);
  };
  await import('../../src/sources/gerrit/rest-page-worker.js');
}
