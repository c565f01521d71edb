/**
 * One row of `gerrit query --format=JSON --all-approvals --comments --patch-sets --files` → a
 * {@link ChangeRecord}. SSH rows name accounts without numeric ids and give times in epoch seconds.
 */
import type {
  AccountRef,
  ChangeRecord,
  ChangeStatus,
  FileStat,
  GitPerson,
  PatchSet,
  PatchSetKind,
  Timestamp,
} from '../../model/records.js';
import { PATCH_SET_KINDS } from '../../model/records.js';
import { assembleChange, changeFormatError, describeValue, isMagicPath, isRecord, problem, sortFiles } from './assemble-change.js';
import type { DraftApproval, DraftMessage, ParseContext } from './assemble-change.js';
import { canonicalLabel } from './labels.js';
import type { SshStatsRow } from './ssh-types.js';
import { parseSshTimestamp } from './time.js';

export type { ParseContext } from './assemble-change.js';

const SSH_HINT = 'Export with `gerrit query --format=JSON --all-approvals --comments --patch-sets --files …`, unedited.';
const STATUSES: ReadonlyMap<unknown, ChangeStatus> = new Map([
  ['NEW', 'NEW'],
  ['MERGED', 'MERGED'],
  ['ABANDONED', 'ABANDONED'],
  ['DRAFT', 'NEW'],
]);
const KNOWN_KINDS: ReadonlySet<unknown> = new Set<PatchSetKind>(PATCH_SET_KINDS);
const SECONDS_EXPECTED = 'epoch seconds (a non-negative number)';
const INTEGER_TEXT = /^\d{1,10}$/;

interface ReadPatchSet {
  ps: PatchSet;
  files: FileStat[] | null;
}

/**
 * Whether an SSH query row is the closing statistics row (`{"type":"stats","rowCount":…}`)
 * rather than a change.
 */
export function isSshStatsRow(raw: unknown): raw is SshStatsRow {
  return isRecord(raw) && raw.type === 'stats';
}

/**
 * Parse one change row of an SSH query export into a ChangeRecord.
 *
 * Required (else INPUT_FORMAT naming the change number and field): an object (not the stats row)
 * with `number` (positive integer, or a string of digits), `project`, `branch`, `id` (non-empty
 * strings), `subject` (string), `status` (NEW, MERGED, ABANDONED, DRAFT), `createdOn`, `lastUpdated`
 * (epoch seconds), `owner` (object), and at least one patch set: `patchSets` (non-empty array), or
 * `currentPatchSet` when `patchSets` is absent; each patch set needs `number`, `revision` and
 * `createdOn`. `comments`, when present, must be an array of objects with a `timestamp`. Everything
 * else is optional and read leniently; message texts never cause an error.
 *
 * Rules, where they differ from `parseRestChange` (all other rules are the same):
 * - Accounts → `{ username, name, email }` (SSH has no account ids), absent fields omitted.
 * - `changeId` = `id`, `updated` = `lastUpdated`, `workInProgress` = `wip`, `isPrivate` = `private`,
 *   `commitMessage` = `commitMessage` ('' without --commit-message).
 * - `submitted`: SSH has none; the date of the last "Change has been successfully merged/
 *   cherry-picked/rebased/pushed" message when the change is MERGED, else null.
 * - The latest patch set is the highest-numbered. Files are `files` minus magic paths, deletions
 *   made non-negative (some Gerrit versions write them negative); without `files`, patch set
 *   insertions/deletions are `sizeInsertions` / |`sizeDeletions`| (0 when absent), and so are the
 *   change's (taken from the latest patch set).
 * - Patch set `author` is the SSH author account as a git person dated at the patch set's
 *   `createdOn` (SSH gives no author date); null when absent.
 * - Messages are `comments` (no tags: `tag` null); patch set from the "Patch Set N:" prefix.
 * - Approvals are per patch set (`patchSets[i].approvals`: `type` canonicalised, `value` parsed
 *   as an integer, `grantedOn`, `by`); zero or unreadable ones are skipped. Accounting and
 *   `copied` as for REST.
 *
 * @example
 * for (const row of rows) if (!isSshStatsRow(row)) records.push(parseSshChange(row, { host, where: file, line }));
 * @throws StewardError INPUT_FORMAT for a structurally bad change
 */
