import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';
import { announceDataChanges } from './0009-web-accounts.js';

/**
 * Published security advisories (`steward security advisories import`, docs/security-advisories.md).
 *
 * - advisories: one row per advisory id; `published` the day as written (`YYYY-MM-DD`),
 *   `published_at` its midnight UTC in epoch ms, `content` the whole advisory as JSON (the model's
 *   `Advisory`, so it can be written back out as YAML unchanged), `source` the file it came from.
 * - advisory_products, advisory_cves: the facts counted per product and per CVE.
 * - advisory_reporters: reporters in file order with their affiliation.
 * - advisory_bugs: the bugs of `issues.links` (`tracker` launchpad, storyboard or other; `bug` the
 *   number, null when not numbered): the key that links an advisory to the commits fixing it.
 * - advisory_reviews: the review links per branch, with the Gerrit host and change number read
 *   from the URL (null when it is not a change URL).
 */
export function advisories(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('advisories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('published', 'text', (c) => c.notNull())
        .addColumn('published_at', big, (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('imported_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('advisory_products')
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('product', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('advisory_products_pk', ['advisory_id', 'product'])
        .execute();
      await db.schema.createIndex('advisory_products_product').on('advisory_products').column('product').execute();
      await db.schema
        .createTable('advisory_cves')
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('cve', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('advisory_cves_pk', ['advisory_id', 'cve'])
        .execute();
      await db.schema
        .createTable('advisory_reporters')
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('affiliation', 'text')
        .addPrimaryKeyConstraint('advisory_reporters_pk', ['advisory_id', 'seq'])
        .execute();
      await db.schema
        .createTable('advisory_bugs')
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('tracker', 'text', (c) => c.notNull())
        .addColumn('bug', 'text')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('advisory_bugs_pk', ['advisory_id', 'seq'])
        .execute();
      await db.schema.createIndex('advisory_bugs_bug').on('advisory_bugs').columns(['bug']).execute();
      await db.schema
        .createTable('advisory_reviews')
        .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('host', 'text')
        .addColumn('number', 'integer')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('advisory_reviews_pk', ['advisory_id', 'seq'])
        .execute();
      if (caps.announcesDataChanges) {
        for (const t of ['advisories', 'advisory_products', 'advisory_cves', 'advisory_reporters', 'advisory_bugs', 'advisory_reviews'])
          await announceDataChanges(db, t);
      }
    },
  };
}
