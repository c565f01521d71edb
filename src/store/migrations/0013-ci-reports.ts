import { sql, type Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * CI results stored per report instead of per build: `ci_reports` holds one row per CI report
 * message (change, message, patch set, pipeline, time, reporter) with its job results as a JSON
 * array (format in schema.ts), and `ci_builds` becomes a view with exactly the columns the table had,
 * one row per build, so every query, the dump and anyone reading the store with SQL see the same
 * rows as before.
 *
 * Why: a report names five builds on average, and every build was a row with two index entries; on
 * the 100,000-change bench export (2.2 million builds in 422,000 reports) the builds were 40% of the
 * rows an import wrote and a quarter of the store.
 *
 * Existing builds are regrouped into reports here: builds of one message that share the message's
 * patch set, pipeline, time and reporter form one report, as the change writer forms them.
 */
export function ciReports(caps: EngineCapabilities) {
  // The capabilities name no engine; PostgreSQL is the one with string_agg.
  const postgres = caps.stringAggregate === 'string_agg';
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ci_reports')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('message_seq', 'integer', (c) => c.notNull())
        .addColumn('patch_set', 'integer', (c) => c.notNull())
        .addColumn('pipeline', 'text')
        .addColumn('reported_at', caps.bigIntType, (c) => c.notNull())
        .addColumn('reporter_id', 'integer')
        .addColumn('jobs', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ci_reports_change').on('ci_reports').column('change_id').execute();
      // Which accounts ever reported CI results (bots): a loose scan of this index.
      await db.schema.createIndex('ci_reports_reporter').on('ci_reports').column('reporter_id').execute();

      const job = postgres
        ? sql`json_build_array(b.job, b.result, b.voting, b.duration_s, b.log_url)`
        : sql`json_array(b.job, b.result, b.voting, b.duration_s, b.log_url)`;
      // Nothing reads meaning into the order of builds within a report.
      const jobs = postgres ? sql`json_agg(${job})::text` : sql`json_group_array(json(${job}))`;
      await sql`insert into ci_reports (change_id, message_seq, patch_set, pipeline, reported_at, reporter_id, jobs)
        select b.change_id, b.message_seq, b.patch_set, b.pipeline, b.reported_at, b.reporter_id, ${jobs}
        from ci_builds b
        group by b.change_id, b.message_seq, b.patch_set, b.pipeline, b.reported_at, b.reporter_id`.execute(db);
      await db.schema.dropTable('ci_builds').execute();

      // The view has the table's columns and types: SQLite's ->> gives integers for JSON numbers and
      // NULL for JSON null; PostgreSQL's gives text, cast back.
      const view = postgres
        ? sql`create view ci_builds as
            select r.change_id, r.message_seq, r.patch_set, r.pipeline,
              j.value->>0 as job, j.value->>1 as result, (j.value->>2)::integer as voting,
              (j.value->>3)::integer as duration_s, j.value->>4 as log_url, r.reported_at, r.reporter_id
            from ci_reports r cross join lateral json_array_elements(r.jobs::json) as j(value)`
        : sql`create view ci_builds as
            select r.change_id, r.message_seq, r.patch_set, r.pipeline,
              j.value->>0 as job, j.value->>1 as result, j.value->>2 as voting,
              j.value->>3 as duration_s, j.value->>4 as log_url, r.reported_at, r.reporter_id
            from ci_reports r, json_each(r.jobs) j`;
      await view.execute(db);
    },
  };
}
