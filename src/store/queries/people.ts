/**
 * Reads and writes of people data: the identities the store already holds (git authors, Gerrit
 * accounts), the merges and splits made by hand, imported links and affiliations
 * (docs/people-and-history.md).
 */
import type { Kysely } from 'kysely';
import type { IdentityKey, IdentityLink, PeopleDecision } from '../../model/people.js';
import type { Database } from '../schema.js';

/** A git author (address and name) with the number of non-merge commits written so. */
export interface GitAuthorCount {
  email: string;
  name: string;
  commits: number;
}

/**
 * Every (address, name) pair of the synced commits' authors, with its non-merge commit count; the
 * address trimmed and lower-cased (grouped in the database from the covering index of migration 0024).
 */
export async function loadGitAuthors(db: Kysely<Database>): Promise<GitAuthorCount[]> {
  const rows = await db
    .selectFrom('git_commits')
    .select(['author_key', 'author_name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('merge_commit', '=', 0)
    .groupBy(['author_key', 'author_name'])
    .execute();
  return rows.map((r) => ({ email: r.author_key, name: r.author_name, commits: Number(r.n) }));
}

/** A Gerrit account as the store holds it. */
export interface StoredAccount {
  host: string;
  gerritId: number;
  username: string | null;
  name: string | null;
  email: string | null;
}

/** The Gerrit accounts the store holds (with an account id). */
export async function loadGerritAccounts(db: Kysely<Database>): Promise<StoredAccount[]> {
  const rows = await db
    .selectFrom('accounts')
    .select(['host', 'gerrit_id', 'username', 'name', 'email'])
    .where('gerrit_id', 'is not', null)
    .execute();
  return rows.map((r) => ({ host: r.host, gerritId: r.gerrit_id!, username: r.username, name: r.name, email: r.email }));
}

/** The merges and splits made by hand, oldest first. */
export async function listPeopleDecisions(db: Kysely<Database>): Promise<PeopleDecision[]> {
  const rows = await db.selectFrom('people_decisions').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as PeopleDecision['kind'],
    a: r.a,
    b: r.b,
    actor: r.actor,
    at: Number(r.at),
    note: r.note,
  }));
}

/** Records a merge or split made by hand; returns it with its number. */
export async function addPeopleDecision(db: Kysely<Database>, d: Omit<PeopleDecision, 'id'>): Promise<PeopleDecision> {
  const r = await db
    .insertInto('people_decisions')
    .values({ kind: d.kind, a: d.a, b: d.b, actor: d.actor, at: d.at, note: d.note })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...d, id: r.id };
}

/** Links between identities from imported files. */
export async function loadPeopleLinks(db: Kysely<Database>): Promise<IdentityLink[]> {
  const rows = await db.selectFrom('people_links').selectAll().execute();
  return rows.map((r) => ({ a: r.a, b: r.b, evidence: r.evidence as IdentityLink['evidence'], source: r.source }));
}

/** An affiliation: the identity of the person, the company, and when (epoch ms, null for open). */
export interface AffiliationRecord {
  identity: IdentityKey;
  company: string;
  startAt: number | null;
  endAt: number | null;
  source: string;
}

export interface CompanyRecord {
  name: string;
  domains: string[];
  aliases: string[];
  source: string;
}

/** The stored affiliations. */
export async function loadAffiliations(db: Kysely<Database>): Promise<AffiliationRecord[]> {
  const rows = await db.selectFrom('affiliations').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    identity: r.identity,
    company: r.company,
    startAt: r.start_at === null ? null : Number(r.start_at),
    endAt: r.end_at === null ? null : Number(r.end_at),
    source: r.source,
  }));
}

/** The stored companies. */
export async function loadCompanies(db: Kysely<Database>): Promise<CompanyRecord[]> {
  const rows = await db.selectFrom('companies').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    name: r.name,
    domains: JSON.parse(r.domains) as string[],
    aliases: JSON.parse(r.aliases) as string[],
    source: r.source,
  }));
}

/** Whether an earlier import of `source` stored anything (links, affiliations or companies). */
export async function importHoldsData(db: Kysely<Database>, source: string): Promise<boolean> {
  for (const table of ['people_links', 'affiliations', 'companies'] as const) {
    const row = await db.selectFrom(table).select('source').where('source', '=', source).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

/**
 * Replaces what an earlier import of the same `source` stored (links, affiliations, companies) by
 * this import, in one transaction: all of it or nothing.
 */
export async function replaceImport(
  db: Kysely<Database>,
  source: string,
  data: { links: readonly IdentityLink[]; affiliations: readonly AffiliationRecord[]; companies: readonly CompanyRecord[] },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('people_links').where('source', '=', source).execute();
    await tx.deleteFrom('affiliations').where('source', '=', source).execute();
    await tx.deleteFrom('companies').where('source', '=', source).execute();
    const chunk = <T>(xs: readonly T[], n = 500) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
    for (const c of chunk(data.links))
      await tx
        .insertInto('people_links')
        .values(c.map((l) => ({ a: l.a, b: l.b, evidence: l.evidence, source })))
        .execute();
    for (const c of chunk(data.affiliations))
      await tx
        .insertInto('affiliations')
        .values(c.map((a) => ({ identity: a.identity, company: a.company, start_at: a.startAt, end_at: a.endAt, source })))
        .execute();
    for (const c of chunk(data.companies))
      await tx
        .insertInto('companies')
        .values(c.map((x) => ({ name: x.name, domains: JSON.stringify(x.domains), aliases: JSON.stringify(x.aliases), source })))
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({
            domains: (eb) => eb.ref('excluded.domains'),
            aliases: (eb) => eb.ref('excluded.aliases'),
            source: (eb) => eb.ref('excluded.source'),
          }),
        )
        .execute();
  });
}

/** A merged Gerrit change with its owner's account (for the electorate). Times epoch ms. */
export interface MergedChangeOwner {
  host: string;
  project: string;
  number: number;
  mergedAt: number;
  ownerGerritId: number;
}

/** The merged changes in the store (of `projects`, when given) with their owners' Gerrit account ids. */
export async function loadMergedChangeOwners(db: Kysely<Database>, projects?: readonly string[]): Promise<MergedChangeOwner[]> {
  let q = db
    .selectFrom('changes as c')
    .innerJoin('accounts as a', 'a.id', 'c.owner_id')
    .select(['c.host', 'c.project', 'c.number', 'c.merged_at', 'a.gerrit_id'])
    .where('c.status', '=', 'MERGED')
    .where('c.merged_at', 'is not', null)
    .where('a.gerrit_id', 'is not', null);
  if (projects?.length) q = q.where('c.project', 'in', [...projects]);
  const rows = await q.execute();
  return rows.map((r) => ({
    host: r.host,
    project: r.project,
    number: r.number,
    mergedAt: Number(r.merged_at),
    ownerGerritId: r.gerrit_id!,
  }));
}
