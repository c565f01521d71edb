/**
 * The review-flow view of a change: its patch sets, every vote and the few message events that
 * move it between "waiting on reviewers", "waiting on the author", "waiting on CI" and "work in
 * progress". Store queries (store/queries/flow.ts) produce these; the queue, waits and dashboard
 * analyses (analysis/queue-state.ts is the one definition of the waiting states) consume them.
 *
 * Times are epoch milliseconds (UTC); accounts are store account ids.
 */
import type { ChangeStatus, Link, MessageKind, Timestamp } from './records.js';

export interface FlowPatchSet {
  number: number;
  created: Timestamp;
}

/** One vote as cast (a changed vote is two records; a removed vote has value 0). */
export interface FlowVote {
  patchSet: number;
  label: string;
  value: number;
  voterId: number;
  at: Timestamp;
  /** Carried over by Gerrit from an earlier patch set: in effect from the patch set's creation. */
  copied: boolean;
}

/**
 * What a message does to the flow, read from its text or tag by the store query:
 * - `wip-on` / `wip-off`: "Set Work In Progress", "Set Ready For Review";
 * - `abandoned` / `restored`: the change was abandoned or restored;
 * - `recheck`: a comment whose text starts a line with "recheck" (asks CI to run again);
 * - null: nothing the flow cares about (comments still count as comment-only reviews).
 */
export type FlowMessageEvent = 'wip-on' | 'wip-off' | 'abandoned' | 'restored' | 'recheck' | null;

export interface FlowMessage {
  seq: number;
  patchSet: number | null;
  authorId: number | null;
  at: Timestamp;
  kind: MessageKind;
  event: FlowMessageEvent;
}

export interface FlowFile {
  path: string;
  insertions: number;
  deletions: number;
}

export interface FlowChange {
  /** Store id. */
  id: number;
  host: string;
  project: string;
  branch: string;
  number: number;
  subject: string;
  ownerId: number;
  status: ChangeStatus;
  /** Gerrit's work-in-progress flag as it is now. */
  workInProgress: boolean;
  created: Timestamp;
  updated: Timestamp;
  mergedAt: Timestamp | null;
  abandonedAt: Timestamp | null;
  topic: string | null;
  hashtags: string[];
  /** Lines inserted and deleted by the latest patch set. */
  insertions: number;
  deletions: number;
  /** The latest commit message has a `TrivialFix` line. */
  trivialFix: boolean;
  /** The full latest commit message when the query loaded it, else null. */
  commitMessage: string | null;
  /** Ascending by number. */
  patchSets: FlowPatchSet[];
  /** In no particular order (every rule reads them by time). */
  votes: FlowVote[];
  /** Ascending by seq; see `messagesComplete`. */
  messages: FlowMessage[];
  /**
   * False when only the messages a report needs were loaded (the queue loads comments only for
   * changes without a human vote, and rechecks only where CI failed); true for full histories.
   */
  messagesComplete: boolean;
  /** Files of the latest patch set, when loaded. */
  files: FlowFile[] | null;
  links: Link[];
}

/** A stored Gerrit host: `url` builds change links as `${url}/c/${project}/+/${number}`. */
export interface HostInfo {
  name: string;
  url: string | null;
}

/** The web link of a change, or null when the host's URL is unknown. */
export function changeUrl(hostUrl: string | null | undefined, project: string, number: number): string | null {
  return hostUrl ? `${hostUrl.replace(/\/+$/, '')}/c/${project}/+/${number}` : null;
}
