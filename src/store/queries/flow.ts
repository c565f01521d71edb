/**
 * Loaders for the review-flow reports (`steward queue`, `steward waits`, `steward dashboard`): the
 * changes of a scope with their patch sets, votes and, as asked, flow messages, details and files
 * (model/flow.ts).
 *
 * Speed: the queue reads every open change (16,000 in the 100,000-change bench store) within its
 * 250 ms budget. Rows come back packed into one string per query (`group_concat` in SQLite,
 * `string_agg` in PostgreSQL, side by side below); changes from the covering index of migration
 * 0005, their patch sets and votes from change_flow (migration 0012: one row per change, packed at
 * write time), messages from 0005's covering index; wide columns (subjects, commit messages,
 * message texts) are read only for the changes that need them.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { FlowChange, FlowFile, FlowMessage, FlowMessageEvent, HostInfo } from '../../model/flow.js';
import type { ChangeStatus, Link, LinkKind, MessageKind } from '../../model/records.js';
import type { EngineName } from '../engine.js';
import type { Database } from '../schema.js';
import { ID_LIST, IN_SUBQUERY } from './id-lists.js';
import { looseDistinct } from './loose-scan.js';
import { AGGREGATE, CR, CR_CODE, CS, CS_CODE, FS, FS_CODE, pack, RS, RS_CODE, unpack } from './packed.js';

/** Which changes to load. Times are epoch ms. */
export type FlowScope =
  /** Open at `at`: created at or before it and not merged or abandoned at or before it. */
  | { kind: 'open'; at: number }
  /** Open at some moment of [since, until): created before `until`, not closed before `since`. */
  | { kind: 'active'; since: number; until: number }
  /** Merged in [since, until). */
  | { kind: 'merged'; since: number; until: number }
  | { kind: 'ids'; ids: readonly number[] };

export interface FlowLoadOptions {
  scope: FlowScope;
  projects?: readonly string[];
  branches?: readonly string[];
  /** Only changes whose latest patch set inserts and deletes at most this many lines in all. */
  maxDelta?: number;
  /** Ignore patch sets, votes and messages after this time (replaying the past). Default: none. */
  asOf?: number;
  /**
   * Messages to attach: none; `flow` (comments, CI reports, Gerrit's own messages, with their flow
   * events: what `steward waits` replays); `all` (every message, for dashboard operators).
   */
  messages?: 'none' | 'flow' | 'all';
  /** Subject, topic, hashtags, the TrivialFix flag and links (else subject '' and no links). */
  details?: boolean;
  files?: boolean;
  /** The full latest commit message (dashboards' `message:`). */
  commitMessage?: boolean;
}

type ChangesQuery = SelectQueryBuilder<Database, 'changes', object>;

const LABELS = ['Code-Review', 'Verified', 'Workflow', 'Approved'] as const;

/**
 * Reads packed change_flow rows (change_id CS patch sets CS votes, changes joined by CR; patch sets
 * `number FS created` and votes `patch_set FS label FS value FS voter_id FS granted_at FS copied`,
 * each joined by RS) into the changes' patch sets and votes up to `asOf`, in one pass over the
 * characters: numbers are read as they are scanned, not found first and parsed after (the queue's
 * 94,000 votes: about half the time). A field that is not a plain integer is read as Number() reads
 * it; an empty one is NaN, as Fields.num gives.
 */
