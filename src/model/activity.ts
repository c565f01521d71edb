/**
 * Flat records that store queries return and analysis consumes: the shape of the data as reports
 * need it, without the store's ids leaking into analysis beyond opaque account numbers.
 */
import type { ChangeStatus, MessageKind, Timestamp } from './records.js';

/** A stored account, identified by the store's own id (`id`) plus what Gerrit calls it. */
export interface AccountInfo {
  id: number;
  host: string;
  gerritId: number | null;
  username: string | null;
  name: string | null;
  email: string | null;
}

/** A change's life in dates, enough to replay "was it open at time T?". */
export interface ChangeTimeline {
  /** Store id. */
  id: number;
  host: string;
  project: string;
  branch: string;
  number: number;
  subject: string;
  ownerId: number;
  status: ChangeStatus;
  workInProgress: boolean;
  created: Timestamp;
  /** When it merged: Gerrit's `submitted`, else (SSH imports) the merge message's date. */
  mergedAt: Timestamp | null;
  /** When it was last abandoned: the date of its last "Abandoned" message, else `updated`. */
  abandonedAt: Timestamp | null;
  /** Creation time of every patch set, ascending. */
  patchSetCreated: Timestamp[];
  insertions: number;
  deletions: number;
}

/**
 * One act on a change by someone: a vote (one label on one patch set) or a review message
 * without a vote. Copied votes are not acts (nobody acted) and are never returned as such.
 */
export interface ReviewActRecord {
  changeId: number;
  project: string;
  changeOwnerId: number;
  patchSet: number;
  actorId: number;
  at: Timestamp;
  /** `vote` for a vote; `comment` for a comment-only review message. */
  type: 'vote' | 'comment';
  label: string | null;
  value: number | null;
  selfVote: boolean;
}

/**
 * The reviews of a period in counts (analysis/reviews.ts defines a review), per person who acted
 * (store id, ascending): their reviews, how many of them carry no vote, and their self-votes (votes
 * on their own changes, one per change, patch set and label). What the overview needs of the
 * reviews, grouped by the store.
 */
export interface ReviewTally {
  byActor: Array<{ actorId: number; reviews: number; commentOnly: number; selfVotes: number }>;
}

export interface CiBuildRecord {
  changeId: number;
  project: string;
  patchSet: number;
  pipeline: string | null;
  job: string;
  result: string;
  voting: boolean;
  durationSeconds: number | null;
  reportedAt: Timestamp;
  reporterId: number | null;
}

/** How many job results of one pipeline, voting or not, had one result (the overview's CI line). */
export interface CiResultCount {
  pipeline: string | null;
  voting: boolean;
  result: string;
  runs: number;
}

export interface MessageRecord {
  changeId: number;
  seq: number;
  patchSet: number | null;
  authorId: number | null;
  date: Timestamp;
  kind: MessageKind;
}

/** Membership of a Gerrit group as seen at `takenAt` and confirmed unchanged until `checkedAt`. */
export interface GroupSnapshot {
  takenAt: Timestamp;
  checkedAt: Timestamp;
  groupUuid: string | null;
  /** Store account ids. */
  memberIds: number[];
}
