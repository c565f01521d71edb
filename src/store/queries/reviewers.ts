/**
 * Loaders for the core-team reports (steward reviewers, core idle/candidates/load/mentoring).
 * Each returns flat model records (model/team.ts); the definitions live in analysis/.
 * Filters: projects (none = all), a time window on the record's own time, and account lists.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { PATCH_SET_KINDS, type ChangeStatus, type PatchSetKind } from '../../model/records.js';
import type {
  ApprovalColumns,
  ChangeFacts,
  PatchSetFacts,
  PatchSetUpload,
  ReviewMessageText,
  TeamActColumns,
  TeamActRecord,
} from '../../model/team.js';
import { TeamActColumnsBuilder } from '../../model/team-act-columns.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { ID_LIST, IN_SUBQUERY } from './id-lists.js';
import { AGGREGATE, FS, FS_CODE, pack, RS, RS_CODE, unpack, unpackIntegers } from './packed.js';

export interface TeamFilter {
  projects?: readonly string[];
  /** Inclusive lower bound (epoch ms). */
  since?: number;
  /** Exclusive upper bound (epoch ms). */
  until?: number;
  /** Only acts by these accounts (store ids). */
  actorIds?: readonly number[];
  /**
   * Leave out acts by these accounts (bots): saves loading CI votes that analysis would drop anyway.
   * Analysis still applies its own bot rule.
   */
  excludeActorIds?: readonly number[];
  /**
   * The store's engine (`store.engine`): lets the loader take the engine's fastest path for large
   * reads; without it, plain rows. Results are the same either way.
   */
  engine?: EngineName;
  /**
   * Also the Code-Review votes (not copies) these accounts cast before `since` on the changes the
   * window's acts are on — the cores' verdict on a patch set counts them. Needs `since`.
   */
  priorCodeReviewBy?: readonly number[];
  /** Only acts on these changes (store ids; at most 5,000). */
  changeIds?: readonly number[];
  /**
   * Of these accounts' acts only their Code-Review votes (a report that reads nothing else of
   * theirs: core candidates, of the current cores).
   */
  codeReviewOnlyBy?: readonly number[];
}

// Engines cap bound parameters; account lists are small, but keep IN lists bounded anyway.
const MAX_IN = 5000;

type VoteQuery = SelectQueryBuilder<
  Database,
  'votes',
  { change_id: number; patch_set: number; voter_id: number; granted_at: number; label: string; value: number }
>;

/**
 * Votes, one column per field (vote i is entry i of each): no object or array per vote (the
 * reviewers report reads 100,000 of them; a fresh process pays for every object it builds, in
 * allocation and collection). Labels by their index in `labels`.
 */
interface VoteColumns {
  length: number;
  change: ArrayLike<number>;
  patchSet: ArrayLike<number>;
  voter: ArrayLike<number>;
  at: ArrayLike<number>;
  label: ArrayLike<number>;
  labels: readonly string[];
  value: ArrayLike<number>;
}

/** Columns that grow a vote at a time (small reads). */
interface VoteList extends VoteColumns {
  change: number[];
  patchSet: number[];
  voter: number[];
  at: number[];
  label: number[];
  labels: string[];
  value: number[];
}

const noVotes = (): VoteList => ({ length: 0, change: [], patchSet: [], voter: [], at: [], label: [], labels: [], value: [] });

/** The index of `label` in `labels`, added when new. */
function labelIndex(labels: string[], label: string): number {
  for (let k = 0; k < labels.length; k++) if (labels[k] === label) return k;
  return labels.push(label) - 1;
}

function pushVote(v: VoteList, change: number, patchSet: number, voter: number, at: number, label: string, value: number): void {
  v.change.push(change);
  v.patchSet.push(patchSet);
  v.voter.push(voter);
  v.at.push(at);
  v.label.push(labelIndex(v.labels, label));
  v.value.push(value);
  v.length++;
}

/**
 * Packed vote records (packed.ts: change, patch set, voter, time, label, value), in their order, as
 * typed columns sized by a first count of the records: numbers are read as the characters are
 * scanned, and a label is recognised in place (no string cut out but for a label not seen before).
 */
function readPackedVotes(rows: ReadonlyArray<{ packed: string | null }>): VoteColumns {
  let count = 0;
  for (let r = 0; r < rows.length; r++) {
    const s = rows[r]!.packed;
    if (!s) continue;
    count++;
    for (let i = s.indexOf(RS); i >= 0; i = s.indexOf(RS, i + 1)) count++;
  }
  const v = {
    length: count,
    // Store ids, numbers, label indexes and values fit 32 bits (and read back as small integers,
    // which the analysis' maps and sets take without boxing); times do not.
    change: new Int32Array(count),
    patchSet: new Int32Array(count),
    voter: new Int32Array(count),
    at: new Float64Array(count),
    label: new Int32Array(count),
    labels: [...LABEL_NAMES],
    value: new Int32Array(count),
  };
  const ints = [v.change, v.patchSet, v.voter, v.at];
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const s = rows[r]!.packed;
    if (!s) continue;
    const n = s.length;
    let i = 0;
    while (i < n) {
      // Four integers, each up to FS.
      for (let f = 0; f < 4; f++) {
        let sign = 1;
        if (s.charCodeAt(i) === 45) {
          sign = -1;
          i++;
        }
        let x = 0;
        for (let c = s.charCodeAt(i); i < n && c !== FS_CODE; c = s.charCodeAt(++i)) x = x * 10 + (c - 48);
        ints[f]![k] = sign * x;
        i++;
      }
      // The label, up to FS: one of those seen before, else cut out and added.
      let j = s.indexOf(FS, i);
      if (j < 0) j = n;
      let code = -1;
      for (let l = 0; l < v.labels.length; l++) {
        const name = v.labels[l]!;
        if (name.length === j - i && s.startsWith(name, i)) {
          code = l;
          break;
        }
      }
      if (code < 0) code = v.labels.push(s.slice(i, j)) - 1;
      v.label[k] = code;
      i = j + 1;
      // The value, up to RS or the end.
      let sign = 1;
      if (s.charCodeAt(i) === 45) {
        sign = -1;
        i++;
      }
      let x = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === RS_CODE) break;
        x = x * 10 + (c - 48);
      }
      v.value[k] = sign * x;
      i++;
      k++;
    }
  }
  return v;
}

