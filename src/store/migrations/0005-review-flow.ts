import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Covering indexes for the review-flow loaders (store/queries/flow.ts): `steward queue` reads every
 * open change with its patch sets and votes, `steward waits` the histories of every change open in
 * a period. Measured on the 100,000-change bench store (SQLite, warm): with them the queue's reads of
 * 16,000 open changes take about 110 ms; without them each read scans the changes table (about
 * 70 ms apiece) or reads the wide message and change rows. They cost about 10% more CPU on import.
 *
 * - changes (status, id, …): the open changes and their flow columns without reading the row;
 *   changes (merged_at), (abandoned_at): the changes open at some moment of a period;
 * - patch_sets (change_id, number, created); votes (change_id, patch_set, label, value, voter_id,
 *   granted_at, copied); messages (change_id, kind, seq, patch_set, author_id, date): a change's
 *   history straight from the index;
 * - votes (label, value, voter_id): which accounts ever voted Verified ±2 (the gating CI);
 * - ci_builds (reporter_id): which accounts ever posted CI reports (bots), read by a loose index
 *   scan in a few index probes instead of a pass over every build.
 */
export function reviewFlow(_caps: EngineCapabilities) {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('changes_flow')
        .on('changes')
        .columns([
          'status',
          'id',
          'host',
          'project',
          'branch',
          'number',
          'owner_id',
          'wip',
          'created',
          'updated',
          'insertions',
          'deletions',
        ])
        .execute();
      // "Open at some moment of a period": status NEW, or merged or abandoned since its start.
      await db.schema.createIndex('changes_merged_at').on('changes').column('merged_at').execute();
      await db.schema.createIndex('changes_abandoned_at').on('changes').column('abandoned_at').execute();
      await db.schema.createIndex('patch_sets_flow').on('patch_sets').columns(['change_id', 'number', 'created']).execute();
      await db.schema
        .createIndex('votes_flow')
        .on('votes')
        .columns(['change_id', 'patch_set', 'label', 'value', 'voter_id', 'granted_at', 'copied'])
        .execute();
      await db.schema.createIndex('votes_label_value').on('votes').columns(['label', 'value', 'voter_id']).execute();
      await db.schema.createIndex('ci_builds_reporter').on('ci_builds').column('reporter_id').execute();
      await db.schema
        .createIndex('messages_flow')
        .on('messages')
        .columns(['change_id', 'kind', 'seq', 'patch_set', 'author_id', 'date'])
        .execute();
    },
  };
}
