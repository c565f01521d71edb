/**
 * The demo generator's ground truth: one synthetic Gerrit change with everything both export
 * formats need. `toRestChange` and `toSshChange` (demo-export.ts) only render these records, so the
 * two formats cannot disagree about what happened.
 *
 * Times are epoch milliseconds, always whole seconds (both Gerrit formats carry seconds).
 */
import type { PatchSetKind } from '../model/records.js';

/** A Gerrit account as both formats name it (REST adds the numeric id, SSH drops it). */
export interface DemoAccount {
  accountId: number;
  username: string;
  name: string;
  email: string;
}

/**
 * What a person does in the demo world. `strong` is the planted strong non-core reviewer,
 * `gamer` the planted drive-by +1 voter; `pile-on` (+1 "LGTM" an hour after a core's +2),
 * `nit-spammer` (−1 "nit" on first patch sets) and `careful` (few changes, before the cores, with
 * reasons) are the planted reviewers a candidate score must not be gamed by; `bot` the CI accounts.
 */
export type DemoRole = 'core' | 'strong' | 'gamer' | 'pile-on' | 'nit-spammer' | 'careful' | 'regular' | 'newcomer' | 'author' | 'bot';

export interface DemoPerson extends DemoAccount {
  role: DemoRole;
  /** Tree areas (directory prefixes) the person knows best. */
  areas: string[];
  /** Relative weight when picking reviewers. 0 = never reviews. */
  reviewWeight: number;
  /** Relative weight when picking change owners. 0 = never authors. */
  authorWeight: number;
  /** Nothing by this person happens before this time. */
  joined: number;
  /** From this time the person (an idle core) nearly stops reviewing; null = never idle. */
  idleFrom: number | null;
}

export type DemoLabel = 'Code-Review' | 'Verified' | 'Workflow';

/** A vote as written in a review message; value 0 is a removal ("-Code-Review"). */
export interface DemoVote {
  label: DemoLabel;
  value: number;
}

/** A file of a patch set, without Gerrit's magic /COMMIT_MSG (the renderers add it). */
export interface DemoFile {
  path: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  insertions: number;
  deletions: number;
}

export interface DemoPatchSet {
  number: number;
  revision: string;
  parents: string[];
  created: number;
  uploader: DemoAccount;
  kind: PatchSetKind;
  /** Git author; the author date stays that of the first upload, as `git commit --amend` keeps it. */
  author: DemoAccount;
  authorDate: number;
  commitMessage: string;
  files: DemoFile[];
  insertions: number;
  deletions: number;
}

/** One job's line in a CI report. */
export interface DemoBuild {
  job: string;
  result: string;
  voting: boolean;
  durationSeconds: number;
  url: string;
}

export type DemoMessageKind = 'upload' | 'review' | 'comment' | 'ci-report' | 'system';

export interface DemoMessage {
  seq: number;
  /** NoteDb-style 40-hex message id. */
  id: string;
  date: number;
  author: DemoAccount;
  patchSet: number;
  /** Exactly as Gerrit stores it ("Patch Set 3: Code-Review+2 Workflow+1"). */
  text: string;
  /** REST `tag`; null for untagged messages (humans, old-style third-party CI). */
  tag: string | null;
  kind: DemoMessageKind;
  votes: DemoVote[];
  /** Set on CI reports: pipeline (null for the old Jenkins form) and job lines. */
  ci: { pipeline: string | null; builds: DemoBuild[] } | null;
}

/** The final vote of one account on one label of one patch set (what Gerrit stores as approval). */
export interface DemoApproval {
  patchSet: number;
  label: DemoLabel;
  value: number;
  voter: DemoAccount;
  granted: number;
  /** Gerrit copied it from the previous patch set (trivial rebase / no code change). */
  copied: boolean;
  /** The tag of the message that cast it (Zuul's votes carry one). */
  tag: string | null;
}

/**
 * How the story of a change was meant to end. Changes created close to `now` may not have got
 * there yet; `status` says what did happen.
 */
export type DemoFate =
  'merge' | 'abandon-author' | 'abandon-auto' | 'stall-wip' | 'stall-author' | 'stall-unreviewed' | 'stall-one-short' | 'stall-blocked';

export type DemoPurpose = 'bug' | 'feature' | 'trivial' | 'docs' | 'tests' | 'cleanup' | 'backport';

export interface DemoChange {
  host: string;
  project: string;
  branch: string;
  number: number;
  changeId: string;
  owner: DemoAccount;
  subject: string;
  topic: string | null;
  status: 'NEW' | 'MERGED' | 'ABANDONED';
  workInProgress: boolean;
  created: number;
  updated: number;
  submitted: number | null;
  submitter: DemoAccount | null;
  patchSets: DemoPatchSet[];
  /** Date order, seq from 0. */
  messages: DemoMessage[];
  /** Final non-zero votes per patch set, including copied ones. */
  approvals: DemoApproval[];
  /**
   * Gerrit's reviewer set: everyone but the owner who posted on the change, plus the owner when
   * they voted. REST lists each of them under every label, with value 0 when they have no vote.
   */
  reviewers: DemoAccount[];
  /** Truth that neither format states directly; kept for tests and for documentation. */
  truth: {
    area: string;
    fate: DemoFate;
    purpose: DemoPurpose;
    /** Index of the change within the generated sequence (0-based). */
    index: number;
    /** Number of the change this one is stacked on, when part of a series. */
    dependsOn: number | null;
  };
}
