/**
 * A canonical, engine-independent dump of the store: every row with internal ids replaced by
 * natural keys (host + change number, host + account identity), sorted. Two stores holding the
 * same data give identical dumps whichever engine they use and in whatever order rows arrived.
 */
import type { Store } from './engine.js';

export type DumpRow = Record<string, unknown>;
export type StoreDump = Record<string, DumpRow[]>;

/**
 * Sorts rows by their JSON text (each row serialised once, not at every comparison: a dump of a few
 * thousand changes compares hundreds of thousands of times). Same order as comparing the texts.
 */
const sortRows = (rows: DumpRow[]): void => {
  const keyed = rows.map((row) => ({ row, key: JSON.stringify(row) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < rows.length; i++) rows[i] = keyed[i]!.row;
};

export async function dumpStore(store: Store): Promise<StoreDump> {
  const { db } = store;
  const accounts = await db.selectFrom('accounts').selectAll().execute();
  const acct = new Map<number, string>();
  for (const a of accounts)
    acct.set(
      a.id,
      `${a.host}/${a.gerrit_id != null ? `id:${a.gerrit_id}` : a.username ? `user:${a.username}` : a.email ? `email:${a.email}` : `name:${a.name}`}`,
    );
  const who = (id: number | null): string | null => (id == null ? null : (acct.get(id) ?? `missing:${id}`));
  const changes = await db.selectFrom('changes').selectAll().execute();
  const chg = new Map<number, string>();
  for (const c of changes) chg.set(c.id, `${c.host}/${c.number}`);
  const ch = (id: number): string => chg.get(id) ?? `missing:${id}`;

  const out: StoreDump = {
    hosts: await db.selectFrom('hosts').selectAll().execute(),
    accounts: accounts.map(({ id: _id, ...a }) => a),
    changes: changes.map(({ id: _id, owner_id, ...c }) => ({ ...c, owner: who(owner_id) })),
    patch_sets: (await db.selectFrom('patch_sets').selectAll().execute()).map(({ change_id, uploader_id, ...r }) => ({
      change: ch(change_id),
      ...r,
      uploader: who(uploader_id),
    })),
    votes: (await db.selectFrom('votes').selectAll().execute()).map(({ change_id, voter_id, ...r }) => ({
      change: ch(change_id),
      ...r,
      voter: who(voter_id),
    })),
    // Derived from patch_sets and votes at write time; ids inside are store ids, so only compared as present.
    change_flow: (await db.selectFrom('change_flow').select('change_id').execute()).map((r) => ({ change: ch(r.change_id) })),
    messages: (await db.selectFrom('messages').selectAll().execute()).map(({ change_id, author_id, ...r }) => ({
      change: ch(change_id),
      ...r,
      author: who(author_id),
    })),
    change_files: (await db.selectFrom('change_files').selectAll().execute()).map(({ change_id, ...r }) => ({
      change: ch(change_id),
      ...r,
    })),
    links: (await db.selectFrom('links').selectAll().execute()).map(({ change_id, ...r }) => ({ change: ch(change_id), ...r })),
    specs: (await db.selectFrom('specs').selectAll().execute()).map(({ id: _id, ...r }) => r),
    ci_builds: (await db.selectFrom('ci_builds').selectAll().execute()).map(({ change_id, reporter_id, ...r }) => ({
      change: ch(change_id),
      ...r,
      reporter: who(reporter_id),
    })),
    // Code history: keyed by repository name and commit hash already.
    git_commits: await db.selectFrom('git_commits').selectAll().execute(),
    git_commit_links: await db.selectFrom('git_commit_links').selectAll().execute(),
    // Launchpad: keyed by self link and bug number already.
    lp_bug_tasks: await db.selectFrom('lp_bug_tasks').selectAll().execute(),
    lp_bugs: await db.selectFrom('lp_bugs').selectAll().execute(),
    lp_blueprints: await db.selectFrom('lp_blueprints').selectAll().execute(),
  };
  for (const rows of Object.values(out)) sortRows(rows);
  return out;
}
