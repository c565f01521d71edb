/**
 * CI records beyond the builds parsed from review messages (records.ts `CiBuild`): builds as
 * Zuul's REST API describes them, and the flat records the CI-health analysis reads back from the
 * store. Times are epoch milliseconds (UTC).
 */
import type { ChangeStatus, PatchSetKind, Timestamp } from './records.js';

/**
 * One final build as Zuul's builds API (`/api/tenant/{tenant}/builds`) describes it. Builds still
 * running (no result) and builds Zuul retried (`final: false`) are not builds in this sense.
 */
export interface ZuulBuild {
  uuid: string;
  project: string;
  branch: string | null;
  /** Gerrit change number; null for builds of a branch or tag (post, periodic pipelines). */
  change: number | null;
  patchSet: number | null;
  ref: string | null;
  pipeline: string;
  job: string;
  /** As Zuul writes it: SUCCESS, FAILURE, TIMED_OUT, POST_FAILURE, NODE_FAILURE, RETRY_LIMIT, … */
  result: string;
  voting: boolean;
  startTime: Timestamp | null;
  endTime: Timestamp | null;
  /** Whole seconds (Zuul sends a float). */
  durationSeconds: number | null;
  logUrl: string | null;
  /** The buildset's UUID: the builds Zuul ran together for one trigger (upload, recheck, gate). */
  buildset: string | null;
}

/** A job result as a CI report message gave it (table ci_builds), with the store's ids. */
export interface CiReportedBuildRecord {
  changeId: number;
  /** seq of the report message: the builds of one message are one buildset. */
  messageSeq: number;
  patchSet: number;
  pipeline: string | null;
  job: string;
  result: string;
  voting: boolean;
  durationSeconds: number | null;
  logUrl: string | null;
  reportedAt: Timestamp;
  reporterId: number | null;
}

/** A Zuul build (table zuul_builds) whose change is in the store, with the store's change id. */
export interface CiZuulBuildRecord {
  changeId: number;
  uuid: string;
  patchSet: number;
  pipeline: string;
  job: string;
  result: string;
  voting: boolean;
  startTime: Timestamp | null;
  endTime: Timestamp | null;
  durationSeconds: number | null;
  logUrl: string | null;
  buildset: string | null;
}

/** What CI-health analysis needs to know about a change: its patch sets, approvals and fate. */
export interface CiChangeRecord {
  /** Store id. */
  id: number;
  host: string;
  /** The Gerrit host's URL (hosts.url), for links; null when unknown. */
  hostUrl: string | null;
  project: string;
  number: number;
  status: ChangeStatus;
  /** When it merged (Gerrit `submitted`, else the merge message's date); null when not merged. */
  mergedAt: Timestamp | null;
  /** Patch sets in ascending order; `kind` says whether the code changed (null: unknown). */
  patchSets: Array<{ number: number; kind: PatchSetKind | null; created: Timestamp }>;
  /** Approvals to merge (+A: Workflow or Approved ≥ 1, copied ones included), per patch set. */
  approvals: Array<{ patchSet: number; at: Timestamp }>;
}
