import type { Kysely } from 'kysely';
import type { EngineCapabilities } from '../engine.js';

/**
 * Code history (`steward git sync`): the commits of a repository's main branch with how each
 * landed on it, the bugs and blueprints each names, and the sync checkpoint. `repo` is the name
 * the repository is synced under (steward.yaml `git.name`, default the directory name), so one
 * store can hold several repositories.
 *
 * - git_commits: one row per commit reachable from the branch; `parents` space-separated in
 *   order; `change_id` the Gerrit Change-Id trailer (joins changes.change_key); `landed_by` /
 *   `landed_at` / `landing` / `mainline` from sources/git/landing.ts.
 * - git_commit_links: (kind, target) per commit: closes-bug, partial-bug, related-bug (target the
 *   bug number) and implements, partially-implements, mention (target the lower-cased blueprint).
 * - git_sync_state: per repo, the branch and tip commit last synced.
 */
export function codeHistory(caps: EngineCapabilities) {
  const big = caps.bigIntType;
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('git_commits')
        .addColumn('repo', 'text', (c) => c.notNull())
        .addColumn('sha', 'text', (c) => c.notNull())
        .addColumn('parents', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('author_email', 'text', (c) => c.notNull())
        .addColumn('authored_at', big, (c) => c.notNull())
        .addColumn('committer_name', 'text', (c) => c.notNull())
        .addColumn('committer_email', 'text', (c) => c.notNull())
        .addColumn('committed_at', big, (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('change_id', 'text')
        .addColumn('mainline', 'integer', (c) => c.notNull())
        .addColumn('landed_by', 'text', (c) => c.notNull())
        .addColumn('landed_at', big, (c) => c.notNull())
        .addColumn('landing', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('git_commits_pk', ['repo', 'sha'])
        .execute();
      await db.schema.createIndex('git_commits_change_id').on('git_commits').columns(['change_id']).execute();
      await db.schema.createIndex('git_commits_landed').on('git_commits').columns(['repo', 'landed_at']).execute();

      await db.schema
        .createTable('git_commit_links')
        .addColumn('repo', 'text', (c) => c.notNull())
        .addColumn('sha', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('git_commit_links_pk', ['repo', 'sha', 'kind', 'target'])
        .execute();
      await db.schema.createIndex('git_commit_links_target').on('git_commit_links').columns(['target', 'kind']).execute();

      await db.schema
        .createTable('git_sync_state')
        .addColumn('repo', 'text', (c) => c.primaryKey())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('branch', 'text', (c) => c.notNull())
        .addColumn('tip', 'text', (c) => c.notNull())
        .addColumn('commits', 'integer', (c) => c.notNull())
        .addColumn('synced_at', big, (c) => c.notNull())
        .execute();
    },
  };
}
