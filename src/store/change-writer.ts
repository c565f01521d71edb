/**
 * Writes ChangeRecords to the store. A change is the unit: its row and every row that hangs off
 * it (patch sets, votes, messages, files, links, CI builds) are replaced together inside the
 * caller's transaction, so a change is stored whole or not at all.
 *
 * Idempotency: each change's fingerprint (contentHash) is kept. The same change again is
 * "unchanged" and not rewritten; an older copy (smaller `updated`) never replaces a newer one
 * ("stale").
 */
import type { Kysely } from 'kysely';
import type {
  PACKED_CI_REPORT_FIELDS,
  PACKED_FILE_FIELDS,
  PACKED_LINK_FIELDS,
  PACKED_MESSAGE_FIELDS,
  PACKED_PATCH_SET_FIELDS,
  PACKED_VOTE_FIELDS,
} from '../model/packed-changes.js';
import {
  packChanges,
  PACKED_CHANGE,
  PACKED_CHANGE_FIELDS,
  PACKED_CHILDREN,
  type ChildLayout,
  type PackedChanges,
  type PackedChildKind,
} from '../model/packed-changes.js';
import type { ChangeRecord, SourceFormat } from '../model/records.js';
import type { AccountResolver } from './account-resolver.js';
import type { BulkWriter } from './bulk-insert.js';
import type { Database } from './schema.js';

export interface WriteCounts {
  new: number;
  updated: number;
  unchanged: number;
  /** Records older than the stored copy, left alone. */
  stale: number;
  votes: number;
  messages: number;
  builds: number;
}

export function emptyCounts(): WriteCounts {
  return { new: 0, updated: 0, unchanged: 0, stale: 0, votes: 0, messages: 0, builds: 0 };
}

export function addCounts(a: WriteCounts, b: WriteCounts): WriteCounts {
  return {
    new: a.new + b.new,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    stale: a.stale + b.stale,
    votes: a.votes + b.votes,
    messages: a.messages + b.messages,
    builds: a.builds + b.builds,
  };
}

export { changeEndDates, contentHash } from '../model/packed-changes.js';

const CHANGE_COLUMNS = [
  'host',
  'project',
  'branch',
  'number',
  'change_key',
  'owner_id',
  'subject',
  'status',
  'wip',
  'private',
  'created',
  'updated',
  'submitted',
  'merged_at',
  'abandoned_at',
  'topic',
  'hashtags',
  'insertions',
  'deletions',
  'files_count',
  'commit_message',
  'source_format',
  'content_hash',
] as const;
const PATCH_SET_COLUMNS = [
  'change_id',
  'number',
  'revision',
  'created',
  'uploader_id',
  'author_name',
  'author_email',
  'author_date',
  'kind',
  'insertions',
  'deletions',
] as const;
const VOTE_COLUMNS = ['change_id', 'patch_set', 'label', 'value', 'voter_id', 'granted_at', 'origin', 'copied', 'self_vote'] as const;
const MESSAGE_COLUMNS = ['change_id', 'seq', 'patch_set', 'author_id', 'date', 'kind', 'tag', 'text'] as const;
const FILE_COLUMNS = ['change_id', 'path', 'insertions', 'deletions'] as const;
const LINK_COLUMNS = ['change_id', 'kind', 'target'] as const;
const CI_REPORT_COLUMNS = ['change_id', 'message_seq', 'patch_set', 'pipeline', 'reported_at', 'reporter_id', 'jobs'] as const;
const CHILD_TABLES = ['patch_sets', 'votes', 'change_flow', 'messages', 'change_files', 'links', 'ci_reports'] as const;

// Each table's columns are the packed fields, one for one: a layout change that is not made on both
// sides fails to compile here.
type SameLength<A extends readonly unknown[], B extends readonly unknown[]> = A['length'] extends B['length']
  ? B['length'] extends A['length']
    ? true
    : never
  : never;
const _layoutsMatch: [
  SameLength<typeof CHANGE_COLUMNS, typeof PACKED_CHANGE_FIELDS>,
  SameLength<typeof PATCH_SET_COLUMNS, typeof PACKED_PATCH_SET_FIELDS>,
  SameLength<typeof VOTE_COLUMNS, typeof PACKED_VOTE_FIELDS>,
  SameLength<typeof MESSAGE_COLUMNS, typeof PACKED_MESSAGE_FIELDS>,
  SameLength<typeof FILE_COLUMNS, typeof PACKED_FILE_FIELDS>,
  SameLength<typeof LINK_COLUMNS, typeof PACKED_LINK_FIELDS>,
  SameLength<typeof CI_REPORT_COLUMNS, typeof PACKED_CI_REPORT_FIELDS>,
] = [true, true, true, true, true, true, true];

