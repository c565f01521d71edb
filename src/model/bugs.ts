/**
 * Bugs and blueprints as Launchpad keeps them (issue 15): a bug task (a bug's state on one project
 * or series), the bug itself (information type, duplicate, heat, tags) and a blueprint. Times are
 * epoch milliseconds (UTC); people are Launchpad names (`~name` without the tilde).
 *
 * The vocabularies are Launchpad's own words, closed sets: a word outside them is an error of the
 * page that carries it (the parser says which entry), not a value to guess at.
 */
import type { ReviewActRecord } from './activity.js';

/** Launchpad's bug task statuses, as its web service spells them. */
export const BUG_STATUSES = [
  'New',
  'Incomplete',
  'Incomplete (with response)',
  'Incomplete (without response)',
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Confirmed',
  'Triaged',
  'In Progress',
  'Deferred',
  'Fix Committed',
  'Fix Released',
  'Does Not Exist',
  'Unknown',
] as const;
export type BugStatus = (typeof BUG_STATUSES)[number];

/** Statuses of a task that is finished: fixed, or closed without a fix. Every other status is open. */
export const CLOSED_BUG_STATUSES: ReadonlySet<BugStatus> = new Set<BugStatus>([
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Fix Committed',
  'Fix Released',
  'Does Not Exist',
]);

/** Statuses that mean a fix merged (Fix Committed) or shipped (Fix Released). */
export const FIXED_BUG_STATUSES: ReadonlySet<BugStatus> = new Set<BugStatus>(['Fix Committed', 'Fix Released']);

/** Launchpad's importances, most important first. */
export const BUG_IMPORTANCES = ['Critical', 'High', 'Medium', 'Low', 'Wishlist', 'Undecided', 'Unknown'] as const;
export type BugImportance = (typeof BUG_IMPORTANCES)[number];

/** Launchpad's information types. Every type but Public is restricted or security-sensitive. */
export const INFORMATION_TYPES = ['Public', 'Public Security', 'Private Security', 'Private', 'Proprietary', 'Embargoed'] as const;
export type InformationType = (typeof INFORMATION_TYPES)[number];

/** Bugs a reader sees only as totals unless allowed (`bugs.private.read`): everything but Public. */
export function isRestrictedBug(type: InformationType): boolean {
  return type !== 'Public';
}

export function isOpenStatus(status: BugStatus): boolean {
  return !CLOSED_BUG_STATUSES.has(status);
}

/** The dates Launchpad keeps on a bug task (epoch ms, null when it never happened). */
export interface BugTaskDates {
  created: number;
  assigned: number | null;
  confirmed: number | null;
  triaged: number | null;
  inProgress: number | null;
  fixCommitted: number | null;
  fixReleased: number | null;
  closed: number | null;
  leftNew: number | null;
  incomplete: number | null;
  /** When the task last left a closed status (a reopening), as Launchpad records it. */
  leftClosed: number | null;
  deferred: number | null;
}

/** A bug's state on one project (series null) or one of its series. */
export interface BugTask {
  /** The task's self link: its identity. */
  selfLink: string;
  bug: number;
  /** The project name, e.g. `nova`. */
  project: string;
  /** The series for a series task (`nova/zed` → `zed`), else null. */
  series: string | null;
  status: BugStatus;
  importance: BugImportance;
  assignee: string | null;
  /** The milestone name, e.g. `2023.1`. */
  milestone: string | null;
  title: string;
  dates: BugTaskDates;
}

export interface Bug {
  id: number;
  title: string;
  tags: string[];
  informationType: InformationType;
  duplicateOf: number | null;
  heat: number;
  messageCount: number;
  owner: string | null;
  createdAt: number;
  lastUpdatedAt: number;
  /** The last comment's time (null when Launchpad gives none). */
  lastMessageAt: number | null;
}

