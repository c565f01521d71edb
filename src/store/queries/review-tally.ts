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
import { sql, type Kysely } from 'kysely';
import type { ReviewTally } from '../../model/activity.js';
import type { Database } from '../schema.js';

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
  filter: { projects?: readonly string[]; since: number; until: number; excludeActorIds?: readonly number[] },
): Promise<ReviewTally> {
  const { since, until } = filter;
  const inProjects = filter.projects?.length ? sql`and c.project in (${sql.join([...filter.projects])})` : sql``;
  const bots = filter.excludeActorIds?.slice(0, MAX_IN) ?? [];
  const notBot = (column: string) => (bots.length ? sql`and ${sql.ref(column)} not in (${sql.join(bots)})` : sql``);
  // `voted`: the act is a vote on a label (extractReviews: a vote with a label and a value).
  // One statement: the acts are read once (both engines materialise a CTE named twice). A review
  // is a (change, patch set, reviewer) group of acts by someone other than the owner; a self-vote
  // a (change, patch set, label) of the owner's votes — one owner per change, so per owner.
  const { rows } = await sql<{ actor: number; reviews: number | string; comment_only: number | string; self: number | string }>`
    with a as (
      select v.change_id, v.patch_set, v.voter_id as actor, c.owner_id as owner, v.label as label,
        case when v.label <> '' then 1 else 0 end as voted
      from votes v join changes c on c.id = v.change_id
      where v.copied = 0 and v.granted_at >= ${since} and v.granted_at < ${until} ${notBot('v.voter_id')} ${inProjects}
      union all
      select m.change_id, m.patch_set, m.author_id, c.owner_id, null, 0
      from messages m join changes c on c.id = m.change_id
      where m.kind = 'comment' and m.date >= ${since} and m.date < ${until}
        and m.author_id is not null and m.patch_set is not null ${notBot('m.author_id')} ${inProjects}
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
