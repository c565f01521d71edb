import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';
import { announceDataChanges } from './0009-web-accounts.js';

/**
 * People and code history (issue 17).
 *
 * - git_commits_history: a covering index for the code history report (`steward history`), which
 *   reads every commit's landing, author and dates. Without it each row read walks past the
 *   commit's message (stored before those columns) to its overflow pages: on nova's 62,000 commits
 *   the scan took seconds; through the index it reads only the index.
 * - people_decisions: merges and splits of people made by hand (`steward people merge|split`), in
 *   order; identities are keys (`email:…`, `gerrit:HOST/ID`, `launchpad:…`). People themselves are
 *   computed from the evidence each time (analysis/identities.ts), so these are the only state.
 * - people_links: links between identities an imported contributor file gives (evidence 'import').
 * - affiliations: who worked for whom, when (imported from default_data.json or a CSV); dates are
 *   epoch ms, null for open ends.
 * - companies: names with their e-mail domains and aliases (JSON arrays of text).
 */
export function people(caps: EngineCapabilities) {
  const big = caps.bigIntType;
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

      await db.schema
        .createTable('people_decisions')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('a', 'text', (c) => c.notNull())
        .addColumn('b', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', big, (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();

      await db.schema
        .createTable('people_links')
        .addColumn('a', 'text', (c) => c.notNull())
        .addColumn('b', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('affiliations')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('company', 'text', (c) => c.notNull())
        .addColumn('start_at', big)
        .addColumn('end_at', big)
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('affiliations_identity').on('affiliations').columns(['identity']).execute();

      await db.schema
        .createTable('companies')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('domains', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      if (caps.announcesDataChanges)
        for (const t of ['people_decisions', 'people_links', 'affiliations', 'companies']) await announceDataChanges(db, t);
    },
  };
}
