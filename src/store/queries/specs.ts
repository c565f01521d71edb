/**
 * Store side of specs (`steward specs sync`, `steward specs report`): replace the specs read from a
 * repository, load them back as model records.
 */
import { sql, type Kysely } from 'kysely';
import type { SpecRecord, SpecRename, SpecState, SpecsSyncInfo, SpecsWarning } from '../../model/specs.js';
import type { Database, SpecsTable } from '../schema.js';

type SpecRow = Omit<SpecsTable, 'id'> & { id: number };

const toRecord = (r: SpecRow): SpecRecord => ({
  release: r.release,
  path: r.path,
  firstPath: r.first_path,
  blueprint: r.blueprint,
  blueprintUrl: r.blueprint_url,
  title: r.title,
  state: r.state as SpecState,
  approvedAt: Number(r.approved_at),
  approvedCommit: r.approved_commit,
  implementedAt: r.implemented_at === null ? null : Number(r.implemented_at),
  implementedCommit: r.implemented_commit,
  removedAt: r.removed_at === null ? null : Number(r.removed_at),
  renames: JSON.parse(r.renames) as SpecRename[],
});

/**
 * Replaces every stored spec and the sync record with what one read of a repository gave, in one
 * transaction (a failed sync leaves the previous one in place).
 *
 * @example await replaceSpecs(store.db, { repo, head, headAt, syncedAt: now, commits: 1309, warnings: [] }, specs);
 */
export async function replaceSpecs(db: Kysely<Database>, info: SpecsSyncInfo, specs: readonly SpecRecord[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('specs').execute();
    await trx.deleteFrom('specs_sync').execute();
    const rows = specs.map((s) => ({
      release: s.release,
      path: s.path,
      first_path: s.firstPath,
      blueprint: s.blueprint,
      blueprint_url: s.blueprintUrl,
      title: s.title,
      state: s.state,
      approved_at: s.approvedAt,
      approved_commit: s.approvedCommit,
      implemented_at: s.implementedAt,
      implemented_commit: s.implementedCommit,
      removed_at: s.removedAt,
      renames: JSON.stringify(s.renames),
    }));
    // 13 columns a row: stay well under either engine's bound-parameter limit.
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('specs')
        .values(rows.slice(i, i + 500))
        .execute();
    await trx
      .insertInto('specs_sync')
      .values({
        repo: info.repo,
        head: info.head,
        head_at: info.headAt,
        synced_at: info.syncedAt,
        commits: info.commits,
        warnings: JSON.stringify(info.warnings),
      })
      .execute();
  });
}

/** Every stored spec, by approval time then path. */
export async function loadSpecs(db: Kysely<Database>): Promise<SpecRecord[]> {
  const rows = await db.selectFrom('specs').selectAll().orderBy('approved_at').orderBy('path').execute();
  return rows.map((r) => toRecord(r as SpecRow));
}

/** How many specs the store holds (0 before the first specs sync). */
export async function countSpecs(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('specs')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The last sync's record, or null when specs were never synced. */
export async function loadSpecsSync(db: Kysely<Database>): Promise<SpecsSyncInfo | null> {
  const r = await db.selectFrom('specs_sync').selectAll().executeTakeFirst();
  if (!r) return null;
  return {
    repo: r.repo,
    head: r.head,
    headAt: Number(r.head_at),
    syncedAt: Number(r.synced_at),
    commits: Number(r.commits),
    warnings: JSON.parse(r.warnings) as SpecsWarning[],
  };
}

/**
 * For each window [since, until): whether the store holds any Gerrit change (of `projects`, all
 * when empty) created in it. One pass over the changes, whatever the number of windows.
 */
export async function windowsWithChanges(
  db: Kysely<Database>,
  windows: ReadonlyArray<readonly [number, number]>,
  projects: readonly string[] = [],
): Promise<boolean[]> {
  if (windows.length === 0) return [];
  const flags = windows.map(([since, until], i) =>
    sql<number>`max(case when created >= ${since} and created < ${until} then 1 else 0 end)`.as(`w${i}`),
  );
  let q = db.selectFrom('changes').select(flags);
  if (projects.length) q = q.where('project', 'in', [...projects]);
  const row = (await q.executeTakeFirst()) as Record<string, unknown> | undefined;
  return windows.map((_, i) => Number(row?.[`w${i}`] ?? 0) === 1);
}
