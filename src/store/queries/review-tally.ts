/**
 * The reviews of a period counted in the database (issue 20: group in SQL, not in objects a report
 * throws away): per reviewer, their reviews and how many were comment-only, and the period's
 * self-votes — what the overview takes from the reviews (analysis/overview.ts `tallyReviews` is the
 * same count over act records; analysis/reviews.ts defines a review).
 *
 * The acts are read as `loadReviewActs` reads them (votes that are not copies, through
 * `votes_window`; comment-only messages with an author and a patch set, through
 * `messages_kind_date`), each with its change's owner.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ReviewTally } from '../../model/activity.js';
import type { CoreReviewTally } from '../../model/team.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { IN_SUBQUERY } from './id-lists.js';

// Engines cap bound parameters; bot lists are small, but keep the list bounded anyway.
const MAX_IN = 5000;

/**
 * The reviews in [since, until) per person who acted (bots in `excludeActorIds` left out: the
 * report drops them anyway, and CI votes are many), people by store id.
 *
 * @example const tally = await loadReviewTally(db, { since, until, excludeActorIds: [...bots] });
 */
export async function loadReviewTally(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; since: number; until: number; excludeActorIds?: readonly number[]; engine?: EngineName },
): Promise<ReviewTally> {
  const { since, until } = filter;
  const bots = filter.excludeActorIds?.slice(0, MAX_IN) ?? [];
  const notBot = (column: string) => (bots.length ? sql`and ${sql.ref(column)} not in (${sql.join(bots)})` : sql``);
  const projects = filter.projects?.length ? sql.join([...filter.projects]) : null;
  // `voted`: the act is a vote on a label (extractReviews: a vote with a label and a value). A
  // review is a (change, patch set, reviewer) group of acts by someone other than the owner; a
  // self-vote a (change, patch set, label) of the owner's votes. One statement: the acts are read
  // once from the covering indexes (votes_window, messages_kind_date).
  type Row = { actor: number; reviews: number | string; comment_only: number | string; self: number | string };
  const { rows } =
    filter.engine === 'postgres'
      ? // PostgreSQL: grouped first, then each change looked up once by its key (`= any(array(…))`,
        // see id-lists.ts IN_SUBQUERY), instead of hashing every change to join each act.
        await sql<Row>`
          with a as materialized (
            select change_id, patch_set, voter_id as actor, label, case when label <> '' then 1 else 0 end as voted
            from votes where copied = 0 and granted_at >= ${since} and granted_at < ${until} ${notBot('voter_id')}
            union all
            select change_id, patch_set, author_id, null, 0
            from messages where kind = 'comment' and date >= ${since} and date < ${until}
              and author_id is not null and patch_set is not null ${notBot('author_id')}
          ),
          ch as materialized (
            select id, owner_id from changes where id = any(array(select distinct change_id from a))
              ${projects ? sql`and project in (${projects})` : sql``}
          ),
          r as (select change_id, actor, max(voted) as voted from a group by change_id, patch_set, actor),
          -- The owners' votes picked before they are made distinct (about 900 of 54,000 on the bench
          -- store): made distinct first, all of them were sorted, on disk.
          s as (
            select distinct a.change_id, a.patch_set, a.actor, a.label from a join ch on ch.id = a.change_id
            where a.voted = 1 and a.actor = ch.owner_id
          )
          select r.actor, count(*) as reviews, sum(1 - r.voted) as comment_only, 0 as self
          from r join ch on ch.id = r.change_id where r.actor <> ch.owner_id group by r.actor
          union all
          select s.actor, 0, 0, count(*) from s group by s.actor`.execute(db)
      : // SQLite: each act joined to its change through the primary key as it is read.
        await sql<Row>`
          with a as (
            select v.change_id, v.patch_set, v.voter_id as actor, c.owner_id as owner, v.label as label,
              case when v.label <> '' then 1 else 0 end as voted
            from votes v join changes c on c.id = v.change_id
            where v.copied = 0 and v.granted_at >= ${since} and v.granted_at < ${until} ${notBot('v.voter_id')}
              ${projects ? sql`and c.project in (${projects})` : sql``}
            union all
            select m.change_id, m.patch_set, m.author_id, c.owner_id, null, 0
            from messages m join changes c on c.id = m.change_id
            where m.kind = 'comment' and m.date >= ${since} and m.date < ${until}
              and m.author_id is not null and m.patch_set is not null ${notBot('m.author_id')}
              ${projects ? sql`and c.project in (${projects})` : sql``}
          ),
          r as (select actor, max(voted) as voted from a where actor <> owner group by change_id, patch_set, actor),
          s as (select distinct actor, change_id, patch_set, label from a where actor = owner and voted = 1)
          select actor, count(*) as reviews, sum(1 - voted) as comment_only, 0 as self from r group by actor
          union all
          select actor, 0, 0, count(*) from s group by actor`.execute(db);
  const by = new Map<number, ReviewTally['byActor'][number]>();
  for (const r of rows) {
    let t = by.get(r.actor);
    if (!t) by.set(r.actor, (t = { actorId: r.actor, reviews: 0, commentOnly: 0, selfVotes: 0 }));
    t.reviews += Number(r.reviews);
    t.commentOnly += Number(r.comment_only);
    t.selfVotes += Number(r.self);
  }
  return { byActor: [...by.values()].sort((a, b) => a.actorId - b.actorId) };
}

