/**
 * Flat records the core-team reports (reviewers, idle cores, candidates, bandwidth, mentoring)
 * consume: what store queries return and analysis reads, beside those in activity.ts.
 */
import type { ReviewActRecord } from './activity.js';
import type { ChangeStatus, PatchSetKind, Timestamp } from './records.js';

/** A review act with its change's number, so reports can name the changes behind a count. */
export interface TeamActRecord extends ReviewActRecord {
  changeNumber: number;
}

/**
 * Review acts (as {@link TeamActRecord}) as columns: act i is entry i of each column, in the order
 * the loader read them. For a window's 100,000 acts, where an object per act costs a fresh process
 * more (allocation and collection) than reading them. The acts' changes are columns of their own
 * (change k is entry k of each `change…` column), which an act names by index (`change`).
 */
export interface TeamActColumns {
  /** How many acts. */
  length: number;
  /** The act's change: its index in the change columns. */
  change: ArrayLike<number>;
  patchSet: ArrayLike<number>;
  actorId: ArrayLike<number>;
  at: ArrayLike<number>;
  /** A vote's label as its index in `labels`; -1 for a comment-only message. */
  label: ArrayLike<number>;
  labels: readonly string[];
  /** A vote's value; 0 for a comment. */
  value: ArrayLike<number>;
  /** Store ids of the changes. */
  changeId: ArrayLike<number>;
  changeNumber: ArrayLike<number>;
  changeOwnerId: ArrayLike<number>;
  /** The change's project as its index in `projects`. */
  changeProject: ArrayLike<number>;
  projects: readonly string[];
}

/**
 * A Gerrit approval record as `gerrit query --all-approvals` lists it: one person's final,
 * non-zero vote on one label of one patch set, dated by when that vote was cast (`grantedOn`).
 * Votes Gerrit copied to a rebased patch set appear on every patch set they were copied to.
 */
export interface ApprovalRecord {
  changeId: number;
  changeNumber: number;
  project: string;
  patchSet: number;
  label: string;
  value: number;
  voterId: number;
  /** The voter's Gerrit username; null for accounts without one. */
  voterUsername: string | null;
  grantedAt: Timestamp;
  copied: boolean;
}

/**
 * Approval records (as {@link ApprovalRecord}) as columns: record i is entry i of each column. For
 * reads of 100,000 records, where an object per record costs a fresh process more (allocation and
 * collection) than the database spent finding them. The voter's username and the change's number
 * and project are looked up by id where the records are used.
 */
export interface ApprovalColumns {
  /** How many records. */
  length: number;
  changeId: ArrayLike<number>;
  patchSet: ArrayLike<number>;
  /** The label's index in `labels`. */
  label: ArrayLike<number>;
  /** The labels' names; an empty name stands for any label not named (one that only dates its patch set). */
  labels: readonly string[];
  value: ArrayLike<number>;
  voterId: ArrayLike<number>;
  grantedAt: ArrayLike<number>;
}

/** A patch set as reviewstats' change statistics see it. */
export interface PatchSetFacts {
  number: number;
  created: Timestamp;
  kind: PatchSetKind | null;
}

/** A change with what the core-team reports need of it: its fate, patch sets and files. */
export interface ChangeFacts {
  id: number;
  host: string;
  project: string;
  number: number;
  ownerId: number;
  status: ChangeStatus;
  created: Timestamp;
  mergedAt: Timestamp | null;
  abandonedAt: Timestamp | null;
  /** Ascending by number. */
  patchSets: PatchSetFacts[];
  /** Paths of the latest patch set's files. */
  files: string[];
}

/** A review message (a vote with text, or a comment-only review) and its text. */
export interface ReviewMessageText {
  changeId: number;
  patchSet: number;
  authorId: number;
  at: Timestamp;
  text: string;
}

/** A patch set uploaded to a change: the demand side of review bandwidth. */
export interface PatchSetUpload {
  changeId: number;
  changeNumber: number;
  project: string;
  ownerId: number;
  number: number;
  created: Timestamp;
  kind: PatchSetKind | null;
}

/** A tracked mentoring relationship between a core (mentor) and a candidate. Ids are store account ids. */
export interface Mentorship {
  id: number;
  candidateId: number;
  mentorId: number;
  startedAt: Timestamp;
  endedAt: Timestamp | null;
  note: string | null;
  endNote: string | null;
}

/**
 * A core's reviews in counts, for the idle-core report (analysis/core-idle.ts; the store groups
 * them in SQL): reviews in the window (as reviews in a period are counted), reviews by first act in
 * each quarter block, the latest review, and when asked every review's first-act time.
 */
export interface CoreReviewTally {
  accountId: number;
  count: number;
  /** Reviews by first act in each quarter block (analysis/core-idle.ts quarterBlocks), oldest first. */
  quarters: number[];
  last: { at: number; changeNumber: number | null } | null;
  /** Every review's first-act time, ascending; present (non-null) when count < the threshold (below since needs it). */
  times: readonly number[] | null;
}
