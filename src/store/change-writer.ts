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
import type { AccountRef, ChangeRecord, SourceFormat } from '../model/records.js';
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

/**
 * What decides whether a stored change is rewritten. Gerrit moves a change's `updated` on every
 * modification (patch set, vote, message, status), so for one export format the same `updated`
 * means the same content; the counts guard against exports that were cut differently. A copy
 * from the other format is rewritten (it carries different details).
 */
export function contentHash(record: ChangeRecord, format: SourceFormat): string {
  return `${format}:${record.updated}:${record.patchSets.length}:${record.messages.length}:${record.votes.length}:${record.ciBuilds.length}:${record.status}`;
}

const CHANGE_COLUMNS = [
  'host', 'project', 'branch', 'number', 'change_key', 'owner_id', 'subject', 'status', 'wip', 'private', 'created', 'updated',
  'submitted', 'merged_at', 'abandoned_at', 'topic', 'hashtags', 'insertions', 'deletions', 'files_count', 'commit_message', 'source_format', 'content_hash',
] as const;
const PATCH_SET_COLUMNS = ['change_id', 'number', 'revision', 'created', 'uploader_id', 'author_name', 'author_email', 'author_date', 'kind', 'insertions', 'deletions'] as const;
const VOTE_COLUMNS = ['change_id', 'patch_set', 'label', 'value', 'voter_id', 'granted_at', 'origin', 'copied', 'self_vote'] as const;
const MESSAGE_COLUMNS = ['change_id', 'seq', 'patch_set', 'author_id', 'date', 'kind', 'tag', 'text'] as const;
const FILE_COLUMNS = ['change_id', 'path', 'insertions', 'deletions'] as const;
const LINK_COLUMNS = ['change_id', 'kind', 'target'] as const;
const BUILD_COLUMNS = ['change_id', 'message_seq', 'patch_set', 'pipeline', 'job', 'result', 'voting', 'duration_s', 'log_url', 'reported_at', 'reporter_id'] as const;
const CHILD_TABLES = ['patch_sets', 'votes', 'messages', 'change_files', 'links', 'ci_builds'] as const;

const b = (x: boolean): number => (x ? 1 : 0);

function* refsOf(r: ChangeRecord): Generator<AccountRef> {
  yield r.owner;
  for (const p of r.patchSets) if (p.uploader) yield p.uploader;
  for (const v of r.votes) yield v.voter;
  for (const m of r.messages) if (m.author) yield m.author;
  for (const c of r.ciBuilds) if (c.reporter) yield c.reporter;
}

/**
 * When the change merged: Gerrit's `submitted`, else the last "Change has been successfully
 * merged" message, else `updated`. When it was last abandoned: the last "Abandoned" message, else
 * `updated`. Null unless the status says so.
 */
export function changeEndDates(r: ChangeRecord): { mergedAt: number | null; abandonedAt: number | null } {
  const lastSystem = (prefix: string): number | null => {
    let at: number | null = null;
    for (const m of r.messages) if (m.kind === 'system' && m.text.startsWith(prefix) && (at === null || m.date >= at)) at = m.date;
    return at;
  };
  return {
    mergedAt: r.status === 'MERGED' ? (r.submitted ?? lastSystem('Change has been successfully merged') ?? r.updated) : null,
    abandonedAt: r.status === 'ABANDONED' ? (lastSystem('Abandoned') ?? r.updated) : null,
  };
}

