import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * People and code history (issue 17).
 *
 * - git_commits_history: a covering index for the code history report (`steward history`), which
 *   reads every commit's landing, author and dates. Without it each row read walks past the
 *   commit's message (stored before those columns) to its overflow pages: on nova's 62,000 commits
 *   the scan took seconds; through the index it reads only the index.
 */
export function people(caps: EngineCapabilities) {
  void caps;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('git_commits_history')
        .on('git_commits')
        .columns([
          'repo',
          'landed_at',
          'parents',
          'authored_at',
          'author_email',
          'author_name',
          'landing',
          'landed_by',
          'sha',
          'change_id',
          'subject',
        ])
        .execute();
    },
  };
}
