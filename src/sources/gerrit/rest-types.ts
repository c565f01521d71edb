/**
 * The Gerrit REST API's JSON entities, as far as Steward reads them
 * (`/changes/?q=…&o=DETAILED_LABELS&o=MESSAGES&o=ALL_REVISIONS&o=DETAILED_ACCOUNTS&o=ALL_COMMITS&o=ALL_FILES`).
 * Timestamps are "YYYY-MM-DD hh:mm:ss.fffffffff" in UTC.
 */

export interface RestAccountInfo {
  _account_id: number;
  name?: string;
  email?: string;
  secondary_emails?: string[];
  username?: string;
  display_name?: string;
}

export interface RestApprovalInfo extends RestAccountInfo {
  value?: number;
  date?: string;
  tag?: string;
  permitted_voting_range?: { min: number; max: number };
}

export interface RestLabelInfo {
  optional?: boolean;
  approved?: RestAccountInfo;
  rejected?: RestAccountInfo;
  recommended?: RestAccountInfo;
  disliked?: RestAccountInfo;
  blocking?: boolean;
  value?: number;
  default_value?: number;
  all?: RestApprovalInfo[];
  values?: Record<string, string>;
}

export interface RestChangeMessageInfo {
  id: string;
  author?: RestAccountInfo;
  real_author?: RestAccountInfo;
  date: string;
  message: string;
  tag?: string;
  _revision_number?: number;
}

export interface RestGitPersonInfo {
  name: string;
  email: string;
  date: string;
  tz?: number;
}

export interface RestCommitInfo {
  commit?: string;
  parents: Array<{ commit: string; subject?: string }>;
  author: RestGitPersonInfo;
  committer: RestGitPersonInfo;
  subject: string;
  message: string;
}

export interface RestFileInfo {
  status?: 'A' | 'D' | 'R' | 'C' | 'W' | 'M';
  binary?: boolean;
  old_path?: string;
  lines_inserted?: number;
  lines_deleted?: number;
  size_delta?: number;
  size?: number;
}

export interface RestRevisionInfo {
  kind?: string;
  _number: number;
  created: string;
  uploader: RestAccountInfo;
  ref: string;
  commit?: RestCommitInfo;
  files?: Record<string, RestFileInfo>;
}

export interface RestChangeInfo {
  id: string;
  project: string;
  branch: string;
  topic?: string;
  hashtags?: string[];
  change_id: string;
  subject: string;
  status: 'NEW' | 'MERGED' | 'ABANDONED' | 'DRAFT';
  created: string;
  updated: string;
  submitted?: string;
  submitter?: RestAccountInfo;
  insertions?: number;
  deletions?: number;
  _number: number;
  owner: RestAccountInfo;
  work_in_progress?: boolean;
  is_private?: boolean;
  labels?: Record<string, RestLabelInfo>;
  messages?: RestChangeMessageInfo[];
  current_revision?: string;
  revisions?: Record<string, RestRevisionInfo>;
  _more_changes?: boolean;
}
