/**
 * Feature specifications as a specs repository records them (`steward specs sync`): one record per
 * spec per release it was approved for. Read from the repository's files and its git history by
 * sources/specs/, stored by store/queries/specs.ts, reported on by analysis/specs-report.ts.
 *
 * Times are epoch milliseconds (UTC): the committer time of the commit on the main line (first
 * parent) that brought the change in, so a spec merged through Gerrit is dated by its merge.
 */
import type { Timestamp } from './records.js';

/**
 * Where a spec stands now:
 * - `approved`: under a release's approved directory (or the flat release directory of the first
 *   releases), not moved to implemented;
 * - `implemented`: moved to (or added under) the release's implemented directory;
 * - `backlog`, `abandoned`: in the repository's backlog or abandoned directories (no release);
 * - `removed`: deleted from the repository (or redirected elsewhere) without being implemented.
 */
export type SpecState = 'approved' | 'implemented' | 'backlog' | 'abandoned' | 'removed';

export interface SpecRename {
  from: string;
  to: string;
  at: Timestamp;
  commit: string;
}

export interface SpecRecord {
  /** The release directory name (`juno`, `2023.1`), or null for backlog and abandoned specs. */
  release: string | null;
  /** Path of the spec file now (or, when removed, where it was last). */
  path: string;
  /** Path it was first added under. */
  firstPath: string;
  /** The blueprint name: from the Launchpad URL in the text when there is one, else the file name without `.rst`; lower-case. */
  blueprint: string;
  /** The Launchpad blueprint URL found in the text, or null. */
  blueprintUrl: string | null;
  /** The document title (its first section title), or null when the file has none. */
  title: string | null;
  state: SpecState;
  /** When it was first added under the release (its approval), and by which commit. */
  approvedAt: Timestamp;
  approvedCommit: string;
  /** When it moved to (or was added under) implemented/, or null. */
  implementedAt: Timestamp | null;
  implementedCommit: string | null;
  /** When it was deleted or redirected away, or null. */
  removedAt: Timestamp | null;
  /** Renames within the repository, oldest first (the move to implemented/ is not a rename unless the name changed). */
  renames: SpecRename[];
}

/** Something the sync could not read as expected; the rest of the repository is still ingested. */
export interface SpecsWarning {
  /** unreadable-rst, no-title, duplicate-blueprint, unknown-release, unmatched-path. */
  kind: 'unreadable-rst' | 'no-title' | 'duplicate-blueprint' | 'unknown-release';
  /** The file (repository-relative path) or directory the warning is about. */
  file: string;
  message: string;
}

/** What `steward specs sync` recorded about the repository it read. */
export interface SpecsSyncInfo {
  repo: string;
  head: string;
  headAt: Timestamp;
  syncedAt: Timestamp;
  commits: number;
  warnings: SpecsWarning[];
}