/** A blueprint (Launchpad "specification"). */
export interface Blueprint {
  selfLink: string;
  project: string;
  name: string;
  title: string;
  definitionStatus: string;
  implementationStatus: string;
  lifecycleStatus: string;
  priority: string;
  /** The series it is a goal of, e.g. `zed` (proposed or accepted). */
  seriesGoal: string | null;
  /**
   * Whether the series' drivers accepted the goal (Launchpad's `has_accepted_goal`, "Series goal is
   * accepted"): false for a goal only proposed, or declined, and for no goal; null when the page did not say.
   */
  seriesGoalAccepted: boolean | null;
  milestone: string | null;
  assignee: string | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

/** What a page of Launchpad data held, parsed. */
export interface LaunchpadRecords {
  tasks: BugTask[];
  bugs: Bug[];
  blueprints: Blueprint[];
}

/** A Gerrit change that names a bug, with the fields the bug reports read. */
export interface BugChangeRef {
  bug: number;
  /** How it names it: closes-bug, partial-bug, related-bug, topic-bug. */
  kind: string;
  host: string;
  number: number;
  project: string;
  branch: string;
  status: string;
  owner: string | null;
  subject: string;
  created: number;
  updated: number;
  mergedAt: number | null;
  abandonedAt: number | null;
  insertions: number;
  deletions: number;
  hashtags: string[];
  topic: string | null;
  /** The last human message on an abandoned change (why it was abandoned, when a reviewer said). */
  abandonReason: string | null;
}

/** A commit of a synced history that names a bug. */
export interface BugCommitRef {
  bug: number;
  kind: string;
  repo: string;
  sha: string;
  subject: string;
  committedAt: number;
  changeKey: string | null;
  mainline: boolean;
}

/** Everything the bug reports read: tasks, bugs, blueprints, and the changes and commits naming the bugs. */
export interface BugData {
  tasks: BugTask[];
  bugs: Bug[];
  blueprints: Blueprint[];
  changes: BugChangeRef[];
  commits: BugCommitRef[];
}

/** A Gerrit change as the rota report reads it (merged in the window, or open now). */
export interface RotaChange {
  host: string;
  number: number;
  project: string;
  subject: string;
  /** NEW, MERGED. */
  status: string;
  wip: boolean;
  owner: string | null;
  created: number;
  mergedAt: number | null;
  /** Insertions + deletions. */
  delta: number;
  /** Bugs it names (Closes-Bug, Partial-Bug, a bug/N topic). */
  bugs: number[];
  /**
   * Read only for small changes (delta ≤ the rota's limit); empty otherwise. With the loader's
   * `neverPaths`, only its files under them (what the trivial test reads).
   */
  files: string[];
  /** Whether its commit message has the trivial tag on a line of its own (small changes only). */
  tagged: boolean;
  /** Who approved it (last Workflow +1, else last Code-Review +2); small changes only. */
  approver: string | null;
}

/**
 * What the rota reads of a bug its changes name, one per project task of the bug (duplicates left
 * out, as analysis/bugs-common.ts bugItems): the task's importance, when it last left a closed
 * status, and whether the bug is restricted.
 */
export interface RotaBugTask {
  bug: number;
  importance: BugImportance;
  leftClosed: number | null;
  restricted: boolean;
}

/** A rota member's Gerrit account (one username may have an account on several hosts). */
export interface RotaMemberAccount {
  id: number;
  host: string;
  gerritId: number | null;
  username: string;
  name: string | null;
  email: string | null;
}

/**
 * A revert and the change it reverts, when its commit message names the commit: a merged
 * `Revert "…"` Gerrit change, or a `Revert "…"` commit of the code history (`steward git sync`;
 * `number` null when no Gerrit change carries its Change-Id, `sha` its commit).
 */
export interface RotaRevert {
  host: string;
  number: number | null;
  /** The revert commit, for one read from the code history. */
  sha?: string;
  project: string;
  /** The reverted subject (inside the quotes). */
  subject: string;
  mergedAt: number;
  /** The change whose patch set is the commit named by "This reverts commit SHA.", when found. */
  reverted: { host: string; number: number } | null;
}

export interface RotaData {
  changes: RotaChange[];
  /** The members' accounts. */
  accounts: RotaMemberAccount[];
  /**
   * The members' reviewing acts since `reviewsSince` on changes they do not own (votes that are not
   * copies, comment-only review messages): grouped into reviews by analysis/reviews.ts.
   */
  acts: ReviewActRecord[];
  reverts: RotaRevert[];
  /**
   * The merged changes of the window (merged by `until`) too large for the trivial path, counted in
   * SQL rather than listed in `changes` (when loadRotaData is given `until`): how many, how many
   * name a bug, how many name a bug that later left a closed status. None of them is a revert or
   * reverted: those are listed in `changes`, whatever their size.
   */
  large?: { merged: number; bugFixes: number; reopened: number };
}

/**
 * The overview's bugs line (docs/bugs.md "Overview"): counts over **public** bugs only (the
 * overview is cached once for every reader), project tasks, duplicates left out.
 */
export interface BugsOverview {
  /** The Launchpad projects counted. */
  projects: string[];
  /** Always "public": restricted bugs are not in these counts. */
  counts: 'public';
  open: number;
  /** Open in status New. */
  untriaged: number;
  /** In Progress, and no open or merged Gerrit change names it (Closes-Bug, Partial-Bug, bug/N topic). */
  inProgressNoOpenChange: number;
}

/**
 * Every project task's state as the backlog's counts, ages, times and weekly series read it, one
 * column each (entry i of every column is one task; duplicates are left out before): numbers only,
 * with the definitions of analysis/bugs-common.ts applied (a null time is -1).
 */
export interface BacklogStates {
  bug: Float64Array;
  /** Index in BUG_STATUSES. */
  status: Float64Array;
  /** Index in BUG_IMPORTANCES. */
  importance: Float64Array;
  /** Index in INFORMATION_TYPES of the bug's type; -1 when the store has no bug record (not restricted). */
  informationType: Float64Array;
  created: Float64Array;
  /** When the task left New (bugs-common.ts leftNewAt), -1 when it has not. */
  leftNewAt: Float64Array;
  /** When the task was closed (bugs-common.ts closedAt), -1 when it is open. */
  closedAt: Float64Array;
  /** 1 when the task has a fix time (bugs-common.ts fixedAt), else 0. */
  fixed: Float64Array;
}

/** Open project tasks whose bug has tags, counted by the bug's tags (as stored: one space between), type and importance. */
export interface BacklogTagGroup {
  tags: string;
  informationType: InformationType;
  importance: BugImportance;
  /** The tasks' creation times (epoch ms), in no order. */
  created: number[];
}

/**
 * What the backlog reads: every project task's state, the open tasks by their bug's tags, and the
 * full records (tasks, bugs, the changes naming them) of the bugs its lists may name — the open
 * In Progress bugs and the open bugs a merged change closes.
 */
export interface BacklogData {
  /** The projects of every task (those of `states` may be fewer: a loader may leave out tasks that count nowhere). */
  projects: string[];
  states: BacklogStates;
  openTags: BacklogTagGroup[];
  listed: Pick<BugData, 'tasks' | 'bugs' | 'changes'>;
}

/** Who fixed bugs with a given tags string: `fixes` project tasks, each fixed by a merged change `who` owned. */
export interface TagFixer {
  tags: string[];
  who: string;
  fixes: number;
}

/**
 * What the targets report reads: the open high-importance bugs' tasks, bugs and changes (with the
 * bugs that are duplicates of them), and who fixed bugs of each tag within the window.
 */
export interface TargetsData {
  candidates: Pick<BugData, 'tasks' | 'bugs' | 'changes'>;
  fixers: TagFixer[];
}