export function parseSshChange(raw: unknown, ctx: ParseContext): ChangeRecord {
  if (!isRecord(raw)) {
    throw changeFormatError(ctx, null, '', `expected a change object, got ${describeValue(raw)}`, SSH_HINT);
  }
  if (isSshStatsRow(raw)) {
    throw changeFormatError(ctx, null, '', 'is the query\'s "stats" row, not a change', 'Skip rows for which isSshStatsRow() is true.');
  }
  const number = positiveInteger(raw.number);
  if (number === null) throw changeFormatError(ctx, null, 'number', problem(raw.number, 'a positive integer'), SSH_HINT);
  function fail(field: string, what: string): never {
    throw changeFormatError(ctx, number, field, what, SSH_HINT);
  }
  function text(field: 'project' | 'branch' | 'id' | 'subject', nonEmpty: boolean): string {
    const v = (raw as Record<string, unknown>)[field];
    if (typeof v !== 'string' || (nonEmpty && v === '')) fail(field, problem(v, nonEmpty ? 'a non-empty string' : 'a string'));
    return v;
  }
  function time(value: unknown, field: string): Timestamp {
    const t = parseSshTimestamp(value);
    if (t === null) fail(field, problem(value, SECONDS_EXPECTED));
    return t;
  }

  const project = text('project', true);
  const branch = text('branch', true);
  const changeId = text('id', true);
  const subject = text('subject', false);
  const status = STATUSES.get(raw.status);
  if (status === undefined) fail('status', problem(raw.status, 'one of NEW, MERGED, ABANDONED, DRAFT'));
  const created = time(raw.createdOn, 'createdOn');
  const updated = time(raw.lastUpdated, 'lastUpdated');
  if (!isRecord(raw.owner)) fail('owner', problem(raw.owner, 'an account object'));
  const owner = toAccount(raw.owner) ?? {};

  let rawPatchSets: unknown[];
  let psField = 'patchSets';
  if (raw.patchSets !== undefined) {
    if (!Array.isArray(raw.patchSets)) fail('patchSets', problem(raw.patchSets, 'an array of patch sets (--patch-sets)'));
    rawPatchSets = raw.patchSets;
  } else if (raw.currentPatchSet !== undefined) {
    rawPatchSets = [raw.currentPatchSet];
    psField = 'currentPatchSet';
  } else {
    fail('patchSets', 'is missing: a change needs at least one patch set (export with --patch-sets)');
  }
  if (rawPatchSets.length === 0) fail('patchSets', 'is empty: a change needs at least one patch set (export with --patch-sets)');

  const read: ReadPatchSet[] = [];
  const approvals: DraftApproval[] = [];
  rawPatchSets.forEach((p: unknown, i: number) => {
    const at = psField === 'patchSets' ? `patchSets[${i}]` : psField;
    if (!isRecord(p)) fail(at, problem(p, 'a patch set object'));
    const n = positiveInteger(p.number);
    if (n === null) fail(`${at}.number`, problem(p.number, 'a positive integer'));
    if (typeof p.revision !== 'string' || p.revision === '') fail(`${at}.revision`, problem(p.revision, 'a commit id'));
    const psCreated = time(p.createdOn, `${at}.createdOn`);
    const files = Array.isArray(p.files) ? readFiles(p.files) : null;
    let insertions = 0;
    let deletions = 0;
    if (files !== null) {
      for (const f of files) {
        insertions += f.insertions;
        deletions += f.deletions;
      }
    } else {
      insertions = nonNegative(p.sizeInsertions);
      deletions = nonNegative(p.sizeDeletions);
    }
    read.push({
      files,
      ps: {
        number: n,
        revision: p.revision,
        created: psCreated,
        uploader: toAccount(p.uploader),
        author: toGitPerson(p.author, psCreated),
        kind: KNOWN_KINDS.has(p.kind) ? (p.kind as PatchSetKind) : null,
        insertions,
        deletions,
      },
    });
    if (Array.isArray(p.approvals)) {
      for (const a of p.approvals as unknown[]) {
        if (!isRecord(a) || typeof a.type !== 'string') continue;
        const value = typeof a.value === 'number' ? a.value : typeof a.value === 'string' ? Number.parseInt(a.value, 10) : NaN;
        const grantedAt = parseSshTimestamp(a.grantedOn);
        const voter = toAccount(a.by);
        if (!Number.isInteger(value) || value === 0 || grantedAt === null || voter === null) continue;
        approvals.push({ patchSet: n, label: canonicalLabel(a.type), value, voter, grantedAt });
      }
    }
  });
  let latest = read[0] as ReadPatchSet;
  for (const r of read) if (r.ps.number > latest.ps.number) latest = r;

  const messages: DraftMessage[] = [];
  if (raw.comments !== undefined) {
    if (!Array.isArray(raw.comments)) fail('comments', problem(raw.comments, 'an array of messages (--comments)'));
    raw.comments.forEach((m: unknown, i: number) => {
      if (!isRecord(m)) fail(`comments[${i}]`, problem(m, 'a message object'));
      messages.push({
        author: toAccount(m.reviewer),
        date: time(m.timestamp, `comments[${i}].timestamp`),
        text: typeof m.message === 'string' ? m.message : '',
        tag: null,
        revisionNumber: null,
      });
    });
  }

  return assembleChange({
    core: {
      host: ctx.host,
      project,
      branch,
      number,
      changeId,
      owner,
      subject,
      status,
      workInProgress: raw.wip === true,
      isPrivate: raw.private === true,
      created,
      updated,
      topic: typeof raw.topic === 'string' && raw.topic !== '' ? raw.topic : null,
      hashtags: Array.isArray(raw.hashtags) ? raw.hashtags.filter((h): h is string => typeof h === 'string') : [],
      insertions: latest.ps.insertions,
      deletions: latest.ps.deletions,
      files: latest.files ?? [],
      commitMessage: typeof raw.commitMessage === 'string' ? raw.commitMessage : '',
    },
    submitted: null,
    patchSets: read.map((r) => r.ps),
    messages,
    approvals,
  });
}