const CHILDREN: ReadonlyArray<{
  kind: PackedChildKind;
  table: Exclude<(typeof CHILD_TABLES)[number], 'change_flow'>;
  columns: readonly string[];
}> = [
  { kind: 'patchSets', table: 'patch_sets', columns: PATCH_SET_COLUMNS },
  { kind: 'votes', table: 'votes', columns: VOTE_COLUMNS },
  { kind: 'messages', table: 'messages', columns: MESSAGE_COLUMNS },
  { kind: 'files', table: 'change_files', columns: FILE_COLUMNS },
  { kind: 'links', table: 'links', columns: LINK_COLUMNS },
  { kind: 'ciReports', table: 'ci_reports', columns: CI_REPORT_COLUMNS },
];

/**
 * Writes one batch of records for one host inside `trx` (which must be a transaction).
 * Records for the same change number within the batch: the one with the newest `updated` wins.
 */
export async function writeChanges(
  trx: Kysely<Database>,
  resolver: AccountResolver,
  records: readonly ChangeRecord[],
  format: SourceFormat,
  bulk: BulkWriter,
): Promise<WriteCounts> {
  for (const r of records)
    if (r.host !== resolver.host) throw new Error(`record for host ${r.host} given to the writer of host ${resolver.host}`);
  return writeChangeBatch(trx, resolver, packChanges(records, resolver.host, format), bulk);
}

/**
 * Writes a packed batch (model/packed-changes.ts) for one host inside `trx`, with the same rules as
 * {@link writeChanges}. The batch is read, not modified.
 */
export async function writeChangeBatch(
  trx: Kysely<Database>,
  resolver: AccountResolver,
  batch: PackedChanges,
  bulk: BulkWriter,
): Promise<WriteCounts> {
  const counts = emptyCounts();
  if (batch.count === 0) return counts;
  if (batch.host !== resolver.host) throw new Error(`changes of host ${batch.host} given to the writer of host ${resolver.host}`);
  const W = PACKED_CHANGE_FIELDS.length;
  const ch = batch.changes;
  const numberOf = (k: number) => ch[k * W + PACKED_CHANGE.number] as number;
  const updatedOf = (k: number) => ch[k * W + PACKED_CHANGE.updated] as number;
  const byNumber = new Map<number, number>();
  for (let k = 0; k < batch.count; k++) {
    const prev = byNumber.get(numberOf(k));
    if (prev === undefined) byNumber.set(numberOf(k), k);
    else {
      counts.stale += 1;
      if (updatedOf(k) >= updatedOf(prev)) byNumber.set(numberOf(k), k);
    }
  }
  const numbers = [...byNumber.keys()];
  const existing = new Map<number, { id: number; updated: number; content_hash: string }>();
  for (let i = 0; i < numbers.length; i += 1000) {
    const rows = await trx
      .selectFrom('changes')
      .select(['id', 'number', 'updated', 'content_hash'])
      .where('host', '=', resolver.host)
      .where('number', 'in', numbers.slice(i, i + 1000))
      .execute();
    for (const row of rows) existing.set(row.number, row);
  }

  const toInsert: number[] = [];
  const toUpdate: Array<{ k: number; id: number }> = [];
  for (const k of byNumber.values()) {
    const old = existing.get(numberOf(k));
    if (!old) toInsert.push(k);
    else if (old.content_hash === ch[k * W + PACKED_CHANGE.contentHash]) counts.unchanged += 1;
    else if (old.updated > updatedOf(k)) counts.stale += 1;
    else toUpdate.push({ k, id: old.id });
  }
  if (toInsert.length === 0 && toUpdate.length === 0) return counts;

  // Accounts named by the changes written, in the order they name them; each resolved once.
  const written = [...toInsert, ...toUpdate.map((x) => x.k)];
  const used: number[] = [];
  for (const k of written)
    for (let i = batch.changeAccountsStart[k]!; i < batch.changeAccountsStart[k + 1]!; i++) used.push(batch.changeAccounts[i]!);
  await resolver.ensure(used.map((a) => batch.accounts[a]!));
  const accountIds = new Array<number | null>(batch.accounts.length).fill(null);
  for (const a of used) accountIds[a] ??= resolver.idOf(batch.accounts[a]!);
  const ownerOf = (k: number): number => {
    const id = accountIds[ch[k * W + PACKED_CHANGE.owner] as number];
    if (id == null) throw new Error(`account not resolved: the owner of change ${numberOf(k)} names no account`);
    return id;
  };
  const changeRow = (k: number): unknown[] => {
    const row = ch.slice(k * W, (k + 1) * W);
    row[PACKED_CHANGE.owner] = ownerOf(k);
    return row;
  };

  // Changed changes keep their id; their children are replaced wholesale.
  const changeIds = new Array<number>(batch.count).fill(0);
  if (toUpdate.length > 0) {
    const ids = toUpdate.map((x) => x.id);
    for (const t of CHILD_TABLES) {
      for (let i = 0; i < ids.length; i += 1000)
        await trx
          .deleteFrom(t)
          .where('change_id', 'in', ids.slice(i, i + 1000))
          .execute();
    }
    for (const { k, id } of toUpdate) {
      const row = changeRow(k);
      const set = Object.fromEntries(CHANGE_COLUMNS.map((c, i) => [c, row[i]]));
      await trx.updateTable('changes').set(set).where('id', '=', id).execute();
      changeIds[k] = id;
    }
  }
  if (toInsert.length > 0) {
    const ids = await bulk.insertReturningIds(trx, 'changes', CHANGE_COLUMNS, toInsert.map(changeRow), 'number');
    toInsert.forEach((k, i) => (changeIds[k] = ids[i]!));
  }

  const flow = new Map<number, { patchSets: string[]; votes: string[] }>();
  for (const k of written) flow.set(changeIds[k]!, { patchSets: [], votes: [] });
  for (const { kind, table, columns } of CHILDREN) {
    const layout: ChildLayout = PACKED_CHILDREN[kind];
    const n = copyRows(batch[kind], layout, changeIds, accountIds, kind === 'votes', batch);
    await bulk.insertFlat(trx, table, columns, n.values);
    if (kind === 'votes') counts.votes = n.rows;
    else if (kind === 'messages') counts.messages = n.rows;
    else if (kind === 'ciReports') for (const k of written) counts.builds += batch.ciBuildCounts[k]!;
    if (kind === 'patchSets' || kind === 'votes') packFlow(n.values, columns, kind, flow);
  }
  const flowRows: unknown[] = [];
  for (const [id, f] of flow) flowRows.push(id, f.patchSets.join(RS), f.votes.join(RS));
  await bulk.insertFlat(trx, 'change_flow', FLOW_COLUMNS, flowRows);
  counts.new = toInsert.length;
  counts.updated = toUpdate.length;
  return counts;
}