const VOTE_FIELDS = ['v.change_id', 'v.patch_set', 'v.voter_id', 'v.granted_at', 'v.label', 'v.value'];

/**
 * How each engine reads a window's votes as (change, patch set, voter, time, label, value) columns:
 * packed into one string built by the database (packed.ts; about half the cost of a JavaScript
 * object per row), in the order the database aggregates them (the index's).
 */
const VOTE_READERS: Record<
  EngineName,
  (db: Kysely<Database>, q: VoteQuery, span: { since: number; until: number } | null) => Promise<VoteColumns>
> = {
  sqlite: async (db, q) => readPackedVotes(await db.selectFrom(q.as('v')).select(pack('sqlite', VOTE_FIELDS).as('packed')).execute()),
  postgres: async (db, q, span) => {
    const read = (part: VoteQuery) => db.selectFrom(part.as('v')).select(pack('postgres', VOTE_FIELDS).as('packed')).execute();
    if (!span) return readPackedVotes(await read(q));
    // Two halves of the window on two connections: the server scans and packs them in parallel.
    const mid = Math.floor((span.since + span.until) / 2);
    const [a, b] = await Promise.all([read(q.where('granted_at', '<', mid)), read(q.where('granted_at', '>=', mid))]);
    return readPackedVotes([...a, ...b]);
  },
};

/** The portable way: one row per vote. */
async function readVoteRows(q: VoteQuery): Promise<VoteList> {
  const votes = noVotes();
  for (const v of await q.execute()) pushVote(votes, v.change_id, v.patch_set, v.voter_id, v.granted_at, v.label, v.value);
  return votes;
}

type ChangeRow = { project: string; owner_id: number; number: number };
type CommentRow = { change_id: number; patch_set: number | null; author_id: number | null; date: number };

/**
 * Votes and comments as review act columns, in that order (the votes of each part, then the
 * comments), with their changes' project, owner and number; acts on a change not in `changes` are
 * left out.
 */
function columnsOf(
  voteParts: readonly VoteColumns[],
  comments: readonly CommentRow[],
  changes: ReadonlyMap<number, ChangeRow>,
): TeamActColumns {
  let size = comments.length;
  for (const v of voteParts) size += v.length;
  const b = new TeamActColumnsBuilder(size);
  const { change, patchSet, actorId: actor, at, label, value } = b;
  // The changes acted on, by index in the order first met; -1: not among `changes`.
  const indexOf = (id: number): number => {
    const k = b.index.get(id);
    if (k !== undefined) return k;
    const c = changes.get(id);
    return c ? b.addChange(id, c.number, c.owner_id, c.project) : -1;
  };
  let k = 0;
  for (let p = 0; p < voteParts.length; p++) {
    const v = voteParts[p]!;
    const code = v.labels.map((l) => b.labelCode(l));
    for (let i = 0; i < v.length; i++) {
      const c = indexOf(v.change[i]!);
      if (c < 0) continue;
      change[k] = c;
      patchSet[k] = v.patchSet[i]!;
      actor[k] = v.voter[i]!;
      at[k] = v.at[i]!;
      label[k] = code[v.label[i]!]!;
      value[k] = v.value[i]!;
      k++;
    }
  }
  for (let i = 0; i < comments.length; i++) {
    const m = comments[i]!;
    const c = indexOf(m.change_id);
    if (c < 0) continue;
    change[k] = c;
    patchSet[k] = m.patch_set!;
    actor[k] = m.author_id!;
    at[k] = m.date;
    label[k] = -1;
    k++;
  }
  return b.finish(k);
}

/** Act columns as one record per act, in their order. */
export function actsOfColumns(a: TeamActColumns): TeamActRecord[] {
  const acts: TeamActRecord[] = [];
  for (let i = 0; i < a.length; i++) {
    const c = a.change[i]!;
    const owner = a.changeOwnerId[c]!;
    const actorId = a.actorId[i]!;
    const l = a.label[i]!;
    acts.push({
      changeId: a.changeId[c]!,
      changeNumber: a.changeNumber[c]!,
      project: a.projects[a.changeProject[c]!]!,
      changeOwnerId: owner,
      patchSet: a.patchSet[i]!,
      actorId,
      at: a.at[i]!,
      type: l < 0 ? 'comment' : 'vote',
      label: l < 0 ? null : a.labels[l]!,
      value: l < 0 ? null : a.value[i]!,
      selfVote: actorId === owner,
    });
  }
  return acts;
}

