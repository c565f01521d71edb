import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/** The review data model: hosts, accounts, changes and what hangs off a change. */
export function reviewData(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was, not the current Database type
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('hosts')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text')
        .execute();

      await db.schema
        .createTable('accounts')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('gerrit_id', big)
        .addColumn('username', 'text')
        .addColumn('name', 'text')
        .addColumn('email', 'text')
        .addUniqueConstraint('accounts_host_gerrit_id', ['host', 'gerrit_id'])
        .execute();
      await db.schema.createIndex('accounts_host_username').on('accounts').columns(['host', 'username']).execute();

      await db.schema
        .createTable('changes')
        .addColumn('id', caps.autoIdType, (c) => (caps.autoIdType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('project', 'text', (c) => c.notNull())
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('change_key', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'integer', (c) => c.notNull().references('accounts.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('wip', 'integer', (c) => c.notNull())
        .addColumn('private', 'integer', (c) => c.notNull())
        .addColumn('created', big, (c) => c.notNull())
        .addColumn('updated', big, (c) => c.notNull())
        .addColumn('submitted', big)
        // Derived at write time (change-writer.ts): when the change merged / was last abandoned.
        .addColumn('merged_at', big)
        .addColumn('abandoned_at', big)
        .addColumn('topic', 'text')
        .addColumn('hashtags', 'text', (c) => c.notNull())
        .addColumn('insertions', 'integer', (c) => c.notNull())
        .addColumn('deletions', 'integer', (c) => c.notNull())
        .addColumn('files_count', 'integer', (c) => c.notNull())
        .addColumn('commit_message', 'text', (c) => c.notNull())
        .addColumn('source_format', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addUniqueConstraint('changes_host_number', ['host', 'number'])
        .execute();
      await db.schema.createIndex('changes_project_status').on('changes').columns(['project', 'status']).execute();
      await db.schema.createIndex('changes_updated').on('changes').column('updated').execute();

      await db.schema
        .createTable('patch_sets')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('revision', 'text', (c) => c.notNull())
        .addColumn('created', big, (c) => c.notNull())
        .addColumn('uploader_id', 'integer')
        .addColumn('author_name', 'text')
        .addColumn('author_email', 'text')
        .addColumn('author_date', big)
        .addColumn('kind', 'text')
        .addColumn('insertions', 'integer', (c) => c.notNull())
        .addColumn('deletions', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('patch_sets_pk', ['change_id', 'number'])
        .execute();

      await db.schema
        .createTable('votes')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('patch_set', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('value', 'integer', (c) => c.notNull())
        .addColumn('voter_id', 'integer', (c) => c.notNull())
        .addColumn('granted_at', big, (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('copied', 'integer', (c) => c.notNull())
        .addColumn('self_vote', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('votes_change').on('votes').column('change_id').execute();
      await db.schema.createIndex('votes_time').on('votes').column('granted_at').execute();

      await db.schema
        .createTable('messages')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('patch_set', 'integer')
        .addColumn('author_id', 'integer')
        .addColumn('date', big, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('tag', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('messages_pk', ['change_id', 'seq'])
        .execute();
      await db.schema.createIndex('messages_date').on('messages').column('date').execute();

      await db.schema
        .createTable('change_files')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('insertions', 'integer', (c) => c.notNull())
        .addColumn('deletions', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('change_files_pk', ['change_id', 'path'])
        .execute();

      await db.schema
        .createTable('links')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('links_pk', ['change_id', 'kind', 'target'])
        .execute();
      await db.schema.createIndex('links_target').on('links').columns(['target', 'kind']).execute();

      await db.schema
        .createTable('ci_builds')
        .addColumn('change_id', 'integer', (c) => c.notNull().references('changes.id'))
        .addColumn('message_seq', 'integer', (c) => c.notNull())
        .addColumn('patch_set', 'integer', (c) => c.notNull())
        .addColumn('pipeline', 'text')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('voting', 'integer', (c) => c.notNull())
        .addColumn('duration_s', 'integer')
        .addColumn('log_url', 'text')
        .addColumn('reported_at', big, (c) => c.notNull())
        .addColumn('reporter_id', 'integer')
        .execute();
      await db.schema.createIndex('ci_builds_change').on('ci_builds').column('change_id').execute();
    },
  };
}
