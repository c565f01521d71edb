/** What the overview shows about the server's scheduled sync (`steward serve --sync-every`). */

export interface SyncStatus {
  /** The period, as given (e.g. "15m"). */
  everyText: string;
  running: boolean;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  /** The last run's failure, in words; null when it succeeded (or none ran yet). */
  lastError: string | null;
  nextRunAt: number | null;
  runs: number;
}

/** Gives the current status; null when the server does not sync. */
export type SyncStatusProvider = () => SyncStatus | null;