function readFlowRows(s: string, byId: ReadonlyMap<number, FlowChange>, asOf: number): void {
  const n = s.length;
  let i = 0;
  // The separator that ended the last field read (a function: TypeScript would narrow a variable).
  let end = 0;
  const ended = (): number => end;
  const int = (): number => {
    const start = i;
    let sign = 1;
    if (s.charCodeAt(i) === 45) {
      sign = -1;
      i++;
    }
    let v = 0;
    let digits = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      digits++;
    }
    const c = i < n ? s.charCodeAt(i) : CR_CODE;
    if (c < 32) {
      end = c;
      i++;
      return digits ? sign * v : Number.NaN;
    }
    // Not a plain integer: up to the next separator, as Number() reads it.
    let j = i;
    while (j < n && s.charCodeAt(j) >= 32) j++;
    end = j < n ? s.charCodeAt(j) : CR_CODE;
    i = j + 1;
    return Number(s.slice(start, j));
  };
  const label = (): string => {
    // An indexed loop: unoptimised (a fresh process), a for…of allocates an iterator result per step.
    for (let k = 0; k < LABELS.length; k++) {
      const x = LABELS[k]!;
      if (s.startsWith(x, i) && s.charCodeAt(i + x.length) === FS_CODE) {
        i += x.length + 1;
        return x;
      }
    }
    let j = s.indexOf(FS, i);
    if (j < 0) j = n;
    const x = s.slice(i, j);
    i = j + 1;
    return x;
  };
  while (i < n) {
    const c = byId.get(int());
    if (!c || ended() !== CS_CODE) {
      // Not a change asked for: on to the next.
      const j = s.indexOf(CR, i);
      i = j < 0 ? n : j + 1;
      continue;
    }
    // Patch sets, up to CS.
    if (s.charCodeAt(i) === CS_CODE) i++;
    else {
      do {
        const number = int();
        const created = int();
        if (created <= asOf) c.patchSets.push({ number, created });
      } while (ended() === RS_CODE);
    }
    // Votes, up to CR or the end.
    if (i >= n || s.charCodeAt(i) === CR_CODE) i++;
    else {
      do {
        const patchSet = int();
        const lbl = label();
        const value = int();
        const voterId = int();
        const at = int();
        const copiedAt = i;
        int();
        const copied = i - copiedAt === 2 && s.charCodeAt(copiedAt) === 49;
        if (at <= asOf) c.votes.push({ patchSet, label: lbl, value, voterId, at, copied });
      } while (ended() === RS_CODE);
    }
  }
}
const KINDS = ['comment', 'review', 'ci-report', 'upload', 'system'] as const;

// A condition on a column that must not pick the index: SQLite, without statistics, takes an
// equality on a low-cardinality column (messages.kind: five values) over "change_id is one of
// these" (an unknown count of ids from json_each) and walks messages_kind_date through every
// message of that kind in the store (1.3 million in the bench store; 110 ms for the waits'
// messages, 20 ms for the queue's rechecks of 228 changes). A unary + keeps the term out of its
// index choice, so the change_id index is used and the kind checked on its entries. PostgreSQL
// plans from its statistics.
const NO_INDEX: Record<EngineName, (column: string) => RawBuilder<unknown>> = {
  sqlite: (column) => sql`+${sql.ref(column)}`,
  postgres: (column) => sql`${sql.ref(column)}`,
};

function scoped(engine: EngineName, q: ChangesQuery, o: FlowLoadOptions, openAtIsNow: boolean): ChangesQuery {
  const s = o.scope;
  if (s.kind === 'open') {
    q = q.where('changes.created', '<=', s.at);
    q = openAtIsNow
      ? q.where('changes.status', '=', 'NEW')
      : q.where((e) => e.or([e('changes.status', '=', 'NEW'), e('changes.merged_at', '>', s.at), e('changes.abandoned_at', '>', s.at)]));
  } else if (s.kind === 'active') {
    q = q
      .where('changes.created', '<', s.until)
      .where((e) =>
        e.or([e('changes.status', '=', 'NEW'), e('changes.merged_at', '>=', s.since), e('changes.abandoned_at', '>=', s.since)]),
      );
  } else if (s.kind === 'merged') {
    q = q.where('changes.merged_at', '>=', s.since).where('changes.merged_at', '<', s.until);
  } else {
    // One bound value whatever the count (ID_LIST): a parameter per id costs the query builder, the
    // driver and the server a node, a value and a plan entry each (the initiatives' 3,200 ids).
    q = q.where(ID_LIST[engine]('changes.id', s.ids.length ? s.ids : [-1]));
  }
  // Projects and branches filter what the scope's own index finds (see NO_INDEX).
  if (o.projects?.length) q = q.where(NO_INDEX[engine]('changes.project'), 'in', [...o.projects]);
  if (o.branches?.length) q = q.where(NO_INDEX[engine]('changes.branch'), 'in', [...o.branches]);
  if (o.maxDelta !== undefined) q = q.where(sql<number>`changes.insertions + changes.deletions`, '<=', o.maxDelta);
  return q;
}

const CHANGE_COLUMNS = ['id', 'host', 'project', 'branch', 'number', 'owner_id', 'wip', 'created', 'updated', 'insertions', 'deletions'];