/**
 * The cores' reviews in counts for the idle-core report (model CoreReviewTally), grouped in the
 * database: the review acts (as `loadTeamActs` reads them) of `cores` before `now` on the changes
 * any of `cores` acted on in [from, now) — on changes created before `from` also the earlier acts,
 * so that a review is dated by its first act as the whole history dates it — grouped into reviews
 * (change, patch set, reviewer; the owner's acts are not reviews). Per core: the reviews with an act
 * in [since, now), the reviews by first act in each of `quarters`, the latest review (on equal
 * times the one on the highest change and patch set), and for a core with fewer than `threshold`
 * reviews in the window every review's first-act time. `reviewers`: the cores whose reviews count
 * (not bots); `cores`: all of them (whose acts pick the changes).
 *
 * @example const tallies = await loadCoreReviewTallies(db, { from, since, now, cores, reviewers, threshold, quarters, engine });
 */
export async function loadCoreReviewTallies(
  db: Kysely<Database>,
  o: {
    projects?: readonly string[];
    from: number;
    since: number;
    now: number;
    cores: readonly number[];
    reviewers: readonly number[];
    threshold: number;
    quarters: ReadonlyArray<readonly [number, number]>;
    engine: EngineName;
  },
): Promise<CoreReviewTally[]> {
  const cores = o.cores.slice(0, MAX_IN);
  const reviewers = o.reviewers.slice(0, MAX_IN);
  if (cores.length === 0 || reviewers.length === 0) return [];
  const { from, since, now } = o;
  const inProjects = o.projects?.length ? sql`and project in (${sql.join([...o.projects])})` : sql``;
  const list = (ids: readonly number[]) => sql.join(ids.map((id) => sql`${id}`));
  // PostgreSQL looks each change up by index (id-lists.ts IN_SUBQUERY).
  const inSet = (column: string, ids: RawBuilder<unknown>) => IN_SUBQUERY[o.engine](sql.ref(column), ids);
  const q = o.quarters.map(([a, b]) => sql`sum(case when first_at >= ${a} and first_at < ${b} then 1 else 0 end)`);
  // SQLite's CROSS JOIN keeps the left table outside: the grouped reviews are scanned and the few
  // changes (or cores) looked up in a small temporary index, not the reviews indexed for each join.
  const outerJoin = o.engine === 'postgres' ? sql`join` : sql`cross join`;
  // The cores' acts of [from, now) are read once, from the time indexes (votes_window,
  // messages_kind_date), and pick the changes: only those are read (not every change), each once
  // (the owner, number and creation time). The earlier acts only on the changes created before
  // `from`, through the change indexes (votes_flow, messages_flow). The acts are grouped into reviews
  // before their changes are joined.
  const statement = sql<{ kind: number; actor: number; a: number | string; b: number | string | null; c: number | string | null }>`
    with w(actor, change_id, patch_set, at) as materialized (
      select voter_id, change_id, patch_set, granted_at from votes
      where copied = 0 and granted_at >= ${from} and granted_at < ${now} and voter_id in (${list(cores)})
      union all
      select author_id, change_id, patch_set, date from messages
      where kind = 'comment' and date >= ${from} and date < ${now} and author_id in (${list(cores)}) and patch_set is not null
    ),
    ch as materialized (
      select id, owner_id, number, created from changes where ${inSet('id', sql`select distinct change_id from w`)} ${inProjects}
    ),
    old(id) as materialized (select id from ch where created < ${from}),
    a(actor, change_id, patch_set, at) as (
      select actor, change_id, patch_set, at from w where actor in (${list(reviewers)})
      union all
      -- "+ 0", "|| ''": not indexable, so that SQLite looks the earlier acts up by change instead
      -- of reading every earlier act through the time indexes.
      select voter_id, change_id, patch_set, granted_at from votes
      where ${inSet('change_id', sql`select id from old`)} and voter_id in (${list(reviewers)}) and copied + 0 = 0 and granted_at + 0 < ${from}
      union all
      select author_id, change_id, patch_set, date from messages
      where ${inSet('change_id', sql`select id from old`)} and kind || '' = 'comment' and author_id in (${list(reviewers)}) and patch_set is not null
        and date + 0 < ${from}
    ),
    g0 as (
      select actor, change_id, patch_set, min(at) as first_at, max(case when at >= ${since} then 1 else 0 end) as in_win
      from a group by actor, change_id, patch_set
    ),
    g as materialized (
      select g0.actor, g0.change_id, g0.patch_set, ch.number, g0.first_at, g0.in_win
      from g0 ${outerJoin} ch on ch.id = g0.change_id where g0.actor <> ch.owner_id
    ),
    s as materialized (
      select actor, sum(in_win) as n, max(first_at) as last_at, ${q[0]} as q0, ${q[1]} as q1, ${q[2]} as q2, ${q[3]} as q3
      from g group by actor
    )
    select 0 as kind, actor, n as a, last_at as b, q0 || ',' || q1 || ',' || q2 || ',' || q3 as c from s
    union all
    select 1, g.actor, g.first_at, null, null from g ${outerJoin} s on s.actor = g.actor where s.n < ${o.threshold}
    union all
    select 2, g.actor, g.change_id, g.patch_set, cast(g.number as text) from g ${outerJoin} s on s.actor = g.actor and g.first_at = s.last_at`;
  // PostgreSQL without JIT for this statement: its estimates for the grouped acts are far too high
  // (millions of rows for 120,000), which made it compile the statement for seconds of CPU.
  const { rows } =
    o.engine === 'postgres'
      ? await db.transaction().execute(async (trx) => {
          await sql`set local jit = off`.execute(trx);
          return statement.execute(trx);
        })
      : await statement.execute(db);
  const by = new Map<number, CoreReviewTally & { times: number[] | null; lastKey: [number, number] | null }>();
  for (const id of reviewers) by.set(id, { accountId: id, count: 0, quarters: [0, 0, 0, 0], last: null, times: null, lastKey: null });
  for (const r of rows) {
    if (Number(r.kind) !== 0) continue;
    const t = by.get(r.actor)!;
    t.count = Number(r.a);
    t.quarters = String(r.c).split(',').map(Number);
    t.last = { at: Number(r.b), changeNumber: null };
  }
  for (const r of rows) {
    const t = by.get(r.actor)!;
    if (Number(r.kind) === 1) (t.times ??= []).push(Number(r.a));
    else if (Number(r.kind) === 2) {
      const key: [number, number] = [Number(r.a), Number(r.b)];
      if (!t.lastKey || key[0] > t.lastKey[0] || (key[0] === t.lastKey[0] && key[1] > t.lastKey[1])) {
        t.lastKey = key;
        t.last = { at: t.last!.at, changeNumber: Number(r.c) };
      }
    }
  }
  return [...by.values()].map(({ lastKey: _k, times, ...t }) => ({
    ...t,
    times: t.count < o.threshold ? (times ?? []).sort((x, y) => x - y) : null,
  }));
}