const FLOW_COLUMNS = ['change_id', 'patch_sets', 'votes'] as const;
const FS = '\u001f';
const RS = '\u001e';
const FLOW_FIELDS = {
  patchSets: ['number', 'created'],
  votes: ['patch_set', 'label', 'value', 'voter_id', 'granted_at', 'copied'],
} as const;

/** Appends each row's flow record (schema.ts ChangeFlowTable) to its change's list. */
function packFlow(
  values: readonly unknown[],
  columns: readonly string[],
  kind: 'patchSets' | 'votes',
  flow: Map<number, { patchSets: string[]; votes: string[] }>,
): void {
  const w = columns.length;
  const at = FLOW_FIELDS[kind].map((c) => columns.indexOf(c));
  for (let i = 0; i < values.length; i += w) {
    let record = String(values[i + at[0]!]);
    for (let j = 1; j < at.length; j++) record += FS + String(values[i + at[j]!]);
    flow.get(values[i] as number)![kind].push(record);
  }
}

/**
 * The rows of the changes being written (changeIds[k] set), with store ids in place of batch
 * positions: one flat array, `layout.width` values a row.
 */
function copyRows(
  src: readonly unknown[],
  layout: ChildLayout,
  changeIds: readonly number[],
  accountIds: readonly (number | null)[],
  accountRequired: boolean,
  batch: PackedChanges,
): { values: unknown[]; rows: number } {
  const w = layout.width;
  const values: unknown[] = [];
  let rows = 0;
  for (let i = 0; i < src.length; i += w) {
    const id = changeIds[src[i] as number]!;
    if (id === 0) continue;
    const at = values.length;
    for (let j = 0; j < w; j++) values.push(src[i + j]);
    values[at] = id;
    for (const a of layout.accounts) {
      const local = src[i + a] as number;
      const resolved = local < 0 ? null : accountIds[local]!;
      if (resolved == null && accountRequired)
        throw new Error(
          `account not resolved: a vote on change ${batch.changes[(src[i] as number) * PACKED_CHANGE_FIELDS.length + PACKED_CHANGE.number]} names no account`,
        );
      values[at + a] = resolved;
    }
    rows += 1;
  }
  return { values, rows };
}

/** Records the host (and its URL when known) so reports can link to it. */
export async function ensureHost(trx: Kysely<Database>, name: string, url: string | null): Promise<void> {
  await trx
    .insertInto('hosts')
    .values({ name, url })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  if (url) await trx.updateTable('hosts').set({ url }).where('name', '=', name).execute();
}