/**
 * Loads the changes of a scope for the flow reports, ordered by store id, with every patch set and
 * vote (up to `asOf`; votes in no particular order) and, as asked, messages, details and files.
 *
 * @example
 * const changes = await loadFlowChanges(store.db, store.engine, { scope: { kind: 'open', at: Date.now() }, projects: ['openstack/nova'] });
 */
export async function loadFlowChanges(db: Kysely<Database>, engine: EngineName, o: FlowLoadOptions): Promise<FlowChange[]> {
  let openAtIsNow = false;
  if (o.scope.kind === 'open') {
    // When nothing in the store happened after `at`, "open at `at`" is just status NEW (an index).
    const row = await db
      .selectFrom('changes')
      .select((e) => e.fn.max('updated').as('m'))
      .executeTakeFirst();
    openAtIsNow = row?.m === null || row?.m === undefined || Number(row.m) <= o.scope.at;
  }
  const asOf = o.asOf ?? Number.MAX_SAFE_INTEGER;
  // Open now: everything from the covering index (an open change has no merge or abandon time).
  const changeColumns = openAtIsNow ? CHANGE_COLUMNS : [...CHANGE_COLUMNS, 'status', 'merged_at?', 'abandoned_at?'];
  const changesQuery = scoped(engine, db.selectFrom('changes'), o, openAtIsNow).select(
    pack(
      engine,
      changeColumns.map((c) => `changes.${c}`),
    ).as('packed'),
  );
  // Patch sets and votes: one packed row per change (change_flow, schema.ts), packed again here.
  const flowQuery = (inScope: InIds) =>
    db
      .selectFrom('change_flow')
      .select(
        AGGREGATE[engine](sql<string>`change_id || cast(${CS} as text) || patch_sets || cast(${CS} as text) || votes`, CR).as('packed'),
      )
      .where(inScope('change_id'))
      .execute();

  // The open changes are an index range: the reads start at once (PostgreSQL: on parallel
  // connections), the flow read selecting the same range itself, and the changes are unpacked while
  // the flow read is still running. Other scopes are read once, and their ids handed to the flow read.
  const parts = FLOW_PARTS[engine];
  const pendingFlow: Array<Promise<Array<{ packed: string | null }>>> = [];
  if (openAtIsNow) {
    for (let k = 0; k < parts; k++) {
      let ids = scoped(engine, db.selectFrom('changes'), o, openAtIsNow).select('changes.id');
      if (parts > 1) ids = ids.where(sql<number>`${sql.ref('changes.id')} % ${parts}`, '=', k);
      const read = flowQuery((column) => IN_SUBQUERY[engine](sql.ref(column), ids));
      // Awaited below; a failure of the changes read first must not leave it unhandled.
      read.catch(() => undefined);
      pendingFlow.push(read);
    }
  }
  // With the ids given, the flow and message reads need not wait for the changes: all start at once
  // (PostgreSQL: on parallel connections, the server's work overlapping), each given the ids asked
  // for; what the changes read leaves out (another project) is skipped as it is attached.
  const changes: FlowChange[] = [];
  const given = o.scope.kind === 'ids' && !openAtIsNow ? o.scope.ids : null;
  if (given) {
    const size = Math.ceil(given.length / parts);
    for (let from = 0; from < given.length; from += size) {
      const read = flowQuery((column) => ID_LIST[engine](column, given.slice(from, from + size)));
      read.catch(() => undefined);
      pendingFlow.push(read);
    }
  }
  const early =
    given && (o.messages === 'flow' || o.messages === 'all') ? readMessages(db, engine, changes, o.messages, asOf, given) : null;
  early?.catch(() => undefined);
  const changeRows = await changesQuery.execute();
  const byId = new Map<number, FlowChange>();
  // Hosts, projects and branches repeat: each distinct one is cut out once and then recognised in
  // place (a fresh string per change for 16,000 changes is work for the collector).
  const hosts: string[] = [];
  const projects: string[] = [];
  const branches: string[] = ['master'];
  unpack(changeRows, changeColumns.length, (f) => {
    const c: FlowChange = {
      id: f.num(0),
      host: f.known(1, hosts),
      project: f.known(2, projects),
      branch: f.known(3, branches),
      number: f.num(4),
      subject: '',
      ownerId: f.num(5),
      status: (openAtIsNow ? 'NEW' : f.str(11, ['NEW', 'MERGED', 'ABANDONED'])) as ChangeStatus,
      workInProgress: f.is(6, '1'),
      created: f.num(7),
      updated: f.num(8),
      mergedAt: openAtIsNow ? null : f.nullableNum(12),
      abandonedAt: openAtIsNow ? null : f.nullableNum(13),
      topic: null,
      hashtags: [],
      insertions: f.num(9),
      deletions: f.num(10),
      trivialFix: false,
      commitMessage: null,
      patchSets: [],
      votes: [],
      messages: [],
      messagesComplete: false,
      files: null,
      links: [],
    };
    changes.push(c);
    byId.set(c.id, c);
  });
  if (!ascending(changes, (c) => c.id)) changes.sort((a, b) => a.id - b.id);
  if (!openAtIsNow && !given && changes.length) {
    const size = Math.ceil(changes.length / parts);
    for (let from = 0; from < changes.length; from += size) {
      const ids = changes.slice(from, from + size).map((c) => c.id);
      const read = flowQuery((column) => ID_LIST[engine](column, ids));
      read.catch(() => undefined);
      pendingFlow.push(read);
    }
  }
  // Patch sets and votes up to asOf (votes in no particular order), patch sets by number.
  // Each part as it arrives (the others may still be running).
  for (const read of pendingFlow) for (const row of await read) if (row.packed) readFlowRows(row.packed, byId, asOf);
  for (const c of changes) if (!ascending(c.patchSets, (p) => p.number)) c.patchSets.sort((a, b) => a.number - b.number);

  if (early) (await early)();
  else if (o.messages === 'flow' || o.messages === 'all') await attachMessages(db, engine, changes, o.messages, asOf);
  if (o.details || o.commitMessage) await attachDetails(db, engine, changes, { commitMessage: o.commitMessage ?? false });
  if (o.files) await attachFiles(db, engine, changes);
  return changes;
}

