/**
 * Reads of the published advisories (migration 0018) and of what links them to code: the commits
 * of the code history that fix their bugs, and the Gerrit changes their review links and bugs
 * name. The bug references of commits and changes were read by the one rule (sources/links/links.ts
 * `extractLinks`) when they were stored (`git_commit_links`, `links`); these queries only join on
 * them. Times are epoch ms.
 */
import type { Kysely } from 'kysely';
import type { Advisory, AdvisoryChange, AdvisoryRecord, BugFixCommit, SecurityWorkChange } from '../../model/advisories.js';
import type { Database } from '../schema.js';
import { listLinkedCommits } from './code-history.js';

const CHUNK = 400;

/** The bug-link kinds that say a commit or change fixes a bug (a Related-Bug does not). */
export const FIXING_LINK_KINDS = ['closes-bug', 'partial-bug'] as const;

/** `query` run over the distinct `values` CHUNK at a time (an IN list stays within both engines' limits), its rows in chunk order. */
async function inChunks<V, R>(values: readonly V[], query: (part: V[]) => Promise<R[]>): Promise<R[]> {
  const distinct = [...new Set(values)];
  const out: R[] = [];
  for (let i = 0; i < distinct.length; i += CHUNK) out.push(...(await query(distinct.slice(i, i + CHUNK))));
  return out;
}

/** The bugs each change of `changeIds` names as fixed (FIXING_LINK_KINDS), in the store's order, repeats kept. */
async function fixedBugsOf(db: Kysely<Database>, changeIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const l of await inChunks(changeIds, (part) =>
    db
      .selectFrom('links')
      .select(['change_id', 'target'])
      .where('change_id', 'in', part)
      .where('kind', 'in', [...FIXING_LINK_KINDS])
      .execute(),
  ))
    out.set(l.change_id, [...(out.get(l.change_id) ?? []), l.target]);
  return out;
}

/**
 * Every stored advisory with its facts, oldest first (by day, then id). `products` (lower-case)
 * keeps those affecting any of them.
 */
export async function loadAdvisories(db: Kysely<Database>, opts: { products?: readonly string[] } = {}): Promise<AdvisoryRecord[]> {
  let q = db.selectFrom('advisories').select(['id', 'content', 'source']);
  if (opts.products?.length) {
    const wanted = opts.products.map((p) => p.toLowerCase());
    q = q.where('id', 'in', db.selectFrom('advisory_products').select('advisory_id').where('product', 'in', wanted));
  }
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  const products = new Map<string, string[]>();
  const cves = new Map<string, string[]>();
  const bugs = new Map<string, AdvisoryRecord['facts']['bugs']>();
  const reviews = new Map<string, AdvisoryRecord['facts']['reviews']>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const r of await db.selectFrom('advisory_products').selectAll().where('advisory_id', 'in', chunk).orderBy('product').execute())
      push(products, r.advisory_id, r.product);
    for (const r of await db.selectFrom('advisory_cves').selectAll().where('advisory_id', 'in', chunk).orderBy('cve').execute())
      push(cves, r.advisory_id, r.cve);
    for (const r of await db.selectFrom('advisory_bugs').selectAll().where('advisory_id', 'in', chunk).orderBy('seq').execute())
      push(bugs, r.advisory_id, { tracker: r.tracker as 'launchpad' | 'storyboard' | 'other', bug: r.bug, url: r.url, note: r.note });
    for (const r of await db.selectFrom('advisory_reviews').selectAll().where('advisory_id', 'in', chunk).orderBy('seq').execute())
      push(reviews, r.advisory_id, {
        branch: r.branch,
        series: r.series,
        host: r.host,
        number: r.number === null ? null : Number(r.number),
        url: r.url,
        note: r.note,
      });
  }
  const out: AdvisoryRecord[] = rows.map((r) => ({
    advisory: JSON.parse(r.content) as Advisory,
    facts: { products: products.get(r.id) ?? [], cves: cves.get(r.id) ?? [], bugs: bugs.get(r.id) ?? [], reviews: reviews.get(r.id) ?? [] },
    source: r.source,
  }));
  return out.sort((a, b) =>
    a.advisory.date < b.advisory.date ? -1 : a.advisory.date > b.advisory.date ? 1 : a.advisory.id < b.advisory.id ? -1 : 1,
  );
}