/**
 * Review acts: votes that are not copies (origin message or approval, copied = 0) and comment-only
 * review messages with an author and a patch set, each with its change's project, owner and number.
 *
 * The acts are read from covering indexes (migration 0003: votes (copied, granted_at, …), messages
 * (kind, date, …)) without joining; the changes they touch are read once each.
 *
 * @example const acts = await loadTeamActs(db, { since, until, excludeActorIds: [...bots] });
 */
export async function loadTeamActs(db: Kysely<Database>, filter: TeamFilter = {}): Promise<TeamActRecord[]> {
  return actsOfColumns(await loadTeamActColumns(db, filter));
}

/**
 * `loadTeamActs` as columns (no object per act): for a report that reads a window's acts whole.
 *
 * @example const acts = await loadTeamActColumns(db, { since, until, engine: store.engine });
 */
export async function loadTeamActColumns(db: Kysely<Database>, filter: TeamFilter = {}): Promise<TeamActColumns> {
  const actors = filter.actorIds?.slice(0, MAX_IN);
  const excluded = filter.excludeActorIds?.slice(0, MAX_IN);
  if (actors && actors.length === 0) return columnsOf([], [], new Map());
  const onChanges = filter.changeIds?.slice(0, MAX_IN);
  if (onChanges && onChanges.length === 0) return columnsOf([], [], new Map());
  const inProjects = filter.projects?.length
    ? db.selectFrom('changes').select('changes.id').where('changes.project', 'in', filter.projects)
    : null;

  let vq = db.selectFrom('votes').select(['change_id', 'patch_set', 'voter_id', 'granted_at', 'label', 'value']).where('copied', '=', 0);
  if (filter.since !== undefined) vq = vq.where('granted_at', '>=', filter.since);
  if (filter.until !== undefined) vq = vq.where('granted_at', '<', filter.until);
  if (actors) vq = vq.where('voter_id', 'in', actors);
  if (excluded?.length) vq = vq.where('voter_id', 'not in', excluded);
  if (inProjects) vq = vq.where('change_id', 'in', inProjects);
  if (onChanges) vq = vq.where('change_id', 'in', onChanges);
  const crOnly = filter.codeReviewOnlyBy?.slice(0, MAX_IN);
  if (crOnly?.length) vq = vq.where((eb) => eb.or([eb('voter_id', 'not in', crOnly), eb('label', '=', 'Code-Review')]));

  let cq = db
    .selectFrom('messages')
    .select(['change_id', 'patch_set', 'author_id', 'date'])
    .where('kind', '=', 'comment')
    .where('author_id', 'is not', null)
    .where('patch_set', 'is not', null);
  if (filter.since !== undefined) cq = cq.where('date', '>=', filter.since);
  if (filter.until !== undefined) cq = cq.where('date', '<', filter.until);
  if (actors) cq = cq.where('author_id', 'in', actors);
  if (excluded?.length) cq = cq.where('author_id', 'not in', excluded);
  if (inProjects) cq = cq.where('change_id', 'in', inProjects);
  if (onChanges) cq = cq.where('change_id', 'in', onChanges);
  if (crOnly?.length) cq = cq.where('author_id', 'not in', crOnly);

  const span = filter.since !== undefined && filter.until !== undefined ? { since: filter.since, until: filter.until } : null;
  const [votes, comments] = await Promise.all([filter.engine ? VOTE_READERS[filter.engine](db, vq, span) : readVoteRows(vq), cq.execute()]);
  const ids = new Set<number>();
  for (let i = 0; i < votes.length; i++) ids.add(votes.change[i]!);
  for (const m of comments) ids.add(m.change_id);
  const changes = new Map<number, ChangeRow>();
  const list = [...ids].sort((a, b) => a - b);
  const prior = filter.priorCodeReviewBy?.slice(0, MAX_IN);
  // With the engine known, all the ids as one bound value (ID_LIST); else chunks of bound values.
  const chunks: number[][] = [];
  if (filter.engine) chunks.push(list);
  else for (let i = 0; i < list.length; i += MAX_IN) chunks.push(list.slice(i, i + MAX_IN));
  const inChunk = (column: 'id' | 'change_id', chunk: number[]) =>
    filter.engine ? ID_LIST[filter.engine](column, chunk) : sql<boolean>`${sql.ref(column)} in (${sql.join(chunk)})`;
  const by = new Set(prior);
  const earlierVotes = noVotes();
  // Chunks run concurrently: PostgreSQL spreads them over the pool's connections.
  const read = await Promise.all(
    chunks.map((chunk) =>
      Promise.all([
        db.selectFrom('changes').select(['id', 'project', 'owner_id', 'number']).where(inChunk('id', chunk)).execute(),
        prior?.length && filter.since !== undefined
          ? // Label and copied are filtered here, not in SQL: without statistics SQLite would take
            // the (copied, granted_at) index for them and scan every earlier vote.
            db
              .selectFrom('votes')
              .select(['change_id', 'patch_set', 'voter_id', 'granted_at', 'label', 'value', 'copied'])
              .where(inChunk('change_id', chunk))
              .where('granted_at', '<', filter.since)
              .where('voter_id', 'in', prior)
              .execute()
          : Promise.resolve([]),
      ]),
    ),
  );
  for (const [rows, earlier] of read) {
    for (const c of rows) changes.set(c.id, c);
    for (const v of earlier)
      if (v.label === 'Code-Review' && v.copied === 0 && by.has(v.voter_id))
        pushVote(earlierVotes, v.change_id, v.patch_set, v.voter_id, v.granted_at, v.label, v.value);
  }

  return columnsOf([votes, earlierVotes], comments, changes);
}

