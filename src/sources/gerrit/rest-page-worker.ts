/**
 * Worker thread body for RestPageParser (rest-page-parser.ts): decodes the change pages the main
 * thread posts, one at a time in the order they arrive, and answers each with its packed batch or
 * its error. Pages arrive as transferred bytes, so nothing is copied on the way in; the packed
 * batch clones cheaply on the way out (model/packed-changes.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StewardError } from '../../model/errors.js';
import { decodeChangesPage } from './rest-page-decoder.js';
import type { PageJob, PageReply } from './rest-page-parser.js';

const { host } = workerData as { host: string };
const port = parentPort!;

port.on('message', (job: PageJob) => {
  let reply: PageReply;
  try {
    reply = { id: job.id, outcome: decodeChangesPage(job.body, { host, url: job.url, where: job.where }) };
  } catch (e) {
    reply = {
      id: job.id,
      error: e instanceof StewardError
        ? { code: e.code, message: e.message, details: e.details }
        : { code: 'INTERNAL', message: `parsing a page of changes failed: ${(e as Error)?.stack ?? String(e)}`, details: { where: job.where } },
    };
  }
  port.postMessage(reply);
});