/** How many advisories the store holds. */
export async function countAdvisories(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('advisories')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The commits of the synced code history that fix any of `bugs` (Launchpad numbers as digits),
 * ordered by bug, then landing time, then hash.
 */
export async function listBugFixCommits(db: Kysely<Database>, bugs: readonly string[]): Promise<BugFixCommit[]> {
  const out: BugFixCommit[] = (await listLinkedCommits(db, bugs, FIXING_LINK_KINDS)).map((c) => ({
    bug: c.target,
    kind: c.kind as BugFixCommit['kind'],
    repo: c.repo,
    sha: c.sha,
    subject: c.subject,
    authorName: c.authorName,
    authorEmail: c.authorEmail,
    authoredAt: c.authoredAt,
    changeId: c.changeId,
    landedAt: c.landedAt,
  }));
  return out.sort((a, b) => (a.bug < b.bug ? -1 : a.bug > b.bug ? 1 : a.landedAt - b.landedAt || (a.sha < b.sha ? -1 : 1)));
}

/**
 * The stored Gerrit changes whose number is in `numbers` (review links) or that name any of `bugs`
 * as fixed (the `links` table: the same rule as commits). Ordered by host and number.
 */
export async function listAdvisoryChanges(
  db: Kysely<Database>,
  numbers: readonly number[],
  bugs: readonly string[],
): Promise<AdvisoryChange[]> {
  const ids = new Set<number>(
    [
      ...(await inChunks(numbers, (part) => db.selectFrom('changes').select('id as change_id').where('number', 'in', part).execute())),
      ...(await inChunks(bugs, (part) =>
        db
          .selectFrom('links')
          .select('change_id')
          .where('target', 'in', part)
          .where('kind', 'in', [...FIXING_LINK_KINDS])
          .execute(),
      )),
    ].map((r) => r.change_id),
  );
  const all = [...ids];
  const out: AdvisoryChange[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const links = await fixedBugsOf(db, chunk);
    const rows = await db
      .selectFrom('changes as c')
      .leftJoin('accounts as a', 'a.id', 'c.owner_id')
      .select([
        'c.id',
        'c.host',
        'c.project',
        'c.branch',
        'c.number',
        'c.subject',
        'c.status',
        'c.owner_id',
        'a.name',
        'a.username',
        'c.created',
        'c.merged_at',
      ])
      .where('c.id', 'in', chunk)
      .execute();
    for (const r of rows)
      out.push({
        id: r.id,
        host: r.host,
        project: r.project,
        branch: r.branch,
        number: r.number,
        subject: r.subject,
        status: r.status,
        ownerId: r.owner_id,
        ownerName: r.name ?? r.username,
        created: Number(r.created),
        mergedAt: r.merged_at == null ? null : Number(r.merged_at),
        bugs: [...new Set(links.get(r.id) ?? [])].sort(),
      });
  }
  return out.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.number - b.number));
}

/**
 * The changes the security candidates report weighs: those with ids in `ids` (the changes linked
 * to advisories and security bugs), and those of `projects` active in [since, until) (created
 * before `until` and merged or updated since `since`), each with its files, the bugs it names as
 * fixed, and its Code-Review votes (not copies, not the owner's own). Ordered by id.
 */
export async function loadSecurityWorkChanges(
  db: Kysely<Database>,
  opts: { ids: readonly number[]; projects: readonly string[]; since: number; until: number },
): Promise<SecurityWorkChange[]> {
  const ids = new Set(opts.ids);
  if (opts.projects.length) {
    const rows = await db
      .selectFrom('changes')
      .select('id')
      .where('project', 'in', [...opts.projects])
      .where('created', '<', opts.until)
      .where((eb) => eb.or([eb('merged_at', '>=', opts.since), eb('updated', '>=', opts.since)]))
      .execute();
    for (const r of rows) ids.add(r.id);
  }
  const all = [...ids].sort((a, b) => a - b);
  const out: SecurityWorkChange[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const files = new Map<number, string[]>();
    for (const f of await db.selectFrom('change_files').select(['change_id', 'path']).where('change_id', 'in', chunk).execute())
      files.set(f.change_id, [...(files.get(f.change_id) ?? []), f.path]);
    const bugs = await fixedBugsOf(db, chunk);
    const reviews = new Map<number, SecurityWorkChange['reviews']>();
    for (const v of await db
      .selectFrom('votes')
      .select(['change_id', 'voter_id', 'value', 'granted_at'])
      .where('change_id', 'in', chunk)
      .where('label', '=', 'Code-Review')
      .where('copied', '=', 0)
      .where('self_vote', '=', 0)
      .execute())
      reviews.set(v.change_id, [...(reviews.get(v.change_id) ?? []), { accountId: v.voter_id, value: v.value, at: Number(v.granted_at) }]);
    const rows = await db
      .selectFrom('changes')
      .select(['id', 'project', 'branch', 'number', 'subject', 'status', 'owner_id', 'created', 'merged_at'])
      .where('id', 'in', chunk)
      .orderBy('id')
      .execute();
    for (const r of rows)
      out.push({
        id: r.id,
        project: r.project,
        branch: r.branch,
        number: r.number,
        subject: r.subject,
        status: r.status,
        ownerId: r.owner_id,
        created: Number(r.created),
        mergedAt: r.merged_at == null ? null : Number(r.merged_at),
        files: (files.get(r.id) ?? []).sort(),
        bugs: [...new Set(bugs.get(r.id) ?? [])].sort(),
        reviews: (reviews.get(r.id) ?? []).sort((a, b) => a.at - b.at || a.accountId - b.accountId),
      });
  }
  return out;
}

/**
 * The branch of each stored Gerrit change whose number is in `numbers` (an exported advisory lists
 * its public changes per branch). A number on several hosts gives the first host's, by name.
 */
export async function changeBranchesByNumber(db: Kysely<Database>, numbers: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  // Host order within each chunk; a number's rows all fall in its own chunk.
  for (const r of await inChunks(numbers, (part) =>
    db.selectFrom('changes').select(['number', 'branch']).where('number', 'in', part).orderBy('host').execute(),
  ))
    if (!out.has(r.number)) out.set(r.number, r.branch);
  return out;
}

/**
 * Every stored advisory's id and publication day (`YYYY-MM-DD`); `products` (lower-case) keeps
 * those affecting any of them. For the overview's security line.
 */
export async function listAdvisoryDays(
  db: Kysely<Database>,
  products: readonly string[] = [],
): Promise<Array<{ id: string; date: string }>> {
  let q = db.selectFrom('advisories').select(['id', 'published']);
  if (products.length)
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('advisory_products')
        .select('advisory_id')
        .where(
          'product',
          'in',
          products.map((p) => p.toLowerCase()),
        ),
    );
  return (await q.orderBy('published').orderBy('id').execute()).map((r) => ({ id: r.id, date: r.published }));
}
