/**
 * Table row types (Kysely's `Database` interface). Row types stay in store/; domain records live in
 * model/ and are joined to these by the mappers in change-writer.ts and the query modules.
 *
 * Conventions shared by both engines, so that the same data gives byte-identical canonical dumps:
 * - times are INTEGER/BIGINT epoch milliseconds (UTC);
 * - booleans are INTEGER 0/1;
 * - lists (hashtags, emails) are JSON text.
 */
import type { Generated } from 'kysely';

export interface HostsTable {
  name: string;
  url: string | null;
}

export interface AccountsTable {
  id: Generated<number>;
  host: string;
  gerrit_id: number | null;
  username: string | null;
  name: string | null;
  email: string | null;
}

export interface ChangesTable {
  id: Generated<number>;
  host: string;
  project: string;
  branch: string;
  number: number;
  change_key: string;
  owner_id: number;
  subject: string;
  status: string;
  wip: number;
  private: number;
  created: number;
  updated: number;
  submitted: number | null;
  merged_at: number | null;
  abandoned_at: number | null;
  topic: string | null;
  hashtags: string;
  insertions: number;
  deletions: number;
  files_count: number;
  commit_message: string;
  source_format: string;
  content_hash: string;
}

export interface PatchSetsTable {
  change_id: number;
  number: number;
  revision: string;
  created: number;
  uploader_id: number | null;
  author_name: string | null;
  author_email: string | null;
  author_date: number | null;
  kind: string | null;
  insertions: number;
  deletions: number;
}

export interface VotesTable {
  change_id: number;
  patch_set: number;
  label: string;
  value: number;
  voter_id: number;
  granted_at: number;
  origin: string;
  copied: number;
  self_vote: number;
}

/**
 * Each change's patch sets and votes packed in one row (migration 0012), written with them by
 * change-writer.ts: the review-flow loaders read one row per change instead of every vote.
 * Records are joined by RS (U+001E), fields by US (U+001F), numbers in decimal:
 * `patch_sets` = number, created; `votes` = patch_set, label, value, voter_id, granted_at, copied.
 */
export interface ChangeFlowTable {
  change_id: number;
  patch_sets: string;
  votes: string;
}

export interface MessagesTable {
  change_id: number;
  seq: number;
  patch_set: number | null;
  author_id: number | null;
  date: number;
  kind: string;
  tag: string | null;
  text: string;
}

export interface ChangeFilesTable {
  change_id: number;
  path: string;
  insertions: number;
  deletions: number;
}

export interface LinksTable {
  change_id: number;
  kind: string;
  target: string;
}

/**
 * One CI report message's job results (migration 0013): the builds share the message's patch set,
 * pipeline, date and reporter; `jobs` is a JSON array with one `[job, result, voting 0|1,
 * duration_s|null, log_url|null]` per build, in the message's order. Stored per report rather than
 * per build because reports are a fifth as many rows (the import's hot path); read through the
 * `ci_builds` view.
 */
export interface CiReportsTable {
  change_id: number;
  message_seq: number;
  patch_set: number;
  pipeline: string | null;
  reported_at: number;
  reporter_id: number | null;
  jobs: string;
}

/** A view (migration 0013): one row per build of every ci_reports row. Read-only. */
export interface CiBuildsTable {
  change_id: number;
  message_seq: number;
  patch_set: number;
  pipeline: string | null;
  job: string;
  result: string;
  voting: number;
  duration_s: number | null;
  log_url: string | null;
  reported_at: number;
  reporter_id: number | null;
}

/** A build fetched from Zuul's REST API (migration 0004). */
export interface ZuulBuildsTable {
  uuid: string;
  /** The Zuul web root it came from. */
  zuul: string;
  tenant: string;
  /** The Gerrit host of the change (joins to changes on host + number). */
  host: string;
  project: string;
  branch: string | null;
  change_number: number | null;
  patch_set: number | null;
  ref: string | null;
  pipeline: string;
  job: string;
  result: string;
  voting: number;
  start_time: number | null;
  end_time: number | null;
  duration_s: number | null;
  log_url: string | null;
  buildset_uuid: string | null;
  fetched_at: number;
}

/** A mentoring relationship (migration 0003): a core mentoring a candidate from a start date. */
export interface MentorshipsTable {
  id: Generated<number>;
  candidate_id: number;
  mentor_id: number;
  started_at: number;
  /** Null while the mentoring lasts. */
  ended_at: number | null;
  note: string | null;
  end_note: string | null;
  created_at: number;
}

