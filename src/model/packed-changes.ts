/**
 * A batch of ChangeRecords packed as flat arrays, one per kind of child record, for moving many
 * changes cheaply between threads and into the store.
 *
 * Why: an import parses on a worker thread and writes on the main thread. Structured clone of
 * record objects re-sends every property name and rebuilds every object on the receiving side; for
 * the 100,000-change bench export that cost about 200 µs per change on the writing thread, more
 * than SQLite's own work. Flat arrays of numbers and strings cost a fifth of that, and the store
 * binds them straight into multi-row statements.
 *
 * Layout: each array holds its records one after another, `*_FIELDS.length` values per record,
 * in the order the field lists below give. Accounts are named by their position in `accounts`
 * (−1: none) and changes by their position in the batch, so the store resolves each once per batch.
 * Flags are 0/1. Field order follows the store's columns, so writing a record is a copy.
 */
import type { AccountRef, ChangeRecord, CiBuild, SourceFormat, Timestamp } from './records.js';

export const PACKED_CHANGE_FIELDS = [
  'host',
  'project',
  'branch',
  'number',
  'changeId',
  'owner',
  'subject',
  'status',
  'workInProgress',
  'isPrivate',
  'created',
  'updated',
  'submitted',
  'mergedAt',
  'abandonedAt',
  'topic',
  'hashtagsJson',
  'insertions',
  'deletions',
  'filesCount',
  'commitMessage',
  'format',
  'contentHash',
] as const;
export const PACKED_PATCH_SET_FIELDS = [
  'change',
  'number',
  'revision',
  'created',
  'uploader',
  'authorName',
  'authorEmail',
  'authorDate',
  'kind',
  'insertions',
  'deletions',
] as const;
export const PACKED_VOTE_FIELDS = ['change', 'patchSet', 'label', 'value', 'voter', 'grantedAt', 'origin', 'copied', 'selfVote'] as const;
export const PACKED_MESSAGE_FIELDS = ['change', 'seq', 'patchSet', 'author', 'date', 'kind', 'tag', 'text'] as const;
export const PACKED_FILE_FIELDS = ['change', 'path', 'insertions', 'deletions'] as const;
export const PACKED_LINK_FIELDS = ['change', 'kind', 'target'] as const;
/**
 * One CI report: the builds one review message reported, which share the message's patch set,
 * pipeline, date and author. `jobs` is their JSON (PACKED_CI_JOB_FIELDS per build, in message
 * order), built here on the parsing thread so the writer binds one string per report.
 */
export const PACKED_CI_REPORT_FIELDS = ['change', 'messageSeq', 'patchSet', 'pipeline', 'reportedAt', 'reporter', 'jobs'] as const;
/** The fields of each build in a report's `jobs` array (voting 0/1, duration in seconds or null). */
export const PACKED_CI_JOB_FIELDS = ['job', 'result', 'voting', 'durationSeconds', 'logUrl'] as const;

/** Positions in a packed change of the fields the store reads to decide what to write. */
export const PACKED_CHANGE = { number: 3, owner: 5, updated: 11, contentHash: 22 } as const;

/** Child records: which field names the change, and which fields name accounts. */
export interface ChildLayout {
  readonly width: number;
  readonly change: 0;
  readonly accounts: readonly number[];
}

export const PACKED_CHILDREN = {
  patchSets: { width: PACKED_PATCH_SET_FIELDS.length, change: 0, accounts: [4] },
  votes: { width: PACKED_VOTE_FIELDS.length, change: 0, accounts: [4] },
  messages: { width: PACKED_MESSAGE_FIELDS.length, change: 0, accounts: [3] },
  files: { width: PACKED_FILE_FIELDS.length, change: 0, accounts: [] },
  links: { width: PACKED_LINK_FIELDS.length, change: 0, accounts: [] },
  ciReports: { width: PACKED_CI_REPORT_FIELDS.length, change: 0, accounts: [5] },
} as const satisfies Record<string, ChildLayout>;

