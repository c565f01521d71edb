import { sql, type Kysely } from 'kysely';

/**
 * What the code history and people reports read of every commit, computed once when `steward git
 * sync` stores it instead of on every report (docs/people-and-history.md, "Speed"):
 *
 * - `merge_commit`: 1 for a commit with more than one parent (they were told apart by
 *   `parents NOT LIKE '% %'`, a string test on every row of every report);
 * - `author_key`: the author's address trimmed and lower-cased (an e-mail identity's key);
 * - `names`: 1 when the message names a bug, 2 when it names a blueprint (3: both) — the links the
 *   sync stores, so no report joins `git_commit_links` to count them;
 * - `backport`: 1 when the landing that brought the commit also brought a release-tag merge
 *   (a commit whose subject starts `Merge tag `): the stable branch's work coming back. It depends
 *   on the other commits of the landing, so the sync recomputes it for the repository after every
 *   change (store/git-store.ts).
 *
 * `git_commits_people` covers the history, electorate and people reads: non-merge commits by
 * landing time with only these narrow columns (the 0019 index carries the hashes and parents).
 */
export function commitFacts() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      for (const col of ['merge_commit', 'backport', 'names'])
        await db.schema
          .alterTable('git_commits')
          .addColumn(col, 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      await db.schema
        .alterTable('git_commits')
        .addColumn('author_key', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      // Backfill: each statement reads the table once (the link and tag look-ups go through the
      // links' primary key and one list of release-tag landings, never a scan per row).
      await sql`UPDATE git_commits SET merge_commit = CASE WHEN parents LIKE '% %' THEN 1 ELSE 0 END, author_key = lower(trim(author_email))`.execute(
        db,
      );
      await sql`UPDATE git_commits SET names =
          (CASE WHEN EXISTS (SELECT 1 FROM git_commit_links l WHERE l.repo = git_commits.repo AND l.sha = git_commits.sha
             AND l.kind IN ('closes-bug', 'partial-bug', 'related-bug')) THEN 1 ELSE 0 END)
        + (CASE WHEN EXISTS (SELECT 1 FROM git_commit_links l WHERE l.repo = git_commits.repo AND l.sha = git_commits.sha
             AND l.kind IN ('implements', 'partially-implements', 'related', 'mention')) THEN 2 ELSE 0 END)`.execute(db);
      await sql`UPDATE git_commits SET backport = 1
        WHERE (repo, landed_by) IN (SELECT t.repo, t.landed_by FROM git_commits t WHERE t.subject LIKE 'Merge tag %')`.execute(db);
      await db.schema
        .createIndex('git_commits_people')
        .on('git_commits')
        .columns(['merge_commit', 'landed_at', 'authored_at', 'author_key', 'author_name', 'landing', 'backport', 'names', 'repo'])
        .execute();
    },
  };
}
