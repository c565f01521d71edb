/**
 * Reads and writes of people data: the identities the store already holds (git authors, Gerrit
 * accounts), the merges and splits made by hand, imported links and affiliations
 * (docs/people-and-history.md).
 */
import { sql, type Kysely } from 'kysely';
import type { IdentityKey, IdentityLink, PeopleDecision } from '../../model/people.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { AGGREGATE } from './packed.js';

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

/** How many acts of one Gerrit account (or git author) a window holds, and when (epoch ms, unordered), when asked for. */
export interface AccountCount {
  host: string;
  gerritId: number;
  n: number;
  /** Each one's time, for attributing each to the company at its time; null unless asked for. */
  times: number[] | null;
}

/** A window of activity counted in the database: [since, until), optionally on some Gerrit projects. */
export interface ActivityWindow {
  since: number;
  until: number;
  /** Gerrit projects (none: all). */
  projects?: readonly string[];
  engine: EngineName;
  /** Also return each one's time (`times`), packed in one string per account by the database. */
  times?: boolean;
}

/** The packed times of a group (text, comma-separated) in either engine. */
const packedTimes = (engine: EngineName, column: string) => AGGREGATE[engine](sql<string>`cast(${sql.ref(column)} as text)`, ',');
const unpackTimes = (s: string | null | undefined): number[] => (s ? s.split(',').map(Number) : []);

/**
 * Reviews per reviewer in [since, until), grouped in the database, by the one definition of a
 * review (analysis/reviews.ts, `reviewsInPeriod`, as `steward reviewers` counts them): the window's
 * acts — votes that are not copies, comment-only review messages with an author and a patch set —
 * by people other than the change's owner and the accounts in `excludeActorIds` (the bots), one
 * review per (change, patch set, reviewer), dated by its first act in the window. Accounts without
 * a Gerrit id are left out. test/integration/people-web.test.ts holds it to `steward reviewers`.
 */
export async function loadReviewCounts(
  db: Kysely<Database>,
  w: ActivityWindow & { excludeActorIds: readonly number[] },
): Promise<AccountCount[]> {
  let votes = db
    .selectFrom('votes')
    .select(['change_id', 'patch_set', 'voter_id as actor_id', 'granted_at as at'])
    .where('copied', '=', 0)
    .where('granted_at', '>=', w.since)
    .where('granted_at', '<', w.until);
  let comments = db
    .selectFrom('messages')
    .select(['change_id', 'patch_set', 'author_id as actor_id', 'date as at'])
    .where('kind', '=', 'comment')
    .where('author_id', 'is not', null)
    .where('patch_set', 'is not', null)
    .where('date', '>=', w.since)
    .where('date', '<', w.until)
    .$narrowType<{ actor_id: number; patch_set: number }>();
  if (w.excludeActorIds.length) {
    votes = votes.where('voter_id', 'not in', [...w.excludeActorIds]);
    comments = comments.where('author_id', 'not in', [...w.excludeActorIds]);
  }
  let reviews = db
    .selectFrom(votes.unionAll(comments).as('a'))
    .innerJoin('changes as c', 'c.id', 'a.change_id')
    .select(['a.actor_id', (eb) => eb.fn.min('a.at').as('at')])
    .whereRef('a.actor_id', '<>', 'c.owner_id')
    .groupBy(['a.change_id', 'a.patch_set', 'a.actor_id']);
  if (w.projects?.length) reviews = reviews.where('c.project', 'in', [...w.projects]);
  const rows = await db
    .selectFrom(reviews.as('r'))
    .innerJoin('accounts as acc', 'acc.id', 'r.actor_id')
    .where('acc.gerrit_id', 'is not', null)
    .select(['acc.host', 'acc.gerrit_id', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(!!w.times, (q) => q.select(packedTimes(w.engine, 'r.at').as('times')))
    .groupBy(['acc.id', 'acc.host', 'acc.gerrit_id'])
    .execute();
  return rows.map((r) => ({
    host: r.host,
    gerritId: r.gerrit_id!,
    n: Number(r.n),
    times: w.times ? unpackTimes((r as { times?: string | null }).times) : null,
  }));
}

/**
 * Merged Gerrit changes per owner (by Gerrit account) merged in [since, until), grouped in the
 * database. The status is grouped by, not filtered on: the range on `merged_at` then takes its index
 * (SQLite, without statistics, would otherwise read every merged change through `changes_flow`).
 */
export async function loadMergedChangeCounts(db: Kysely<Database>, w: ActivityWindow): Promise<AccountCount[]> {
  let q = db
    .selectFrom('changes as c')
    .innerJoin('accounts as a', 'a.id', 'c.owner_id')
    .select(['a.host', 'a.gerrit_id', 'c.status', (eb) => eb.fn.countAll<number>().as('n')])
    .$if(!!w.times, (q) => q.select(packedTimes(w.engine, 'c.merged_at').as('times')))
    .where('c.merged_at', '>=', w.since)
    .where('c.merged_at', '<', w.until)
    .where('a.gerrit_id', 'is not', null)
    .groupBy(['a.id', 'a.host', 'a.gerrit_id', 'c.status']);
  if (w.projects?.length) q = q.where('c.project', 'in', [...w.projects]);
  const rows = await q.execute();
  return rows
    .filter((r) => r.status === 'MERGED')
    .map((r) => ({
      host: r.host,
      gerritId: r.gerrit_id!,
      n: Number(r.n),
      times: w.times ? unpackTimes((r as { times?: string | null }).times) : null,
    }));
}