/**
 * When the review acts of `actorIds` before `until` begin (as `loadTeamActs` reads acts: votes that
 * are not copies, comment-only messages with an author and a patch set): the earliest one's time,
 * null without any. Each part stops at its first row in time order (votes (copied, granted_at, …),
 * messages (kind, date, …), migration 0003).
 *
 * @example const from = await firstTeamActAt(db, { until: now, actorIds: cores });
 */
export async function firstTeamActAt(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; until: number; actorIds: readonly number[] },
): Promise<number | null> {
  const actors = filter.actorIds.slice(0, MAX_IN);
  if (actors.length === 0) return null;
  const inProjects = filter.projects?.length
    ? db.selectFrom('changes').select('changes.id').where('changes.project', 'in', filter.projects)
    : null;
  let vq = db.selectFrom('votes').select('granted_at as at').where('copied', '=', 0).where('granted_at', '<', filter.until);
  vq = vq.where('voter_id', 'in', actors);
  if (inProjects) vq = vq.where('change_id', 'in', inProjects);
  let cq = db
    .selectFrom('messages')
    .select('date as at')
    .where('kind', '=', 'comment')
    .where('date', '<', filter.until)
    .where('author_id', 'in', actors)
    .where('patch_set', 'is not', null);
  if (inProjects) cq = cq.where('change_id', 'in', inProjects);
  const [v, c] = await Promise.all([vq.orderBy('granted_at').limit(1).executeTakeFirst(), cq.orderBy('date').limit(1).executeTakeFirst()]);
  const times = [v?.at, c?.at].filter((t): t is number => t !== undefined && t !== null).map(Number);
  return times.length ? Math.min(...times) : null;
}

/**
 * The review acts of `actorIds` before `from` on `changeIds` (the changes of their acts in a period
 * starting at `from`), as `loadTeamActs` reads them. With these, every review with an act in that
 * period is whole, so it is dated by its first act as the whole history dates it. Only the changes
 * created before `from` are read: an act on a change comes after the change was created (Gerrit
 * takes no vote or comment on a change that does not exist yet).
 *
 * @example const earlier = await loadTeamActsBefore(db, { from, actorIds: cores, engine, changeIds: recent.map((a) => a.changeId) });
 */
export async function loadTeamActsBefore(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; from: number; actorIds: readonly number[]; engine: EngineName; changeIds: readonly number[] },
): Promise<TeamActRecord[]> {
  const actors = filter.actorIds.slice(0, MAX_IN);
  if (actors.length === 0 || filter.changeIds.length === 0) return [];
  // The changes, as one parameter (a PostgreSQL array, a JSON array for SQLite): there may be tens
  // of thousands. PostgreSQL: `in (select unnest(…))`, not `= any(…)`, which it plans as a full scan
  // for a long array; this way it looks each up through the primary key.
  const ids = [...new Set(filter.changeIds)].sort((a, b) => a - b);
  const inIds =
    filter.engine === 'postgres'
      ? sql<boolean>`id in (select unnest(${ids}::int[]))`
      : sql<boolean>`id in (select value from json_each(${JSON.stringify(ids)}))`;
  let oq = db.selectFrom('changes').select(['id', 'project', 'owner_id', 'number']).where(inIds).where('created', '<', filter.from);
  if (filter.projects?.length) oq = oq.where('project', 'in', filter.projects);
  const old = await oq.execute();
  const changes = new Map(old.map((c) => [c.id, c]));
  const oldIds = [...changes.keys()].sort((a, b) => a - b);
  const votes = noVotes();
  const comments: Array<{ change_id: number; patch_set: number | null; author_id: number | null; date: number }> = [];
  for (let i = 0; i < oldIds.length; i += MAX_IN) {
    const chunk = oldIds.slice(i, i + MAX_IN);
    // Time, copies and kind are filtered here, not in SQL: without statistics SQLite would take the
    // (copied, granted_at) and (kind, date) indexes for them and read every earlier act.
    const [v, m] = await Promise.all([
      db
        .selectFrom('votes')
        .select(['change_id', 'patch_set', 'voter_id', 'granted_at', 'label', 'value', 'copied'])
        .where('change_id', 'in', chunk)
        .where('voter_id', 'in', actors)
        .execute(),
      db
        .selectFrom('messages')
        .select(['change_id', 'patch_set', 'author_id', 'date', 'kind'])
        .where('change_id', 'in', chunk)
        .where('author_id', 'in', actors)
        .execute(),
    ]);
    for (const x of v)
      if (x.copied === 0 && Number(x.granted_at) < filter.from)
        pushVote(votes, x.change_id, x.patch_set, x.voter_id, Number(x.granted_at), x.label, x.value);
    for (const x of m)
      if (x.kind === 'comment' && x.patch_set !== null && Number(x.date) < filter.from) comments.push({ ...x, date: Number(x.date) });
  }
  return actsOfColumns(columnsOf([votes], comments, changes));
}