function changeRow(r: ChangeRecord, ownerId: number, format: SourceFormat, hash: string): unknown[] {
  const { mergedAt, abandonedAt } = changeEndDates(r);
  return [
    r.host, r.project, r.branch, r.number, r.changeId, ownerId, r.subject, r.status, b(r.workInProgress), b(r.isPrivate), r.created, r.updated,
    r.submitted, mergedAt, abandonedAt, r.topic, JSON.stringify(r.hashtags), r.insertions, r.deletions, r.files.length, r.commitMessage, format, hash,
  ];
}

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
  const counts = emptyCounts();
  if (records.length === 0) return counts;
  const byNumber = new Map<number, ChangeRecord>();
  for (const r of records) {
    if (r.host !== resolver.host) throw new Error(`record for host ${r.host} given to the writer of host ${resolver.host}`);
    const prev = byNumber.get(r.number);
    if (!prev) byNumber.set(r.number, r);
    else {
      counts.stale += 1;
      if (r.updated >= prev.updated) byNumber.set(r.number, r);
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

  const toInsert: Array<{ r: ChangeRecord; hash: string }> = [];
  const toUpdate: Array<{ r: ChangeRecord; hash: string; id: number }> = [];
  for (const r of byNumber.values()) {
    const hash = contentHash(r, format);
    const old = existing.get(r.number);
    if (!old) toInsert.push({ r, hash });
    else if (old.content_hash === hash) counts.unchanged += 1;
    else if (old.updated > r.updated) counts.stale += 1;
    else toUpdate.push({ r, hash, id: old.id });
  }
  if (toInsert.length === 0 && toUpdate.length === 0) return counts;

  await resolver.ensure((function* () {
    for (const x of toInsert) yield* refsOf(x.r);
    for (const x of toUpdate) yield* refsOf(x.r);
  })());

  // Changed changes keep their id; their children are replaced wholesale.
  if (toUpdate.length > 0) {
    const ids = toUpdate.map((x) => x.id);
    for (const t of CHILD_TABLES) {
      for (let i = 0; i < ids.length; i += 1000) await trx.deleteFrom(t).where('change_id', 'in', ids.slice(i, i + 1000)).execute();
    }
    for (const { r, hash, id } of toUpdate) {
      const row = changeRow(r, resolver.idOf(r.owner), format, hash);
      const set = Object.fromEntries(CHANGE_COLUMNS.map((c, i) => [c, row[i]]));
      await trx.updateTable('changes').set(set).where('id', '=', id).execute();
    }
  }
  const ids = new Map<number, number>();
  for (const x of toUpdate) ids.set(x.r.number, x.id);
  if (toInsert.length > 0) {
    const inserted = await bulk.insert<{ id: number; number: number }>(
      trx, 'changes', CHANGE_COLUMNS, toInsert.map(({ r, hash }) => changeRow(r, resolver.idOf(r.owner), format, hash)), ['id', 'number'],
    );
    for (const row of inserted) ids.set(row.number, row.id);
  }

  const ps: unknown[][] = [];
  const votes: unknown[][] = [];
  const msgs: unknown[][] = [];
  const files: unknown[][] = [];
  const links: unknown[][] = [];
  const builds: unknown[][] = [];
  const id = (ref: AccountRef | null): number | null => (ref && (ref.accountId != null || ref.username || ref.email || ref.name) ? resolver.idOf(ref) : null);
  for (const { r } of [...toInsert, ...toUpdate]) {
    const cid = ids.get(r.number);
    if (cid == null) throw new Error(`no id for change ${r.number} after insert`);
    for (const p of r.patchSets) ps.push([cid, p.number, p.revision, p.created, id(p.uploader), p.author?.name ?? null, p.author?.email ?? null, p.author?.date ?? null, p.kind, p.insertions, p.deletions]);
    for (const v of r.votes) votes.push([cid, v.patchSet, v.label, v.value, resolver.idOf(v.voter), v.grantedAt, v.origin, b(v.copied), b(v.selfVote)]);
    for (const m of r.messages) msgs.push([cid, m.seq, m.patchSet, id(m.author), m.date, m.kind, m.tag, m.text]);
    const seenPaths = new Set<string>();
    for (const f of r.files) {
      if (seenPaths.has(f.path)) continue;
      seenPaths.add(f.path);
      files.push([cid, f.path, f.insertions, f.deletions]);
    }
    const seenLinks = new Set<string>();
    for (const l of r.links) {
      const k = `${l.kind}\0${l.target}`;
      if (seenLinks.has(k)) continue;
      seenLinks.add(k);
      links.push([cid, l.kind, l.target]);
    }
    for (const c of r.ciBuilds) builds.push([cid, c.messageSeq, c.patchSet, c.pipeline, c.job, c.result, b(c.voting), c.durationSeconds, c.logUrl, c.reportedAt, id(c.reporter)]);
  }
  await bulk.insert(trx, 'patch_sets', PATCH_SET_COLUMNS, ps);
  await bulk.insert(trx, 'votes', VOTE_COLUMNS, votes);
  await bulk.insert(trx, 'messages', MESSAGE_COLUMNS, msgs);
  await bulk.insert(trx, 'change_files', FILE_COLUMNS, files);
  await bulk.insert(trx, 'links', LINK_COLUMNS, links);
  await bulk.insert(trx, 'ci_builds', BUILD_COLUMNS, builds);

  counts.new = toInsert.length;
  counts.updated = toUpdate.length;
  counts.votes = votes.length;
  counts.messages = msgs.length;
  counts.builds = builds.length;
  return counts;
}

/** Records the host (and its URL when known) so reports can link to it. */
export async function ensureHost(trx: Kysely<Database>, name: string, url: string | null): Promise<void> {
  await trx.insertInto('hosts').values({ name, url }).onConflict((oc) => oc.column('name').doNothing()).execute();
  if (url) await trx.updateTable('hosts').set({ url }).where('name', '=', name).execute();
}
