/**
 * Worker thread body for RestPageParser (rest-page-parser.ts): decodes the change pages the main
 * thread posts, one at a time in the order they arrive. For each it answers twice: first the
 * page's head (how many changes, whether more follow: the client can request the next page), then
 * the packed batch — or an error in place of either. Pages arrive as transferred bytes, so
 * nothing is copied on the way in, and their buffer is moved back once read, for the client to
 * read a later response into (http/body-buffers.ts); the packed batch clones cheaply on the way out
 * (model/packed-changes.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StewardError } from '../../model/errors.js';
import { packChangesPage, readChangesPage } from './rest-page-decoder.js';
import type { PageJob, PageReply } from './rest-page-parser.js';

const { host } = workerData as { host: string };
const port = parentPort!;
const send = (reply: PageReply) => port.postMessage(reply);

port.on('message', (job: PageJob) => {
  try {
    let read;
    try {
      read = readChangesPage(new Uint8Array(job.buffer, 0, job.length), job.url);
    } finally {
      // The bytes are read (decoded to a string): their buffer goes back for the next response.
      port.postMessage({ id: job.id, buffer: job.buffer } satisfies PageReply, [job.buffer]);
    }
    if (!read.ok) return send({ id: job.id, head: read });
    const { changes, more } = read.value;
    send({ id: job.id, head: { ok: true, value: { count: changes.length, more } } });
    send({ id: job.id, page: packChangesPage(changes, { host, where: job.where }) });
  } catch (e) {
    send({
      id: job.id,
      error:
        e instanceof StewardError
          ? { code: e.code, message: e.message, details: e.details }
          : {
              code: 'INTERNAL',
              message: `parsing a page of changes failed: ${(e as Error)?.stack ?? String(e)}`,
              details: { where: job.where },
            },
    });
  }
});