/** A person who may log in to `steward serve --auth` (migration 0009). Not a Gerrit account. */
export interface UsersTable {
  id: Generated<number>;
  /** Lower case, unique. */
  name: string;
  /** viewer, lead, admin (web/auth/authorize.ts); text so that later roles need no migration. */
  role: string;
  /** Versioned, self-describing hash (web/auth/password.ts); never the password. */
  password_hash: string;
  created_at: number;
  password_changed_at: number;
  /** Null while the user may log in. */
  disabled_at: number | null;
}

/** A login session (migration 0009): only the SHA-256 of the cookie's token is kept. */
export interface UserSessionsTable {
  token_hash: string;
  user_id: number;
  created_at: number;
  /** Absolute expiry: the session ends then however active it is. */
  expires_at: number;
  /** Last request seen (updated at most every few minutes): the idle timeout counts from it. */
  last_seen_at: number;
}

/** A security-relevant event (migration 0009): logins, failed logins, role changes, data changes from the web. */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  /** e.g. login, login.failed, logout, user.add, user.role, mentorship.add. */
  event: string;
  actor_id: number | null;
  /** The actor's name as it was (a user name, or "command line"). */
  actor: string | null;
  subject: string | null;
  ip: string | null;
  /** ok, refused, failed. */
  outcome: string;
  /** JSON object of event-specific facts; never a secret. */
  detail: string | null;
}

/** Release priorities defined in the store (migration 0011); steward.yaml's are not stored. */
export interface PrioritiesTable {
  id: Generated<number>;
  release: string;
  title: string;
  /** Lower-case title: unique per release. */
  title_key: string;
  created_at: number;
  created_by: string | null;
}

export interface PriorityItemsTable {
  priority_id: number;
  position: number;
  kind: 'blueprint' | 'topic' | 'query';
  value: string;
}

/** The security team (migration 0017): web users, who added them, when. */
export interface SecurityTeamTable {
  user_id: number;
  added_at: number;
  added_by: string;
}

/** An embargoed vulnerability report (migration 0017); its texts are sealed in `secret`. */
export interface SecurityItemsTable {
  /** Random, not ordered. */
  id: string;
  state: string;
  received_at: number;
  updated_at: number;
  assignee: string | null;
  cvss_vector: string | null;
  /** The base score × 10 (an integer on both engines). */
  cvss_score_tenths: number | null;
  /** YYYY-MM-DD. */
  disclosure_date: string | null;
  /** AES-256-GCM sealed JSON (store/secret-box.ts). */
  secret: string;
}

export interface SecurityTransitionsTable {
  id: Generated<number>;
  item_id: string;
  at: number;
  actor: string;
  from_state: string | null;
  to_state: string;
  /** Sealed JSON: the note and the transition's data. */
  secret: string;
}

export interface SecurityGrantsTable {
  id: Generated<number>;
  item_id: string;
  user_id: number;
  /** reporter, fix-author, downstream. */
  kind: string;
  granted_at: number;
  granted_by: string;
  revoked_at: number | null;
  revoked_by: string | null;
}

export interface SecurityPatchesTable {
  id: Generated<number>;
  item_id: string;
  branch: string;
  author: string;
  at: number;
  /** Sealed: the patch itself. */
  secret: string;
}

export interface SecurityPatchReviewsTable {
  id: Generated<number>;
  patch_id: number;
  item_id: string;
  reviewer: string;
  at: number;
  /** +1 or -1. */
  vote: number;
}

/** Initiatives defined in the store (migration 0020): tracked work across releases. */
export interface InitiativesTable {
  id: Generated<number>;
  name: string;
  /** Lower-case name: unique. */
  name_key: string;
  title: string;
  goal: string;
  stall_weeks: number | null;
  created_at: number;
  created_by: string | null;
  updated_at: number;
}

export interface InitiativeMilestonesTable {
  initiative_id: number;
  position: number;
  title: string;
  release: string | null;
  target_date: number | null;
}

export interface InitiativeItemsTable {
  initiative_id: number;
  /** −1: the initiative's own scope and owners; else the milestone's position. */
  milestone: number;
  position: number;
  /** A scope kind (model/initiatives.ts SCOPE_KINDS) or `owner`. */
  kind: string;
  value: string;
}