export type PackedChildKind = keyof typeof PACKED_CHILDREN;

export interface PackedChanges {
  host: string;
  format: SourceFormat;
  /** Number of changes in the batch. */
  count: number;
  /** Every distinct account ref the batch names (identical refs once). */
  accounts: AccountRef[];
  /**
   * For change k, the accounts it names, in the order owner, uploaders, voters, message authors,
   * CI reporters (each once): `changeAccounts[changeAccountsStart[k] … changeAccountsStart[k + 1])`.
   */
  changeAccounts: number[];
  changeAccountsStart: number[];
  changes: unknown[];
  patchSets: unknown[];
  votes: unknown[];
  messages: unknown[];
  files: unknown[];
  links: unknown[];
  ciReports: unknown[];
  /** For change k, how many CI builds its reports hold. */
  ciBuildCounts: number[];
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

/**
 * When the change merged: Gerrit's `submitted`, else the last "Change has been successfully
 * merged" message, else `updated`. When it was last abandoned: the last "Abandoned" message, else
 * `updated`. Null unless the status says so.
 */
export function changeEndDates(r: ChangeRecord): { mergedAt: Timestamp | null; abandonedAt: Timestamp | null } {
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

const b = (x: boolean): number => (x ? 1 : 0);

const sameAccount = (x: AccountRef | null, y: AccountRef | null): boolean =>
  x === y ||
  (x !== null && y !== null && x.accountId === y.accountId && x.username === y.username && x.name === y.name && x.email === y.email);

/** Whether two builds belong to one report row: same message, patch set, pipeline, time and reporter. */
function sameReport(x: CiBuild, y: CiBuild): boolean {
  return (
    x.messageSeq === y.messageSeq &&
    x.patchSet === y.patchSet &&
    x.pipeline === y.pipeline &&
    x.reportedAt === y.reportedAt &&
    sameAccount(x.reporter, y.reporter)
  );
}

/**
 * Packs `records` (all of host `host`) into flat arrays. Duplicate file paths and links of one change
 * are kept once (the first), as the store keys them.
 */
export function packChanges(records: readonly ChangeRecord[], host: string, format: SourceFormat): PackedChanges {
  const packer = new ChangePacker(host, format);
  for (const r of records) packer.add(r);
  return packer.take();
}

/**
 * Packs records one at a time (so that each record can be dropped as soon as it is packed), then
 * hands the batch over with `take`, ready for the next one.
 */
export class ChangePacker {
  private batch!: PackedChanges;
  private readonly accountIndex = new Map<string, number>();
  private readonly byAccountId = new Map<number, number[]>();
  private named = new Set<number>();

  constructor(
    readonly host: string,
    readonly format: SourceFormat,
  ) {
    this.reset();
  }

  get count(): number {
    return this.batch.count;
  }

  private reset(): void {
    this.batch = {
      host: this.host,
      format: this.format,
      count: 0,
      accounts: [],
      changeAccounts: [],
      changeAccountsStart: [0],
      changes: [],
      patchSets: [],
      votes: [],
      messages: [],
      files: [],
      links: [],
      ciReports: [],
      ciBuildCounts: [],
    };
    this.accountIndex.clear();
    this.byAccountId.clear();
  }

  /** The batch packed so far; the packer starts a new one. */
  take(): PackedChanges {
    const out = this.batch;
    this.reset();
    return out;
  }

  // Identical refs (same fields, same values) share one entry. Refs with an account id (every REST
  // ref) are matched by id first, then compared, which allocates no key.
  private indexOf(ref: AccountRef): number {
    const accounts = this.batch.accounts;
    if (ref.accountId != null) {
      let list = this.byAccountId.get(ref.accountId);
      if (list === undefined) this.byAccountId.set(ref.accountId, (list = []));
      for (const k of list) {
        const a = accounts[k]!;
        if (a.username === ref.username && a.name === ref.name && a.email === ref.email) return k;
      }
      list.push(accounts.length);
    } else {
      const key = `${ref.username === undefined ? '-' : `+${ref.username}`}\u0000${ref.name === undefined ? '-' : `+${ref.name}`}\u0000${ref.email === undefined ? '-' : `+${ref.email}`}`;
      const k = this.accountIndex.get(key);
      if (k !== undefined) return k;
      this.accountIndex.set(key, accounts.length);
    }
    accounts.push(ref);
    return accounts.length - 1;
  }

  // −1 for a ref that names nobody (no id, username, email or name).
  private account(ref: AccountRef | null): number {
    if (!ref || (ref.accountId == null && !ref.username && !ref.email && !ref.name)) return -1;
    const k = this.indexOf(ref);
    if (!this.named.has(k)) {
      this.named.add(k);
      this.batch.changeAccounts.push(k);
    }
    return k;
  }

  add(r: ChangeRecord): void {
    if (r.host !== this.host) throw new Error(`record for host ${r.host} packed for host ${this.host}`);
    const { changes, patchSets, votes, messages, files, links, ciReports } = this.batch;
    const ci = this.batch.count;
    const format = this.format;
    this.named = new Set();
    const { mergedAt, abandonedAt } = changeEndDates(r);
    const owner = this.account(r.owner);
    changes.push(
      r.host,
      r.project,
      r.branch,
      r.number,
      r.changeId,
      owner,
      r.subject,
      r.status,
      b(r.workInProgress),
      b(r.isPrivate),
      r.created,
      r.updated,
      r.submitted,
      mergedAt,
      abandonedAt,
      r.topic,
      JSON.stringify(r.hashtags),
      r.insertions,
      r.deletions,
      r.files.length,
      r.commitMessage,
      format,
      contentHash(r, format),
    );
    for (const p of r.patchSets) {
      patchSets.push(
        ci,
        p.number,
        p.revision,
        p.created,
        this.account(p.uploader),
        p.author?.name ?? null,
        p.author?.email ?? null,
        p.author?.date ?? null,
        p.kind,
        p.insertions,
        p.deletions,
      );
    }
    for (const v of r.votes)
      votes.push(ci, v.patchSet, v.label, v.value, this.account(v.voter), v.grantedAt, v.origin, b(v.copied), b(v.selfVote));
    for (const m of r.messages) messages.push(ci, m.seq, m.patchSet, this.account(m.author), m.date, m.kind, m.tag, m.text);
    const seenPaths = new Set<string>();
    for (const f of r.files) {
      if (seenPaths.has(f.path)) continue;
      seenPaths.add(f.path);
      files.push(ci, f.path, f.insertions, f.deletions);
    }
    const seenLinks = new Set<string>();
    for (const l of r.links) {
      const k = `${l.kind}\u0000${l.target}`;
      if (seenLinks.has(k)) continue;
      seenLinks.add(k);
      links.push(ci, l.kind, l.target);
    }
    // Consecutive builds of one message make one report (a message reports one pipeline run).
    for (let i = 0; i < r.ciBuilds.length;) {
      const first = r.ciBuilds[i]!;
      const jobs: unknown[] = [];
      let j = i;
      for (; j < r.ciBuilds.length; j++) {
        const c = r.ciBuilds[j]!;
        if (j > i && !sameReport(first, c)) break;
        jobs.push([c.job, c.result, b(c.voting), c.durationSeconds, c.logUrl]);
      }
      ciReports.push(
        ci,
        first.messageSeq,
        first.patchSet,
        first.pipeline,
        first.reportedAt,
        this.account(first.reporter),
        JSON.stringify(jobs),
      );
      i = j;
    }
    this.batch.ciBuildCounts.push(r.ciBuilds.length);
    this.batch.changeAccountsStart.push(this.batch.changeAccounts.length);
    this.batch.count += 1;
  }
}