/** An SSH account → AccountRef (absent fields omitted); null when the value names no account. */
function toAccount(value: unknown): AccountRef | null {
  if (!isRecord(value)) return null;
  const ref: AccountRef = {};
  if (typeof value.username === 'string') ref.username = value.username;
  if (typeof value.name === 'string') ref.name = value.name;
  if (typeof value.email === 'string') ref.email = value.email;
  return Object.keys(ref).length > 0 ? ref : null;
}

function toGitPerson(value: unknown, date: Timestamp): GitPerson | null {
  if (!isRecord(value)) return null;
  const name = typeof value.name === 'string' ? value.name : '';
  const email = typeof value.email === 'string' ? value.email : '';
  if (name === '' && email === '') return null;
  return { name, email, date };
}

function readFiles(files: unknown[]): FileStat[] {
  const out: FileStat[] = [];
  for (const f of files) {
    if (!isRecord(f) || typeof f.file !== 'string' || isMagicPath(f.file)) continue;
    out.push({ path: f.file, insertions: nonNegative(f.insertions), deletions: nonNegative(f.deletions) });
  }
  return sortFiles(out);
}

function positiveInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    const n = Number(value);
    return n > 0 ? n : null;
  }
  return null;
}

function nonNegative(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.abs(value) : 0;
}
