/**
 * The JSON rows of `gerrit query --format=JSON --all-approvals --comments --patch-sets --files`:
 * one change object per line and a closing `{"type":"stats",…}` row. Timestamps are epoch seconds.
 * Accounts carry no numeric id, only name, email and username.
 */

export interface SshAccountAttribute {
  name?: string;
  email?: string;
  username?: string;
}

export interface SshApprovalAttribute {
  /** Label name; old servers use CRVW, VRIF, APRV. */
  type: string;
  description?: string;
  /** The vote as a string, e.g. "2", "-1". */
  value: string;
  oldValue?: string;
  grantedOn: number;
  by: SshAccountAttribute;
}

export interface SshFileAttribute {
  file: string;
  fileOld?: string;
  type: string;
  insertions: number;
  deletions: number;
}

export interface SshPatchSetAttribute {
  number: number | string;
  revision: string;
  parents?: string[];
  ref: string;
  uploader: SshAccountAttribute;
  author?: SshAccountAttribute;
  createdOn: number;
  kind?: string;
  approvals?: SshApprovalAttribute[];
  files?: SshFileAttribute[];
  sizeInsertions?: number;
  sizeDeletions?: number;
}

export interface SshMessageAttribute {
  timestamp: number;
  reviewer: SshAccountAttribute;
  message: string;
}

export interface SshChangeAttribute {
  project: string;
  branch: string;
  topic?: string;
  hashtags?: string[];
  id: string;
  number: number | string;
  subject: string;
  owner: SshAccountAttribute;
  url?: string;
  commitMessage?: string;
  createdOn: number;
  lastUpdated: number;
  open?: boolean;
  status: 'NEW' | 'MERGED' | 'ABANDONED' | 'DRAFT';
  wip?: boolean;
  private?: boolean;
  comments?: SshMessageAttribute[];
  patchSets?: SshPatchSetAttribute[];
  currentPatchSet?: SshPatchSetAttribute;
}

export interface SshStatsRow {
  type: 'stats';
  rowCount: number;
  runTimeMilliseconds?: number;
  moreChanges?: boolean;
}
