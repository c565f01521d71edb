/**
 * Code history records: commits of a git repository's main branch, how they landed on it, and the
 * blueprints and bugs they name (`steward git sync`, docs/getting-data.md "Code history").
 */
import type { Link } from './records.js';

/**
 * How a commit or change names a blueprint, strongest first (see sources/links/blueprint-refs.ts):
 * an `Implements:` trailer, a `Partially-Implements:` trailer, a `Related-Blueprint:` trailer
 * (related work, not implementation: the only kind that does not make the commit part of the
 * blueprint's code), a `bp/NAME` Gerrit topic, or a mention (`blueprint NAME`, `bp NAME`, a
 * Launchpad `+spec/NAME` URL) anywhere in the message.
 */
export type BlueprintRefKind = 'implements' | 'partially-implements' | 'related' | 'topic' | 'mention';

export interface BlueprintRef {
  /** The blueprint name, lower-cased (Launchpad names are case-insensitive). */
  name: string;
  kind: BlueprintRefKind;
}

/** One commit as read from `git log`. Times are epoch milliseconds (git keeps whole seconds). */
export interface GitCommit {
  sha: string;
  /** Parent hashes in order: the first parent is the branch the commit was made on. */
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committerName: string;
  committerEmail: string;
  committedAt: number;
  /** The first paragraph of the message on one line (as git's %s). */
  subject: string;
  /** The whole commit message. */
  message: string;
  /** The last `Change-Id: I…` trailer (Gerrit's), or null. */
  changeId: string | null;
  /** Closes-Bug / Partial-Bug / Related-Bug links (and the older variants extractLinks reads). */
  bugs: Link[];
  blueprints: BlueprintRef[];
}

/**
 * How a commit reached the main branch:
 * - `merge`: brought in by a landing merge (a merge made by the CI/review system — Gerrit's
 *   `Merge "…"`, Tarmac, GitHub — on the main line); landed at that merge's commit time;
 * - `direct`: the main line moved onto a commit that is not a landing merge (a fast-forward, a
 *   push, a merge made by hand); landed at that commit's commit time, the earliest it can have
 *   landed (git does not record when a branch moved; Gerrit's merge time is exact when synced).
 */
export type LandingKind = 'merge' | 'direct';

export interface CommitLanding {
  /** The main-line commit that brought this commit into the branch (itself when on the main line). */
  landedBy: string;
  /** The commit time of `landedBy` (epoch ms). */
  landedAt: number;
  kind: LandingKind;
  /** Whether the commit is itself on the reconstructed main line. */
  mainline: boolean;
}

/**
 * A non-merge commit of a synced branch as the code history report reads it (`steward history`).
 * Times are epoch ms.
 */
export interface HistoryCommit {
  repo: string;
  sha: string;
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  /** When it landed on the main branch (sources/git/landing.ts). */
  landedAt: number;
  landing: LandingKind;
  /**
   * Brought to the main branch by a release-tag merge (a `Merge tag '…'` commit among what its
   * landing brought in): the stable branch's work coming back, not new work on the main branch.
   */
  backport: boolean;
  /** It names a bug (Closes-Bug, Partial-Bug, Related-Bug and their variants; sources/links/links.ts). */
  namesBug: boolean;
  /** It names a blueprint in any form (sources/links/blueprint-refs.ts). */
  namesBlueprint: boolean;
  /** The Gerrit Change-Id trailer, or null. */
  changeId: string | null;
}

/**
 * The code history's non-merge commits as columns, one entry per commit in landing-time order
 * (store/queries/code-history.ts `loadHistoryColumns`; analysis/code-history.ts reads it): the
 * reports over tens of thousands of commits read typed arrays, not one object per commit.
 */
export interface HistoryColumns {
  length: number;
  /** Landing time (epoch ms). */
  landedAt: Float64Array;
  /** Author date (epoch ms). */
  authoredAt: Float64Array;
  /** Index into `authors` of each commit's author (address key and name). */
  author: Int32Array;
  /** Per commit: HISTORY_FLAGS bits. */
  flags: Uint8Array;
  /** The distinct (address key, name) pairs: the key is the address trimmed and lower-cased. */
  authors: ReadonlyArray<{ key: string; name: string }>;
  /** Each commit's Change-Id trailer, when asked for (the review side); else null. */
  changeId: ReadonlyArray<string | null> | null;
}

/** The bits of HistoryColumns.flags. */
export const HISTORY_FLAGS = { backport: 1, direct: 2, bug: 4, blueprint: 8 } as const;