/**
 * Whether `list` is already in ascending order of `key` (as stored, it usually is): sorting even a
 * sorted array copies it, and the loaders sort thousands of small ones.
 */
function ascending<T>(list: readonly T[], key: (x: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (key(list[i - 1]!) > key(list[i]!)) return false;
  return true;
}

type InIds = (column: string) => RawBuilder<boolean>;

// How many parts the flow read (change_flow) is split into. PostgreSQL reads them on parallel
// connections: the server's work, an index probe per change, is shared by its cores, and each part
// is unpacked as it arrives while the other is still read (the queue's 16,000 open changes: about
// 50 ms of server time). SQLite runs on this thread: one part.
const FLOW_PARTS: Record<EngineName, number> = { sqlite: 1, postgres: 2 };

/** Runs `fn` with the engine's "column is one of `ids`" (nothing to run for no ids). */
async function forIds<T>(engine: EngineName, ids: readonly number[], fn: (inIds: InIds) => Promise<T[]>): Promise<T[]> {
  if (ids.length === 0) return [];
  return fn((column) => ID_LIST[engine](column, ids));
}

/** A message's flow event (FlowMessageEvent) from its kind and text; '' for none. */
const MESSAGE_EVENT = sql<string>`case
  when kind = 'system' and text like ${'%Set Work In Progress%'} then 'wip-on'
  when kind = 'system' and text like ${'%Set Ready For Review%'} then 'wip-off'
  when kind = 'system' and text like ${'Abandoned%'} then 'abandoned'
  when kind = 'system' and text like ${'Restored%'} then 'restored'
  when kind = 'comment' and (lower(text) like ${'recheck%'} or lower(text) like ${'%\nrecheck%'}) then 'recheck'
  else '' end`;
const EVENTS = ['wip-on', 'wip-off', 'abandoned', 'restored', 'recheck'] as const;

/**
 * Attaches messages to `changes` (replacing what they had), ascending by seq:
 * - `flow`: comments and Gerrit's own messages (what the flow replays and reviews count);
 * - `all`: every message;
 * - `comments`: comment-only review messages;
 * - `rechecks`: only comments that ask CI to run again.
 * Each message's flow event is read from its text (see FlowMessageEvent). `messagesComplete` is
 * set for `flow` and `all`.
 */
export async function attachMessages(
  db: Kysely<Database>,
  engine: EngineName,
  changes: FlowChange[],
  mode: 'flow' | 'all' | 'comments' | 'rechecks',
  asOf = Number.MAX_SAFE_INTEGER,
): Promise<void> {
  (await readMessages(db, engine, changes, mode, asOf))();
}

/**
 * {@link attachMessages} in two steps: reads, and returns the function that attaches what was
 * read. Several reads can then run at once and attach in a chosen order (`comments` then
 * `rechecks` is not `rechecks` then `comments`: the later one's version of a message stays).
 */
export async function readMessages(
  db: Kysely<Database>,
  engine: EngineName,
  changes: FlowChange[],
  mode: 'flow' | 'all' | 'comments' | 'rechecks',
  asOf = Number.MAX_SAFE_INTEGER,
  /** The changes to read the messages of, when `changes` is yet to be filled: the function returned attaches to what it holds then. */
  given?: readonly number[],
): Promise<() => void> {
  const ids = given ? [...new Set(given)] : [...new Set(changes.map((c) => c.id))];
  // CI reports move nothing in the flow (the CI's verdict is its Verified vote), so `flow` skips them.
  const kinds: MessageKind[] | null = mode === 'all' ? null : mode === 'flow' ? ['comment', 'system'] : ['comment'];

  if (mode === 'flow') {
    // Comments and Gerrit's own messages with their events, in one pass: the events need the text
    // of every such message anyway (a recheck can be anywhere in a comment), so one read of the
    // rows gives both, where an index-only read of all and a read of the texts took two.
    const rows = await forIds(engine, ids, (inIds) =>
      db
        .selectFrom('messages')
        .select(pack(engine, ['change_id', 'seq', 'patch_set?', 'author_id?', 'date', 'kind', MESSAGE_EVENT]).as('packed'))
        .where(inIds('change_id'))
        .where('kind', 'in', kinds!)
        .where(NO_INDEX[engine]('date'), '<=', asOf)
        .execute(),
    );
    return () => {
      const loaded = new Map<number, FlowMessage[]>();
      unpack(rows, 7, (f) => {
        const id = f.num(0);
        let l = loaded.get(id);
        if (!l) loaded.set(id, (l = []));
        l.push({
          seq: f.num(1),
          patchSet: f.nullableNum(2),
          authorId: f.nullableNum(3),
          at: f.num(4),
          kind: f.str(5, KINDS) as MessageKind,
          event: (f.str(6, EVENTS) || null) as FlowMessageEvent,
        });
      });
      for (const c of changes) {
        const list = loaded.get(c.id) ?? [];
        if (!ascending(list, (m) => m.seq)) list.sort((a, b) => a.seq - b.seq);
        c.messages = list;
        c.messagesComplete = true;
      }
    };
  }

  // Index-only: who, when, what kind.
  const plain =
    mode === 'rechecks'
      ? []
      : await forIds(engine, ids, (inIds) => {
          let q = db
            .selectFrom('messages')
            .select(pack(engine, ['change_id', 'seq', 'patch_set?', 'author_id?', 'date', 'kind']).as('packed'))
            .where(inIds('change_id'))
            .where(NO_INDEX[engine]('date'), '<=', asOf);
          if (kinds) q = q.where('kind', 'in', kinds);
          return q.execute();
        });

  // Events need the text: only the few messages that can carry one, each kind by its own index seek
  // (change_id, kind) so that no other message row is read.
  const eventQuery = (inIds: InIds, kind: 'system' | 'comment') =>
    db
      .selectFrom('messages')
      .select(['change_id', 'seq', 'kind', 'patch_set', 'author_id', 'date', MESSAGE_EVENT.as('event')])
      .where(inIds('change_id'))
      .where('kind', '=', kind)
      .where(NO_INDEX[engine]('date'), '<=', asOf)
      .$if(kind === 'comment', (q) => q.where(sql<string>`lower(text)`, 'like', '%recheck%'))
      .execute();
  const events =
    mode === 'comments'
      ? []
      : await forIds(engine, ids, async (inIds) => [
          ...(mode === 'rechecks' ? [] : await eventQuery(inIds, 'system')),
          ...(await eventQuery(inIds, 'comment')),
        ]);

  return () => {
    const eventOf = new Map<string, FlowMessageEvent>();
    const extra = new Map<number, FlowMessage[]>();
    for (const e of events) {
      const ev = (e.event || null) as FlowMessageEvent;
      if (mode === 'rechecks') {
        if (ev !== 'recheck') continue;
        let l = extra.get(e.change_id);
        if (!l) extra.set(e.change_id, (l = []));
        l.push({ seq: e.seq, patchSet: e.patch_set, authorId: e.author_id, at: e.date, kind: e.kind as MessageKind, event: ev });
        continue;
      }
      if (ev) eventOf.set(`${e.change_id}:${e.seq}`, ev);
    }

    const loaded = new Map<number, FlowMessage[]>();
    unpack(plain, 6, (f) => {
      const id = f.num(0);
      const seq = f.num(1);
      let l = loaded.get(id);
      if (!l) loaded.set(id, (l = []));
      l.push({
        seq,
        patchSet: f.nullableNum(2),
        authorId: f.nullableNum(3),
        at: f.num(4),
        kind: f.str(5, KINDS) as MessageKind,
        event: eventOf.get(`${id}:${seq}`) ?? null,
      });
    });
    for (const c of changes) {
      const list = loaded.get(c.id) ?? [];
      const more = extra.get(c.id);
      if (more) list.push(...more);
      // Nothing read for a change whose messages are in order: they stay as they are (the merge
      // below would copy them unchanged; the queue asks for thousands of changes' comments).
      if (list.length === 0 && (mode === 'rechecks' || mode === 'comments') && ascending(c.messages, (m) => m.seq)) continue;
      const merged =
        mode === 'rechecks' || mode === 'comments' ? [...c.messages.filter((m) => !list.some((x) => x.seq === m.seq)), ...list] : list;
      merged.sort((a, b) => a.seq - b.seq);
      c.messages = merged;
      if (mode === 'all') c.messagesComplete = true;
    }
  };
}

/** Fills subject, topic, hashtags, the TrivialFix flag and links (and the commit message when asked). */
export async function attachDetails(
  db: Kysely<Database>,
  engine: EngineName,
  changes: FlowChange[],
  o: { commitMessage: boolean },
): Promise<void> {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const ids = [...byId.keys()];
  // Both reads at once (PostgreSQL: on parallel connections).
  const linksRead = readLinks(db, engine, ids);
  linksRead.catch(() => undefined);
  const rows = await forIds(engine, ids, (inIds) =>
    db
      .selectFrom('changes')
      .select([
        'id',
        'subject',
        'topic',
        'hashtags',
        sql<number>`case when commit_message like ${'%TrivialFix%'} then 1 else 0 end`.as('trivial_fix'),
        ...(o.commitMessage ? (['commit_message'] as const) : []),
      ])
      .where(inIds('id'))
      .execute(),
  );
  for (const r of rows) {
    const c = byId.get(r.id)!;
    c.subject = r.subject;
    c.topic = r.topic;
    try {
      const h: unknown = JSON.parse(r.hashtags);
      c.hashtags = Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      c.hashtags = [];
    }
    // A "TrivialFix" line, not the word anywhere (Gerrit's commit-message footer convention).
    const full = (r as { commit_message?: string }).commit_message;
    c.trivialFix = Number(r.trivial_fix) === 1 && (full === undefined || /^\s*TrivialFix\s*$/m.test(full));
    if (full !== undefined) c.commitMessage = full;
  }
  const links = await linksRead;
  for (const l of links) byId.get(l.change_id)?.links.push({ kind: l.kind as LinkKind, target: l.target } satisfies Link);
}

const readLinks = (db: Kysely<Database>, engine: EngineName, ids: readonly number[]) =>
  forIds(engine, ids, (inIds) => db.selectFrom('links').select(['change_id', 'kind', 'target']).where(inIds('change_id')).execute());

/**
 * Fills the links alone, the part of {@link attachDetails} that says what a change implements,
 * fixes or is grouped by (for changes whose subject and topic are not shown or matched).
 */
export async function attachLinks(db: Kysely<Database>, engine: EngineName, changes: FlowChange[]): Promise<void> {
  const byId = new Map(changes.map((c) => [c.id, c]));
  for (const l of await readLinks(db, engine, [...byId.keys()]))
    byId.get(l.change_id)?.links.push({ kind: l.kind as LinkKind, target: l.target } satisfies Link);
}

/**
 * Fills the files of the latest patch set. Paths are packed like the other fields, with the two
 * separator characters (ASCII control characters git allows in a path but no project uses) removed
 * from them.
 */
export async function attachFiles(db: Kysely<Database>, engine: EngineName, changes: FlowChange[]): Promise<void> {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const path = sql<string>`replace(replace(path, cast(${FS} as text), ''), cast(${RS} as text), '')`;
  const rows = await forIds(engine, [...byId.keys()], (inIds) =>
    db
      .selectFrom('change_files')
      .select(
        AGGREGATE[engine](
          sql<string>`change_id || cast(${FS} as text) || ${path} || cast(${FS} as text) || insertions || cast(${FS} as text) || deletions`,
        ).as('packed'),
      )
      .where(inIds('change_id'))
      .execute(),
  );
  for (const c of changes) c.files = [];
  unpack(rows, 4, (f) => byId.get(f.num(0))?.files!.push({ path: f.str(1), insertions: f.num(2), deletions: f.num(3) } satisfies FlowFile));
  const byPath = (a: FlowFile, b: FlowFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  for (const c of changes) {
    const files = c.files!;
    let sorted = true;
    for (let i = 1; i < files.length && sorted; i++) sorted = byPath(files[i - 1]!, files[i]!) <= 0;
    if (!sorted) files.sort(byPath);
  }
}

/**
 * The web URLs of the stored hosts that have one, in the order the engine returns the rows (no
 * ORDER BY: the first is the one `steward dashboard --gerrit-url` falls back to).
 */
export async function listHostUrls(db: Kysely<Database>): Promise<string[]> {
  const hosts = await db.selectFrom('hosts').select(['name', 'url']).execute();
  return hosts.map((h) => h.url).filter((u): u is string => !!u);
}

/** Every stored host with its web URL. */
export async function loadHosts(db: Kysely<Database>): Promise<HostInfo[]> {
  return (await db.selectFrom('hosts').select(['name', 'url']).orderBy('name').execute()).map((h) => ({ name: h.name, url: h.url }));
}

/**
 * Accounts that ever voted Verified +2 or −2: the CI that gates merging (third-party CI systems
 * vote ±1 at most). A loose scan of the votes (label, value, voter_id) index: one probe per voter.
 */
export async function loadGatingCiCandidates(db: Kysely<Database>): Promise<number[]> {
  // Both values' scans in one statement: one round trip to the server.
  const r = await sql<{ id: number | null }>`
    with recursive
      plus(id) as (
        select min(voter_id) from votes where label = ${'Verified'} and value = ${2}
        union all
        select (select min(voter_id) from votes where label = ${'Verified'} and value = ${2} and voter_id > plus.id) from plus where plus.id is not null
      ),
      minus(id) as (
        select min(voter_id) from votes where label = ${'Verified'} and value = ${-2}
        union all
        select (select min(voter_id) from votes where label = ${'Verified'} and value = ${-2} and voter_id > minus.id) from minus where minus.id is not null
      )
    select id from plus where id is not null
    union
    select id from minus where id is not null`.execute(db);
  return [...new Set(r.rows.map((row) => Number(row.id)))].sort((a, b) => a - b);
}

/**
 * Every account that ever posted a CI build report (Steward counts them as bots), by a loose scan
 * of the ci_reports (reporter_id) index: one probe per reporter instead of a pass over every build.
 */
export async function loadCiReporters(db: Kysely<Database>): Promise<number[]> {
  return (await looseDistinct<number>(db, 'ci_reports', 'reporter_id')).map(Number).sort((a, b) => a - b);
}

/**
 * Creation times of every change of each owner in the projects (all time), ascending: tells a
 * newcomer's first changes from a regular's.
 */
export async function loadOwnerHistory(
  db: Kysely<Database>,
  engine: EngineName,
  projects: readonly string[] = [],
): Promise<Map<number, number[]>> {
  let q = db.selectFrom('changes').select(pack(engine, ['owner_id', 'created']).as('packed'));
  if (projects.length) q = q.where('project', 'in', [...projects]);
  const out = new Map<number, number[]>();
  unpack(await q.execute(), 2, (f) => {
    const id = f.num(0);
    let l = out.get(id);
    if (!l) out.set(id, (l = []));
    l.push(f.num(1));
  });
  for (const l of out.values()) l.sort((a, b) => a - b);
  return out;
}

/** The projects in the store, by a loose scan of the (project, status) index. */
export async function listProjectNames(db: Kysely<Database>): Promise<string[]> {
  return looseDistinct<string>(db, 'changes', 'project');
}