/**
 * The reviews in [since, until) (analysis/reviews.ts `reviewsInPeriod`: the period's acts grouped
 * by change, patch set and reviewer, dated by the first), grouped in the database: each review's
 * reviewer, project and time, without its votes. Acts as `loadTeamActs` reads them; the owner's acts
 * are not reviews; `excludeActorIds` (bots) are left out. In no particular order.
 *
 * @example const reviews = await loadReviewTimes(db, { since, until, excludeActorIds: [...bots], engine });
 */
export async function loadReviewTimes(
  db: Kysely<Database>,
  o: { projects?: readonly string[]; since: number; until: number; excludeActorIds?: readonly number[]; engine: EngineName },
): Promise<Array<{ reviewerId: number; project: string; at: number }>> {
  const { since, until } = o;
  const inProjects = o.projects?.length ? sql`and ch.project in (${sql.join([...o.projects])})` : sql``;
  const bots = o.excludeActorIds?.slice(0, MAX_IN) ?? [];
  const notBot = (column: string) => (bots.length ? sql`and ${sql.ref(column)} not in (${sql.join(bots)})` : sql``);
  const agg = o.engine === 'postgres' ? sql`string_agg` : sql`group_concat`;
  // One row per project, its reviews packed as "reviewer,time;…": a row object per review costs more.
  // PostgreSQL groups the acts into reviews first and then looks their changes up by key (see
  // id-lists.ts IN_SUBQUERY), instead of hashing all 100,000 changes to join each act (the same reviews:
  // a change's project and owner are the change's).
  // The window's review acts (votes and comments), the same for both engines.
  const acts = sql`a(actor, change_id, patch_set, at) as (
      select voter_id, change_id, patch_set, granted_at from votes
      where copied = 0 and granted_at >= ${since} and granted_at < ${until} ${notBot('voter_id')}
      union all
      select author_id, change_id, patch_set, date from messages
      where kind = 'comment' and date >= ${since} and date < ${until}
        and author_id is not null and patch_set is not null ${notBot('author_id')}
    )`;
  const { rows } =
    o.engine === 'postgres'
      ? await sql<{ project: string; packed: string }>`
    with ${acts},
    g0 as materialized (select change_id, actor, min(at) as first_at from a group by change_id, patch_set, actor),
    ch as materialized (
      select id, project, owner_id from changes ch where id = any(array(select distinct change_id from g0)) ${inProjects}
    ),
    g as (select g0.actor, ch.project, g0.first_at from g0 join ch on ch.id = g0.change_id where g0.actor <> ch.owner_id)
    select project, ${agg}(cast(actor as text) || ',' || cast(first_at as text), ';') as packed from g group by project`.execute(db)
      : await sql<{ project: string; packed: string }>`
    with ${acts},
    g as (
      select a.actor, ch.project, min(a.at) as first_at
      from a join changes ch on ch.id = a.change_id
      where a.actor <> ch.owner_id ${inProjects}
      group by a.change_id, a.patch_set, a.actor, ch.project
    )
    select project, ${agg}(cast(actor as text) || ',' || cast(first_at as text), ';') as packed from g group by project`.execute(db);
  const out: Array<{ reviewerId: number; project: string; at: number }> = [];
  for (const r of rows) {
    const s = r.packed;
    let i = 0;
    while (i < s.length) {
      const comma = s.indexOf(',', i);
      let end = s.indexOf(';', comma);
      if (end < 0) end = s.length;
      out.push({ reviewerId: Number(s.slice(i, comma)), project: r.project, at: Number(s.slice(comma + 1, end)) });
      i = end + 1;
    }
  }
  return out;
}

