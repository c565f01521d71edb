/**
 * Whether the store holds any of the data a report reads: a report on a store without it says so
 * instead of printing zeros as if they were the answer.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The kinds of data reports read, each from its own source (and the command that brings it). */
export type StoreData = 'changes' | 'ci' | 'specs' | 'git' | 'bugs' | 'advisories';

const TABLES: Record<StoreData, ReadonlyArray<keyof Database>> = {
  changes: ['changes'],
  ci: ['ci_reports', 'zuul_builds'],
  specs: ['specs'],
  git: ['git_commits'],
  bugs: ['lp_bug_tasks'],
  advisories: ['advisories'],
};

/** Whether the store holds at least one row of `kind` (one probe per table, stopping at the first row). */
export async function storeHolds(db: Kysely<Database>, kind: StoreData): Promise<boolean> {
  for (const table of TABLES[kind]) {
    const row = await db
      .selectFrom(table)
      .select(sql<number>`1`.as('x'))
      .limit(1)
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}
