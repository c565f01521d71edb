import { sql, type Kysely } from 'kysely';

/**
 * `votes_voter` (voter_id, granted_at, change_id, patch_set, label, value) of the votes that are not
 * copies: a few voters' votes of a window, read from the index alone. `steward bugs rota` reads its
 * members' votes since its window's start (issue 15): through `votes_window` (copied, granted_at, …)
 * both engines walked every vote of the window and kept the members' (221,000 entries for 19,000 on
 * the 100,000-change bench store: about 35 ms of SQLite's CPU, 100–130 ms of PostgreSQL's), through
 * this one only the members' (about 10 ms, 33 ms). Partial (`copied = 0`), so that only statements
 * that ask for votes that are not copies can take it: the look-ups that name voters and changes but
 * not `copied` (core-idle's earlier acts, review-tally's `copied + 0`) keep their plans by change.
 * Its cost: an import into an empty store builds it once after its load (ingest-writes.ts): 1.3 s
 * of SQLite's CPU alone on the bench store's 862,000 votes; the whole 100,000-change REST import,
 * two pairs alternating at load 6–9, 33–36 → 39–44 s CPU and 334–338 → 355–375 MB peak RSS
 * (docs/benchmarks.md); and an index entry for each vote written that is not a copy.
 */
export function votesVoterIndex() {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createIndex('votes_voter')
        .on('votes')
        .columns(['voter_id', 'granted_at', 'change_id', 'patch_set', 'label', 'value'])
        .where(sql.ref('copied'), '=', 0)
        .execute();
    },
  };
}