export interface InitiativeNotesTable {
  id: Generated<number>;
  initiative_id: number;
  /** question, decision, feedback. */
  kind: string;
  text: string;
  link: string | null;
  at: number;
  by: string | null;
  /** open, resolved. */
  status: string;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface SyncStateTable {
  host: string;
  project: string;
  checkpoint_updated: number | null;
  last_completed_at: number | null;
  run_in_progress: Generated<number>;
  run_started_at: number | null;
  run_after: number | null;
  run_next_start: Generated<number>;
  run_high_water: number | null;
  run_pages: Generated<number>;
  last_error: string | null;
}

export interface SyncLocksTable {
  name: string;
  owner: string;
  pid: number;
  hostname: string;
  acquired_at: number;
  heartbeat_at: number;
}

/** Migration 0038: the indexes a first sync into an empty store dropped, to build at its end (deferred-indexes.ts). */
export interface DeferredIndexesTable {
  name: string;
  /** The index's CREATE INDEX statement, as the engine's catalogue held it. */
  definition: string;
}

export interface GroupSnapshotsTable {
  id: Generated<number>;
  host: string;
  group_name: string;
  group_uuid: string | null;
  taken_at: number;
  checked_at: number;
}

export interface GroupSnapshotMembersTable {
  snapshot_id: number;
  account_id: number;
}

/** A commit of a synced git repository's branch (migration 0007, `steward git sync`). */
export interface GitCommitsTable {
  repo: string;
  sha: string;
  /** Parent hashes in order, space-separated ('' for a root commit). */
  parents: string;
  author_name: string;
  author_email: string;
  authored_at: number;
  committer_name: string;
  committer_email: string;
  committed_at: number;
  subject: string;
  message: string;
  /** Gerrit Change-Id trailer (joins changes.change_key). */
  change_id: string | null;
  /** 1 when the commit is on the reconstructed main line. */
  mainline: number;
  /** The main-line commit that brought it into the branch. */
  landed_by: string;
  landed_at: number;
  /** 'merge' or 'direct' (model/git.ts LandingKind). */
  landing: string;
  /** 1 for a merge commit (more than one parent); set by the sync (migration 0024). */
  merge_commit: number;
  /** 1 when a release-tag merge brought it (a backport); recomputed by every sync that changes the repository. */
  backport: number;
  /** The author's address, trimmed and lower-cased. */
  author_key: string;
  /** 1: names a bug; 2: names a blueprint; 3: both. */
  names: number;
}

/** Bugs and blueprints a commit names (migration 0007). */
export interface GitCommitLinksTable {
  repo: string;
  sha: string;
  /** closes-bug, partial-bug, related-bug, implements, partially-implements, mention. */
  kind: string;
  target: string;
}

/** The checkpoint of `steward git sync` per repository (migration 0007). */
export interface GitSyncStateTable {
  repo: string;
  path: string;
  branch: string;
  tip: string;
  commits: number;
  synced_at: number;
}

export interface SpecsTable {
  id: Generated<number>;
  release: string | null;
  path: string;
  first_path: string;
  blueprint: string;
  blueprint_url: string | null;
  title: string | null;
  state: string;
  approved_at: number;
  approved_commit: string;
  implemented_at: number | null;
  implemented_commit: string | null;
  removed_at: number | null;
  /** JSON list of {from, to, at, commit}. */
  renames: string;
}

export interface SpecsSyncTable {
  repo: string;
  head: string;
  head_at: number;
  synced_at: number;
  commits: number;
  /** JSON list of {kind, file, message}. */
  warnings: string;
}

/** A Launchpad bug task (migration 0016): a bug on a project or a series of it. Dates epoch ms. */
export interface LpBugTasksTable {
  self_link: string;
  bug: number;
  project: string;
  series: string | null;
  status: string;
  importance: string;
  assignee: string | null;
  milestone: string | null;
  title: string;
  date_created: number;
  date_assigned: number | null;
  date_confirmed: number | null;
  date_triaged: number | null;
  date_in_progress: number | null;
  date_fix_committed: number | null;
  date_fix_released: number | null;
  date_closed: number | null;
  date_left_new: number | null;
  date_incomplete: number | null;
  /** Migration 0022. */
  date_left_closed: number | null;
  date_deferred: number | null;
}

/** A Launchpad bug (migration 0016). `tags`: space-separated. */
export interface LpBugsTable {
  id: number;
  title: string;
  tags: string;
  information_type: string;
  duplicate_of: number | null;
  heat: number;
  message_count: number;
  owner: string | null;
  date_created: number;
  date_last_updated: number;
  /** Migration 0022. */
  date_last_message: number | null;
}

/** A Launchpad blueprint (migration 0016). */
export interface LpBlueprintsTable {
  self_link: string;
  project: string;
  name: string;
  title: string;
  definition_status: string;
  implementation_status: string;
  lifecycle_status: string;
  priority: string;
  series_goal: string | null;
  milestone: string | null;
  assignee: string | null;
  date_created: number;
  date_started: number | null;
  date_completed: number | null;
  /** Migration 0031: Launchpad's has_accepted_goal, 1/0; null: not said. */
  series_goal_accepted: number | null;
}

export interface Database {
  hosts: HostsTable;
  accounts: AccountsTable;
  changes: ChangesTable;
  patch_sets: PatchSetsTable;
  votes: VotesTable;
  change_flow: ChangeFlowTable;
  messages: MessagesTable;
  change_files: ChangeFilesTable;
  links: LinksTable;
  ci_reports: CiReportsTable;
  ci_builds: CiBuildsTable;
  meta: MetaTable;
  sync_state: SyncStateTable;
  sync_locks: SyncLocksTable;
  deferred_indexes: DeferredIndexesTable;
  group_snapshots: GroupSnapshotsTable;
  group_snapshot_members: GroupSnapshotMembersTable;
  mentorships: MentorshipsTable;
  zuul_builds: ZuulBuildsTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  audit_log: AuditLogTable;
  git_commits: GitCommitsTable;
  git_commit_links: GitCommitLinksTable;
  git_sync_state: GitSyncStateTable;
  priorities: PrioritiesTable;
  priority_items: PriorityItemsTable;
  specs: SpecsTable;
  specs_sync: SpecsSyncTable;
  advisories: AdvisoriesTable;
  advisory_products: AdvisoryProductsTable;
  advisory_cves: AdvisoryCvesTable;
  advisory_reporters: AdvisoryReportersTable;
  advisory_bugs: AdvisoryBugsTable;
  advisory_reviews: AdvisoryReviewsTable;
  security_team: SecurityTeamTable;
  security_items: SecurityItemsTable;
  security_transitions: SecurityTransitionsTable;
  security_grants: SecurityGrantsTable;
  security_patches: SecurityPatchesTable;
  security_patch_reviews: SecurityPatchReviewsTable;
  initiatives: InitiativesTable;
  initiative_milestones: InitiativeMilestonesTable;
  initiative_items: InitiativeItemsTable;
  initiative_notes: InitiativeNotesTable;
  people_decisions: PeopleDecisionsTable;
  people_links: PeopleLinksTable;
  affiliations: AffiliationsTable;
  companies: CompaniesTable;
  lp_bug_tasks: LpBugTasksTable;
  lp_bugs: LpBugsTable;
  lp_blueprints: LpBlueprintsTable;
}

/** Links between identities from an imported contributor file (migration 0019). */
export interface PeopleLinksTable {
  a: string;
  b: string;
  evidence: string;
  source: string;
}

/** A merge or split of people made by hand (migration 0019). */
export interface PeopleDecisionsTable {
  id: Generated<number>;
  /** 'merge' or 'split'. */
  kind: string;
  /** Identity keys (model/people.ts). */
  a: string;
  b: string;
  actor: string;
  at: number;
  note: string | null;
}

/** Who worked for whom, when (migration 0019). */
export interface AffiliationsTable {
  id: Generated<number>;
  /** An identity key (model/people.ts) of the person. */
  identity: string;
  company: string;
  start_at: number | null;
  end_at: number | null;
  /** Where it came from: the imported file. */
  source: string;
}

/** A company with its e-mail domains and aliases, JSON arrays of text (migration 0019). */
export interface CompaniesTable {
  name: string;
  domains: string;
  aliases: string;
  source: string;
}

/** Tables whose row counts `steward db info` reports, in display order. */
export const DATA_TABLES = [
  'hosts',
  'accounts',
  'changes',
  'patch_sets',
  'votes',
  'messages',
  'change_files',
  'links',
  'ci_reports',
  'ci_builds',
  'sync_state',
  'group_snapshots',
  'group_snapshot_members',
  'mentorships',
  'zuul_builds',
  'git_commits',
  'git_commit_links',
  'git_sync_state',
  'priorities',
  'specs',
  'advisories',
  'lp_bug_tasks',
  'lp_bugs',
  'lp_blueprints',
] as const satisfies ReadonlyArray<keyof Database>;

/** Published security advisories (migration 0018, docs/security-advisories.md). */
export interface AdvisoriesTable {
  id: string;
  published: string;
  published_at: number;
  title: string;
  /** The model's `Advisory` as JSON. */
  content: string;
  source: string | null;
  imported_at: number;
}

export interface AdvisoryProductsTable {
  advisory_id: string;
  product: string;
}

export interface AdvisoryCvesTable {
  advisory_id: string;
  cve: string;
}

export interface AdvisoryReportersTable {
  advisory_id: string;
  seq: number;
  name: string;
  affiliation: string | null;
}

export interface AdvisoryBugsTable {
  advisory_id: string;
  seq: number;
  tracker: string;
  bug: string | null;
  url: string;
  note: string | null;
}

export interface AdvisoryReviewsTable {
  advisory_id: string;
  seq: number;
  branch: string;
  series: string;
  host: string | null;
  number: number | null;
  url: string;
  note: string | null;
}
