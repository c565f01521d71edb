/**
 * Migration 0024 computes, for commits a store already holds, the same facts `steward git sync`
 * stores with every new commit (merge commit, author key, bug/blueprint names, backport): a
 * repository with a release-tag merge, a bug and a blueprint, synced, its facts wiped and the
 * migration's backfill run again, both engines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { commitFacts } from '../../src/store/migrations/0024-commit-facts.js';
import { openStore } from '../../src/store/open-store.js';
import { runSteward } from '../helpers/cli.js';
import { ENGINES, freshLocation } from '../helpers/stores.js';

describe('migration 0024: commit facts backfilled as the sync stores them', () => {
  let work: string;
  let repo: string;
  const git = (args: string[], date: string, email = 'Ann@Example.org ') =>
    execFileSync('git', ['-C', repo, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Ann',
        GIT_AUTHOR_EMAIL: email,
        GIT_AUTHOR_DATE: `${date}T12:00:00Z`,
        GIT_COMMITTER_NAME: 'Gerrit Code Review',
        GIT_COMMITTER_EMAIL: 'review@example.org',
        GIT_COMMITTER_DATE: `${date}T12:00:00Z`,
      },
    });
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'steward-commit-facts-'));
    repo = join(work, 'proj');
    execFileSync('git', ['init', '-q', '-b', 'master', repo]);
    git(['commit', '-q', '--allow-empty', '-m', 'Start'], '2020-01-01');
    git(['commit', '-q', '--allow-empty', '-m', 'Fix it\n\nCloses-Bug: #12345'], '2020-01-02');
    git(['commit', '-q', '--allow-empty', '-m', 'Do it\n\nImplements: blueprint big-thing\nCloses-Bug: #1'], '2020-01-03');
    git(['checkout', '-q', '-b', 'stable/x', 'master~1'], '2020-01-04');
    git(['commit', '-q', '--allow-empty', '-m', 'A stable fix'], '2020-01-04', 'dana@example.org');
    git(['tag', 'v1'], '2020-01-04');
    git(['checkout', '-q', 'master'], '2020-01-05');
    git(['merge', '-q', '--no-ff', '-m', "Merge tag 'v1'", 'v1'], '2020-01-05');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const engine of ENGINES) {
    it(`backfill equals the sync (${engine.name})`, { skip: engine.skip }, async () => {
      const { location, cleanup } = await freshLocation(engine.name);
      try {
        const r = await runSteward(['--db', location, 'git', 'sync', '--repo', repo, '--branch', 'master'], { cwd: work });
        assert.equal(r.code, 0, r.stderr);
        const store = await openStore(location);
        try {
          const facts = () =>
            store.db
              .selectFrom('git_commits')
              .select(['subject', 'merge_commit', 'author_key', 'names', 'backport'])
              .orderBy('subject')
              .execute();
          const synced = await facts();
          assert.deepEqual(
            synced.map((x) => [x.subject, x.merge_commit, x.author_key, x.names, x.backport]),
            [
              ['A stable fix', 0, 'dana@example.org', 0, 1],
              ['Do it', 0, 'ann@example.org', 3, 0],
              ['Fix it', 0, 'ann@example.org', 1, 0],
              ["Merge tag 'v1'", 1, 'ann@example.org', 0, 1],
              ['Start', 0, 'ann@example.org', 0, 0],
            ],
          );
          // As a store synced before 0024 would be: the columns gone; the migration puts them back.
          await sql`DROP INDEX git_commits_people`.execute(store.db);
          for (const c of ['merge_commit', 'author_key', 'names', 'backport'])
            await sql`ALTER TABLE git_commits DROP COLUMN ${sql.ref(c)}`.execute(store.db);
          await commitFacts().up(store.db);
          assert.deepEqual(await facts(), synced);
        } finally {
          await store.close();
        }
      } finally {
        await cleanup();
      }
    });
  }
});