/**
 * Gerrit's approval records, rebuilt from stored votes: per (change, patch set, label, voter) the
 * last vote by time — on equal times an approval record beats a message — kept when its value is
 * not 0 (Gerrit lists no removed votes) and its voter is a known account. For data imported from SSH
 * exports these are exactly the `--all-approvals` records, copied votes included. Returned for every
 * change with a vote at or after `since` or a patch set created at or after it, as columns grouped
 * by (change, patch set), with the voters' usernames, those changes' status and patch sets (each
 * with its earliest record's time, `firstRecord`, when it has one) and the export formats they came
 * from (`formats`: 'rest', 'ssh', each once).
 *
 * One statement: the changes are found once (through the time indexes: votes by (copied,
 * granted_at) — `copied` is 0 or 1, and naming both lets both engines seek the window — and patch
 * sets by (created), migration 0021), the last vote of each (change, patch set, label, voter) is
 * picked by the database (SQLite: one grouping with `max()`, whose row gives the other columns;
 * PostgreSQL: `distinct on`), and each part comes back packed into one string (packed.ts), the
 * records as integers only (labels as codes): no object per record.
 *
 * @example const { records, usernames, changes } = await loadApprovalRecords(db, { since: cutOff, engine: store.engine });
 */
export async function loadApprovalRecords(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; since: number; engine: EngineName },
): Promise<{
  records: ApprovalColumns;
  usernames: Map<number, string | null>;
  changes: Array<
    Pick<ChangeFacts, 'id' | 'number' | 'project' | 'status'> & {
      /** Ascending by number; `firstRecord`: the time of the earliest of its approval records (any label), when it has one. */
      patchSets: Array<PatchSetFacts & { firstRecord?: number }>;
    }
  >;
  formats: string[];
}> {
  const { since, engine } = filter;
  const inProjects = filter.projects?.length ? sql`and project in (${sql.join([...filter.projects])})` : sql``;
  const inChanges = IN_SUBQUERY[engine];
  const agg = (expr: RawBuilder<string>, order: RawBuilder<unknown>) => ORDERED_AGGREGATE[engine](expr, order);
  const f = (...parts: RawBuilder<unknown>[]) => sql<string>`${sql.join(parts, sql` || cast(${FS} as text) || `)}`;
  const labelCode = sql`case label ${sql.join(
    APPROVAL_LABELS.slice(0, -1).map((l, k) => sql`when ${sql.lit(l)} then ${sql.lit(k)}`),
    sql` `,
  )} else ${sql.lit(APPROVAL_LABELS.length - 1)} end`;
  const recordFields = f(
    sql.ref('change_id'),
    sql.ref('patch_set'),
    labelCode,
    sql.ref('value'),
    sql.ref('voter_id'),
    sql.ref('granted_at'),
  );
  const { rows } = await sql<{ changes: string | null; votes: string | null; patch_sets: string | null; voters: string | null }>`
    with rel(id) as (
      select change_id from votes where copied in (0, 1) and granted_at >= ${since}
      union all
      select change_id from patch_sets where created >= ${since}
    ),
    ch as materialized (
      select id, number, project, status, source_format from changes where ${inChanges(sql.ref('id'), sql`select id from rel`)} ${inProjects}
    ),
    fin as materialized (${FINAL_VOTES[engine](inChanges(sql.ref('change_id'), sql`select id from ch`))})
    select
      (select ${agg(f(sql.ref('id'), sql.ref('number'), sql.ref('project'), sql.ref('status'), sql.ref('source_format')), sql`id`)} from ch) as changes,
      (select ${AGGREGATE[engine](recordFields)} from fin where value <> 0) as votes,
      (select ${agg(f(sql.ref('change_id'), sql.ref('number'), sql.ref('created'), sql`coalesce(kind, '')`), sql`change_id, number`)}
        from patch_sets where ${inChanges(sql.ref('change_id'), sql`select id from ch`)}) as patch_sets,
      (select ${agg(f(sql.ref('id'), sql`coalesce('u' || username, '')`), sql`id`)}
        from accounts where ${inChanges(sql.ref('id'), sql`select voter_id from fin where value <> 0`)}) as voters
  `.execute(db);
  const row = rows[0]!;

  // An account without a username is packed as an empty field; one with a username as 'u' + it.
  const usernames = new Map<number, string | null>();
  unpack([{ packed: row.voters }], 2, (x) => usernames.set(x.num(0), x.to[1]! > x.from[1]! ? x.s.slice(x.from[1]! + 1, x.to[1]) : null));
  type Loaded = Pick<ChangeFacts, 'id' | 'number' | 'project' | 'status'> & { patchSets: Array<PatchSetFacts & { firstRecord?: number }> };
  const changes: Loaded[] = [];
  const byId = new Map<number, Loaded>();
  const formats = new Set<string>();
  unpack([{ packed: row.changes }], 5, (x) => {
    const c = { id: x.num(0), number: x.num(1), project: x.str(2), status: x.str(3, STATUSES) as ChangeStatus, patchSets: [] };
    changes.push(c);
    byId.set(c.id, c);
    formats.add(x.str(4, FORMATS));
  });
  unpack([{ packed: row.patch_sets }], 4, (x) =>
    byId
      .get(x.num(0))
      ?.patchSets.push({ number: x.num(1), created: x.num(2), kind: (x.str(3, PATCH_SET_KINDS) || null) as PatchSetKind | null }),
  );
  // As the joins did: a vote by an unknown account is no record (it is left out, not even dating its patch set).
  const [changeId, patchSet, label, value, voterId, grantedAt] = keepRows(unpackIntegers([{ packed: row.votes }], 6), 5, (cols, i) =>
    usernames.has(cols[4]![i]!),
  ) as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Float64Array];
  // Each patch set's earliest record, looked up once per run of records on one patch set.
  let ps: (PatchSetFacts & { firstRecord?: number }) | undefined;
  for (let i = 0; i < changeId.length; i++) {
    if (i === 0 || changeId[i] !== changeId[i - 1] || patchSet[i] !== patchSet[i - 1]) {
      const sets = byId.get(changeId[i]!)?.patchSets;
      ps = undefined;
      // A change has a few patch sets: a scan finds it (indexed: unoptimised, a for…of allocates).
      if (sets) for (let k = 0; k < sets.length; k++) if (sets[k]!.number === patchSet[i]) ps = sets[k];
    }
    if (ps && (ps.firstRecord === undefined || grantedAt[i]! < ps.firstRecord)) ps.firstRecord = grantedAt[i]!;
  }
  return {
    records: { length: changeId.length, changeId, patchSet, label, labels: APPROVAL_LABELS, value, voterId, grantedAt },
    usernames,
    changes,
    formats: [...formats],
  };
}

