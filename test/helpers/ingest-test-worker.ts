/**
 * A worker for the tests of src/ingest/ingest-thread.ts (sync.test.ts): posts `events` numbered
 * events, then, by `end`, returns the young generation it was given, throws a StewardError or
 * another error, or ends the thread without a result.
 */
import { resourceLimits } from 'node:worker_threads';
import { serveIngestJob } from '../../src/ingest/ingest-thread.js';
import { StewardError } from '../../src/model/errors.js';

export interface IngestTestJob {
  events: number;
  end: 'result' | 'steward-error' | 'type-error' | 'exit';
}

await serveIngestJob<IngestTestJob, { n: number }, { youngGenerationMb: number | undefined }>(
  async (job, emit) => {
    for (let n = 1; n <= job.events; n++) emit({ n });
    if (job.end === 'steward-error')
      throw new StewardError('SOURCE_NOT_FOUND', 'Gerrit has no project named demo/nothing', {
        where: 'http://127.0.0.1:1/changes/',
        hint: 'Check projects[].name in steward.yaml.',
      });
    if (job.end === 'type-error') throw new TypeError('a bug in the sync');
    if (job.end === 'exit') process.exit(3);
    return { youngGenerationMb: resourceLimits.maxYoungGenerationSizeMb };
  },
  () => 'http://127.0.0.1:1',
);