/**
 * Patch sets uploaded in [since, until) that need review: of a kind not in `keepVotesKinds` (a
 * patch set of no kind counts), on a change whose owner is not in `excludeOwnerIds`; counted per
 * block of `blockMs` from `since` (block i: [since + i·blockMs, since + (i+1)·blockMs)).
 *
 * @example const perWeek = await countUploadsNeedingReview(db, { since, until, blockMs: 7 * DAY_MS, keepVotesKinds, excludeOwnerIds });
 */
export async function countUploadsNeedingReview(
  db: Kysely<Database>,
  o: {
    projects?: readonly string[];
    since: number;
    until: number;
    blockMs: number;
    keepVotesKinds: readonly string[];
    excludeOwnerIds?: readonly number[];
    /** PostgreSQL: the window's patch sets first, then only their changes looked up by key. */
    engine?: EngineName;
  },
): Promise<Map<number, number>> {
  const inProjects = o.projects?.length ? sql`and c.project in (${sql.join([...o.projects])})` : sql``;
  const bots = o.excludeOwnerIds?.slice(0, MAX_IN) ?? [];
  const notBot = bots.length ? sql`and c.owner_id not in (${sql.join(bots)})` : sql``;
  const kinds = o.keepVotesKinds.length ? sql`and coalesce(p.kind, '') not in (${sql.join([...o.keepVotesKinds])})` : sql``;
  if (o.engine === 'postgres') {
    // Not a join with every change (PostgreSQL hashed all 100,000): the window's patch sets, then
    // their changes by key (see id-lists.ts IN_SUBQUERY).
    const { rows } = await sql<{ block: number | string; n: number | string }>`
      with p as materialized (
        select change_id, created from patch_sets p
        where p.created >= ${o.since} and p.created < ${o.until} ${kinds}
      ),
      c as materialized (
        select id from changes c where id = any(array(select distinct change_id from p)) ${notBot} ${inProjects}
      )
      select cast((p.created - ${o.since}) / ${o.blockMs} as integer) as block, count(*) as n
      from p join c on c.id = p.change_id group by block`.execute(db);
    return new Map(rows.map((r) => [Number(r.block), Number(r.n)]));
  }
  const { rows } = await sql<{ block: number | string; n: number | string }>`
    select cast((p.created - ${o.since}) / ${o.blockMs} as integer) as block, count(*) as n
    from patch_sets p join changes c on c.id = p.change_id
    where p.created >= ${o.since} and p.created < ${o.until} ${kinds} ${notBot} ${inProjects}
    group by block`.execute(db);
  return new Map(rows.map((r) => [Number(r.block), Number(r.n)]));
}