// The labels of approval records by code (the last, '': any other; it only dates its patch set).
const APPROVAL_LABELS = ['Code-Review', 'Verified', 'Workflow', 'Approved', ''];

/**
 * The last vote of each (change, patch set, label, voter) among the votes on some changes, per
 * engine: latest by time, on equal times an approval record before a message. SQLite: one grouping
 * whose `max()` row gives the other columns (documented for a single min/max), PostgreSQL `distinct
 * on`: about half the cost of numbering every vote in a window and keeping the first. Both hand the
 * records over grouped by (change, patch set), so the aggregate needs no order of its own (the
 * reader checks, and sorts when they are not).
 */
const FINAL_VOTES: Record<EngineName, (onChanges: RawBuilder<boolean>) => RawBuilder<unknown>> = {
  sqlite: (onChanges) => sql`
    select change_id, patch_set, label, value, voter_id, granted_at, max(granted_at * 2 + (origin = 'approval')) as m
    from votes where ${onChanges} group by change_id, patch_set, label, voter_id`,
  postgres: (onChanges) => sql`
    select distinct on (change_id, patch_set, label, voter_id) change_id, patch_set, label, value, voter_id, granted_at
    from votes where ${onChanges}
    order by change_id, patch_set, label, voter_id, granted_at desc, origin = 'approval' desc`,
};

/**
 * The entries of some columns for which `keep` holds, the first `small` columns as 32-bit integers
 * (store ids, numbers, codes: they read back as small integers, which maps and sets take without
 * boxing), the others as they are.
 */
function keepRows(
  columns: Float64Array[],
  small: number,
  keep: (columns: Float64Array[], i: number) => boolean,
): Array<Int32Array | Float64Array> {
  const n = columns[0]?.length ?? 0;
  let kept = 0;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++)
    if (keep(columns, i)) {
      mask[i] = 1;
      kept++;
    }
  return columns.map((c, f) => {
    const out = f < small ? new Int32Array(kept) : new Float64Array(kept);
    let k = 0;
    for (let i = 0; i < n; i++) if (mask[i]) out[k++] = c[i]!;
    return out;
  });
}

const STATUSES = ['NEW', 'MERGED', 'ABANDONED'];
const FORMATS = ['rest', 'ssh'];
const LABEL_NAMES = ['Code-Review', 'Verified', 'Workflow', 'Approved'];

// The string aggregate with its order, per engine (SQLite ≥ 3.44 takes ORDER BY inside the call).
const ORDERED_AGGREGATE: Record<EngineName, (expr: RawBuilder<string>, order: RawBuilder<unknown>) => RawBuilder<string>> = {
  sqlite: (e, order) => sql<string>`group_concat(${e}, ${RS} order by ${order})`,
  postgres: (e, order) => sql<string>`string_agg(${e}, cast(${RS} as text) order by ${order})`,
};

/**
 * Changes acted on in [since, until) (a vote or a review message), plus changes created or merged
 * in it, with their patch sets and the latest patch set's file paths.
 *
 * @example const changes = await loadChangeFacts(db, { since, until, projects: ['openstack/nova'] });
 */
export async function loadChangeFacts(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; since: number; until: number },
): Promise<ChangeFacts[]> {
  const { since, until } = filter;
  // `union all`: "in" needs no distinct ids, and a plain union made SQLite read every vote in
  // change order (to merge the parts) instead of seeking the window; `copied in (0, 1)` lets both
  // engines seek votes by (copied, granted_at) (migration 0003).
  const relevant = db
    .selectFrom('votes')
    .select('votes.change_id as id')
    .where('votes.copied', 'in', [0, 1])
    .where('votes.granted_at', '>=', since)
    .where('votes.granted_at', '<', until)
    .unionAll(
      db
        .selectFrom('messages')
        .select('messages.change_id as id')
        .where('messages.date', '>=', since)
        .where('messages.date', '<', until)
        .where('messages.kind', 'in', ['review', 'comment']),
    )
    .unionAll(
      db.selectFrom('changes').select('changes.id as id').where('changes.created', '>=', since).where('changes.created', '<', until),
    )
    .unionAll(
      db.selectFrom('changes').select('changes.id as id').where('changes.merged_at', '>=', since).where('changes.merged_at', '<', until),
    );

  let cq = db
    .selectFrom('changes')
    .select(['id', 'host', 'project', 'number', 'owner_id', 'status', 'created', 'merged_at', 'abandoned_at'])
    .where('id', 'in', relevant);
  if (filter.projects?.length) cq = cq.where('project', 'in', filter.projects);
  const [changes, patchSets, files] = await Promise.all([
    cq.execute(),
    db.selectFrom('patch_sets').select(['change_id', 'number', 'created', 'kind']).where('change_id', 'in', relevant).execute(),
    db.selectFrom('change_files').select(['change_id', 'path']).where('change_id', 'in', relevant).execute(),
  ]);
  return factsOf(changes, patchSets, files);
}

/** Changes with their patch sets (by number) and file paths (sorted), by id. */
function factsOf(
  changes: ReadonlyArray<{
    id: number;
    host: string;
    project: string;
    number: number;
    owner_id: number;
    status: string;
    created: number;
    merged_at: number | null;
    abandoned_at: number | null;
  }>,
  patchSets: ReadonlyArray<{ change_id: number; number: number; created: number; kind: string | null }>,
  files: ReadonlyArray<{ change_id: number; path: string }>,
): ChangeFacts[] {
  const ps = new Map<number, ChangeFacts['patchSets']>();
  for (const p of patchSets) {
    let l = ps.get(p.change_id);
    if (!l) ps.set(p.change_id, (l = []));
    l.push({ number: p.number, created: p.created, kind: p.kind as PatchSetKind | null });
  }
  const fs = new Map<number, string[]>();
  for (const f of files) {
    let l = fs.get(f.change_id);
    if (!l) fs.set(f.change_id, (l = []));
    l.push(f.path);
  }
  return changes
    .map((c) => ({
      id: c.id,
      host: c.host,
      project: c.project,
      number: c.number,
      ownerId: c.owner_id,
      status: c.status as ChangeStatus,
      created: c.created,
      mergedAt: c.merged_at,
      abandonedAt: c.abandoned_at,
      patchSets: (ps.get(c.id) ?? []).sort((a, b) => a.number - b.number),
      files: (fs.get(c.id) ?? []).sort(),
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * `loadChangeFacts` of the given changes (store ids, as one parameter: a PostgreSQL array read
 * through `unnest` so that each is looked up by index, a JSON array for SQLite), on the projects when given: for a report that knows which changes its acts
 * are on, without finding a window's changes again in each of the three statements.
 *
 * @example const changes = await loadChangeFactsOf(db, { ids: acts.map((a) => a.changeId), engine: store.engine });
 */
export async function loadChangeFactsOf(
  db: Kysely<Database>,
  filter: { ids: readonly number[]; engine: EngineName; projects?: readonly string[] },
): Promise<ChangeFacts[]> {
  const ids = [...new Set(filter.ids)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const { engine } = filter;
  const inIds = (column: string) =>
    engine === 'postgres'
      ? sql<boolean>`${sql.ref(column)} in (select unnest(${ids}::int[]))`
      : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`;
  // Each part as one row of JSON arrays, a column each (JSON_COLUMN): no object per patch set or
  // file (tens of thousands of each), and JSON keeps any text a path may hold.
  const arrays = <T extends Record<string, unknown[]>>(columns: readonly string[], from: string, where: RawBuilder<boolean>) =>
    sql<
      Record<string, string | null>
    >`select ${sql.join(columns.map((c) => sql`${JSON_COLUMN[engine](sql.ref(c))} as ${sql.ref(c)}`))} from ${sql.table(from)} where ${where}`
      .execute(db)
      .then(({ rows }) => {
        const out: Record<string, unknown[]> = {};
        for (const c of columns) out[c] = JSON.parse(rows[0]?.[c] ?? '[]') as unknown[];
        return out as T;
      });
  const inProjects = filter.projects?.length
    ? sql<boolean>`${inIds('id')} and project in (${sql.join([...filter.projects])})`
    : inIds('id');
  const [c, p, f] = await Promise.all([
    arrays<{
      id: number[];
      host: string[];
      project: string[];
      number: number[];
      owner_id: number[];
      status: string[];
      created: number[];
      merged_at: Array<number | null>;
      abandoned_at: Array<number | null>;
    }>(['id', 'host', 'project', 'number', 'owner_id', 'status', 'created', 'merged_at', 'abandoned_at'], 'changes', inProjects),
    arrays<{ change_id: number[]; number: number[]; created: number[]; kind: Array<string | null> }>(
      ['change_id', 'number', 'created', 'kind'],
      'patch_sets',
      inIds('change_id'),
    ),
    arrays<{ change_id: number[]; path: string[] }>(['change_id', 'path'], 'change_files', inIds('change_id')),
  ]);
  const ps = new Map<number, ChangeFacts['patchSets']>();
  for (let i = 0; i < p.change_id.length; i++) {
    let l = ps.get(p.change_id[i]!);
    if (!l) ps.set(p.change_id[i]!, (l = []));
    l.push({ number: p.number[i]!, created: p.created[i]!, kind: p.kind[i] as PatchSetKind | null });
  }
  const fs = new Map<number, string[]>();
  for (let i = 0; i < f.change_id.length; i++) {
    let l = fs.get(f.change_id[i]!);
    if (!l) fs.set(f.change_id[i]!, (l = []));
    l.push(f.path[i]!);
  }
  const out: ChangeFacts[] = [];
  for (let i = 0; i < c.id.length; i++) {
    const id = c.id[i]!;
    out.push({
      id,
      host: c.host[i]!,
      project: c.project[i]!,
      number: c.number[i]!,
      ownerId: c.owner_id[i]!,
      status: c.status[i] as ChangeStatus,
      created: c.created[i]!,
      mergedAt: c.merged_at[i]!,
      abandonedAt: c.abandoned_at[i]!,
      patchSets: (ps.get(id) ?? []).sort((a, b) => a.number - b.number),
      files: (fs.get(id) ?? []).sort(),
    });
  }
  return out.sort((a, b) => a.id - b.id);
}

// A column's values as one JSON array, per engine (in no particular order, the same for every
// column of one statement: one scan feeds them all).
const JSON_COLUMN: Record<EngineName, (column: RawBuilder<unknown>) => RawBuilder<string>> = {
  sqlite: (c) => sql<string>`json_group_array(${c})`,
  postgres: (c) => sql<string>`cast(json_agg(${c}) as text)`,
};

/**
 * A message text that is more than one "Patch Set N: …" line (the line analysis/core-candidates.ts
 * and judgement-candidates.ts set aside: `^Patch Set \d+:[^\n]*(\n|$)`), per engine. Exact for what it
 * leaves out: a text without a line break that begins "Patch Set", digits and a colon. SQLite's GLOB
 * names the digits one by one (up to three: patch set 999); a longer number is kept, and the
 * analysis decides as before.
 */
const NOT_ONLY_PATCH_SET_LINE: Record<EngineName, RawBuilder<boolean>> = {
  sqlite: sql<boolean>`not (instr(messages.text, char(10)) = 0 and (messages.text glob 'Patch Set [0-9]:*' or messages.text glob 'Patch Set [0-9][0-9]:*' or messages.text glob 'Patch Set [0-9][0-9][0-9]:*'))`,
  postgres: sql<boolean>`not (strpos(messages.text, chr(10)) = 0 and messages.text ~ '^Patch Set [0-9]+:')`,
};

/**
 * Review messages (kinds `review` and `comment`) with author and patch set, in [since, until), with
 * their text (for whether a review gave reasons).
 *
 * @example const messages = await loadReviewMessages(db, { since, until });
 */
export async function loadReviewMessages(
  db: Kysely<Database>,
  filter: {
    projects?: readonly string[];
    since: number;
    until: number;
    authorIds?: readonly number[];
    /** Leave out messages by these accounts (a report that never reads their text: cores, bots). */
    excludeAuthorIds?: readonly number[];
    /**
     * Only the messages that can give a review's reasons (core candidates): not the change owner's
     * (an owner's acts make no review, reviews.ts), and not those that are one "Patch Set N: …" line
     * and nothing else (nothing is left of them once that line is set aside: hasReasoning and
     * isSubstantive read them as empty). Their texts are the most of what the loader would read.
     */
    reasonsOnly?: { engine: EngineName };
  },
): Promise<ReviewMessageText[]> {
  if (filter.authorIds && filter.authorIds.length === 0) return [];
  let q = db
    .selectFrom('messages')
    .innerJoin('changes', 'changes.id', 'messages.change_id')
    .select(['messages.change_id', 'messages.patch_set', 'messages.author_id', 'messages.date', 'messages.text'])
    .where('messages.kind', 'in', ['review', 'comment'])
    .where('messages.author_id', 'is not', null)
    .where('messages.patch_set', 'is not', null)
    .where('messages.date', '>=', filter.since)
    .where('messages.date', '<', filter.until);
  if (filter.projects?.length) q = q.where('changes.project', 'in', filter.projects);
  if (filter.authorIds) q = q.where('messages.author_id', 'in', filter.authorIds.slice(0, MAX_IN));
  if (filter.excludeAuthorIds?.length) q = q.where('messages.author_id', 'not in', filter.excludeAuthorIds.slice(0, MAX_IN));
  if (filter.reasonsOnly)
    q = q.whereRef('messages.author_id', '<>', 'changes.owner_id').where(NOT_ONLY_PATCH_SET_LINE[filter.reasonsOnly.engine]);
  return (await q.execute()).map((m) => ({
    changeId: m.change_id,
    patchSet: m.patch_set!,
    authorId: m.author_id!,
    at: m.date,
    text: m.text,
  }));
}

/**
 * Patch sets created in [since, until), with their change's owner and number, oldest first.
 *
 * @example const uploads = await loadPatchSetUploads(db, { since, until });
 */
export async function loadPatchSetUploads(
  db: Kysely<Database>,
  filter: { projects?: readonly string[]; since: number; until: number },
): Promise<PatchSetUpload[]> {
  let q = db
    .selectFrom('patch_sets')
    .innerJoin('changes', 'changes.id', 'patch_sets.change_id')
    .select([
      'patch_sets.change_id',
      'changes.number as change_number',
      'changes.project',
      'changes.owner_id',
      'patch_sets.number',
      'patch_sets.created',
      'patch_sets.kind',
    ])
    .where('patch_sets.created', '>=', filter.since)
    .where('patch_sets.created', '<', filter.until);
  if (filter.projects?.length) q = q.where('changes.project', 'in', filter.projects);
  return (await q.execute())
    .map((p) => ({
      changeId: p.change_id,
      changeNumber: p.change_number,
      project: p.project,
      ownerId: p.owner_id,
      number: p.number,
      created: p.created,
      kind: p.kind as PatchSetKind | null,
    }))
    .sort((a, b) => a.created - b.created || a.changeId - b.changeId || a.number - b.number);
}
